import type { SftpConfig } from './config';
import { connectSftp, type ConnectOptions } from './session';

export interface ConnectionTestResult {
	ok: boolean;
	message: string;
	serverFingerprint?: string;
}

/**
 * What the credential test does: connect (verifying the host key), then list the inbound and the
 * outbound directory. One quick attempt, no long backoff: a person is waiting for the answer.
 */
export async function testSftpConnection(
	config: SftpConfig,
	options: ConnectOptions = { attempts: 1 },
): Promise<ConnectionTestResult> {
	let session;
	try {
		session = await connectSftp(config, options);
	} catch (error) {
		return { ok: false, message: error instanceof Error ? error.message : String(error) };
	}
	try {
		const counts: string[] = [];
		for (const [label, dir] of [
			['inbound', config.inboundDir],
			['outbound', config.outboundDir],
		] as const) {
			try {
				const files = await session.list(dir);
				counts.push(`${label} ${dir} (${files.length} files)`);
			} catch (error) {
				const reason = error instanceof Error ? error.message : String(error);
				return {
					ok: false,
					message: `Connected and verified the host key, but the ${label} directory ${dir} cannot be listed: ${reason}`,
					serverFingerprint: session.serverFingerprint,
				};
			}
		}
		const verified = config.skipHostKeyVerification
			? 'host key NOT verified (skipped, insecure)'
			: `host key ${session.serverFingerprint} verified`;
		return {
			ok: true,
			message: `Connected, ${verified}; listed ${counts.join(' and ')}.`,
			serverFingerprint: session.serverFingerprint,
		};
	} finally {
		await session.close();
	}
}
