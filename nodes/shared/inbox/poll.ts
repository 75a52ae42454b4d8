/**
 * One poll of a Stampli export directory, independent of n8n: list → plan with the ledger →
 * for each ready file download, parse, record the outcome, hand it to `onFile` (the node emits
 * one execution per call), then archive/delete. Files are handled one at a time, so memory is
 * bounded by the largest file, and one bad file never blocks the others.
 */
import { createHash } from 'node:crypto';
import { assertSafeName } from '../sftp/names';
import type { Sleep } from '../sftp/backoff';
import type { SftpSession } from '../sftp/session';
import { afterEmit } from './commit';
import {
	awaitingRuns,
	isDuplicateContent,
	markAwaitingRun,
	markFailed,
	markProcessed,
	markUnchangedContent,
	type FileLedger,
	type ListedFile,
} from './ledger';
import { applyRunOutcomes } from './outcomes';
import { message, streamAndParse, summariseProblems } from './read';
import { planPoll } from './readLock';
import type { RunOutcome, RunTracker } from './runs';
import type { AfterProcessing, FileOutcome, FileParser } from './types';

export interface PollOptions<R = unknown> {
	dir: string;
	pattern?: string;
	settleMs: number;
	maxFiles: number;
	/** Files larger than this fail with a clear reason instead of being read. Default 256 MiB. */
	maxFileBytes?: number;
	/** Without a parser, files are emitted raw (binary output mode). */
	parse?: FileParser<R>;
	afterProcessing: AfterProcessing;
	/** Where files that failed (wholly or partly) are moved, for the replay workflow; leave them in place when absent. */
	failedDir?: string;
	/**
	 * Called once per handled file, in order; the n8n node emits one execution per call. Returning
	 * `{ run }` (the outcome of that execution, never rejecting) with `runs` set defers the
	 * after-processing of a processed file until the run is known: archive/delete on success, failed
	 * entry + move to `failedDir` on failure.
	 */
	onFile: (outcome: FileOutcome<R>) => Promise<FileEmission | void> | FileEmission | void;
	/** Where run outcomes are parked between polls (see runs.ts); without it runs are not followed. */
	runs?: RunFollowing;
	/** Epoch ms after which no new file is started (the rest stay for the next poll). */
	deadline?: number;
	clock?: () => number;
}

export interface FileEmission {
	run: Promise<RunOutcome>;
}

export interface RunFollowing {
	tracker: RunTracker;
	/** Identifies the ledger's owner in the tracker (workflow id + node id). */
	scope: string;
	/** After emitting, wait this long (bounded by `deadline`) for the runs to finish and settle them in the same poll. Default 0. */
	waitMs?: number;
	/** The timer for that wait (n8n's `sleep`); without it the poll does not wait. */
	sleep?: Sleep;
	/**
	 * An awaiting file whose run this process never saw (n8n restarted, or another instance emitted it)
	 * is treated as succeeded after this long. Default 15 minutes.
	 */
	unknownAfterMs?: number;
}

export interface PollSummary {
	listed: number;
	emitted: number;
	processed: number;
	partial: number;
	failed: number;
	waiting: number;
	deferred: number;
	skipped: number;
	duplicates: number;
	pruned: number;
	/** Problems after emission (archive/delete failed): the poll should surface them as an error. */
	afterProcessingErrors: Array<{ file: string; reason: string }>;
	/** Files whose execution failed, applied in this poll (ledger marked failed, moved to failedDir if set). */
	runsFailed: Array<{ file: string; reason: string; attempts: number; movedTo?: string }>;
	/** Files whose execution succeeded (or was assumed to), applied in this poll. */
	runsSucceeded: number;
	/** Files still waiting for their execution's outcome after this poll. */
	awaitingRun: number;
	roundTrips: number;
}

