/**
 * One poll of a Stampli export directory, independent of n8n: list → read lock and ledger → outcomes
 * of earlier runs (commit, rollback, unknown) → for each ready file: read (hash + records), emit it in
 * bounded batches (one execution each, `onFile`), and commit or roll it back once its runs are known.
 * Files are handled one at a time and batches are bounded, so memory is bounded by one batch, and one
 * bad file never blocks the others.
 */
import { createHash } from 'node:crypto';
import { assertSafeName } from '../sftp/names';
import type { SftpSession } from '../sftp/session';
import {
	batchesFrom,
	hashOnly,
	parseProblem,
	readerFromParser,
	scanFile,
	type Batch,
	type FileFacts,
	type RecordReader,
	type ScanResult,
} from './batches';
import { commitFile, rollbackFile } from './commit';
import {
	awaitingRuns,
	identityOf,
	isDuplicateContent,
	markBatchEmitted,
	markEmitted,
	markFailed,
	markUnchangedContent,
	type FileLedger,
	type LedgerEntry,
	type ListedFile,
} from './ledger';
import {
	DEFAULT_BATCH_SIZE,
	emptySummary,
	joinRemote,
	message,
	storedReason,
	type PollOptions,
	type PollState,
	type PollSummary,
} from './options';
import { applyRunOutcomes, markChangedInPlace, noteCheck } from './outcomes';
import { summariseProblems } from './read';
import {
	RECENT_MTIME_MS,
	dataFiles,
	endsWithCompleteRecord,
	needsHead,
	pastGrace,
	planPoll,
	type ReadyWhen,
} from './readLock';
import type { RunKey } from './runs';
import type { BatchInfo, FileOutcome, FileProblem } from './types';

export type { PollOptions, PollSummary } from './options';

/** How many bytes of a file's end are read to see whether it ends with a complete record. */
const TAIL_BYTES = 64;
/** …and of its start, for XML: the root element whose closing tag ends the file. */
const HEAD_BYTES = 1024;
const DEFAULT_READY: ReadyWhen = { kind: 'settled', completeRecord: true };

export async function pollOnce<R = unknown>(
	session: SftpSession,
	ledger: FileLedger,
	options: PollOptions<R>,
): Promise<PollSummary> {
	const clock = options.clock ?? Date.now;
	const tripsBefore = session.roundTrips;
	const summary = emptySummary();
	const state: PollState<R> = { session, ledger, options, clock, summary };
	const readyWhen = options.readyWhen ?? DEFAULT_READY;

	const listing = await session.list(options.dir);
	const files = dataFiles(listing, options.pattern, readyWhen);
	const plan = planPoll(ledger, files, {
		settleMs: options.settleMs,
		now: clock(),
		maxFiles: options.maxFiles,
		readyWhen,
		allNames: new Set(listing.map((f) => f.name)),
		setAside: await setAsideNames(session, ledger, options.failedDir),
	});
	Object.assign(summary, {
		listed: files.length,
		waiting: plan.waiting.length,
		deferred: plan.deferred.length,
		skipped: plan.skipped,
		pruned: plan.pruned,
	});
	const byName = new Map(files.map((f) => [f.name, f]));

	for (const file of plan.recheck) await recheckContent(state, file);

	// Outcomes of runs started by earlier polls, after the listing: a file rewritten meanwhile is a new version.
	const followUp = options.runs
		? await applyRunOutcomes(state, options.runs)
		: { resume: [], again: [] };
	await finishAfterProcessing(state, plan.handledStillHere);

	const emittedNow = new Set<string>();
	let handled = 0;
	const queue: Array<{ file: ListedFile; resume: boolean }> = [
		...followUp.resume.map((name) => ({ name, resume: true })),
		...followUp.again.map((name) => ({ name, resume: false })),
	]
		.filter((item) => byName.has(item.name))
		.map((item) => ({ file: byName.get(item.name)!, resume: item.resume }));
	for (const file of plan.emit) queue.push({ file, resume: false });
	for (const { file, resume } of queue) {
		if (handled >= Math.max(1, options.maxFiles) || pastDeadline(state, handled)) {
			summary.deferred++;
			continue;
		}
		handled++;
		if (resume) await continueBatches(state, file);
		else await readAndEmit(state, file);
		emittedNow.add(file.name);
	}

	if (options.runs && emittedNow.size) {
		const { tracker, scope, waitMs = 0, sleep } = options.runs;
		const left =
			options.deadline === undefined ? waitMs : Math.min(waitMs, options.deadline - clock());
		await tracker.waitFor(scope, runsOf(ledger, emittedNow), left, sleep);
		await applyRunOutcomes(state, options.runs, emittedNow);
	}
	if (options.runs) summary.awaitingRun = awaitingRuns(ledger).length;
	summary.roundTrips = session.roundTrips - tripsBefore;
	return summary;
}

