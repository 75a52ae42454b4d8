/**
 * The trigger's memory of files (PRODUCT.md §5): a plain JSON object kept in n8n's workflow static
 * data, so it survives restarts with the workflow. Pure functions, no I/O.
 *
 * One entry per listed file name. Identity of a processed file = name + size + mtime + sha256:
 * - unchanged size/mtime and processed → skipped without downloading;
 * - size/mtime changed → the file is (being) rewritten: wait until it holds still for the settle time;
 * - changed but same sha256 as processed → recorded, not re-emitted (a touch is not new content);
 * - failed → retried automatically once it changes (the replay workflow moves it back and touches it).
 * Entries of files no longer listed are pruned, so the ledger is bounded by the directory size.
 * Keys are short on purpose: 10,000 files must stay well under 2 MB of static data.
 */

export interface LedgerEntry {
	/** Size at the last look. */
	s: number;
	/** mtime at the last look, whole seconds (SFTP's resolution). */
	m: number;
	/** Present while the current size/mtime is not yet handled: when it was first seen (ms). */
	n?: number;
	/** Outcome of the last handled content: `p` processed, `f` failed. */
	st?: 'p' | 'f';
	/** Hex SHA-256 of the last handled content. */
	h?: string;
	/** Failure reason (bounded). */
	r?: string;
	/** Failed attempts so far. */
	a?: number;
	/** Last attempt (ms). */
	t?: number;
	/** Emitted at (ms); its execution's outcome is not known yet, so the after-processing action waits. */
	w?: number;
	/** The failure is the downstream execution's, not the file's (`r` holds the execution's error). */
	d?: 1;
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

export function markProcessed(ledger: FileLedger, file: ListedFile, sha256: string): void {
	// No timestamps on processed entries: they are the bulk of the ledger and must stay small.
	const previous = ledger.files[file.name];
	const entry: LedgerEntry = { s: file.size, m: seconds(file.mtimeMs), st: 'p', h: sha256 };
	// A retried file keeps counting attempts until its execution is known to have succeeded.
	if (previous?.st === 'f' && previous.a) entry.a = previous.a;
	ledger.files[file.name] = entry;
}

export function markFailed(
	ledger: FileLedger,
	file: ListedFile,
	sha256: string | undefined,
	reason: string,
	now: number,
): LedgerEntry {
	const previous = ledger.files[file.name];
	const entry: LedgerEntry = {
		s: file.size,
		m: seconds(file.mtimeMs),
		st: 'f',
		r: reason.length > MAX_REASON ? reason.slice(0, MAX_REASON - 1) + '…' : reason,
		a: (previous?.a ?? 0) + 1,
		t: now,
	};
	if (sha256) entry.h = sha256;
	ledger.files[file.name] = entry;
	return entry;
}

/**
 * The file was emitted and its execution is running: the after-processing action (archive, delete,
 * move to the failed directory) waits for the run's outcome. The entry stays `processed` meanwhile,
 * so it is not emitted again.
 */
export function markAwaitingRun(ledger: FileLedger, name: string, now: number): void {
	const entry = ledger.files[name];
	if (entry) entry.w = now;
}

/** Names of files whose execution outcome is still to be applied, with the content hash that was emitted. */
export function awaitingRuns(
	ledger: FileLedger,
): Array<{ name: string; sha256: string; since: number }> {
	const awaiting: Array<{ name: string; sha256: string; since: number }> = [];
	for (const [name, entry] of Object.entries(ledger.files)) {
		if (entry.w !== undefined && entry.h) awaiting.push({ name, sha256: entry.h, since: entry.w });
	}
	return awaiting;
}

/**
 * The execution of this content succeeded (or its outcome is unknown and assumed): the entry is plainly
 * processed. False when the entry no longer awaits this content's run (changed, pruned, already applied).
 */
export function markRunSucceeded(ledger: FileLedger, name: string, sha256: string): boolean {
	const entry = ledger.files[name];
	if (!entry || entry.w === undefined || entry.h !== sha256) return false;
	delete entry.w;
	delete entry.a;
	return true;
}

/**
 * The execution started for this content failed: the entry becomes failed with the (already redacted)
 * reason, one more attempt and the time, so the file is retried when it changes or is replayed, exactly
 * like a file that failed to parse. Returns the entry, or undefined when the outcome is stale (the file
 * changed or was pruned since it was emitted, or the outcome was already applied).
 */
export function markRunFailed(
	ledger: FileLedger,
	name: string,
	sha256: string,
	reason: string,
	now: number,
): LedgerEntry | undefined {
	const entry = ledger.files[name];
	if (!entry || entry.w === undefined || entry.h !== sha256) return undefined;
	const failed: LedgerEntry = {
		s: entry.s,
		m: entry.m,
		st: 'f',
		h: sha256,
		r: reason.length > MAX_REASON ? reason.slice(0, MAX_REASON - 1) + '…' : reason,
		a: (entry.a ?? 0) + 1,
		t: now,
		d: 1,
	};
	ledger.files[name] = failed;
	return failed;
}

/** Human-readable view of an entry, for items and the replay workflow. */
export function describeEntry(
	name: string,
	entry: LedgerEntry,
): {
	name: string;
	size: number;
	mtime: string;
	state: 'pending' | 'processed' | 'failed';
	sha256?: string;
	reason?: string;
	attempts?: number;
	lastAttemptAt?: string;
	/** `file`: it could not be read or parsed; `execution`: the workflow run it started failed. */
	failedIn?: 'file' | 'execution';
	/** Emitted, its execution still running (or its outcome not yet applied). */
	awaitingRun: boolean;
} {
	return {
		name,
		size: entry.s,
		mtime: new Date(entry.m * 1000).toISOString(),
		state:
			entry.n !== undefined || entry.st === undefined
				? 'pending'
				: entry.st === 'p'
					? 'processed'
					: 'failed',
		sha256: entry.h,
		reason: entry.r,
		attempts: entry.a,
		lastAttemptAt: entry.t === undefined ? undefined : new Date(entry.t).toISOString(),
		failedIn: entry.st === 'f' ? (entry.d ? 'execution' : 'file') : undefined,
		awaitingRun: entry.w !== undefined,
	};
}

export function failedEntries(ledger: FileLedger): ReturnType<typeof describeEntry>[] {
	return Object.entries(ledger.files)
		.filter(([, e]) => e.st === 'f' && e.n === undefined)
		.map(([name, e]) => describeEntry(name, e));
}
