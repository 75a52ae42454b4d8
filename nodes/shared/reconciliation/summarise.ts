/**
 * Per-file reconciliation of a Stampli → ERP run: how many records came in, what happened to each,
 * and whether the money balances — amount in = written + skipped + failed, exactly (decimal strings,
 * per currency). "In" is what the file stated (each record's own total, or an independent list of
 * the records the trigger emitted); the right-hand side is what the items that reached the end
 * account for, written records at the amount the ERP booked when it reports one. A record that
 * vanished on the way, a split invoice whose parts do not add up, or a record the ERP booked at
 * another amount than the file stated makes the file unbalanced and is listed.
 */
import { add, compare, negate, toFixed } from '../records/decimal';
import type { BatchRef, Outcome, OutcomeStatus, RecordKind } from './classify';

/** One record the run started with (e.g. every invoice the trigger emitted), for an independent "in" side. */
export interface RecordIn {
	kind: RecordKind;
	file: string;
	recordId: string;
	/** Signed (credits negative); absent when the file's amount could not be read. */
	amount?: string;
	currency?: string;
	number?: string;
}

export interface CurrencyTotals {
	currency: string;
	in: string;
	written: string;
	skipped: string;
	failed: string;
	/** Records that came in but reached no outcome. */
	missing: string;
	/** in - (written + skipped + failed); "0" when balanced. */
	difference: string;
	balanced: boolean;
}

export type RecordStatus = OutcomeStatus | 'missing' | 'unexpected';

export interface RecordLine {
	recordId?: string;
	number?: string;
	status: RecordStatus;
	part?: 'mapped' | 'needsAttention';
	amount?: string;
	/** What the file stated, when `amount` is what the ERP booked (only when the two are known). */
	statedAmount?: string;
	currency?: string;
	system?: string;
	erpId?: string | number | null;
	reason?: string;
	rows?: number[];
}

export interface FileSummary {
	file: string;
	sha256?: string;
	/** Set when the file came in batches (one execution each): the batch this summary covers. */
	batch?: BatchRef;
	/** On a summary combined from batches: how many the file has and how many were summarised. */
	batches?: { count: number; summarised: number };
	kind: RecordKind;
	/** ERP systems the records were written to. */
	systems: string[];
	recordsIn: number;
	created: number;
	updated: number;
	unchanged: number;
	skipped: number;
	failed: number;
	/** Came in, no outcome reached the end. */
	missing: number;
	/** Outcomes for records that were not in the "in" list. */
	unexpected: number;
	/** Invoices the GL Mapper split into a mapped and a needs-attention part (each part counted in its bucket). */
	split: number;
	/** Set when every record has one currency; null with several (see `totals`). */
	currency: string | null;
	amountIn: string | null;
	amountWritten: string | null;
	amountSkipped: string | null;
	amountFailed: string | null;
	totals: CurrencyTotals[];
	/** Every amount balances, nothing is missing or unexpected, and every amount could be read. */
	balanced: boolean;
	/** Why `balanced` is false, in words. */
	imbalance: string[];
	records: RecordLine[];
}

/** Exact sum shown with the largest scale among its terms (at least 2): "10.00" + "20.00" → "30.00". */
function sumAmounts(list: string[]): string {
	const scale = Math.max(
		2,
		...list.map((value) => (value.includes('.') ? value.length - value.indexOf('.') - 1 : 0)),
	);
	return toFixed(add('0', ...list), scale);
}

const WRITTEN: ReadonlySet<OutcomeStatus> = new Set(['created', 'updated', 'unchanged']);
const NO_CURRENCY = '(none)';

function keyOf(file: string, recordId: string | undefined, index: number): string {
	// Records without an id (unreadable rows) are each their own record.
	return recordId === undefined ? `${file}\u0000#${index}` : `${file}\u0000${recordId}`;
}

interface Bucket {
	in: string[];
	written: string[];
	skipped: string[];
	failed: string[];
	missing: string[];
}

export interface SummariseOptions {
	/** The records the run started with; when absent, "in" is derived from the outcomes' own stated totals. */
	expected?: RecordIn[];
}

/** One summary per file, in the order files first appear. */
export function summarise(outcomes: Outcome[], options: SummariseOptions = {}): FileSummary[] {
	const files = new Map<
		string,
		{ outcomes: Array<{ outcome: Outcome; index: number }>; expected?: RecordIn[] }
	>();
	const fileEntry = (file: string) => {
		let entry = files.get(file);
		if (!entry) {
			entry = { outcomes: [] };
			files.set(file, entry);
		}
		return entry;
	};
	if (options.expected) {
		for (const record of options.expected) {
			const entry = fileEntry(record.file);
			(entry.expected ??= []).push(record);
		}
	}
	outcomes.forEach((outcome, index) => fileEntry(outcome.file).outcomes.push({ outcome, index }));
	// With an independent "in" list, a file absent from it had no records coming in.
	return [...files.entries()].map(([file, entry]) =>
		summariseFile(file, entry.outcomes, options.expected ? (entry.expected ?? []) : undefined),
	);
}

