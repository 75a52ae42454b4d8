// This module must not import n8n-workflow (package rule); the nodes wrap its errors in NodeApiError/NodeOperationError.
/**
 * One poll of a Stampli export directory, independent of n8n: list → plan with the ledger →
 * for each ready file download, parse, record the outcome, hand it to `onFile` (the node emits
 * one execution per call), then archive/delete. Files are handled one at a time, so memory is
 * bounded by the largest file, and one bad file never blocks the others.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { DownstreamTracker, RunOutcome } from './downstream';
import {
	awaitingRuns,
	isDuplicateContent,
	markAwaitingRun,
	markDownstreamFailed,
	markDownstreamSucceeded,
	markFailed,
	markProcessed,
	markUnchangedContent,
	planPoll,
	type FileLedger,
	type ListedFile,
} from './ledger';
import { assertSafeName } from './names';
import { SftpError } from './errors';
import type { HashedReadStream, SftpSession } from './session';

/** What a file parser returns (the shape of `parseStampliFile` in nodes/shared/stampli). */
export interface ParsedFile<R = unknown> {
	file: { name: string; sha256: string; bytes: number; format: string; template: string };
	records: R[];
	errors: FileProblem[];
}

export interface FileProblem {
	file: string;
	rows: number[];
	field?: string;
	reason: string;
	recordId?: string;
}

/**
 * `data` is the file's byte stream as it downloads (hashed on the way by the poller), so a file is
 * never held whole; a parser must consume it (or reject). Buffers are accepted too (tests, replays).
 */
export type FileParser<R = unknown> = (input: {
	name: string;
	path: string;
	data: Readable | Buffer;
}) => Promise<ParsedFile<R>>;

export type AfterProcessing =
	{ action: 'leave' } | { action: 'move'; dir: string } | { action: 'delete' };

export interface FileOutcome<R = unknown> {
	file: ListedFile;
	/** `processed`: every record valid. `partial`: some records invalid (the good ones are in `parsed.records`).
	 *  `failed`: nothing usable (file-level error, no valid record, unsafe name, too large). */
	status: 'processed' | 'partial' | 'failed';
	sha256?: string;
	bytes?: number;
	/** The raw bytes, in binary output mode only (no parser); records mode streams the file and keeps no copy. */
	data?: Buffer;
	parsed?: ParsedFile<R>;
	/** File-level failure, or a summary of the invalid records for `partial`. */
	error?: FileProblem;
	/** Emitted because a replay was requested or the file changed after failing. */
	retry: boolean;
	attempts?: number;
}

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
	 * `{ run }` (the outcome of that execution, never rejecting) with `downstream` set defers the
	 * after-processing of a processed file until the run is known: archive/delete on success, failed
	 * entry + move to `failedDir` on failure.
	 */
	onFile: (outcome: FileOutcome<R>) => Promise<FileEmission | void> | FileEmission | void;
	/** Where run outcomes are parked between polls (see downstream.ts); without it runs are not followed. */
	downstream?: DownstreamOptions;
	/** Epoch ms after which no new file is started (the rest stay for the next poll). */
	deadline?: number;
	clock?: () => number;
}

export interface FileEmission {
	run: Promise<RunOutcome>;
}

