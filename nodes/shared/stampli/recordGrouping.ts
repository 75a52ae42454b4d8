/**
 * Groups the rows (CSV) or record elements (XML) of a file into records by record key, and hands
 * each record on once it is complete — in the order of its first row — so a reader never holds the
 * whole file. A record counts as complete when `window` rows of other records have followed its
 * last row (or the file has ended). With an infinite window nothing is handed on before the end,
 * which groups rows of one key wherever they are in the file.
 *
 * Rows of a key that was already handed on are never merged into it and never dropped: they become
 * a rejected unit of their own, whose error names them ("rows 120001–120004 of INV-7 come after
 * its earlier rows were passed on"). The keys handed on are remembered as 64-bit fingerprints, so
 * this costs 16 bytes a record at most.
 */
import { describeRows, StampliFileError } from './errors';
import type { RecordError } from './errors';
import { fingerprint, KeyFingerprints } from './keyFingerprints';
import type { RawRecord } from './plan';

export interface GroupingSettings {
	file: string;
	/** Label of the record key in messages (`InvoiceId`). */
	keyLabel: string;
	/** `rows` (CSV) or `record elements` (XML). */
	unitNoun: string;
	/** Rows of other records after a record's last row before it is complete; Infinity = at the end of the file. */
	window: number;
	maxRecords: number;
	maxRecordLines: number;
}

type UnitKind = 'record' | 'late' | 'standalone';

interface Unit {
	raw: RawRecord;
	kind: UnitKind;
	/** The key's fingerprint, computed once (only when keys handed on are remembered). */
	print?: [number, number];
	/** Rows (CSV) or lines + 1 (XML) this unit holds, for the window's memory bound. */
	weight: number;
	/** More lines than maxRecordLines arrived; the rest were not kept. */
	truncated: boolean;
}

export class RecordGrouper {
	private readonly open = new Map<string, Unit>();
	private readonly queue: Unit[] = [];
	private head = 0;
	private held = 0;
	private records = 0;
	/** Keys already handed on (only needed when a record can be handed on before the end). */
	private readonly passed?: KeyFingerprints;

	constructor(
		private readonly settings: GroupingSettings,
		private readonly release: (raw: RawRecord) => void,
	) {
		if (Number.isFinite(settings.window)) this.passed = new KeyFingerprints();
	}

	/** Set by place(): the row starts a new record (the reader fills its header). */
	fresh = false;
	/** Set by place(): the row's cells are kept (not for late rows, nor past maxRecordLines). */
	collect = false;

	/** The unit a row with this key goes to; see `fresh` and `collect` for what to do with the row. */
	place(key: string, row: number): RawRecord {
		const existing = this.open.get(key);
		if (existing) {
			existing.raw.rows.push(row);
			existing.weight++;
			this.held++;
			this.fresh = false;
			this.collect = existing.kind === 'record' && !this.full(existing);
			return existing.raw;
		}
		const print = this.passed && fingerprint(key);
		const late = print !== undefined && this.passed!.hasFingerprint(print);
		if (!late && ++this.records > this.settings.maxRecords)
			throw new StampliFileError({
				file: this.settings.file,
				row,
				reason: `the file holds more than ${this.settings.maxRecords} records (maxRecords); refusing to read further`,
			});
		const raw: RawRecord = { key, rows: [row], header: [], lines: [], problems: [] };
		const unit: Unit = { raw, kind: late ? 'late' : 'record', print, weight: 1, truncated: false };
		this.open.set(key, unit);
		this.enqueue(unit);
		this.fresh = this.collect = !late;
		return raw;
	}

	/** A row or element that belongs to no record (no key, unreadable): rejected in its place. */
	reject(row: number, problem: RecordError): void {
		const raw: RawRecord = {
			key: '',
			rows: [row],
			header: [],
			lines: [],
			problems: [problem],
			rejected: true,
		};
		this.enqueue({ raw, kind: 'standalone', weight: 1, truncated: false });
	}

	/** Adds weight to a unit beyond its row count (XML: its lines). */
	weigh(raw: RawRecord, extra: number): void {
		const unit = this.open.get(raw.key);
		if (unit?.raw !== raw) return;
		unit.weight += extra;
		this.held += extra;
	}

	/** Hands on the units that are complete now that row `row` (of `current`) has been read. */
	advance(row: number, current?: RawRecord): void {
		const window = this.settings.window;
		if (!Number.isFinite(window)) return;
		const currentWeight = current ? (this.open.get(current.key)?.weight ?? 0) : 0;
		while (this.head < this.queue.length) {
			const unit = this.queue[this.head];
			const rows = unit.raw.rows;
			const done = unit.kind === 'standalone' || row - rows[rows.length - 1] > window;
			const crowded = unit.raw !== current && this.held - currentWeight > window;
			if (!done && !crowded) return;
			this.handOn(unit);
		}
	}

	/** The end of the file: everything still held is complete. */
	finish(): void {
		while (this.head < this.queue.length) this.handOn(this.queue[this.head]);
	}

	private full(unit: Unit): boolean {
		if (unit.raw.lines.length < this.settings.maxRecordLines) return false;
		unit.truncated = true;
		return true;
	}

	private enqueue(unit: Unit): void {
		this.queue.push(unit);
		this.held += unit.weight;
	}

	private handOn(unit: Unit): void {
		this.queue[this.head++] = undefined as unknown as Unit;
		if (this.head > 1024 && this.head * 2 > this.queue.length) {
			this.queue.splice(0, this.head);
			this.head = 0;
		}
		this.held -= unit.weight;
		const { raw } = unit;
		if (unit.kind !== 'standalone' && this.open.get(raw.key) === unit) {
			this.open.delete(raw.key);
			if (unit.print) this.passed?.addFingerprint(unit.print);
		}
		if (unit.kind === 'late') this.explainLate(raw);
		if (unit.truncated) this.explainTruncated(raw);
		this.release(raw);
	}

	private explainLate(raw: RawRecord): void {
		const { file, keyLabel, unitNoun, window } = this.settings;
		raw.rejected = true;
		raw.problems.push({
			file,
			rows: raw.rows,
			field: keyLabel,
			reason: `${unitNoun} ${describeRows(raw.rows)} of ${keyLabel} "${raw.key}" come after its earlier ${unitNoun} were complete and passed on; the ${unitNoun} of one record must be at most ${window} apart (groupWindowRows), so these belong to no record`,
			recordId: raw.key,
		});
	}

	private explainTruncated(raw: RawRecord): void {
		const { file, maxRecordLines } = this.settings;
		raw.rejected = true;
		raw.lines = [];
		raw.problems.unshift({
			file,
			rows: raw.rows,
			reason: `the record has more than ${maxRecordLines} lines (maxRecordLines); it is refused`,
			recordId: raw.key,
		});
	}
}
