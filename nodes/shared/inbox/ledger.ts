/**
 * The idempotent repository: the trigger's memory of files, a plain JSON object kept in n8n's workflow
 * static data so it survives restarts with the workflow. Pure functions, no I/O.
 *
 * One entry per file name. Identity of a handled file = name + size + mtime + sha256:
 * - unchanged size/mtime and processed → skipped without downloading (re-hashed once when the content
 *   was read within the second of its mtime, where a same-size rewrite would not change the mtime);
 * - size/mtime changed → a new version: it settles again and is read again, whatever became of the old one;
 * - changed but the same sha256 as processed → recorded, not emitted again (a touch is not new content);
 * - emitted → awaiting its executions: committed (archived/deleted) only when every batch's run
 *   succeeded, rolled back (failed) when one failed, emitted again (or needs attention) when nobody knows;
 * - failed → retried automatically once it changes (the replay workflow moves it back and touches it).
 * Entries of files no longer listed are pruned, except failed files still in the failed directory, so
 * the ledger is bounded by the directories' size. Keys are short on purpose: 10,000 files must stay
 * well under 2 MB of static data.
 */

export interface LedgerEntry {
	/** Size at the last look. */
	s: number;
	/** mtime at the last look, whole seconds (SFTP's resolution). */
	m: number;
	/** Present while the current size/mtime is not yet handled: when it was first seen (ms). */
	n?: number;
	/** Outcome of the last handled content: `p` processed, `f` failed (or needs attention). */
	st?: 'p' | 'f';
	/** Hex SHA-256 of the last handled content. */
	h?: string;
	/** Failure reason (bounded, secrets redacted). */
	r?: string;
	/** Failed attempts so far (kept across rewrites and replays until a run succeeds). */
	a?: number;
	/** Last attempt (ms). */
	t?: number;
	/** Emitted at (ms): the runs of this content are not all known yet, so commit/rollback waits. */
	w?: number;
	/** Batches of the awaiting content: [emitted so far, total, index of the next item to emit]. */
	b?: [number, number, number];
	/** Counts of the awaiting content, for the batches still to emit: [entries, valid records, invalid records]. */
	c?: [number, number, number];
	/** The emitted content had invalid records (`r` says which): once its runs are known it is rolled back, not committed. */
	i?: 1;
	/** Why it failed: 1 its execution failed, 2 its execution's outcome is unknown (needs attention). */
	d?: 1 | 2;
	/** Times this content was emitted again because its outcome was unknown. */
	u?: number;
	/** The content was read within the second (or clock skew) of its mtime: re-hash it on the next look. */
	v?: 1;
	/** The file sits in the failed directory: keep the entry while it is there. */
	x?: 1;
}

export interface FileLedger {
	v: 1;
	files: Record<string, LedgerEntry>;
}

export interface ListedFile {
	name: string;
	path: string;
	size: number;
	mtimeMs: number;
}

/** What was emitted (or read) and must still be there, byte for byte, for a commit or rollback. */
export interface EmittedIdentity {
	size: number;
	/** Whole seconds. */
	mtime: number;
	sha256: string;
}

const MAX_REASON = 300;

export function emptyLedger(): FileLedger {
	return { v: 1, files: {} };
}

/** Accepts whatever static data holds (nothing, an older shape, a valid ledger) and returns a usable ledger. */
export function ledgerFrom(value: unknown): FileLedger {
	const candidate = value as FileLedger | undefined;
	if (candidate && candidate.v === 1 && candidate.files && typeof candidate.files === 'object')
		return candidate;
	return emptyLedger();
}

export const seconds = (mtimeMs: number) => Math.floor(mtimeMs / 1000);

export const boundedReason = (reason: string) =>
	reason.length > MAX_REASON ? reason.slice(0, MAX_REASON - 1) + '…' : reason;

export function identityOf(entry: LedgerEntry): EmittedIdentity | undefined {
	return entry.h === undefined ? undefined : { size: entry.s, mtime: entry.m, sha256: entry.h };
}

/**
 * True when the downloaded content equals what was already processed under this name (only the
 * mtime changed: a touch, a re-copy of the same bytes). Failed content is never a duplicate: touching
 * a failed file is how a person asks for a retry after fixing something downstream.
 */
