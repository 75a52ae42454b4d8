/**
 * Checks of values that parse but are unlikely to be meant: an amount finer than its currency's
 * minor unit, a currency that is not an ISO 4217 code, a bill with a negative total, a payment of
 * zero or less, a date outside a sane range. By default they are warnings (the record flows on,
 * the warning says what was seen); with `plausibility: 'reject'` they make the record invalid.
 */
import { fractionDigits } from '../records/decimal';
import { minorUnitDigits } from './currencies';
import type { RecordError } from './errors';
import type { Plan, PlausibilityOptions, RawRecord } from './plan';

type Flag = (rows: number[], path: string, reason: string) => void;

function valueAt(record: Record<string, any>, segments: string[]): unknown {
	let value: any = record;
	for (const segment of segments) value = value?.[segment];
	return value;
}

function checkDates(
	plan: Plan,
	raw: RawRecord,
	record: Record<string, any>,
	flag: Flag,
	options: PlausibilityOptions,
): void {
	const { from, to } = options.dateRange;
	for (const field of plan.header) {
		if (field.type !== 'date' && field.type !== 'instant') continue;
		const value = valueAt(record, field.segments);
		if (typeof value !== 'string') continue;
		const day = value.slice(0, 10);
		if (day < from || day > to)
			flag(
				raw.rows,
				field.path,
				`${value} is outside the accepted dates ${from} … ${to} (dateRange)`,
			);
	}
}

/** Amount paths of a kind, each with its rows. */
function amountsOf(
	kind: string,
	raw: RawRecord,
	record: Record<string, any>,
): Array<[string, unknown, number[]]> {
	if (kind === 'payments') return [['amount', record.amount, raw.rows]];
	if (kind !== 'invoices') return [];
	const amounts: Array<[string, unknown, number[]]> = [
		['total', record.total, raw.rows],
		['taxTotal', record.taxTotal, raw.rows],
	];
	const lines: Array<Record<string, any>> = record.lines ?? [];
	for (let i = 0; i < lines.length; i++)
		amounts.push(['lines[].amount', lines[i].amount, [raw.lines[i]?.row ?? raw.rows[0]]]);
	return amounts;
}

function checkPrecision(plan: Plan, raw: RawRecord, record: Record<string, any>, flag: Flag): void {
	const amounts = amountsOf(plan.template.kind, raw, record);
	if (amounts.length === 0 || typeof record.currency !== 'string') return;
	const digits = minorUnitDigits(record.currency);
	if (digits === undefined) {
		flag(
			raw.rows,
			'currency',
			`${JSON.stringify(record.currency)} is not an ISO 4217 currency code, so amount precision cannot be checked`,
		);
		return;
	}
	for (const [path, value, rows] of amounts) {
		if (typeof value !== 'string' || fractionDigits(value) <= digits) continue;
		flag(
			rows,
			path,
			`${value} has ${fractionDigits(value)} decimals but ${record.currency.toUpperCase()} has ${digits}`,
		);
	}
}

function checkSigns(kind: string, raw: RawRecord, record: Record<string, any>, flag: Flag): void {
	if (
		kind === 'invoices' &&
		record.documentType === 'bill' &&
		typeof record.total === 'string' &&
		record.total.startsWith('-')
	)
		flag(
			raw.rows,
			'total',
			`a bill with a negative total (${record.total}); a credit note must have the document type credit`,
		);
	if (
		kind === 'payments' &&
		typeof record.amount === 'string' &&
		(record.amount === '0' || record.amount.startsWith('-'))
	)
		flag(raw.rows, 'amount', `a payment of ${record.amount}; a payment must be more than zero`);
}

export function checkPlausibility(
	plan: Plan,
	raw: RawRecord,
	record: Record<string, any>,
	lists: { errors: RecordError[]; warnings: RecordError[] },
	options: PlausibilityOptions,
): void {
	const list = options.plausibility === 'reject' ? lists.errors : lists.warnings;
	const flag: Flag = (rows, path, reason) => {
		const label = plan.labelOf(path);
		list.push({
			file: plan.file,
			rows,
			field: label,
			reason: `${label} (${path}): ${reason}`,
			recordId: raw.key,
		});
	};
	checkDates(plan, raw, record, flag, options);
	checkPrecision(plan, raw, record, flag);
	checkSigns(plan.template.kind, raw, record, flag);
}
