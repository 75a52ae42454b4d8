/** SFTP for Stampli: sessions with pinned host keys, safe names, atomic uploads, backoff. No n8n imports. */
export { type SftpConfig, sftpConfigFromCredential } from './config';
export {
	SftpError,
	HostKeyMismatchError,
	HostKeyNotPinnedError,
	SftpAuthError,
	UnsafeRemoteNameError,
	isTransientError,
} from './errors';
export { hostKeyFingerprint, normalizeFingerprint, fingerprintsEqual } from './hostKey';
export { assertSafeName, safeRemoteJoin, globToRegExp, remoteBasename } from './names';
export { assertInsideDirs } from './paths';
export { withBackoff, type BackoffOptions, type Sleep } from './backoff';
export {
	connectSftp,
	HashedReadStream,
	type SftpSession,
	type RemoteFile,
	type UploadResult,
	type ConnectOptions,
} from './session';
export { testSftpConnection, type ConnectionTestResult } from './testConnection';
// This module must not import n8n-workflow (package rule); the nodes wrap its errors in NodeApiError/NodeOperationError.