export function isDuplicateContent(ledger: FileLedger, name: string, sha256: string): boolean {
	const entry = ledger.files[name];
	return !!entry && entry.st === 'p' && entry.h === sha256;
}

/** Records the current look as handled with the previous outcome (used for duplicate content). */
export function markUnchangedContent(ledger: FileLedger, file: ListedFile): void {
	const entry = ledger.files[file.name];
	if (!entry) return;
	entry.s = file.size;
	entry.m = seconds(file.mtimeMs);
	delete entry.n;
}

/**
 * The content was read and is about to be emitted in `batches` executions (or was handled without
 * following runs): processed, awaiting its runs when `awaiting` is given. `invalid` keeps in mind that
 * some records were invalid, so the file is rolled back once its runs are known.
 */
export function markEmitted(
	ledger: FileLedger,
	file: ListedFile,
	sha256: string,
	options: {
		awaitingSince?: number;
		batches?: number;
		counts?: [number, number, number];
		invalid?: string;
		recent?: boolean;
	} = {},
): LedgerEntry {
	// No timestamps on settled entries: they are the bulk of the ledger and must stay small.
	const previous = ledger.files[file.name];
	const entry: LedgerEntry = { s: file.size, m: seconds(file.mtimeMs), st: 'p', h: sha256 };
	// A retried file keeps counting attempts until its execution is known to have succeeded.
	if (previous?.a) entry.a = previous.a;
	if (previous?.u && previous.h === sha256) entry.u = previous.u;
	if (options.awaitingSince !== undefined) {
		entry.w = options.awaitingSince;
		entry.b = [0, Math.max(1, options.batches ?? 1), 0];
		if (options.counts && entry.b[1] > 1) entry.c = options.counts;
	}
	if (options.invalid !== undefined) {
		entry.i = 1;
		entry.r = boundedReason(options.invalid);
	}
	if (options.recent) entry.v = 1;
	ledger.files[file.name] = entry;
	return entry;
}

/** Records that one more batch of the awaiting content was emitted; `nextItem` is where the next one starts. */
export function markBatchEmitted(ledger: FileLedger, name: string, nextItem: number): void {
	const entry = ledger.files[name];
	if (!entry?.b) return;
	entry.b = [entry.b[0] + 1, entry.b[1], nextItem];
}

export function markFailed(
	ledger: FileLedger,
	file: ListedFile,
	sha256: string | undefined,
	reason: string,
	now: number,
	options: { recent?: boolean } = {},
): LedgerEntry {
	const previous = ledger.files[file.name];
	const entry: LedgerEntry = {
		s: file.size,
		m: seconds(file.mtimeMs),
		st: 'f',
		r: boundedReason(reason),
		a: (previous?.a ?? 0) + 1,
		t: now,
	};
	if (sha256) entry.h = sha256;
	if (options.recent) entry.v = 1;
	ledger.files[file.name] = entry;
	return entry;
}

/** Names of files whose executions' outcomes are still to be applied, with what was emitted. */
export function awaitingRuns(ledger: FileLedger): Array<{
	name: string;
	sha256: string;
	since: number;
	batches: { emitted: number; total: number; nextItem: number };
}> {
	const awaiting = [];
	for (const [name, entry] of Object.entries(ledger.files)) {
		if (entry.w === undefined || !entry.h) continue;
		const [emitted, total, nextItem] = entry.b ?? [1, 1, 0];
		awaiting.push({ name, sha256: entry.h, since: entry.w, batches: { emitted, total, nextItem } });
	}
	return awaiting;
}

const awaits = (entry: LedgerEntry | undefined, sha256: string): entry is LedgerEntry =>
	!!entry && entry.w !== undefined && entry.h === sha256;

/**
 * Every run of this content succeeded: the entry is plainly processed, or failed for its invalid records
 * when it had some (one more attempt). Undefined when the entry no longer awaits this content's runs.
 */
