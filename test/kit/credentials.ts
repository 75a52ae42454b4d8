/** Credential data, as n8n would hand it to a node, for the test peers (sshd, emulators). */
import type { SshdFixture } from '../fixtures/sshd';

/** The Stampli SFTP credential for the sshd fixture, host key pinned. */
export function sftpCredential(sshd: SshdFixture): Record<string, unknown> {
	return {
		host: sshd.host,
		port: sshd.port,
		username: sshd.username,
		password: sshd.password,
		hostKeySha256: sshd.hostKeySha256,
		inboundDir: sshd.inboundDir,
		outboundDir: sshd.outboundDir,
	};
}

/** The Odoo credential for an Odoo emulator or server. */
export function odooCredential(
	server: {
		url: string;
		db: string;
		login: string;
		apiKey: string;
	},
	extra: Record<string, unknown> = {},
): Record<string, unknown> {
	return {
		url: server.url,
		database: server.db,
		login: server.login,
		apiKey: server.apiKey,
		protocol: 'auto',
		companyId: 0,
		...extra,
	};
}

/** The QuickBooks credential for the QuickBooks emulator, with freshly issued tokens, as n8n holds it after the consent screen. */
export function quickBooksCredential(emulator: {
	url: string;
	realmId: string;
	issueTokens(): { access_token: string; refresh_token: string };
}): Record<string, unknown> {
	const tokens = emulator.issueTokens();
	return {
		environment: 'custom',
		customApiBaseUrl: emulator.url,
		oauthTokenData: {
			access_token: tokens.access_token,
			refresh_token: tokens.refresh_token,
			callbackQueryString: { realmId: emulator.realmId },
		},
	};
}