/**
 * Files whose turn ended (processed, or failed) in an earlier poll but that are still here although
 * the settings archive, delete or set them aside: that step did not happen (the SFTP connection died
 * at that moment). It happens now, still only when the file is byte for byte what was emitted.
 */
async function finishAfterProcessing<R>(state: PollState<R>, files: ListedFile[]): Promise<void> {
	const { afterProcessing, failedDir } = state.options;
	for (const file of files) {
		const entry = state.ledger.files[file.name];
		const emitted = entry && identityOf(entry);
		if (!emitted || entry.w !== undefined || entry.n !== undefined) continue;
		const path = joinRemote(state.options.dir, file.name);
		try {
			if (entry.st === 'p' && !entry.i && afterProcessing.action !== 'leave') {
				const result = await commitFile(
					state.session,
					path,
					emitted,
					afterProcessing,
					state.options,
				);
				noteCheck(state, file.name, result.check, result.movedTo, false);
			} else if (entry.st === 'f' && failedDir && !entry.x) {
				const result = await rollbackFile(state.session, path, emitted, failedDir, state.options);
				noteCheck(state, file.name, result.check, result.movedTo, true);
			}
		} catch (error) {
			state.summary.afterProcessingErrors.push({ file: path, reason: message(error) });
		}
	}
}

const pastDeadline = <R>(state: PollState<R>, started: number) =>
	state.options.deadline !== undefined && state.clock() > state.options.deadline && started > 0;

/** Names in the failed directory, when the ledger keeps entries for files there. */
async function setAsideNames(
	session: SftpSession,
	ledger: FileLedger,
	failedDir: string | undefined,
): Promise<Set<string> | undefined> {
	if (!failedDir || !Object.values(ledger.files).some((e) => e.x)) return undefined;
	try {
		return new Set((await session.list(failedDir)).map((f) => f.name));
	} catch (error) {
		// Gone: nothing is set aside any more. Anything else: keep the entries until it can be listed.
		return (error as { code?: string }).code === 'ENOENT' ? new Set() : undefined;
	}
}

/** Every emitted batch of the given files, for waiting on them. */
function runsOf(ledger: FileLedger, names: Set<string>): RunKey[] {
	return awaitingRuns(ledger)
		.filter((a) => names.has(a.name))
		.flatMap((a) =>
			Array.from({ length: a.batches.emitted }, (_, i) => ({
				name: a.name,
				sha256: a.sha256,
				batch: i + 1,
			})),
		);
}

const isRecent = (file: ListedFile, now: number) => Math.abs(now - file.mtimeMs) < RECENT_MTIME_MS;

/**
 * The listing shows the file unchanged, but its content was read within its mtime's second: a writer
 * may have replaced it with the same size in that second. Re-hash; other content is a new version.
 */
async function recheckContent<R>(state: PollState<R>, file: ListedFile): Promise<void> {
	const entry = state.ledger.files[file.name];
	if (!entry?.h) return;
	const hashed = await hashOnly(state.session, file.path, state.options.maxFileBytes);
	if ('sha256' in hashed && hashed.sha256 === entry.h) {
		if (!isRecent(file, state.clock())) delete entry.v;
		return;
	}
	markChangedInPlace(state.ledger, file.name, state.clock());
	state.summary.rewritten++;
	state.summary.waiting++;
}

function reader<R>(options: PollOptions<R>): RecordReader<R> | undefined {
	if (options.reader) return options.reader;
	return options.parse ? readerFromParser(options.parse) : undefined;
}