export function markRunSucceeded(
	ledger: FileLedger,
	name: string,
	sha256: string,
	now: number,
): 'processed' | 'invalidRecords' | undefined {
	const entry = ledger.files[name];
	if (!awaits(entry, sha256)) return undefined;
	delete entry.w;
	delete entry.b;
	delete entry.c;
	delete entry.u;
	if (!entry.i) {
		delete entry.a;
		delete entry.r;
		return 'processed';
	}
	delete entry.i;
	entry.st = 'f';
	entry.a = (entry.a ?? 0) + 1;
	entry.t = now;
	return 'invalidRecords';
}

/**
 * A run started for this content failed, or its outcome is unknown and the user wants a person to look
 * (`unknown`): the entry becomes failed with the (already redacted) reason, one more attempt and the
 * time, so the file is retried when it changes or is replayed. Undefined when the outcome is stale
 * (the file changed or was pruned since it was emitted, or the outcome was already applied).
 */
export function markRunFailed(
	ledger: FileLedger,
	name: string,
	sha256: string,
	reason: string,
	now: number,
	kind: 'failed' | 'unknown' = 'failed',
): LedgerEntry | undefined {
	const entry = ledger.files[name];
	if (!awaits(entry, sha256)) return undefined;
	const failed: LedgerEntry = {
		s: entry.s,
		m: entry.m,
		st: 'f',
		h: sha256,
		r: boundedReason(reason),
		a: (entry.a ?? 0) + 1,
		t: now,
		d: kind === 'failed' ? 1 : 2,
	};
	ledger.files[name] = failed;
	return failed;
}

/**
 * Nobody knows how the runs of this content ended: read and emit it again from the start (every ERP
 * write is idempotent, so the records already written come back unchanged). The file is ready at once.
 */
export function markForReemission(
	ledger: FileLedger,
	name: string,
	sha256: string,
	now: number,
): LedgerEntry | undefined {
	const entry = ledger.files[name];
	if (!awaits(entry, sha256)) return undefined;
	const again: LedgerEntry = { s: entry.s, m: entry.m, h: sha256, n: now, u: (entry.u ?? 0) + 1 };
	if (entry.a) again.a = entry.a;
	ledger.files[name] = again;
	return again;
}

/** A failed file was moved to the failed directory: its entry stays while the file is there. */
export function markSetAside(ledger: FileLedger, name: string): void {
	const entry = ledger.files[name];
	if (entry) entry.x = 1;
}

export type EntryState = 'pending' | 'processed' | 'awaitingRun' | 'failed' | 'needsAttention';

/** Human-readable view of an entry, for items and the replay workflow. */
export function describeEntry(
	name: string,
	entry: LedgerEntry,
): {
	name: string;
	size: number;
	mtime: string;
	state: EntryState;
	sha256?: string;
	reason?: string;
	attempts?: number;
	lastAttemptAt?: string;
	/** `file`: it could not be read or parsed; `execution`: a run it started failed; `unknown`: nobody knows how its run ended. */
	failedIn?: 'file' | 'execution' | 'unknown';
	/** Emitted, its executions not all known yet. */
	awaitingRun: boolean;
	batches?: { emitted: number; total: number };
	/** The file is in the failed directory. */
	inFailedDir: boolean;
} {
	const state: EntryState =
		entry.w !== undefined
			? 'awaitingRun'
			: entry.n !== undefined || entry.st === undefined
				? 'pending'
				: entry.st === 'p'
					? 'processed'
					: entry.d === 2
						? 'needsAttention'
						: 'failed';
	return {
		name,
		size: entry.s,
		mtime: new Date(entry.m * 1000).toISOString(),
		state,
		sha256: entry.h,
		reason: entry.r,
		attempts: entry.a,
		lastAttemptAt: entry.t === undefined ? undefined : new Date(entry.t).toISOString(),
		failedIn:
			entry.st === 'f'
				? entry.d === 1
					? 'execution'
					: entry.d === 2
						? 'unknown'
						: 'file'
				: undefined,
		awaitingRun: entry.w !== undefined,
		...(entry.b ? { batches: { emitted: entry.b[0], total: entry.b[1] } } : {}),
		inFailedDir: entry.x === 1,
	};
}

export function failedEntries(ledger: FileLedger): ReturnType<typeof describeEntry>[] {
	return Object.entries(ledger.files)
		.filter(([, e]) => e.st === 'f' && e.n === undefined && e.w === undefined)
		.map(([name, e]) => describeEntry(name, e));
}
