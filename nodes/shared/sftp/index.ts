/** SFTP for Stampli: pinned host keys, safe names, atomic uploads, the trigger's ledger and poll. No n8n imports. */
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
export {
	assertSafeName,
	safeRemoteJoin,
	globToRegExp,
	remoteBasename,
	remoteDirname,
} from './names';
export { withBackoff, type BackoffOptions } from './backoff';
export {
	connectSftp,
	withSftpSession,
	HashedReadStream,
	type SftpSession,
	type RemoteFile,
	type UploadResult,
	type ConnectOptions,
} from './session';
export {
	type FileLedger,
	type LedgerEntry,
	type ListedFile,
	type PlanOptions,
	type PollPlan,
	emptyLedger,
	ledgerFrom,
	planPoll,
	isDuplicateContent,
	markUnchangedContent,
	markProcessed,
	markFailed,
	markAwaitingRun,
	awaitingRuns,
	markDownstreamSucceeded,
	markDownstreamFailed,
	requestReplay,
	describeEntry,
	failedEntries,
} from './ledger';
export {
	pollOnce,
	fetchNewest,
	readAndParse,
	replayFiles,
	type PollOptions,
	type PollSummary,
	type FileOutcome,
	type FileParser,
	type ParsedFile,
	type FileProblem,
	type AfterProcessing,
	type FileEmission,
	type DownstreamOptions,
} from './poll';
export {
	DownstreamTracker,
	downstreamRuns,
	runOutcome,
	rejectedRunOutcome,
	redactSecrets,
	type RunOutcome,
	type RunLike,
	type TrackerOptions,
} from './downstream';
export { testSftpConnection, type ConnectionTestResult } from './testConnection';
export {
	makeStampliParser,
	kindFromName,
	type StampliParserOptions,
	type FileKindChoice,
	type FormatChoice,
} from './stampliParser';