export interface DownstreamOptions {
	tracker: DownstreamTracker;
	/** Identifies the ledger's owner in the tracker (workflow id + node id). */
	scope: string;
	/** After emitting, wait this long (bounded by `deadline`) for the runs to finish and settle them in the same poll. Default 0. */
	waitMs?: number;
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
	/** Files whose downstream execution failed, applied in this poll (ledger marked failed, moved to failedDir if set). */
	downstreamFailed: Array<{ file: string; reason: string; attempts: number; movedTo?: string }>;
	/** Files whose downstream execution succeeded (or was assumed to), applied in this poll. */
	downstreamSucceeded: number;
	/** Files still waiting for their execution's outcome after this poll. */
	awaitingRun: number;
	roundTrips: number;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function summariseProblems(name: string, problems: FileProblem[], total: number): FileProblem {
	const rows = [...new Set(problems.flatMap((p) => p.rows))].sort((a, b) => a - b);
	const first = problems[0];
	const where = first.field ? ` (field ${first.field})` : '';
	return {
		file: name,
		rows,
		field: first.field,
		reason: `${problems.length} invalid record(s) of ${total + problems.length}; first: row ${first.rows.join(', ')}${where}: ${first.reason}`,
	};
}

export async function pollOnce<R = unknown>(
	session: SftpSession,
	ledger: FileLedger,
	options: PollOptions<R>,
): Promise<PollSummary> {
	const clock = options.clock ?? Date.now;
	const tripsBefore = session.roundTrips;
	const downstream: Pick<
		PollSummary,
		'downstreamFailed' | 'downstreamSucceeded' | 'afterProcessingErrors'
	> = {
		downstreamFailed: [],
		downstreamSucceeded: 0,
		afterProcessingErrors: [],
	};
	// Outcomes of runs started by earlier polls first: their archive/failed moves change the listing.
	if (options.downstream)
		await settleAwaiting(session, ledger, options, options.downstream, clock, downstream);
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
		...downstream,
		awaitingRun: 0,
		roundTrips: 0,
	};
	const emittedRuns: Array<{ name: string; sha256: string }> = [];

	for (const file of plan.emit) {
		if (options.deadline !== undefined && clock() > options.deadline && summary.emitted > 0) {
			summary.deferred++;
			continue;
		}
		const retry = ledger.files[file.name]?.rp === 1 || ledger.files[file.name]?.st === 'f';
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
		if (options.downstream && emission && outcome.status === 'processed' && outcome.sha256) {
			// Archive or delete only once the execution succeeded; a failed run moves it to failedDir instead.
			options.downstream.tracker.expect(
				options.downstream.scope,
				file.name,
				outcome.sha256,
				emission.run,
			);
			markAwaitingRun(ledger, file.name, clock());
			emittedRuns.push({ name: file.name, sha256: outcome.sha256 });
			continue;
		}
		const problem = await afterEmit(session, file, outcome, options);
		if (problem) summary.afterProcessingErrors.push(problem);
	}
	if (options.downstream && emittedRuns.length) {
		const { tracker, scope, waitMs = 0 } = options.downstream;
		const left =
			options.deadline === undefined ? waitMs : Math.min(waitMs, options.deadline - clock());
		await tracker.waitFor(scope, emittedRuns, left);
		await settleAwaiting(
			session,
			ledger,
			options,
			options.downstream,
			clock,
			summary,
			new Set(emittedRuns.map((r) => r.name)),
		);
	}
	if (options.downstream) summary.awaitingRun = awaitingRuns(ledger).length;
	summary.roundTrips = session.roundTrips - tripsBefore;
	return summary;
}

const joinRemote = (dir: string, name: string) =>
	dir.endsWith('/') ? dir + name : `${dir}/${name}`;

/**
 * Applies the known outcomes of executions started for files of this ledger (all awaiting files, or
 * `only` these names): success → the after-processing action; failure → failed entry (reason, attempts,
 * time) and a move to `failedDir` when set. Runs still going stay awaiting. Idempotent on a ledger
 * reloaded from an older save: a file already moved is no longer there and is not moved again.
 */
