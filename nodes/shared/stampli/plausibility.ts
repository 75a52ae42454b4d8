/**
 * Checks of values that parse but are unlikely to be meant: an amount finer than its currency's
 * minor unit, a currency that is not an ISO 4217 code, a bill with a negative total, a payment of
 * zero or less, a date outside a sane range. By default they are warnings (the record flows on,
 * the warning says what was seen); with `plausibility: 'reject'` they make the record invalid.
 * Runs on every record: the date fields of a plan are found once, and nothing is allocated for a
 * record that passes.
 */
import { fractionDigits } from '../records/decimal';
import { minorUnitDigits } from './currencies';
import type { RecordError } from './errors';
import type { FieldPlan, Plan, PlausibilityOptions, RawRecord } from './plan';

interface Check {
	plan: Plan;
	raw: RawRecord;
	list: RecordError[];
}

function flag(check: Check, rows: number[], path: string, reason: string): void {
	const label = check.plan.labelOf(path);
	check.list.push({
		file: check.plan.file,
		rows,
		field: label,
		reason: `${label} (${path}): ${reason}`,
		recordId: check.raw.key,
	});
}

const dateFieldsOf = new WeakMap<Plan, FieldPlan[]>();

function dateFields(plan: Plan): FieldPlan[] {
	let fields = dateFieldsOf.get(plan);
	if (!fields) {
		fields = plan.header.filter((f) => f.type === 'date' || f.type === 'instant');
		dateFieldsOf.set(plan, fields);
	}
	return fields;
}

function valueAt(record: Record<string, any>, segments: string[]): unknown {
	let value: any = record;
	for (const segment of segments) value = value?.[segment];
	return value;
}

function checkDates(
	check: Check,
	record: Record<string, any>,
	range: { from: string; to: string },
): void {
	for (const field of dateFields(check.plan)) {
		const value = valueAt(record, field.segments);
		if (typeof value !== 'string') continue;
		const day = value.slice(0, 10);
		if (day < range.from || day > range.to)
			flag(
				check,
				check.raw.rows,
				field.path,
				`${value} is outside the accepted dates ${range.from} … ${range.to} (dateRange)`,
			);
	}
}

function checkAmount(
	check: Check,
	path: string,
	value: unknown,
	rows: number[],
	currency: string,
	digits: number,
): void {
	if (typeof value !== 'string') return;
	const decimals = fractionDigits(value);
	if (decimals > digits)
		flag(
			check,
			rows,
			path,
			`${value} has ${decimals} decimals but ${currency.toUpperCase()} has ${digits}`,
		);
}

function checkPrecision(check: Check, record: Record<string, any>): void {
	const kind = check.plan.template.kind;
	if ((kind !== 'invoices' && kind !== 'payments') || typeof record.currency !== 'string') return;
	const currency: string = record.currency;
	const digits = minorUnitDigits(currency);
	if (digits === undefined) {
		flag(
			check,
			check.raw.rows,
			'currency',
			`${JSON.stringify(record.currency)} is not an ISO 4217 currency code, so amount precision cannot be checked`,
		);
		return;
	}
	const { rows } = check.raw;
	if (kind === 'payments')
		return checkAmount(check, 'amount', record.amount, rows, currency, digits);
	checkAmount(check, 'total', record.total, rows, currency, digits);
	checkAmount(check, 'taxTotal', record.taxTotal, rows, currency, digits);
	const lines: Array<Record<string, any>> = record.lines ?? [];
	for (let i = 0; i < lines.length; i++)
		checkAmount(
			check,
			'lines[].amount',
			lines[i].amount,
			[check.raw.lines[i]?.row ?? rows[0]],
			currency,
			digits,
		);
}

function checkSigns(check: Check, record: Record<string, any>): void {
	const kind = check.plan.template.kind;
	const { rows } = check.raw;
	if (
		kind === 'invoices' &&
		record.documentType === 'bill' &&
		typeof record.total === 'string' &&
		record.total.startsWith('-')
	)
		flag(
			check,
			rows,
			'total',
			`a bill with a negative total (${record.total}); a credit note must have the document type credit`,
		);
	if (
		kind === 'payments' &&
		typeof record.amount === 'string' &&
		(record.amount === '0' || record.amount.startsWith('-'))
	)
		flag(check, rows, 'amount', `a payment of ${record.amount}; a payment must be more than zero`);
}

export function checkPlausibility(
	plan: Plan,
	raw: RawRecord,
	record: Record<string, any>,
	lists: { errors: RecordError[]; warnings: RecordError[] },
	options: PlausibilityOptions,
): void {
	const check: Check = {
		plan,
		raw,
		list: options.plausibility === 'reject' ? lists.errors : lists.warnings,
	};
	checkDates(check, record, options.dateRange);
	checkPrecision(check, record);
	checkSigns(check, record);
}
