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

function summariseFile(
	file: string,
	outcomes: Array<{ outcome: Outcome; index: number }>,
	expected: RecordIn[] | undefined,
): FileSummary {
	// The "in" side: independent list when given, else each record's stated amount, once per record.
	const recordsIn = new Map<
		string,
		| RecordIn
		| { kind: RecordKind; recordId?: string; amount?: string; currency?: string; number?: string }
	>();
	if (expected) {
		for (const record of expected) recordsIn.set(keyOf(file, record.recordId, -1), record);
	} else {
		for (const { outcome, index } of outcomes) {
			const key = keyOf(file, outcome.recordId, index);
			if (!recordsIn.has(key)) {
				recordsIn.set(key, {
					kind: outcome.kind,
					...(outcome.recordId !== undefined ? { recordId: outcome.recordId } : {}),
					...(outcome.recordAmount !== undefined ? { amount: outcome.recordAmount } : {}),
					...(outcome.currency !== undefined ? { currency: outcome.currency } : {}),
					...(outcome.number !== undefined ? { number: outcome.number } : {}),
				});
			}
		}
	}

	const buckets = new Map<string, Bucket>();
	const bucket = (currency: string | undefined) => {
		const name = currency ?? NO_CURRENCY;
		let found = buckets.get(name);
		if (!found) {
			found = { in: [], written: [], skipped: [], failed: [], missing: [] };
			buckets.set(name, found);
		}
		return found;
	};
	const imbalance: string[] = [];
	const records: RecordLine[] = [];
	const counts = {
		created: 0,
		updated: 0,
		unchanged: 0,
		skipped: 0,
		failed: 0,
		missing: 0,
		unexpected: 0,
	};
	const systems = new Set<string>();
	let sha256: string | undefined;
	let batch: BatchRef | undefined;
	const kinds = new Set<RecordKind>();

	for (const record of recordsIn.values()) {
		kinds.add(record.kind);
		if (record.amount !== undefined) bucket(record.currency).in.push(record.amount);
	}

	const reached = new Set<string>();
	const invalidLines = new Map<string, RecordLine>();
	const partsByRecord = new Map<string, Set<string>>();
	for (const { outcome, index } of outcomes) {
		kinds.add(outcome.kind);
		if (outcome.sha256 && !sha256) sha256 = outcome.sha256;
		batch ??= outcome.batch;
		if (outcome.system) systems.add(outcome.system);
		const key = keyOf(file, outcome.recordId, index);
		const known = recordsIn.has(key);
		const line: RecordLine = {
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
		// Several problems of one unreadable record: one failed record with all the reasons.
		const earlier =
			outcome.invalidRecord && outcome.recordId !== undefined ? invalidLines.get(key) : undefined;
		if (earlier) {
			earlier.reason = [earlier.reason, outcome.reason].filter(Boolean).join('; ');
			if (outcome.rows) earlier.rows = [...new Set([...(earlier.rows ?? []), ...outcome.rows])];
			continue;
		}
		if (!known) {
			counts.unexpected++;
			records.push({
				...line,
				status: 'unexpected',
				reason: `not among the records that came in (was ${outcome.status})`,
			});
			imbalance.push(
				`${outcome.recordId ?? 'a record without id'} reached the end but was not among the records that came in`,
			);
			continue;
		}
		reached.add(key);
		if (outcome.part && outcome.recordId !== undefined) {
			const parts = partsByRecord.get(outcome.recordId) ?? new Set<string>();
			parts.add(outcome.part);
			partsByRecord.set(outcome.recordId, parts);
		}
		counts[outcome.status]++;
		records.push(line);
		if (outcome.invalidRecord) invalidLines.set(key, line);
		const target = bucket(outcome.currency);
		if (outcome.amount === undefined) {
			// Unreadable amount on a record whose total was readable: cannot be shown to balance.
			if (outcome.recordAmount !== undefined || outcome.part)
				imbalance.push(
					`${outcome.recordId ?? 'a record'}: the amount of its ${outcome.status} part could not be read`,
				);
			continue;
		}
		(WRITTEN.has(outcome.status)
			? target.written
			: outcome.status === 'skipped'
				? target.skipped
				: target.failed
		).push(outcome.amount);
		if (outcome.statedAmount !== undefined && compare(outcome.statedAmount, outcome.amount) !== 0) {
			// Named per record: the currency difference alone would not say which bill is short.
			const who = `${outcome.recordId ?? 'a record'}${outcome.number ? ` (${outcome.number})` : ''}${outcome.part ? `, ${outcome.part} part` : ''}`;
			const difference = sumAmounts([outcome.statedAmount, negate(outcome.amount)]);
			imbalance.push(
				`${who}: ${outcome.system ?? 'the ERP'} booked ${sumAmounts([outcome.amount])} ${outcome.currency ?? ''}, the file stated ${sumAmounts([outcome.statedAmount])} (difference ${difference})`.replace(
					/ +,/,
					',',
				),
			);
		}
	}

	for (const [key, record] of recordsIn) {
		if (reached.has(key)) continue;
		counts.missing++;
		if (record.amount !== undefined) bucket(record.currency).missing.push(record.amount);
		records.push({
			...(record.recordId !== undefined ? { recordId: record.recordId } : {}),
			...(record.number !== undefined ? { number: record.number } : {}),
			status: 'missing',
			...(record.amount !== undefined ? { amount: record.amount } : {}),
			...(record.currency !== undefined ? { currency: record.currency } : {}),
			reason: 'came in but no outcome reached the end of the run',
		});
		imbalance.push(
			`${record.recordId ?? 'a record'} came in but no outcome reached the end of the run`,
		);
	}

	const totals: CurrencyTotals[] = [...buckets.entries()]
		.filter(
			([currency, sums]) =>
				currency !== NO_CURRENCY || Object.values(sums).some((list) => list.length > 0),
		)
		.map(([currency, sums]) => {
			const total = sumAmounts;
			const accounted = sumAmounts([total(sums.written), total(sums.skipped), total(sums.failed)]);
			const difference = sumAmounts([total(sums.in), negate(accounted)]);
			const balanced = compare(difference, '0') === 0;
			if (!balanced)
				imbalance.push(
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

	const split = [...partsByRecord.values()].filter((parts) => parts.size === 2).length;
	for (const [recordId, parts] of partsByRecord) {
		if (parts.size !== 2)
			imbalance.push(
				`${recordId}: only the ${[...parts][0]} part of a split invoice reached the end`,
			);
	}
	const single = totals.length === 1 ? totals[0] : undefined;
	return {
		file,
		...(sha256 ? { sha256 } : {}),
		...(batch ? { batch } : {}),
		kind: (['invoice', 'payment', 'vendor'] as const).find((kind) => kinds.has(kind)) ?? 'invoice',
		systems: [...systems].sort(),
		recordsIn: recordsIn.size,
		...counts,
		split,
		currency: single ? single.currency : null,
		amountIn: single ? single.in : null,
		amountWritten: single ? single.written : null,
		amountSkipped: single ? single.skipped : null,
		amountFailed: single ? single.failed : null,
		totals,
		balanced: imbalance.length === 0,
		imbalance,
		records,
	};
}
