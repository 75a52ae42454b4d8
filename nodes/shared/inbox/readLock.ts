/**
 * The read lock: which listed files are ready to read. What the trigger offers (after Apache Camel's
 * file consumer, minus what cannot work over SFTP):
 * - `settled` ("changed"): size and mtime held still for the settle time (a file first seen with an
 *   mtime older than that is already at rest), the file is not empty, and — unless switched off — it
 *   ends with a complete record (CSV: a line break; XML: a closing tag), checked on its last bytes;
 * - `doneFile`: the writer signals completion with a marker file (`{name}.done` by default).
 * A rename-based lock cannot work here: over SFTP a rename succeeds while the writer still holds the
 * file open. Records each look in the ledger and prunes entries of files gone.
 */
import { globToRegExp } from '../sftp/names';
import { seconds, type FileLedger, type LedgerEntry, type ListedFile } from './ledger';

/**
 * A file that stays empty or incomplete (no final line break or closing tag) this long without changing
 * is read anyway: an export that ends without a line break, or an empty export, is not held forever.
 */
export const INCOMPLETE_GRACE_MS = 60 * 60 * 1000;

/**
 * A content read this close to its mtime may be rewritten with the same size within the same second
 * without the listing showing it; such a file is re-hashed on the next look. Wide enough for modest
 * clock skew between n8n and the SFTP server.
 */
export const RECENT_MTIME_MS = 60_000;

export type ReadyWhen =
	{ kind: 'settled'; completeRecord: boolean } | { kind: 'doneFile'; template: string };

export interface PlanOptions {
	/** A file must keep the same size and mtime for this long before it is emitted. */
	settleMs: number;
	now: number;
	/** At most this many files are emitted per poll; the rest wait for the next poll (oldest first). */
	maxFiles: number;
	readyWhen?: ReadyWhen;
	/** Every name in the watched directory (done-file markers included), when the done-file lock is used. */
	allNames?: Set<string>;
	/** Names in the failed directory, when it was listed: entries of failed files there are kept. */
	setAside?: Set<string>;
}

export interface PollPlan {
	/** Ready to download and emit, oldest first, at most maxFiles. */
	emit: ListedFile[];
	/** Unchanged in the listing, but read within their mtime's second: re-hash to catch a same-size rewrite. */
	recheck: ListedFile[];
	/** Still being written (changed since the last look, not yet settled, empty, or no done file yet). */
	waiting: ListedFile[];
	/** Ready but over maxFiles: first in line next poll. */
	deferred: ListedFile[];
	/** Unchanged and already handled (processed, failed, or emitted and awaiting its runs). */
	skipped: number;
	/**
	 * Unchanged, processed or failed, and still listed here: its archive, delete or set-aside may not
	 * have happened (the connection died at that moment). The poll finishes it when the settings say so.
	 */
	handledStillHere: ListedFile[];
	/** Entries dropped because their file is gone. */
	pruned: number;
}

/** `{name}` is the data file's name, `{base}` the name without its last extension. */
export function doneFileName(template: string, name: string): string {
	const dot = name.lastIndexOf('.');
	const base = dot > 0 ? name.slice(0, dot) : name;
	return template.replace(/\{name\}/g, name).replace(/\{base\}/g, base);
}

/** Matches names that are done-file markers under `template` (never data files themselves). */
export function doneFilePattern(template: string): RegExp {
	const escaped = template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`^${escaped.replace(/\\\{(name|base)\\\}/g, '.+')}$`);
}

/** Keeps the data files of a directory listing: matching the pattern, not a done-file marker. */
export function dataFiles<F extends { name: string }>(
	listing: F[],
	pattern: string | undefined,
	readyWhen: ReadyWhen | undefined,
): F[] {
	const match = globToRegExp(pattern);
	const marker = readyWhen?.kind === 'doneFile' ? doneFilePattern(readyWhen.template) : undefined;
	return listing.filter((f) => match.test(f.name) && !marker?.test(f.name));
}

/** The root element's name from the first bytes of an XML document (after the declaration, comments, DOCTYPE). */
export function xmlRootName(head: Buffer): string | undefined {
	const text = head.toString('latin1').replace(/\u0000/g, '');
	const match = /<(?![?!])([A-Za-z_][\w.:-]*)/.exec(text.replace(/<!--[\s\S]*?-->/g, ''));
	return match?.[1];
}