/** Reads a ready file from the start and emits it: whole (binary), or in batches of records. */
async function readAndEmit<R>(state: PollState<R>, file: ListedFile): Promise<void> {
	const { options, ledger, clock } = state;
	const retry = ledger.files[file.name]?.st === 'f' || (ledger.files[file.name]?.u ?? 0) > 0;
	try {
		assertSafeName(file.name);
	} catch (error) {
		return await fail(state, file, retry, message(error));
	}
	const records = reader(options);
	if (!records) return await emitBinary(state, file, retry);
	if (!(await looksComplete(state, file))) {
		// Cut mid-record: the writer has not finished (or stalled). Wait; never fail it for that.
		state.summary.waiting++;
		return;
	}
	const readAt = clock();
	const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
	const scan = await scanFile(state.session, file, records, {
		batchSize,
		maxItems: options.maxItemsPerFile,
		maxFileBytes: options.maxFileBytes,
	});
	const recent = isRecent(file, readAt);
	if (await handledWithoutEmitting(state, file, retry, scan, recent)) return;
	const read = scan as Extract<ScanResult<R>, { first: unknown }>;

	const status = read.problems === 0 ? 'processed' : read.records === 0 ? 'failed' : 'partial';
	state.summary[status]++;
	const count = Math.max(1, Math.ceil(read.items / Math.max(1, batchSize)));
	const invalid = read.problems
		? summariseProblems(file.path, read.someProblems, read.problems, read.items)
		: undefined;
	const entry = markEmitted(ledger, file, read.sha256, {
		awaitingSince: options.runs ? clock() : undefined,
		batches: count,
		counts: [read.items, read.records, read.problems],
		invalid: invalid ? storedReason(state, invalid.reason) : undefined,
		recent,
	});
	const context: EmissionContext = {
		file,
		sha256: read.sha256,
		bytes: read.bytes,
		facts: read.facts,
		status,
		retry,
		attempts: entry.a,
		invalid,
		totals: { count, items: read.items, records: read.records, problems: read.problems },
	};
	await emitBatch(state, context, read.first);
	if (count > 1) await continueBatches(state, file, context);
	if (!options.runs) await settleWithoutRuns(state, file.name, read.sha256);
}

/** With the default read lock: does the file end with a complete record (or has it waited long enough)? */
async function looksComplete<R>(state: PollState<R>, file: ListedFile): Promise<boolean> {
	const readyWhen = state.options.readyWhen ?? DEFAULT_READY;
	if (readyWhen.kind !== 'settled' || !readyWhen.completeRecord || file.size === 0) return true;
	const { session } = state;
	const tail = await session.readRange(file.path, file.size - TAIL_BYTES, TAIL_BYTES);
	const head = needsHead(file.name) ? await session.readRange(file.path, 0, HEAD_BYTES) : undefined;
	return (
		endsWithCompleteRecord(file.name, tail, head) ||
		pastGrace(state.ledger.files[file.name], state.clock())
	);
}

/**
 * What a first pass can find that ends the file's turn before any batch: too large, changed while
 * read, unreadable, too many records, already processed, or empty. True when it was handled.
 */
async function handledWithoutEmitting<R>(
	state: PollState<R>,
	file: ListedFile,
	retry: boolean,
	scan: ScanResult<R>,
	recent: boolean,
): Promise<boolean> {
	const { ledger, options, clock } = state;
	if ('tooLarge' in scan) {
		await fail(state, file, retry, scan.tooLarge);
		return true;
	}
	if (scan.bytes !== file.size) {
		// It grew or shrank since the listing: still being written. Settle again.
		markChangedInPlace(ledger, file.name, clock());
		state.summary.waiting++;
		return true;
	}
	if ('parseError' in scan) {
		const problem = parseProblem(file.path, scan.parseError);
		await fail(
			state,
			file,
			retry,
			`Cannot parse ${file.path}: ${problem.reason}`,
			scan,
			problem,
			recent,
		);
		return true;
	}
	if (scan.tooMany) {
		const reason = `${file.path} holds more than ${options.maxItemsPerFile} records (the trigger's Max Records per File); split the export or raise the limit`;
		await fail(state, file, retry, reason, scan, {}, recent);
		return true;
	}
	if (isDuplicateContent(ledger, file.name, scan.sha256)) {
		markUnchangedContent(ledger, file);
		state.summary.duplicates++;
		return true;
	}
	if (scan.items > 0) return false;
	await handleEmpty(
		state,
		file,
		scan,
		(options.readyWhen ?? DEFAULT_READY).kind === 'settled',
		recent,
	);
	return true;
}

interface EmissionContext {
	file: ListedFile;
	sha256: string;
	bytes: number;
	facts?: FileFacts;
	status: FileOutcome['status'];
	retry: boolean;
	attempts?: number;
	invalid?: FileProblem;
	totals: { count: number; items: number; records: number; problems: number };
}

