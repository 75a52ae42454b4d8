import { normalizeFingerprint } from './hostKey';

/** Everything needed to reach one Stampli SFTP account. */
export interface SftpConfig {
	host: string;
	port: number;
	username: string;
	password?: string;
	privateKey?: string;
	passphrase?: string;
	/** `SHA256:…` as `ssh-keygen -lf` prints it; the prefix and padding are optional. */
	hostKeySha256?: string;
	/** Explicit, insecure opt-out of host-key verification. */
	skipHostKeyVerification?: boolean;
	/** Where feed files for Stampli go. */
	inboundDir: string;
	/** Where Stampli puts its exports. */
	outboundDir: string;
	/** Handshake timeout. Default 20 s. */
	readyTimeoutMs?: number;
}

function text(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const s = String(value).trim();
	return s === '' ? undefined : s;
}

/** Builds an SftpConfig from the `stampliSftpApi` credential's data, with clear errors for missing fields. */
export function sftpConfigFromCredential(data: Record<string, unknown>): SftpConfig {
	const host = text(data.host);
	const username = text(data.username);
	if (!host) throw new Error('The Stampli SFTP credential has no host');
	if (!username) throw new Error('The Stampli SFTP credential has no username');
	const port = data.port === undefined || data.port === '' ? 22 : Number(data.port);
	if (!Number.isInteger(port) || port < 1 || port > 65535)
		throw new Error(`The Stampli SFTP credential has an invalid port: ${String(data.port)}`);
	const password =
		data.password === undefined || data.password === '' ? undefined : String(data.password);
	// n8n's multi-line password fields sometimes turn newlines into spaces or literal "\n"; keys need real newlines.
	const privateKey = text(data.privateKey)?.replace(/\\n/g, '\n');
	if (!password && !privateKey)
		throw new Error('The Stampli SFTP credential needs a password or a private key');
	const skip = data.skipHostKeyVerification === true || data.skipHostKeyVerification === 'true';
	return {
		host,
		port,
		username,
		password,
		privateKey,
		passphrase:
			data.passphrase === undefined || data.passphrase === '' ? undefined : String(data.passphrase),
		hostKeySha256: normalizeFingerprint(text(data.hostKeySha256)),
		skipHostKeyVerification: skip,
		inboundDir: text(data.inboundDir) ?? '/inbound',
		outboundDir: text(data.outboundDir) ?? '/outbound',
	};
}
