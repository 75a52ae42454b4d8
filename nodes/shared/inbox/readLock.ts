/**
 * The read lock: which listed files are ready to read. A file is ready once its size and mtime have
 * held still for the settle time (a file first seen with an mtime older than that is already at rest);
 * the rest wait for a later poll. Records each look in the ledger and prunes entries of files gone.
 */
import { seconds, type FileLedger, type LedgerEntry, type ListedFile } from './ledger';

export interface PlanOptions {
	/** A file must keep the same size and mtime for this long before it is emitted. */
	settleMs: number;
	now: number;
	/** At most this many files are emitted per poll; the rest wait for the next poll (oldest first). */
	maxFiles: number;
}

export interface PollPlan {
	/** Ready to download and emit, oldest first, at most maxFiles. */
	emit: ListedFile[];
	/** Still being written (changed since the last look, or not yet settled). */
	waiting: ListedFile[];
	/** Ready but over maxFiles: first in line next poll. */
	deferred: ListedFile[];
	/** Unchanged and already processed (or failed and unchanged). */
	skipped: number;
	/** Entries dropped because their file is gone. */
	pruned: number;
}

/**
 * Decides what one poll does with the current listing and records this look in the ledger
 * (new size/mtime observations, pruning). The ledger is mutated in place.
 */
export function planPoll(
	ledger: FileLedger,
	listing: ListedFile[],
	options: PlanOptions,
): PollPlan {
	const { settleMs, now } = options;
	const maxFiles = Math.max(1, Math.floor(options.maxFiles));
	const ready: ListedFile[] = [];
	const waiting: ListedFile[] = [];
	let skipped = 0;
	const present = new Set<string>();

	for (const file of listing) {
		present.add(file.name);
		const m = seconds(file.mtimeMs);
		const entry = ledger.files[file.name];
		if (!entry || entry.s !== file.size || entry.m !== m) {
			// New or changed: remember this look. Keep the last outcome, hash and attempts so a touch with
			// identical content is recognised and failures keep counting across rewrites.
			const look: LedgerEntry = { ...(entry ?? {}), s: file.size, m, n: now };
			// New content: the run of the old content no longer decides what happens to this file.
			delete look.w;
			ledger.files[file.name] = look;
			// A file first seen with an mtime older than the settle time is already at rest.
			if (settleMs <= 0 || (!entry && now - file.mtimeMs >= settleMs)) ready.push(file);
			else waiting.push(file);
			continue;
		}
		if (entry.n === undefined) {
			// Unchanged since it was handled (processed, or failed and waiting for a change or a replay).
			skipped++;
			continue;
		}
		// Seen before with the same size and mtime: settled once it held still long enough.
		if (now - entry.n >= settleMs || now - file.mtimeMs >= settleMs) ready.push(file);
		else waiting.push(file);
	}

	let pruned = 0;
	for (const name of Object.keys(ledger.files)) {
		if (!present.has(name)) {
			delete ledger.files[name];
			pruned++;
		}
	}

	// Listings arrive oldest first; keep that order so a backlog drains fairly.
	ready.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.name < b.name ? -1 : 1));
	return {
		emit: ready.slice(0, maxFiles),
		deferred: ready.slice(maxFiles),
		waiting,
		skipped,
		pruned,
	};
}
