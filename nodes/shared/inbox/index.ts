/**
 * The trigger's side of a Stampli export directory, independent of n8n: read lock (when a file is
 * ready), ledger (idempotent repository of what was handled), run outcomes, commit (archive/delete)
 * and rollback (failed directory), and the poll loop that ties them together.
 */
export {
	type FileLedger,
	type LedgerEntry,
	type ListedFile,
	emptyLedger,
	ledgerFrom,
	isDuplicateContent,
	markUnchangedContent,
	markProcessed,
	markFailed,
	markAwaitingRun,
	awaitingRuns,
	markRunSucceeded,
	markRunFailed,
	describeEntry,
	failedEntries,
} from './ledger';
export { planPoll, type PlanOptions, type PollPlan } from './readLock';
export {
	pollOnce,
	type PollOptions,
	type PollSummary,
	type FileEmission,
	type RunFollowing,
} from './poll';
export { fetchNewest, readAndParse, type ReadOptions } from './read';
export { replayFiles } from './replay';
export type { FileOutcome, FileParser, ParsedFile, FileProblem, AfterProcessing } from './types';
export {
	RunTracker,
	runTracker,
	runOutcome,
	rejectedRunOutcome,
	type RunOutcome,
	type RunLike,
	type TrackerOptions,
} from './runs';
export { redactSecrets } from './redact';
export {
	makeStampliParser,
	kindFromName,
	type StampliParserOptions,
	type FileKindChoice,
	type FormatChoice,
} from './stampliParser';
