/**
 * Record validation per kind, after the values converted: defaults, document-type aliases, credit
 * signs, the invoice balance check `sum(lines.amount) == total − taxTotal` (exact), then the
 * plausibility checks (plausibility.ts).
 */
import type { RecordError } from './errors';
import { balanceGap, productGap } from './invoiceBalance';
import { checkPlausibility } from './plausibility';
import type { Built, BuildOptions, Plan, RawRecord } from './plan';

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

/** Exports repeat a handful of spellings: each is normalised once (a bounded table). */
const knownDocumentTypes = new Map<string, 'bill' | 'credit' | undefined>();

/** `Credit Memo`, `credit_memo`, `CREDIT-MEMO` → `credit`; undefined when not a known alias. */
export function normaliseDocumentType(text: string): 'bill' | 'credit' | undefined {
	if (knownDocumentTypes.has(text)) return knownDocumentTypes.get(text);
	const type = documentTypeOf(text);
	if (knownDocumentTypes.size < 1000) knownDocumentTypes.set(text, type);
	return type;
}

function documentTypeOf(text: string): 'bill' | 'credit' | undefined {
	return DOCUMENT_TYPES[
		text
			.toLowerCase()
			.replace(/[\s_-]+/g, ' ')
			.trim()
	];
}

const negate = (v: string): string => (v.startsWith('-') ? v.slice(1) : v === '0' ? v : `-${v}`);

/** The quantity × unit price check only warns, beyond one cent: Stampli rounds unit prices, the line amount is authoritative. */
const LINE_PRODUCT_WARN_ABOVE = '0.01';

type Flag = (rows: number[], path: string, reason: string, list?: RecordError[]) => void;

/** Defaults for each line (number, description, quantity, unit price) and duplicate line numbers. */
function completeLines(raw: RawRecord, lines: Array<Record<string, any>>, flag: Flag): void {
	const seenLineNumbers = new Map<number, number>();
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i];
		const row = raw.lines[i].row;
		line.lineNumber ??= i + 1;
		line.description ??= '';
		line.dimensions ??= {};
		if (line.quantity === undefined) line.quantity = '1';
		if (line.unitPrice === undefined && line.amount !== undefined) {
			if (/^1(\.0*)?$/.test(line.quantity)) line.unitPrice = line.amount;
			else
				flag(
					[row],
					'lines[].unitPrice',
					`is empty and the quantity is ${line.quantity}, so the unit price cannot be taken from the amount`,
				);
		}
		const earlier = seenLineNumbers.get(line.lineNumber);
		if (earlier !== undefined)
			flag(
				[earlier, row],
				'lines[].lineNumber',
				`line number ${line.lineNumber} appears twice in invoice ${raw.key} (rows ${earlier} and ${row})`,
			);
		seenLineNumbers.set(line.lineNumber, row);
	}
}

/** Credits are canonically positive amounts with documentType credit; a file that signs them negative is flipped. */
function unsignCredit(invoice: Record<string, any>, lines: Array<Record<string, any>>): void {
	if (invoice.documentType !== 'credit' || !invoice.total.startsWith('-')) return;
	invoice.total = negate(invoice.total);
	if (invoice.taxTotal !== undefined) invoice.taxTotal = negate(invoice.taxTotal);
	// Exporters sign either the unit price or the quantity; both end up as positive magnitudes.
	for (const line of lines) {
		line.amount = negate(line.amount);
		if (line.unitPrice?.startsWith('-')) line.unitPrice = negate(line.unitPrice);
		if (line.quantity.startsWith('-')) line.quantity = negate(line.quantity);
	}
}

function checkLineProducts(
	raw: RawRecord,
	lines: Array<Record<string, any>>,
	flag: Flag,
	warnings: RecordError[],
): void {
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i];
		if (line.unitPrice === line.amount && line.quantity === '1') continue; // exact by construction
		const product = productGap(line.quantity, line.unitPrice, line.amount, LINE_PRODUCT_WARN_ABOVE);
		if (product === undefined) continue;
		flag(
			[raw.lines[i].row],
			'lines[].amount',
			`quantity ${line.quantity} × unit price ${line.unitPrice} = ${product}, not ${line.amount} (warning only: the line amount is used)`,
			warnings,
		);
	}
}

function finishInvoice(
	plan: Plan,
	raw: RawRecord,
	invoice: Record<string, any>,
	errors: Problems,
	warnings: Problems,
	options: BuildOptions,
): void {
	const { file } = plan;
	const recordId = raw.key;
	const flag: Flag = (rows, path, reason, list = errors) =>
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
			flag(
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
	completeLines(raw, lines, flag);
	if (errors.length || invoice.total === undefined || lines.some((l) => l.amount === undefined))
		return;
	unsignCredit(invoice, lines);
	const amounts = lines.map((l) => l.amount as string);
	const gap = balanceGap(invoice.total, invoice.taxTotal ?? '0', options.sumTolerance, amounts);
	if (gap) flag(raw.rows, 'total', gap);
	checkLineProducts(raw, lines, flag, warnings);
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
			finishInvoice(plan, raw, record, errors, warnings, options);
			break;
		case 'payments':
			finishPayment(plan, raw, record);
			break;
		case 'vendors':
		case 'vendorFeed':
			finishVendor(plan, raw, record);
			break;
	}
	checkPlausibility(plan, raw, record, { errors, warnings }, options);
}
