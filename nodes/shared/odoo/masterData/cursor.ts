/**
 * Incremental cursor by `write_date` with an overlap window. Odoo stamps `write_date` with the
 * transaction's start, so a long transaction can commit a record with a write_date below one we
 * already delivered. Each run therefore reads from `cursor − overlap` and skips, by id, the records
 * it already delivered *with the same content* (a fingerprint of the canonical record). Comparing
 * content rather than write_date matters: write_date has whole seconds, so a second change within
 * the same second would look unchanged and be lost.
 */
import { createHash } from 'node:crypto';
import { odooDatetimeMs, toOdooDatetime } from './convert';
import type { MasterDataCursor, MasterDataResource } from './types';

export class CursorTracker {
	private maxWriteDate: string | undefined;
	private maxMs = Number.NEGATIVE_INFINITY;
	/** id → [write_date, fingerprint] of records inside the (moving) overlap window. */
	private readonly candidates = new Map<string, [string, string]>();
	private truncated = false;
	private readonly overlapMs: number;

	constructor(
		readonly resource: MasterDataResource,
		private readonly previous: MasterDataCursor | undefined,
		overlapSeconds: number,
		private readonly maxRecent = 10_000,
	) {
		if (previous && previous.resource !== resource) {
			throw new Error(
				`The saved cursor belongs to "${previous.resource}", not "${resource}": reset it or use a separate node per resource`,
			);
		}
		if (!Number.isFinite(overlapSeconds) || overlapSeconds < 0)
			throw new Error(`Overlap must be zero or more seconds (got ${overlapSeconds})`);
		this.overlapMs = overlapSeconds * 1000;
		if (previous) {
			this.maxWriteDate = previous.writeDate;
			this.maxMs = odooDatetimeMs(previous.writeDate);
			if (Number.isNaN(this.maxMs))
				throw new Error(
					`The saved cursor has an unreadable write date "${previous.writeDate}": reset it`,
				);
		}
	}

	/** Lower bound (inclusive) for `write_date` in this run, or undefined for a full read. */
	since(): string | undefined {
		if (!this.previous) return undefined;
		return toOdooDatetime(odooDatetimeMs(this.previous.writeDate) - this.overlapMs);
	}

	/**
	 * Notes a record read in this run and says whether to deliver it: false only when the previous
	 * run delivered the same id with the same fingerprint.
	 */
	consider(id: string, writeDate: unknown, record: unknown): boolean {
		const fingerprint = fingerprintOf(record);
		const known = this.previous?.recent[id];
		this.observe(id, writeDate, fingerprint);
		return !(known && known[1] === fingerprint);
	}

	private observe(id: string, writeDate: unknown, fingerprint: string): void {
		if (typeof writeDate !== 'string') return;
		const ms = odooDatetimeMs(writeDate);
		if (Number.isNaN(ms)) return;
		if (ms > this.maxMs) {
			this.maxMs = ms;
			this.maxWriteDate = writeDate.slice(0, 19);
		}
		if (this.truncated) return;
		// Only records that will fall inside the next run's overlap window need remembering.
		if (ms < this.maxMs - this.overlapMs) return;
		this.candidates.set(id, [writeDate.slice(0, 19), fingerprint]);
		if (this.candidates.size > this.maxRecent * 2) this.prune();
		if (this.candidates.size > this.maxRecent) {
			// Too many records in one overlap window to remember: redeliver rather than grow without bound.
			this.candidates.clear();
			this.truncated = true;
		}
	}

	private prune(): void {
		const floor = this.maxMs - this.overlapMs;
		for (const [key, [writeDate]] of this.candidates)
			if (odooDatetimeMs(writeDate) < floor) this.candidates.delete(key);
	}

	/** The cursor to save after a successful run (unchanged when nothing was read and none existed). */
	next(now = new Date()): MasterDataCursor | undefined {
		if (this.maxWriteDate === undefined) return this.previous;
		this.prune();
		const recent: Record<string, [string, string]> = {};
		for (const [key, entry] of this.candidates) recent[key] = entry;
		// Entries of the previous cursor still inside the new window stay known, unless seen again (then candidates hold them).
		if (this.previous && !this.truncated) {
			const floor = this.maxMs - this.overlapMs;
			for (const [key, entry] of Object.entries(this.previous.recent)) {
				if (!(key in recent) && odooDatetimeMs(entry[0]) >= floor) recent[key] = entry;
			}
		}
		const cursor: MasterDataCursor = {
			version: 1,
			resource: this.resource,
			writeDate: this.maxWriteDate,
			recent,
			savedAt: now.toISOString(),
		};
		if (this.truncated) cursor.recentTruncated = true;
		return cursor;
	}
}

/** Accepts what a user or an older version left in static data; anything unusable → undefined (full read). */
export function readCursor(
	value: unknown,
	resource: MasterDataResource,
): MasterDataCursor | undefined {
	if (!value || typeof value !== 'object') return undefined;
	const c = value as Partial<MasterDataCursor>;
	if (
		c.version !== 1 ||
		c.resource !== resource ||
		typeof c.writeDate !== 'string' ||
		Number.isNaN(odooDatetimeMs(c.writeDate))
	)
		return undefined;
	const recent: Record<string, [string, string]> = {};
	if (c.recent && typeof c.recent === 'object') {
		for (const [key, entry] of Object.entries(c.recent)) {
			if (Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'string')
				recent[key] = [entry[0], entry[1]];
		}
	}
	return {
		version: 1,
		resource,
		writeDate: c.writeDate,
		recent,
		savedAt: String(c.savedAt ?? ''),
		...(c.recentTruncated ? { recentTruncated: true } : {}),
	};
}

/** 64 bits of SHA-256 over the canonical record's JSON: enough to tell "changed" from "the same". */
export function fingerprintOf(record: unknown): string {
	return createHash('sha256').update(JSON.stringify(record)).digest('hex').slice(0, 16);
}