/** Emits one batch as its own execution and records it (and its run, when runs are followed). */
async function emitBatch<R>(
	state: PollState<R>,
	context: EmissionContext,
	batch: Batch<R>,
): Promise<void> {
	const { file, sha256, totals } = context;
	const info: BatchInfo = {
		index: batch.index,
		count: totals.count,
		firstItem: batch.firstItem,
		lastItem: batch.lastItem,
		fileItems: totals.items,
		fileRecords: totals.records,
		fileInvalid: totals.problems,
	};
	const outcome: FileOutcome<R> = {
		file,
		status: context.status,
		sha256,
		bytes: context.bytes,
		parsed: {
			file: {
				name: file.path,
				sha256,
				bytes: context.bytes,
				format: context.facts?.format ?? 'unknown',
				template: context.facts?.template ?? 'unknown',
			},
			records: batch.records,
			errors: batch.problems,
		},
		...(context.invalid ? { error: context.invalid } : {}),
		retry: context.retry,
		...(context.attempts ? { attempts: context.attempts } : {}),
		...(totals.count > 1 ? { batch: info } : {}),
	};
	const emission = await state.options.onFile(outcome);
	state.summary.emitted++;
	markBatchEmitted(state.ledger, file.name, batch.lastItem);
	const runs = state.options.runs;
	if (runs && emission)
		runs.tracker.expect(runs.scope, { name: file.name, sha256, batch: batch.index }, emission.run);
	else if (runs) {
		// Nothing was started (no items): this batch needs no run.
		runs.tracker.expect(
			runs.scope,
			{ name: file.name, sha256, batch: batch.index },
			Promise.resolve({ state: 'succeeded' }),
		);
	}
}

/**
 * Emits the batches after the ones already emitted, from another streaming pass: each only once the
 * previous batch's run succeeded (executions of one file never pile up), until the deadline. When the
 * pass reaches the end of a file that is no longer what was read first, the file is a new version.
 */
async function continueBatches<R>(
	state: PollState<R>,
	file: ListedFile,
	known?: EmissionContext,
): Promise<void> {
	const { ledger, options } = state;
	const entry = ledger.files[file.name];
	const records = reader(options);
	if (!entry?.b || !entry.h || !records) return;
	const context = known ?? resumedContext(file, entry);
	if (!(await previousSucceeded(state, file.name, entry))) return;
	const pass = await batchesFrom(state.session, file, records, {
		batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
		startItem: entry.b[2],
		maxFileBytes: options.maxFileBytes,
	});
	let finished = true;
	for await (const batch of pass.batches) {
		if (entry !== ledger.files[file.name] || !(await previousSucceeded(state, file.name, entry))) {
			finished = false;
			pass.stop();
			break;
		}
		await emitBatch(state, { ...context, facts: context.facts ?? pass.facts() }, batch);
	}
	const sha256 = pass.sha256();
	if (finished && sha256 !== undefined && sha256 !== entry.h) {
		// Rewritten in place while its batches were read: everything is read again as a new version.
		markChangedInPlace(ledger, file.name, state.clock());
		state.summary.rewritten++;
	}
}

function resumedContext(file: ListedFile, entry: LedgerEntry): EmissionContext {
	const [items, records, problems] = entry.c ?? [0, 0, 0];
	return {
		file,
		sha256: entry.h!,
		bytes: entry.s,
		status: problems === 0 ? 'processed' : records === 0 ? 'failed' : 'partial',
		retry: (entry.a ?? 0) > 0,
		attempts: entry.a,
		...(entry.i && entry.r ? { invalid: { file: file.path, rows: [], reason: entry.r } } : {}),
		totals: { count: entry.b![1], items, records, problems },
	};
}

/**
 * Batches of a file go one at a time: waits (until the deadline) for the run of the last emitted batch.
 * True when it succeeded (or runs are not followed), so the next batch may go.
 */
async function previousSucceeded<R>(
	state: PollState<R>,
	name: string,
	entry: LedgerEntry,
): Promise<boolean> {
	const runs = state.options.runs;
	if (!runs) return true;
	if (state.options.deadline !== undefined && state.clock() > state.options.deadline) return false;
	const last = entry.b?.[0] ?? 0;
	if (last === 0) return true;
	const key = { name, sha256: entry.h!, batch: last };
	const left =
		state.options.deadline === undefined
			? (runs.waitMs ?? 0)
			: state.options.deadline - state.clock();
	await runs.tracker.waitFor(runs.scope, [key], left, runs.sleep);
	const outcome = runs.tracker.lookup(runs.scope, key);
	return typeof outcome === 'object' && outcome.state === 'succeeded';
}

