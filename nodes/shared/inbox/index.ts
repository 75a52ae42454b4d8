/**
 * The trigger's side of a Stampli export directory, independent of n8n: read lock (when a file is
 * ready), ledger (idempotent repository of what was handled), run outcomes, commit (archive/delete)
 * and rollback (failed directory), bounded batches, and the poll loop that ties them together.
 */
export {
	type FileLedger,
	type LedgerEntry,
	type ListedFile,
	type EntryState,
	emptyLedger,
	ledgerFrom,
	isDuplicateContent,
	markUnchangedContent,
	markEmitted,
	markFailed,
	awaitingRuns,
	markRunSucceeded,
	markRunFailed,
	describeEntry,
	failedEntries,
} from './ledger';
export {
	planPoll,
	dataFiles,
	doneFileName,
	endsWithCompleteRecord,
	INCOMPLETE_GRACE_MS,
	RECENT_MTIME_MS,
	type PlanOptions,
	type PollPlan,
	type ReadyWhen,
} from './readLock';
export { pollOnce } from './poll';
export {
	DEFAULT_BATCH_SIZE,
	DEFAULT_UNKNOWN_AFTER_MS,
	MAX_REEMISSIONS,
	type PollOptions,
	type PollSummary,
	type FileEmission,
	type RunFollowing,
	type UnknownOutcomePolicy,
} from './options';
export {
	readerFromParser,
	type RecordReader,
	type RecordReading,
	type FileEntry,
	type FileFacts,
} from './batches';
export { fetchNewest, readAndParse, type ReadOptions } from './read';
export { replayFiles } from './replay';
export type {
	FileOutcome,
	FileParser,
	ParsedFile,
	FileProblem,
	AfterProcessing,
	BatchInfo,
} from './types';
export {
	RunTracker,
	runTracker,
	runOutcome,
	rejectedRunOutcome,
	type RunOutcome,
	type RunLike,
	type RunKey,
	type TrackerOptions,
} from './runs';
export { redactSecrets } from './redact';
export {
	makeStampliParser,
	makeStampliReader,
	kindFromName,
	type StampliParserOptions,
	type FileKindChoice,
	type FormatChoice,
} from './stampliParser';
