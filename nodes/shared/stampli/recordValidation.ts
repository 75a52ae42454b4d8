/**
 * Per-kind rules applied after the values converted: defaults, document-type aliases, credit signs,
 * and the invoice balance check `sum(lines.amount) == total − taxTotal` (exact, in scaled bigints).
 */
import type { Built, BuildOptions, Plan, RawRecord } from './plan';
import type { RecordError } from './errors';

type Problems = Built['errors'];

const DOCUMENT_TYPES: Record<string, 'bill' | 'credit'> = {
	bill: 'bill',
	invoice: 'bill',
	inv: 'bill',
	'vendor bill': 'bill',
	'vendor invoice': 'bill',
	'purchase invoice': 'bill',
	'ap invoice': 'bill',
	standard: 'bill',
	debit: 'bill',
	credit: 'credit',
	'credit memo': 'credit',
	creditmemo: 'credit',
	'credit note': 'credit',
	creditnote: 'credit',
	cm: 'credit',
	'vendor credit': 'credit',
	'credit invoice': 'credit',
	refund: 'credit',
};

/** `Credit Memo`, `credit_memo`, `CREDIT-MEMO` → `credit`; undefined when not a known alias. */
export function normaliseDocumentType(text: string): 'bill' | 'credit' | undefined {
	return DOCUMENT_TYPES[
		text
			.toLowerCase()
			.replace(/[\s_-]+/g, ' ')
			.trim()
	];
}

/** Exact scaled integers for canonical decimal strings (all at the largest scale among them). */
function scaled(values: string[]): { ints: bigint[]; scale: number } {
	const scale = Math.max(
		0,
		...values.map((v) => (v.includes('.') ? v.length - v.indexOf('.') - 1 : 0)),
	);
	const ints = values.map((v) => {
		const negative = v.startsWith('-');
		const [int, frac = ''] = (negative ? v.slice(1) : v).split('.');
		const n = BigInt(int + frac.padEnd(scale, '0'));
		return negative ? -n : n;
	});
	return { ints, scale };
}

const fractionDigits = (v: string): number => {
	const dot = v.indexOf('.');
	return dot < 0 ? 0 : v.length - dot - 1;
};

/** Largest scaled magnitude the fast path takes, so a sum of up to FAST_SUM_TERMS of them stays an exact JS integer. */
const FAST_LIMIT = 1e12;
const FAST_SUM_TERMS = 9000;

/** A canonical decimal string as an integer count of 10^-scale units, or undefined when beyond the exact fast path. */
function scaledInteger(v: string, scale: number): number | undefined {
	const negative = v.charCodeAt(0) === 45;
	let n = 0;
	let fraction = -1;
	for (let i = negative ? 1 : 0; i < v.length; i++) {
		const code = v.charCodeAt(i);
		if (code === 46) fraction = 0;
		else {
			n = n * 10 + (code - 48);
			if (fraction >= 0) fraction++;
		}
	}
	for (let i = Math.max(fraction, 0); i < scale; i++) n *= 10;
	if (n > FAST_LIMIT) return undefined;
	return negative ? -n : n;
}

/**
 * The common case of the balance check in exact integer arithmetic (integers well inside 2^53, no
 * BigInt, no string splitting): true when balanced, false when not, undefined when the values are
 * too large for the fast path (the BigInt path then decides).
 */
function balancesFast(
	total: string,
	tax: string,
	tolerance: string,
	amounts: string[],
): boolean | undefined {
	if (amounts.length > FAST_SUM_TERMS) return undefined;
	let scale = Math.max(fractionDigits(total), fractionDigits(tax), fractionDigits(tolerance));
	for (const amount of amounts) scale = Math.max(scale, fractionDigits(amount));
	if (scale > 6) return undefined;
	const totalUnits = scaledInteger(total, scale);
	const taxUnits = scaledInteger(tax, scale);
	const toleranceUnits = scaledInteger(tolerance, scale);
	if (totalUnits === undefined || taxUnits === undefined || toleranceUnits === undefined)
		return undefined;
	let sum = 0;
	for (const amount of amounts) {
		const units = scaledInteger(amount, scale);
		if (units === undefined) return undefined;
		sum += units;
	}
	return Math.abs(sum - (totalUnits - taxUnits)) <= toleranceUnits;
}

function formatScaled(n: bigint, scale: number): string {
	const negative = n < 0n;
	const digits = (negative ? -n : n).toString().padStart(scale + 1, '0');
	const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
	return negative ? `-${text}` : text;
}

const trimZeros = (v: string): string => (v.includes('.') ? v.replace(/\.?0+$/, '') : v);

const negate = (v: string): string => (v.startsWith('-') ? v.slice(1) : v === '0' ? v : `-${v}`);

/** The quantity × unit price check only warns, beyond one cent: Stampli rounds unit prices, the line amount is authoritative. */
const LINE_PRODUCT_WARN_ABOVE = '0.01';