async function settleAwaiting<R>(
	session: SftpSession,
	ledger: FileLedger,
	options: PollOptions<R>,
	downstream: DownstreamOptions,
	clock: () => number,
	summary: Pick<PollSummary, 'downstreamFailed' | 'downstreamSucceeded' | 'afterProcessingErrors'>,
	only?: Set<string>,
): Promise<void> {
	const unknownAfterMs = downstream.unknownAfterMs ?? 15 * 60 * 1000;
	for (const awaiting of awaitingRuns(ledger)) {
		if (only && !only.has(awaiting.name)) continue;
		const now = clock();
		let outcome = downstream.tracker.lookup(downstream.scope, awaiting.name, awaiting.sha256);
		if (outcome === 'pending') continue;
		if (outcome === undefined) {
			if (now - awaiting.since < unknownAfterMs) continue;
			// Emitted before a restart: n8n's execution list and error workflow hold the outcome; keep the old behaviour.
			outcome = { ok: true };
		}
		const path = joinRemote(options.dir, awaiting.name);
		try {
			if (outcome.ok) {
				markDownstreamSucceeded(ledger, awaiting.name, awaiting.sha256);
				summary.downstreamSucceeded++;
				if (options.afterProcessing.action !== 'leave' && (await session.stat(path))) {
					if (options.afterProcessing.action === 'move') {
						await session.mkdirp(options.afterProcessing.dir);
						await session.move(path, options.afterProcessing.dir);
					} else {
						await session.delete(path);
					}
				}
				continue;
			}
			const entry = markDownstreamFailed(
				ledger,
				awaiting.name,
				awaiting.sha256,
				outcome.reason,
				now,
			);
			if (!entry) continue;
			const failure: PollSummary['downstreamFailed'][number] = {
				file: path,
				reason: outcome.reason,
				attempts: entry.a ?? 1,
			};
			summary.downstreamFailed.push(failure);
			if (options.failedDir && (await session.stat(path))) {
				await session.mkdirp(options.failedDir);
				failure.movedTo = await session.move(path, options.failedDir);
			}
		} catch (error) {
			summary.afterProcessingErrors.push({ file: path, reason: message(error) });
		}
	}
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

type StreamedParse<R> = { sha256: string; bytes: number } & (
	{ parsed: ParsedFile<R> } | { parseError: unknown }
);

/**
 * Downloads `path` once through a hashing stream straight into the parser. A read error (connection
 * trouble) is thrown, so the poll fails visibly; a file over the size cap comes back as `tooLarge`.
 * When the parser gives up early, the hash is completed by a second streaming pass (failures only).
 */
async function streamAndParse<R>(
	session: SftpSession,
	path: string,
	name: string,
	options: Pick<PollOptions<R>, 'maxFileBytes' | 'parse'>,
): Promise<StreamedParse<R> | { tooLarge: string }> {
	const readError = (error: unknown) => {
		if (error instanceof SftpError && error.code === 'EFBIG') return { tooLarge: message(error) };
		throw error;
	};
	let stream: HashedReadStream;
	try {
		stream = await session.readStream(path, options.maxFileBytes);
	} catch (error) {
		return readError(error);
	}
	try {
		const parsed = await options.parse!({ name, path, data: stream });
		if (stream.readError) return readError(stream.readError);
		if (stream.sha256 === undefined)
			throw new Error(`the parser for ${path} returned before reading the whole file`);
		return { sha256: stream.sha256, bytes: stream.bytes, parsed };
	} catch (parseError) {
		if (stream.readError) return readError(stream.readError);
		stream.destroy();
		const whole =
			stream.sha256 !== undefined ? stream : await hashWhole(session, path, options.maxFileBytes);
		if ('tooLarge' in whole) return whole;
		return { sha256: whole.sha256!, bytes: whole.bytes, parseError };
	}
}

/** SHA-256 of a whole file in one streaming pass (no copy kept). */
async function hashWhole(
	session: SftpSession,
	path: string,
	maxBytes?: number,
): Promise<{ sha256: string; bytes: number } | { tooLarge: string }> {
	try {
		const stream = await session.readStream(path, maxBytes);
		for await (const _chunk of stream) {
			// only the hash is wanted
		}
		return { sha256: stream.sha256!, bytes: stream.bytes };
	} catch (error) {
		if (error instanceof SftpError && error.code === 'EFBIG') return { tooLarge: message(error) };
		throw error;
	}
}

async function afterEmit<R>(
	session: SftpSession,
	file: ListedFile,
	outcome: FileOutcome<R>,
	options: PollOptions<R>,
): Promise<{ file: string; reason: string } | undefined> {
	try {
		if (outcome.status !== 'processed') {
			// Only a file that was read (hashed) is set aside; an unsafe name or an oversized file stays put.
			if (options.failedDir && outcome.sha256) {
				await session.mkdirp(options.failedDir);
				await session.move(file.path, options.failedDir);
			}
			return undefined;
		}
		if (options.afterProcessing.action === 'move') {
			await session.mkdirp(options.afterProcessing.dir);
			await session.move(file.path, options.afterProcessing.dir);
		} else if (options.afterProcessing.action === 'delete') {
			await session.delete(file.path);
		}
		return undefined;
	} catch (error) {
		return { file: file.path, reason: message(error) };
	}
}

/**
 * "Fetch test event": the newest matching file, parsed, without touching any ledger or moving anything.
 * Undefined when the directory holds no matching file.
 */
export async function fetchNewest<R = unknown>(
	session: SftpSession,
	options: Pick<PollOptions<R>, 'dir' | 'pattern' | 'maxFileBytes' | 'parse'>,
): Promise<FileOutcome<R> | undefined> {
	const listing = await session.list(options.dir, options.pattern);
	const newest = listing[listing.length - 1];
	if (!newest) return undefined;
	assertSafeName(newest.name);
	return await readOne(session, newest, options);
}

/** One file read and parsed (streamed when parsing), outside any ledger. */
async function readOne<R>(
	session: SftpSession,
	file: ListedFile,
	options: Pick<PollOptions<R>, 'maxFileBytes' | 'parse'>,
): Promise<FileOutcome<R>> {
	if (!options.parse) {
		const data = await session.read(file.path, options.maxFileBytes);
		const sha256 = createHash('sha256').update(data).digest('hex');
		return {
			file: { ...file, size: data.length },
			status: 'processed',
			sha256,
			bytes: data.length,
			data,
			retry: false,
		};
	}
	const read = await streamAndParse(session, file.path, file.name, options);
	// As when reading whole: an oversized file is an error of the call, not an outcome.
	if ('tooLarge' in read) throw new SftpError(read.tooLarge, 'EFBIG');
	const { sha256, bytes } = read;
	const sized = { ...file, size: bytes };
	if ('parseError' in read)
		return {
			file: sized,
			status: 'failed',
			sha256,
			bytes,
			error: { file: file.path, rows: [], reason: message(read.parseError) },
			retry: false,
		};
	const { parsed } = read;
	const status =
		parsed.errors.length === 0 ? 'processed' : parsed.records.length > 0 ? 'partial' : 'failed';
	const error = parsed.errors.length
		? summariseProblems(file.path, parsed.errors, parsed.records.length)
		: undefined;
	return { file: sized, status, sha256, bytes, parsed, error, retry: false };
}

/** Stampli Files "Download & Parse": one named file, read and parsed; nothing is moved and no ledger is involved. */
export async function readAndParse<R = unknown>(
	session: SftpSession,
	path: string,
	options: Pick<PollOptions<R>, 'maxFileBytes' | 'parse'>,
): Promise<FileOutcome<R>> {
	const info = await session.stat(path);
	if (!info) throw new Error(`No such file: ${path}`);
	assertSafeName(info.name);
	return await readOne(session, info, options);
}

/**
 * Replay: moves files (all matching in `fromDir`, or the named ones) back into the watched directory and
 * touches them, so the trigger sees them as changed and emits each again as its own execution.
 * Works without access to the trigger's ledger (which lives in another workflow's static data).
 */
export async function replayFiles(
	session: SftpSession,
	options: { fromDir: string; toDir: string; pattern?: string; names?: string[] },
): Promise<Array<{ name: string; from: string; to: string }>> {
	const listing = await session.list(options.fromDir, options.pattern);
	const wanted = options.names?.length
		? new Set(options.names.map((n) => assertSafeName(n)))
		: undefined;
	if (wanted) {
		const missing = [...wanted].filter((n) => !listing.some((f) => f.name === n));
		if (missing.length) throw new Error(`Not found in ${options.fromDir}: ${missing.join(', ')}`);
	}
	await session.mkdirp(options.toDir);
	const moved: Array<{ name: string; from: string; to: string }> = [];
	for (const file of listing) {
		if (wanted && !wanted.has(file.name)) continue;
		assertSafeName(file.name);
		const to = await session.move(file.path, options.toDir);
		await session.touch(to);
		moved.push({ name: file.name, from: file.path, to });
	}
	return moved;
}
