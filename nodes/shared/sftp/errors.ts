/** Errors of the SFTP layer. Messages name hosts, paths and fingerprints, never passwords or keys. */

export class SftpError extends Error {
	constructor(
		message: string,
		readonly code?: string,
	) {
		super(message);
		this.name = new.target.name;
	}
}

/** The server presented a host key other than the pinned one: possibly a man in the middle. */
export class HostKeyMismatchError extends SftpError {
	constructor(
		readonly host: string,
		readonly expected: string,
		readonly received: string,
	) {
		super(
			`Host key verification failed for ${host}: expected fingerprint ${expected} but the server presented ${received}. ` +
				'Refusing to connect. If the server key was legitimately rotated, update the fingerprint in the credential.',
			'HOST_KEY_MISMATCH',
		);
	}
}

/** No fingerprint pinned and verification not explicitly skipped. */
export class HostKeyNotPinnedError extends SftpError {
	constructor(
		readonly host: string,
		readonly received: string,
	) {
		super(
			`No host-key fingerprint is set for ${host}, so the server cannot be verified. The server presented ${received}: ` +
				'check it with the server administrator (ssh-keygen -lf <host key>.pub) and enter it in the credential ' +
				'as the Host Key Fingerprint (SHA256).',
			'HOST_KEY_NOT_PINNED',
		);
	}
}

export class SftpAuthError extends SftpError {
	constructor(host: string, username: string) {
		super(
			`Authentication failed for user "${username}" on ${host}: check the password or private key.`,
			'AUTH_FAILED',
		);
	}
}

/** A remote name that would escape its directory or smuggle control characters. */
export class UnsafeRemoteNameError extends SftpError {
	constructor(name: string, reason: string) {
		super(`Refusing unsafe remote file name ${JSON.stringify(name)}: ${reason}`, 'UNSAFE_NAME');
	}
}

const TRANSIENT_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'EPIPE',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENETDOWN',
	'EAI_AGAIN',
	'ERR_SOCKET_CLOSED',
]);

/** Worth retrying: network drops and timeouts. Never auth, host-key or protocol-permission failures. */
export function isTransientError(error: unknown): boolean {
	if (
		error instanceof HostKeyMismatchError ||
		error instanceof HostKeyNotPinnedError ||
		error instanceof SftpAuthError
	) {
		return false;
	}
	const e = error as { code?: unknown; level?: unknown; message?: unknown } | undefined;
	if (!e) return false;
	if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
	const message = typeof e.message === 'string' ? e.message : '';
	if (e.level === 'client-authentication' || /authentication/i.test(message)) return false;
	if (e.level === 'client-timeout' || /Timed out while waiting for handshake/i.test(message))
		return true;
	return /ECONNRESET|ECONNREFUSED|ETIMEDOUT|socket hang up|Connection lost|No response from server/i.test(
		message,
	);
}