export async function pollOnce<R = unknown>(
	session: SftpSession,
	ledger: FileLedger,
	options: PollOptions<R>,
): Promise<PollSummary> {
	const clock = options.clock ?? Date.now;
	const tripsBefore = session.roundTrips;
	const applied: Pick<PollSummary, 'runsFailed' | 'runsSucceeded' | 'afterProcessingErrors'> = {
		runsFailed: [],
		runsSucceeded: 0,
		afterProcessingErrors: [],
	};
	// Outcomes of runs started by earlier polls first: their archive/failed moves change the listing.
	if (options.runs) await applyRunOutcomes(session, ledger, options, options.runs, clock, applied);
	const listing = await session.list(options.dir, options.pattern);
	const plan = planPoll(ledger, listing, {
		settleMs: options.settleMs,
		now: clock(),
		maxFiles: options.maxFiles,
	});
	const summary: PollSummary = {
		listed: listing.length,
		emitted: 0,
		processed: 0,
		partial: 0,
		failed: 0,
		waiting: plan.waiting.length,
		deferred: plan.deferred.length,
		skipped: plan.skipped,
		duplicates: 0,
		pruned: plan.pruned,
		...applied,
		awaitingRun: 0,
		roundTrips: 0,
	};
	const emittedRuns: Array<{ name: string; sha256: string }> = [];

	for (const file of plan.emit) {
		if (options.deadline !== undefined && clock() > options.deadline && summary.emitted > 0) {
			summary.deferred++;
			continue;
		}
		const retry = ledger.files[file.name]?.st === 'f';
		const outcome = await handleFile(session, ledger, file, retry, options, clock);
		if (!outcome) {
			summary.duplicates++;
			continue;
		}
		summary.emitted++;
		summary[
			outcome.status === 'processed'
				? 'processed'
				: outcome.status === 'partial'
					? 'partial'
					: 'failed'
		]++;
		// Emit first, then archive: a crash in between leaves the file in place and marked, never lost.
		const emission = await options.onFile(outcome);
		if (options.runs && emission && outcome.status === 'processed' && outcome.sha256) {
			// Archive or delete only once the execution succeeded; a failed run moves it to failedDir instead.
			options.runs.tracker.expect(options.runs.scope, file.name, outcome.sha256, emission.run);
			markAwaitingRun(ledger, file.name, clock());
			emittedRuns.push({ name: file.name, sha256: outcome.sha256 });
			continue;
		}
		const problem = await afterEmit(session, file, outcome, options);
		if (problem) summary.afterProcessingErrors.push(problem);
	}
	if (options.runs && emittedRuns.length) {
		const { tracker, scope, waitMs = 0, sleep } = options.runs;
		const left =
			options.deadline === undefined ? waitMs : Math.min(waitMs, options.deadline - clock());
		await tracker.waitFor(scope, emittedRuns, left, sleep);
		await applyRunOutcomes(
			session,
			ledger,
			options,
			options.runs,
			clock,
			summary,
			new Set(emittedRuns.map((r) => r.name)),
		);
	}
	if (options.runs) summary.awaitingRun = awaitingRuns(ledger).length;
	summary.roundTrips = session.roundTrips - tripsBefore;
	return summary;
}

async function handleFile<R>(
	session: SftpSession,
	ledger: FileLedger,
	file: ListedFile,
	retry: boolean,
	options: PollOptions<R>,
	clock: () => number,
): Promise<FileOutcome<R> | undefined> {
	const fail = (
		reason: string,
		sha256?: string,
		bytes?: number,
		rows: number[] = [],
	): FileOutcome<R> => {
		const entry = markFailed(ledger, file, sha256, reason, clock());
		return {
			file,
			status: 'failed',
			sha256,
			bytes,
			error: { file: file.path, rows, reason },
			retry,
			attempts: entry.a,
		};
	};
	try {
		assertSafeName(file.name);
	} catch (error) {
		return fail(message(error));
	}
	if (!options.parse) {
		// Binary output needs the bytes themselves.
		let data: Buffer;
		try {
			data = await session.read(file.path, options.maxFileBytes);
		} catch (error) {
			if ((error as { code?: string }).code === 'EFBIG') return fail(message(error));
			throw error; // connection trouble: the poll fails visibly and the file stays pending
		}
		const sha256 = createHash('sha256').update(data).digest('hex');
		if (isDuplicateContent(ledger, file.name, sha256)) {
			markUnchangedContent(ledger, file);
			return undefined;
		}
		markProcessed(ledger, file, sha256);
		return { file, status: 'processed', sha256, bytes: data.length, data, retry };
	}
	// Records: one streaming pass hashes the bytes and feeds the parser, so memory is bounded by the
	// parsed records, not the file; the hash is complete (and the ledger decided) before anything is emitted.
	const read = await streamAndParse(session, file.path, file.name, options);
	if ('tooLarge' in read) return fail(read.tooLarge);
	const { sha256, bytes } = read;
	if (isDuplicateContent(ledger, file.name, sha256)) {
		markUnchangedContent(ledger, file);
		return undefined;
	}
	if ('parseError' in read) {
		const rows = (read.parseError as { rows?: unknown }).rows;
		return fail(
			`Cannot parse ${file.path}: ${message(read.parseError)}`,
			sha256,
			bytes,
			Array.isArray(rows) ? (rows as number[]) : [],
		);
	}
	const { parsed } = read;
	if (parsed.errors.length === 0) {
		markProcessed(ledger, file, sha256);
		return { file, status: 'processed', sha256, bytes, parsed, retry };
	}
	const problem = summariseProblems(file.path, parsed.errors, parsed.records.length);
	const entry = markFailed(ledger, file, sha256, problem.reason, clock());
	return {
		file,
		status: parsed.records.length > 0 ? 'partial' : 'failed',
		sha256,
		bytes,
		parsed,
		error: problem,
		retry,
		attempts: entry.a,
	};
}