type RecordInLine =
	| RecordIn
	| { kind: RecordKind; recordId?: string; amount?: string; currency?: string; number?: string };

/** The "in" side: the independent list when given, else each record's stated amount, once per record. */
function recordsInOf(
	file: string,
	outcomes: Array<{ outcome: Outcome; index: number }>,
	expected: RecordIn[] | undefined,
): Map<string, RecordInLine> {
	const recordsIn = new Map<string, RecordInLine>();
	if (expected) {
		for (const record of expected) recordsIn.set(keyOf(file, record.recordId, -1), record);
		return recordsIn;
	}
	for (const { outcome, index } of outcomes) {
		const key = keyOf(file, outcome.recordId, index);
		if (!recordsIn.has(key))
			recordsIn.set(key, {
				kind: outcome.kind,
				...(outcome.recordId !== undefined ? { recordId: outcome.recordId } : {}),
				...(outcome.recordAmount !== undefined ? { amount: outcome.recordAmount } : {}),
				...(outcome.currency !== undefined ? { currency: outcome.currency } : {}),
				...(outcome.number !== undefined ? { number: outcome.number } : {}),
			});
	}
	return recordsIn;
}

function recordLine(outcome: Outcome): RecordLine {
	return {
		...(outcome.recordId !== undefined ? { recordId: outcome.recordId } : {}),
		...(outcome.number !== undefined ? { number: outcome.number } : {}),
		status: outcome.status,
		...(outcome.part ? { part: outcome.part } : {}),
		...(outcome.amount !== undefined ? { amount: outcome.amount } : {}),
		...(outcome.statedAmount !== undefined ? { statedAmount: outcome.statedAmount } : {}),
		...(outcome.currency !== undefined ? { currency: outcome.currency } : {}),
		...(outcome.system ? { system: outcome.system } : {}),
		...(outcome.erpId !== undefined ? { erpId: outcome.erpId } : {}),
		...(outcome.reason ? { reason: outcome.reason } : {}),
		...(outcome.rows ? { rows: outcome.rows } : {}),
	};
}

/** What the ERP booked differs from what the file stated: named per record, since the currency sum would not say which. */
function bookedDifference(outcome: Outcome): string {
	const who = `${outcome.recordId ?? 'a record'}${outcome.number ? ` (${outcome.number})` : ''}${outcome.part ? `, ${outcome.part} part` : ''}`;
	const difference = sumAmounts([outcome.statedAmount!, negate(outcome.amount!)]);
	return `${who}: ${outcome.system ?? 'the ERP'} booked ${sumAmounts([outcome.amount!])} ${outcome.currency ?? ''}, the file stated ${sumAmounts([outcome.statedAmount!])} (difference ${difference})`.replace(
		/ +,/,
		',',
	);
}

/** One file's tally: outcomes are added in order, then records that never reached the end. */
class FileTally {
	readonly buckets = new Map<string, Bucket>();
	readonly imbalance: string[] = [];
	readonly records: RecordLine[] = [];
	readonly counts = {
		created: 0,
		updated: 0,
		unchanged: 0,
		skipped: 0,
		failed: 0,
		missing: 0,
		unexpected: 0,
	};
	readonly systems = new Set<string>();
	readonly kinds = new Set<RecordKind>();
	readonly partsByRecord = new Map<string, Set<string>>();
	sha256: string | undefined;
	batch: BatchRef | undefined;
	private readonly reached = new Set<string>();
	private readonly invalidLines = new Map<string, RecordLine>();

	constructor(
		readonly file: string,
		readonly recordsIn: Map<string, RecordInLine>,
	) {
		for (const record of recordsIn.values()) {
			this.kinds.add(record.kind);
			if (record.amount !== undefined) this.bucket(record.currency).in.push(record.amount);
		}
	}

	bucket(currency: string | undefined): Bucket {
		const name = currency ?? NO_CURRENCY;
		let found = this.buckets.get(name);
		if (!found) {
			found = { in: [], written: [], skipped: [], failed: [], missing: [] };
			this.buckets.set(name, found);
		}
		return found;
	}

	add(outcome: Outcome, index: number): void {
		this.kinds.add(outcome.kind);
		if (outcome.sha256 && !this.sha256) this.sha256 = outcome.sha256;
		this.batch ??= outcome.batch;
		if (outcome.system) this.systems.add(outcome.system);
		const key = keyOf(this.file, outcome.recordId, index);
		const line = recordLine(outcome);
		// Several problems of one unreadable record: one failed record with all the reasons.
		const earlier =
			outcome.invalidRecord && outcome.recordId !== undefined
				? this.invalidLines.get(key)
				: undefined;
		if (earlier) {
			earlier.reason = [earlier.reason, outcome.reason].filter(Boolean).join('; ');
			if (outcome.rows) earlier.rows = [...new Set([...(earlier.rows ?? []), ...outcome.rows])];
			return;
		}
		if (!this.recordsIn.has(key)) {
			this.counts.unexpected++;
			this.records.push({
				...line,
				status: 'unexpected',
				reason: `not among the records that came in (was ${outcome.status})`,
			});
			this.imbalance.push(
				`${outcome.recordId ?? 'a record without id'} reached the end but was not among the records that came in`,
			);
			return;
		}
		this.reached.add(key);
		if (outcome.part && outcome.recordId !== undefined) {
			const parts = this.partsByRecord.get(outcome.recordId) ?? new Set<string>();
			parts.add(outcome.part);
			this.partsByRecord.set(outcome.recordId, parts);
		}
		this.counts[outcome.status]++;
		this.records.push(line);
		if (outcome.invalidRecord) this.invalidLines.set(key, line);
		this.addAmount(outcome);
	}