/**
 * True when the last bytes of a file end a record: a line break for CSV; for XML the closing tag of
 * the root element named in `head` (or any closing tag when the head does not name one). Other
 * formats (by extension) are not checked.
 */
export function endsWithCompleteRecord(name: string, tail: Buffer, head?: Buffer): boolean {
	const lower = name.toLowerCase();
	if (/\.(csv|txt|tsv)$/.test(lower)) {
		const last = tail[tail.length - 1];
		return last === 0x0a || last === 0x0d;
	}
	if (/\.xml$/.test(lower)) {
		// UTF-16 files carry NUL bytes between the characters.
		const text = tail
			.toString('latin1')
			.replace(/\u0000/g, '')
			.replace(/\s+$/, '');
		const root = head ? xmlRootName(head) : undefined;
		if (!root) return text.endsWith('>');
		const escaped = root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		return new RegExp(`(</${escaped}\\s*>|<${escaped}\\b[^<>]*/>)$`).test(text);
	}
	return true;
}

/** Whether the complete-record check needs the file's head too (XML: to know the root element). */
export const needsHead = (name: string) => /\.xml$/i.test(name);

/** Held still long enough that an empty or incomplete file is read anyway. */
export const pastGrace = (entry: LedgerEntry | undefined, now: number) =>
	entry?.n !== undefined && now - entry.n >= INCOMPLETE_GRACE_MS;

/**
 * Decides what one poll does with the current listing (data files only) and records this look in the
 * ledger (new size/mtime observations, pruning). The ledger is mutated in place.
 */
export function planPoll(
	ledger: FileLedger,
	listing: ListedFile[],
	options: PlanOptions,
): PollPlan {
	const { settleMs, now } = options;
	const maxFiles = Math.max(1, Math.floor(options.maxFiles));
	const ready: ListedFile[] = [];
	const recheck: ListedFile[] = [];
	const waiting: ListedFile[] = [];
	const handledStillHere: ListedFile[] = [];
	let skipped = 0;
	const present = new Set<string>();

	for (const file of listing) {
		present.add(file.name);
		const m = seconds(file.mtimeMs);
		const entry = ledger.files[file.name];
		let settled: boolean;
		if (!entry || entry.s !== file.size || entry.m !== m) {
			// A new version: remember this look. Keep the last outcome, hash and attempts so a touch with
			// identical content is recognised and failures keep counting across rewrites; the runs of the
			// old content no longer decide what happens to this file.
			const look: LedgerEntry = { ...(entry ?? {}), s: file.size, m, n: now };
			delete look.w;
			delete look.b;
			delete look.c;
			delete look.i;
			delete look.v;
			delete look.x;
			ledger.files[file.name] = look;
			settled = settleMs <= 0 || (!entry && now - file.mtimeMs >= settleMs);
		} else if (entry.n === undefined) {
			// Unchanged since it was handled, or emitted and awaiting its runs.
			if (entry.v && entry.w === undefined) recheck.push(file);
			else skipped++;
			if (entry.w === undefined && !entry.v && entry.st !== undefined) handledStillHere.push(file);
			continue;
		} else {
			// Seen before with the same size and mtime: settled once it held still long enough.
			settled = now - entry.n >= settleMs || now - file.mtimeMs >= settleMs;
		}
		if (settled && isLocked(file, ledger.files[file.name], options)) settled = false;
		(settled ? ready : waiting).push(file);
	}

	let pruned = 0;
	for (const [name, entry] of Object.entries(ledger.files)) {
		if (present.has(name)) continue;
		// A failed file in the failed directory keeps its reason and attempts until it is gone from there too.
		if (entry.x && (!options.setAside || options.setAside.has(name))) continue;
		delete ledger.files[name];
		pruned++;
	}

	// Listings arrive oldest first; keep that order so a backlog drains fairly.
	ready.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.name < b.name ? -1 : 1));
	return {
		emit: ready.slice(0, maxFiles),
		recheck,
		deferred: ready.slice(maxFiles),
		waiting,
		skipped,
		handledStillHere,
		pruned,
	};
}

/** The listing-level locks: an empty file, or a missing done file, keeps a settled file waiting. */
function isLocked(file: ListedFile, entry: LedgerEntry | undefined, options: PlanOptions): boolean {
	if (options.readyWhen?.kind === 'doneFile')
		return !options.allNames?.has(doneFileName(options.readyWhen.template, file.name));
	return file.size === 0 && !pastGrace(entry, options.now);
}