function finishInvoice(
	plan: Plan,
	raw: RawRecord,
	invoice: Record<string, any>,
	errors: Problems,
	warnings: Problems,
	options: BuildOptions,
): void {
	const file = plan.file;
	const recordId = raw.key;
	const err = (rows: number[], path: string, reason: string, list: RecordError[] = errors) =>
		list.push({
			file,
			rows,
			field: plan.labelOf(path),
			reason: `${plan.labelOf(path)} (${path}): ${reason}`,
			recordId,
		});

	invoice.vendor ??= {};
	if (typeof invoice.documentType === 'string') {
		const documentType = normaliseDocumentType(invoice.documentType);
		if (documentType) invoice.documentType = documentType;
		else
			err(
				raw.rows,
				'documentType',
				`"${invoice.documentType}" is not a document type; expected bill or credit (or an alias such as invoice, credit memo, credit note)`,
			);
	}
	const lines: Array<Record<string, any>> = invoice.lines;
	if (lines.length === 0) {
		errors.push({ file, rows: raw.rows, reason: 'the invoice has no lines', recordId });
		return;
	}
	const seenLineNumbers = new Map<number, number>();
	lines.forEach((line, i) => {
		const row = raw.lines[i].row;
		line.lineNumber ??= i + 1;
		line.description ??= '';
		line.dimensions ??= {};
		if (line.quantity === undefined) line.quantity = '1';
		if (line.unitPrice === undefined && line.amount !== undefined) {
			if (/^1(\.0*)?$/.test(line.quantity)) line.unitPrice = line.amount;
			else
				err(
					[row],
					'lines[].unitPrice',
					`is empty and the quantity is ${line.quantity}, so the unit price cannot be taken from the amount`,
				);
		}
		const earlier = seenLineNumbers.get(line.lineNumber);
		if (earlier !== undefined)
			err(
				[earlier, row],
				'lines[].lineNumber',
				`line number ${line.lineNumber} appears twice in invoice ${recordId} (rows ${earlier} and ${row})`,
			);
		seenLineNumbers.set(line.lineNumber, row);
	});
	if (errors.length || invoice.total === undefined || lines.some((l) => l.amount === undefined))
		return;

	// Credits are canonically positive amounts with documentType credit; a file that signs them negative is flipped.
	if (invoice.documentType === 'credit' && invoice.total.startsWith('-')) {
		invoice.total = negate(invoice.total);
		if (invoice.taxTotal !== undefined) invoice.taxTotal = negate(invoice.taxTotal);
		// Exporters sign either the unit price or the quantity; both end up as positive magnitudes.
		for (const line of lines) {
			line.amount = negate(line.amount);
			if (line.unitPrice?.startsWith('-')) line.unitPrice = negate(line.unitPrice);
			if (line.quantity.startsWith('-')) line.quantity = negate(line.quantity);
		}
	}

	const amounts = lines.map((l) => l.amount as string);
	const balanced = balancesFast(
		invoice.total,
		invoice.taxTotal ?? '0',
		options.sumTolerance,
		amounts,
	);
	// Exact BigInt arithmetic (with the explaining message) only when the fast path cannot decide or finds a gap.
	if (balanced !== true) checkBalance(raw, invoice, amounts, options, err);
	checkLineProducts(raw, lines, err, warnings);
}

function checkBalance(
	raw: RawRecord,
	invoice: Record<string, any>,
	amounts: string[],
	options: BuildOptions,
	err: (rows: number[], path: string, reason: string) => void,
): void {
	// '0.00' keeps the message at cent precision or finer.
	const { ints, scale } = scaled([
		invoice.total,
		invoice.taxTotal ?? '0',
		options.sumTolerance,
		'0.00',
		...amounts,
	]);
	const [total, tax, tolerance, , ...lineInts] = ints;
	const sum = lineInts.reduce((a, b) => a + b, 0n);
	const expected = total - tax;
	const difference = sum - expected;
	if ((difference < 0n ? -difference : difference) > tolerance) {
		err(
			raw.rows,
			'total',
			`line amounts sum to ${formatScaled(sum, scale)} but total ${invoice.total} − tax ${invoice.taxTotal ?? '0'} = ${formatScaled(expected, scale)} (difference ${formatScaled(difference, scale)}, tolerance ${options.sumTolerance})`,
		);
	}
}

function checkLineProducts(
	raw: RawRecord,
	lines: Array<Record<string, any>>,
	err: (rows: number[], path: string, reason: string, list?: RecordError[]) => void,
	warnings: Problems,
): void {
	lines.forEach((line, i) => {
		if (line.unitPrice === line.amount && line.quantity === '1') return; // the common case, exact by construction
		const check = scaled([line.quantity, line.unitPrice, line.amount, LINE_PRODUCT_WARN_ABOVE]);
		const [q, p, amount, cent] = check.ints;
		const productScale = check.scale * 2;
		const lift = 10n ** BigInt(check.scale);
		const gap = q * p - amount * lift;
		if ((gap < 0n ? -gap : gap) > cent * lift) {
			err(
				[raw.lines[i].row],
				'lines[].amount',
				`quantity ${line.quantity} × unit price ${line.unitPrice} = ${trimZeros(formatScaled(q * p, productScale))}, not ${line.amount} (warning only: the line amount is used)`,
				warnings,
			);
		}
	});
}

function finishPayment(_plan: Plan, _raw: RawRecord, payment: Record<string, any>): void {
	payment.vendor ??= {};
}

function finishVendor(_plan: Plan, _raw: RawRecord, vendor: Record<string, any>): void {
	vendor.active ??= true;
}

export function finishRecord(
	plan: Plan,
	raw: RawRecord,
	record: Record<string, any>,
	errors: Problems,
	warnings: Problems,
	options: BuildOptions,
): void {
	switch (plan.template.kind) {
		case 'invoices':
			return finishInvoice(plan, raw, record, errors, warnings, options);
		case 'payments':
			return finishPayment(plan, raw, record);
		case 'vendors':
		case 'vendorFeed':
			return finishVendor(plan, raw, record);
		default:
			return;
	}
}