	private addAmount(outcome: Outcome): void {
		const target = this.bucket(outcome.currency);
		if (outcome.amount === undefined) {
			// Unreadable amount on a record whose total was readable: cannot be shown to balance.
			if (outcome.recordAmount !== undefined || outcome.part)
				this.imbalance.push(
					`${outcome.recordId ?? 'a record'}: the amount of its ${outcome.status} part could not be read`,
				);
			return;
		}
		(WRITTEN.has(outcome.status)
			? target.written
			: outcome.status === 'skipped'
				? target.skipped
				: target.failed
		).push(outcome.amount);
		if (outcome.statedAmount !== undefined && compare(outcome.statedAmount, outcome.amount) !== 0)
			this.imbalance.push(bookedDifference(outcome));
	}

	/** Records that came in but whose outcome never reached the end. */
	addMissing(): void {
		for (const [key, record] of this.recordsIn) {
			if (this.reached.has(key)) continue;
			this.counts.missing++;
			if (record.amount !== undefined) this.bucket(record.currency).missing.push(record.amount);
			this.records.push({
				...(record.recordId !== undefined ? { recordId: record.recordId } : {}),
				...(record.number !== undefined ? { number: record.number } : {}),
				status: 'missing',
				...(record.amount !== undefined ? { amount: record.amount } : {}),
				...(record.currency !== undefined ? { currency: record.currency } : {}),
				reason: 'came in but no outcome reached the end of the run',
			});
			this.imbalance.push(
				`${record.recordId ?? 'a record'} came in but no outcome reached the end of the run`,
			);
		}
	}

	/** Per currency: in = written + skipped + failed, to the cent. */
	totals(): CurrencyTotals[] {
		return [...this.buckets.entries()]
			.filter(
				([currency, sums]) =>
					currency !== NO_CURRENCY || Object.values(sums).some((list) => list.length > 0),
			)
			.map(([currency, sums]) => {
				const total = sumAmounts;
				const accounted = sumAmounts([
					total(sums.written),
					total(sums.skipped),
					total(sums.failed),
				]);
				const difference = sumAmounts([total(sums.in), negate(accounted)]);
				const balanced = compare(difference, '0') === 0;
				if (!balanced)
					this.imbalance.push(
						`${currency}: in ${total(sums.in)} ≠ written + skipped + failed ${accounted} (difference ${difference})`,
					);
				return {
					currency,
					in: total(sums.in),
					written: total(sums.written),
					skipped: total(sums.skipped),
					failed: total(sums.failed),
					missing: total(sums.missing),
					difference,
					balanced,
				};
			});
	}

	/** Split invoices whose two parts both reached the end; a lone part is an imbalance. */
	splitCount(): number {
		for (const [recordId, parts] of this.partsByRecord)
			if (parts.size !== 2)
				this.imbalance.push(
					`${recordId}: only the ${[...parts][0]} part of a split invoice reached the end`,
				);
		return [...this.partsByRecord.values()].filter((parts) => parts.size === 2).length;
	}
}

function summariseFile(
	file: string,
	outcomes: Array<{ outcome: Outcome; index: number }>,
	expected: RecordIn[] | undefined,
): FileSummary {
	const tally = new FileTally(file, recordsInOf(file, outcomes, expected));
	for (const { outcome, index } of outcomes) tally.add(outcome, index);
	tally.addMissing();
	const totals = tally.totals();
	const split = tally.splitCount();
	const single = totals.length === 1 ? totals[0] : undefined;
	return {
		file,
		...(tally.sha256 ? { sha256: tally.sha256 } : {}),
		...(tally.batch ? { batch: tally.batch } : {}),
		kind:
			(['invoice', 'payment', 'vendor'] as const).find((kind) => tally.kinds.has(kind)) ??
			'invoice',
		systems: [...tally.systems].sort(),
		recordsIn: tally.recordsIn.size,
		...tally.counts,
		split,
		currency: single ? single.currency : null,
		amountIn: single ? single.in : null,
		amountWritten: single ? single.written : null,
		amountSkipped: single ? single.skipped : null,
		amountFailed: single ? single.failed : null,
		totals,
		balanced: tally.imbalance.length === 0,
		imbalance: tally.imbalance,
		records: tally.records,
	};
}
