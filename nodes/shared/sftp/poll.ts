// This module must not import n8n-workflow (package rule); the nodes wrap its errors in NodeApiError/NodeOperationError.
/* eslint-disable @n8n/community-nodes/require-node-api-error */
/**
 * One poll of a Stampli export directory, independent of n8n: list → plan with the ledger →
 * for each ready file download, parse, record the outcome, hand it to `onFile` (the node emits
 * one execution per call), then archive/delete. Files are handled one at a time, so memory is
 * bounded by the largest file, and one bad file never blocks the others.
 */
import { createHash } from 'node:crypto';
import {
	isDuplicateContent,
	markFailed,
	markProcessed,
	markUnchangedContent,
	planPoll,
	type FileLedger,
	type ListedFile,
} from './ledger';
import { assertSafeName } from './names';
import type { SftpSession } from './session';

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

export type FileParser<R = unknown> = (input: { name: string; path: string; data: Buffer }) => Promise<ParsedFile<R>>;

export type AfterProcessing = { action: 'leave' } | { action: 'move'; dir: string } | { action: 'delete' };

export interface FileOutcome<R = unknown> {
	file: ListedFile;
	/** `processed`: every record valid. `partial`: some records invalid (the good ones are in `parsed.records`).
	 *  `failed`: nothing usable (file-level error, no valid record, unsafe name, too large). */
	status: 'processed' | 'partial' | 'failed';
	sha256?: string;
	bytes?: number;
	/** The raw bytes (for binary output); absent when the file could not be read. */
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
	/** Called once per handled file, in order; the n8n node emits one execution per call. */
	onFile: (outcome: FileOutcome<R>) => Promise<void> | void;
	/** Epoch ms after which no new file is started (the rest stay for the next poll). */
	deadline?: number;
	clock?: () => number;
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

export async function pollOnce<R = unknown>(session: SftpSession, ledger: FileLedger, options: PollOptions<R>): Promise<PollSummary> {
	const clock = options.clock ?? Date.now;
	const tripsBefore = session.roundTrips;
	const listing = await session.list(options.dir, options.pattern);
	const plan = planPoll(ledger, listing, { settleMs: options.settleMs, now: clock(), maxFiles: options.maxFiles });
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
		afterProcessingErrors: [],
		roundTrips: 0,
	};

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
		summary[outcome.status === 'processed' ? 'processed' : outcome.status === 'partial' ? 'partial' : 'failed']++;
		// Emit first, then archive: a crash in between leaves the file in place and marked, never lost.
		await options.onFile(outcome);
		const problem = await afterEmit(session, file, outcome, options);
		if (problem) summary.afterProcessingErrors.push(problem);
	}
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
	const fail = (reason: string, sha256?: string, data?: Buffer, rows: number[] = []): FileOutcome<R> => {
		const entry = markFailed(ledger, file, sha256, reason, clock());
		return { file, status: 'failed', sha256, bytes: data?.length, data, error: { file: file.path, rows, reason }, retry, attempts: entry.a };
	};
	try {
		assertSafeName(file.name);
	} catch (error) {
		return fail(message(error));
	}
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
	if (!options.parse) {
		markProcessed(ledger, file, sha256);
		return { file, status: 'processed', sha256, bytes: data.length, data, retry };
	}
	let parsed: ParsedFile<R>;
	try {
		parsed = await options.parse({ name: file.name, path: file.path, data });
	} catch (error) {
		const rows = (error as { rows?: unknown }).rows;
		return fail(`Cannot parse ${file.path}: ${message(error)}`, sha256, data, Array.isArray(rows) ? (rows as number[]) : []);
	}
	if (parsed.errors.length === 0) {
		markProcessed(ledger, file, sha256);
		return { file, status: 'processed', sha256, bytes: data.length, data, parsed, retry };
	}
	const problem = summariseProblems(file.path, parsed.errors, parsed.records.length);
	const entry = markFailed(ledger, file, sha256, problem.reason, clock());
	return {
		file,
		status: parsed.records.length > 0 ? 'partial' : 'failed',
		sha256,
		bytes: data.length,
		data,
		parsed,
		error: problem,
		retry,
		attempts: entry.a,
	};
}

async function afterEmit<R>(session: SftpSession, file: ListedFile, outcome: FileOutcome<R>, options: PollOptions<R>): Promise<{ file: string; reason: string } | undefined> {
	try {
		if (outcome.status !== 'processed') {
			if (options.failedDir && outcome.data) {
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
	const data = await session.read(newest.path, options.maxFileBytes);
	const sha256 = createHash('sha256').update(data).digest('hex');
	if (!options.parse) return { file: newest, status: 'processed', sha256, bytes: data.length, data, retry: false };
	try {
		const parsed = await options.parse({ name: newest.name, path: newest.path, data });
		const status = parsed.errors.length === 0 ? 'processed' : parsed.records.length > 0 ? 'partial' : 'failed';
		const error = parsed.errors.length ? summariseProblems(newest.path, parsed.errors, parsed.records.length) : undefined;
		return { file: newest, status, sha256, bytes: data.length, data, parsed, error, retry: false };
	} catch (error) {
		return { file: newest, status: 'failed', sha256, bytes: data.length, data, error: { file: newest.path, rows: [], reason: message(error) }, retry: false };
	}
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
	const data = await session.read(path, options.maxFileBytes);
	const sha256 = createHash('sha256').update(data).digest('hex');
	const file = { ...info, size: data.length };
	if (!options.parse) return { file, status: 'processed', sha256, bytes: data.length, data, retry: false };
	try {
		const parsed = await options.parse({ name: info.name, path, data });
		const status = parsed.errors.length === 0 ? 'processed' : parsed.records.length > 0 ? 'partial' : 'failed';
		const error = parsed.errors.length ? summariseProblems(path, parsed.errors, parsed.records.length) : undefined;
		return { file, status, sha256, bytes: data.length, data, parsed, error, retry: false };
	} catch (error) {
		return { file, status: 'failed', sha256, bytes: data.length, data, error: { file: path, rows: [], reason: message(error) }, retry: false };
	}
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
	const wanted = options.names?.length ? new Set(options.names.map((n) => assertSafeName(n))) : undefined;
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
