/** What one poll is told (options), what it reports (summary), and the state its parts share. */
import type { Sleep } from '../sftp/backoff';
import type { SftpSession } from '../sftp/session';
import type { RecordReader } from './batches';
import type { FileLedger } from './ledger';
import type { ReadyWhen } from './readLock';
import { redactSecrets } from './redact';
import type { RunOutcome, RunTracker } from './runs';
import type { AfterProcessing, FileOutcome, FileParser } from './types';

export interface PollOptions<R = unknown> {
	dir: string;
	pattern?: string;
	settleMs: number;
	/** When a settled file counts as complete. Default: settled, ending with a complete record. */
	readyWhen?: ReadyWhen;
	maxFiles: number;
	/** Files larger than this fail with a clear reason instead of being read. Default 256 MiB. */
	maxFileBytes?: number;
	/** Files with more entries (records and invalid-record reports) than this fail with a clear reason. */
	maxItemsPerFile?: number;
	/** At most this many entries per execution; a larger file is emitted in several batches. Default 5,000. */
	batchSize?: number;
	/** Reads a file's records as its bytes stream in. */
	reader?: RecordReader<R>;
	/** A parser returning the whole file; used (adapted) when no `reader` is given. */
	parse?: FileParser<R>;
	/** Neither: files are emitted raw (binary output mode), whole. */
	afterProcessing: AfterProcessing;
	/** Where files that failed (wholly or partly) are moved, for the replay workflow; leave them in place when absent. */
	failedDir?: string;
	/**
	 * Called once per emission (a file, or one batch of it), in order; the n8n node emits one
	 * execution per call. Returning `{ run }` (that execution's outcome) with `runs` set defers the
	 * commit or rollback until every run of the file is known.
	 */
	onFile: (outcome: FileOutcome<R>) => Promise<FileEmission | void> | FileEmission | void;
	/** Where run outcomes are parked between polls (see runs.ts); without it runs are not followed. */
	runs?: RunFollowing;
	/** Values that must never be stored in a failure reason (the credential's own secrets). */
	secrets?: string[];
	/** Epoch ms after which no new file or batch is started (the rest wait for the next poll). */
	deadline?: number;
	clock?: () => number;
}

export interface FileEmission {
	run: Promise<RunOutcome>;
}

export type UnknownOutcomePolicy = 'emitAgain' | 'needsAttention';

export interface RunFollowing {
	tracker: RunTracker;
	/** Identifies the ledger's owner in the tracker (workflow id + node id). */
	scope: string;
	/** After emitting, wait this long (bounded by `deadline`) for the runs to finish and settle them in the same poll. Default 0. */
	waitMs?: number;
	/** The timer for waits (n8n's `sleep`); without it the poll does not wait. */
	sleep?: Sleep;
	/**
	 * A run this process never saw (n8n restarted, or another instance emitted it), or one that is
	 * waiting, counts as unknown this long after its emission (or the end of its wait). Default 60 minutes.
	 */
	unknownAfterMs?: number;
	/** What an unknown outcome leads to. Default: emit the file again (at most `MAX_REEMISSIONS` times, then needs attention). */
	ifUnknown?: UnknownOutcomePolicy;
}

/** Emitting a file again because nobody knows how its runs ended stops after this many tries. */
export const MAX_REEMISSIONS = 3;
export const DEFAULT_UNKNOWN_AFTER_MS = 60 * 60 * 1000;
export const DEFAULT_BATCH_SIZE = 5_000;

export interface PollSummary {
	listed: number;
	/** Executions started (one per file, or per batch of a large file). */
	emitted: number;
	/** Files read and emitted in this poll, by what they held. */
	processed: number;
	partial: number;
	failed: number;
	/** Still being written: changed recently, empty, incomplete, or without their done file. */
	waiting: number;
	deferred: number;
	skipped: number;
	duplicates: number;
	pruned: number;
	/** Files found rewritten in place (same size and mtime, other content) and read again. */
	rewritten: number;
	/** Files whose commit or rollback found them changed since they were emitted: left in place as a new version. */
	changedBeforeCommit: number;
	/** Problems after emission (archive/delete/move failed): the poll should surface them as an error. */
	afterProcessingErrors: Array<{ file: string; reason: string }>;
	/** Files whose execution failed, applied in this poll (ledger marked failed, moved to failedDir if set). */
	runsFailed: Array<{ file: string; reason: string; attempts: number; movedTo?: string }>;
	/** Files whose runs all succeeded, applied in this poll. */
	runsSucceeded: number;
	/** Files whose runs' outcome is unknown, applied in this poll: emitted again, or set aside for a person. */
	runsUnknown: Array<{ file: string; reason: string; action: 'emittedAgain' | 'needsAttention' }>;
	/** Files still waiting for their executions' outcome after this poll. */
	awaitingRun: number;
	roundTrips: number;
}

export function emptySummary(): PollSummary {
	return {
		listed: 0,
		emitted: 0,
		processed: 0,
		partial: 0,
		failed: 0,
		waiting: 0,
		deferred: 0,
		skipped: 0,
		duplicates: 0,
		pruned: 0,
		rewritten: 0,
		changedBeforeCommit: 0,
		afterProcessingErrors: [],
		runsFailed: [],
		runsSucceeded: 0,
		runsUnknown: [],
		awaitingRun: 0,
		roundTrips: 0,
	};
}

/** What the parts of one poll share. */
export interface PollState<R> {
	session: SftpSession;
	ledger: FileLedger;
	options: PollOptions<R>;
	clock: () => number;
	summary: PollSummary;
}

export const joinRemote = (dir: string, name: string) =>
	dir.endsWith('/') ? dir + name : `${dir}/${name}`;

export const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A reason as it may be stored: secrets masked by value and by pattern. */
export const storedReason = <R>(state: PollState<R>, reason: string) =>
	redactSecrets(reason, state.options.secrets);