/** Runs not followed: commit or roll back as soon as every batch was emitted. */
async function settleWithoutRuns<R>(state: PollState<R>, name: string, sha256: string) {
	const entry = state.ledger.files[name];
	if (!entry || entry.h !== sha256) return;
	const emitted = identityOf(entry)!;
	const path = joinRemote(state.options.dir, name);
	try {
		if (entry.st === 'p' && !entry.i) {
			const result = await commitFile(
				state.session,
				path,
				emitted,
				state.options.afterProcessing,
				state.options,
			);
			noteCheck(state, name, result.check, result.movedTo, false);
			return;
		}
		if (entry.i) {
			delete entry.i;
			entry.st = 'f';
			entry.a = (entry.a ?? 0) + 1;
			entry.t = state.clock();
		}
		const result = await rollbackFile(
			state.session,
			path,
			emitted,
			state.options.failedDir,
			state.options,
		);
		noteCheck(state, name, result.check, result.movedTo, true);
	} catch (error) {
		state.summary.afterProcessingErrors.push({ file: path, reason: message(error) });
	}
}

/**
 * No records and no problems (0 bytes, or a header alone): with the settled read lock it may be a
 * writer that stalled after the header, so it waits; after the grace time it is processed as empty.
 */
async function handleEmpty<R>(
	state: PollState<R>,
	file: ListedFile,
	scan: { sha256: string },
	settledLock: boolean,
	recent: boolean,
): Promise<void> {
	if (settledLock && !pastGrace(state.ledger.files[file.name], state.clock())) {
		state.summary.waiting++;
		return;
	}
	markEmitted(state.ledger, file, scan.sha256, { recent });
	state.summary.processed++;
	await settleWithoutRuns(state, file.name, scan.sha256);
}

/** Binary output: the file itself, whole, as one execution. */
async function emitBinary<R>(state: PollState<R>, file: ListedFile, retry: boolean): Promise<void> {
	const { options, ledger, clock } = state;
	let data: Buffer;
	const readAt = clock();
	try {
		data = await state.session.read(file.path, options.maxFileBytes);
	} catch (error) {
		if ((error as { code?: string }).code === 'EFBIG')
			return await fail(state, file, retry, message(error));
		throw error; // connection trouble: the poll fails visibly and the file stays pending
	}
	const sha256 = createHash('sha256').update(data).digest('hex');
	if (isDuplicateContent(ledger, file.name, sha256)) {
		markUnchangedContent(ledger, file);
		state.summary.duplicates++;
		return;
	}
	const sized = { ...file, size: data.length };
	const entry = markEmitted(ledger, sized, sha256, {
		awaitingSince: options.runs ? clock() : undefined,
		recent: isRecent(file, readAt),
	});
	state.summary.processed++;
	const outcome: FileOutcome<R> = {
		file,
		status: 'processed',
		sha256,
		bytes: data.length,
		data,
		retry,
		...(entry.a ? { attempts: entry.a } : {}),
	};
	const emission = await options.onFile(outcome);
	state.summary.emitted++;
	markBatchEmitted(ledger, file.name, 1);
	const runs = options.runs;
	if (runs)
		runs.tracker.expect(
			runs.scope,
			{ name: file.name, sha256, batch: 1 },
			emission ? emission.run : Promise.resolve({ state: 'succeeded' }),
		);
	else await settleWithoutRuns(state, file.name, sha256);
}

/**
 * A file that cannot be used at all (unsafe name, too large, unreadable as a whole, too many records):
 * failed with the reason, emitted as one error item, and — when it was read — rolled back.
 */
async function fail<R>(
	state: PollState<R>,
	file: ListedFile,
	retry: boolean,
	reason: string,
	read?: { sha256: string; bytes: number },
	where: { rows?: number[]; field?: string } = {},
	recent = false,
): Promise<void> {
	const stored = storedReason(state, reason);
	const entry = markFailed(state.ledger, file, read?.sha256, stored, state.clock(), { recent });
	state.summary.failed++;
	await state.options.onFile({
		file,
		status: 'failed',
		sha256: read?.sha256,
		bytes: read?.bytes,
		error: {
			file: file.path,
			rows: where.rows ?? [],
			...(where.field ? { field: where.field } : {}),
			reason: stored,
		},
		retry,
		attempts: entry.a,
	});
	state.summary.emitted++;
	if (!read) return;
	const path = joinRemote(state.options.dir, file.name);
	try {
		const result = await rollbackFile(
			state.session,
			path,
			identityOf(entry),
			state.options.failedDir,
			state.options,
		);
		noteCheck(state, file.name, result.check, result.movedTo, true);
	} catch (error) {
		state.summary.afterProcessingErrors.push({ file: path, reason: message(error) });
	}
}
