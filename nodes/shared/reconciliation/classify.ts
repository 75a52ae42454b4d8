/**
 * Turns one item that reached the end of a Stampli → ERP run into an outcome: which file and
 * record it belongs to, which bucket it lands in, and how much money it accounts for.
 * Recognised shapes (all plain JSON, so any n8n node may sit in between):
 * - a canonical invoice or payment with `erp.action` (created / updated / unchanged / skipped);
 * - the same with `error` (an ERP node's continueOnFail output) → failed;
 * - a GL Mapper "Needs attention" item (`reasons[]`, no `erp`) → failed;
 * - an invalid-record report from a reader (`file`, `rows`, `reason`, `recordId`) → failed, amount unknown.
 * A written record whose ERP reports the amount it booked (`erp.amountTotal`, e.g. Odoo's computed
 * bill total) counts on the "written" side with that amount, not the one the file stated: a bill
 * booked short then shows as an imbalance instead of hiding behind the stated figure.
 */
import { abs, add, compare, isDecimalString, negate } from '../records/decimal';

export type OutcomeStatus = 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed';
export type RecordKind = 'invoice' | 'payment' | 'vendor';

export interface Outcome {
	kind: RecordKind;
	file: string;
	sha256?: string;
	/** Stampli invoice id (invoices) or payment id (payments); may be absent on unreadable records. */
	recordId?: string;
	/** Vendor invoice number, for people reading the summary. */
	number?: string;
	currency?: string;
	/** The whole record's signed amount as the file stated it (credits negative); the "in" side. */
	recordAmount?: string;
	/** The signed amount this item accounts for (a split invoice's part covers only its lines); the ERP's own when it reported one. */
	amount?: string;
	/** What the file stated for this item, when `amount` is instead the amount the ERP booked (`erp.amountTotal`). */
	statedAmount?: string;
	status: OutcomeStatus;
	reason?: string;
	system?: string;
	erpId?: string | number | null;
	/** Set on one part of an invoice the GL Mapper split into a mapped and a needs-attention part. */
	part?: 'mapped' | 'needsAttention';
	rows?: number[];
	/** A reader's invalid-record report; one record can have several (one per bad field). */
	invalidRecord?: true;
	/** The batch of its file this item came in with, when the trigger emitted the file in batches. */
	batch?: BatchRef;
}

/** A trigger batch (`source.batch`, or `file.batch` on an invalid-record report): which part of which file. */
export interface BatchRef {
	index: number;
	count: number;
	firstItem: number;
	lastItem: number;
	fileItems: number;
}

/** `source.batch` / `file.batch` when it has the expected shape. */
export function batchOf(value: unknown): BatchRef | undefined {
	if (!isObject(value)) return undefined;
	const fields = ['index', 'count', 'firstItem', 'lastItem', 'fileItems'] as const;
	if (!fields.every((field) => Number.isInteger(value[field]))) return undefined;
	const [index, count, firstItem, lastItem, fileItems] = fields.map(
		(field) => value[field] as number,
	);
	return { index, count, firstItem, lastItem, fileItems };
}

export class NotReconcilableError extends Error {
	constructor(reason: string) {
		super(reason);
		this.name = 'NotReconcilableError';
	}
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
	typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined =>
	typeof value === 'string' && value !== ''
		? value
		: typeof value === 'number'
			? String(value)
			: undefined;
/** File name used for failures that do not say which file they came from. */
export const UNKNOWN_FILE = '(unknown file)';
const ERP_ACTIONS = new Set(['created', 'updated', 'unchanged', 'skipped']);

function errorReason(error: unknown): string {
	if (typeof error === 'string') return error;
	if (isObject(error)) {
		const message = text(error.message) ?? text(error.description) ?? text(error.reason);
		if (message) return message;
	}
	return 'failed (no reason given)';
}

function attentionReason(reasons: unknown[]): string {
	const parts = reasons.map((entry) => {
		if (!isObject(entry)) return String(entry);
		const line = typeof entry.lineNumber === 'number' ? `line ${entry.lineNumber}: ` : '';
		return `${line}${text(entry.reason) ?? 'needs attention'}`;
	});
	return parts.join('; ') || 'needs attention';
}

/** Sum of the line amounts of an invoice item, or undefined when a line amount is not a decimal. */
function linesAmount(lines: unknown): string | undefined {
	if (!Array.isArray(lines)) return undefined;
	const amounts = lines.map((line) => (isObject(line) ? line.amount : undefined));
	if (!amounts.every(isDecimalString)) return undefined;
	return add('0', ...(amounts as string[]));
}

/**
 * Which record an item is and the amount its file stated: invoices (total, credits negative),
 * payments (amount), vendors (no amount: a vendor sync moves no money).
 */
export function recordIdentity(json: Json): {
	kind: RecordKind;
	recordId?: string;
	amount?: string;
	currency?: string;
} {
	const currency = text(json.currency);
	if (json.stampliPaymentId !== undefined) {
		return {
			kind: 'payment',
			recordId: text(json.stampliPaymentId),
			...(isDecimalString(json.amount) ? { amount: json.amount } : {}),
			...(currency ? { currency } : {}),
		};
	}
	if (json.stampliInvoiceId !== undefined || Array.isArray(json.lines)) {
		const amount = isDecimalString(json.total)
			? json.documentType === 'credit'
				? negate(json.total)
				: json.total
			: undefined;
		return {
			kind: 'invoice',
			recordId: text(json.stampliInvoiceId),
			...(amount !== undefined ? { amount } : {}),
			...(currency ? { currency } : {}),
		};
	}
	if (json.vendorId !== undefined || json.stampliVendorId !== undefined) {
		return { kind: 'vendor', recordId: text(json.stampliVendorId) ?? text(json.vendorId) };
	}
	return { kind: 'invoice' };
}

function invalidRecordReport(json: Json): Json | undefined {
	for (const candidate of [json.error, json]) {
		if (
			isObject(candidate) &&
			typeof candidate.file === 'string' &&
			typeof candidate.reason === 'string'
		)
			return candidate;
	}
	return undefined;
}

/** Classifies one item's JSON. Throws NotReconcilableError for items that are none of the known shapes. */
export function classifyItem(json: Json): Outcome {
	const source = isObject(json.source) ? json.source : undefined;
	const failure = json.error !== undefined ? errorReason(json.error) : undefined;

	// An invalid-record report from a reader, no canonical record: the trigger's `{ error: { file, rows,
	// field, reason, recordId }, file: {…} }`, or the same fields flat.
	const report = !source ? invalidRecordReport(json) : undefined;
	if (report) {
		const batch = batchOf(isObject(json.file) ? json.file.batch : undefined);
		return {
			...(batch ? { batch } : {}),
			kind: json.stampliPaymentId !== undefined || json.kind === 'payment' ? 'payment' : 'invoice',
			file: report.file as string,
			...(text(report.recordId) ? { recordId: text(report.recordId) } : {}),
			status: 'failed',
			invalidRecord: true,
			reason: text(report.field)
				? `${text(report.field)}: ${report.reason as string}`
				: (report.reason as string),
			...(Array.isArray(report.rows)
				? { rows: report.rows.filter((row): row is number => typeof row === 'number') }
				: {}),
		};
	}

	if (!source || typeof source.file !== 'string') {
		// A failure that lost its record is still a failure: counted under an unknown file, never dropped.
		if (failure !== undefined)
			return { kind: 'invoice', file: UNKNOWN_FILE, status: 'failed', reason: failure };
		throw new NotReconcilableError('item has no "source.file": not a Stampli invoice or payment');
	}

	const identity = recordIdentity(json);
	const batch = batchOf(source.batch);
	const base: Outcome = {
		...(batch ? { batch } : {}),
		kind: identity.kind,
		file: source.file,
		...(text(source.sha256) ? { sha256: text(source.sha256) } : {}),
		...(identity.recordId ? { recordId: identity.recordId } : {}),
		...(text(json.invoiceNumber) ? { number: text(json.invoiceNumber) } : {}),
		...(identity.currency ? { currency: identity.currency } : {}),
		status: 'failed',
	};
	if (identity.amount !== undefined) base.recordAmount = identity.amount;
	base.amount = base.recordAmount;
	const sign = (value: string) => (json.documentType === 'credit' ? negate(value) : value);
	const isPayment = identity.kind === 'payment';

	const mapping = isObject(json.mapping) ? json.mapping : undefined;
	const partial = mapping && isObject(mapping.partial) ? mapping.partial : undefined;
	if (!isPayment && partial && (partial.part === 'mapped' || partial.part === 'needsAttention')) {
		// A split invoice: the needs-attention part accounts for its lines, the mapped part for its
		// lines plus the tax, so the two parts add up to the total (lines sum to total - tax).
		base.part = partial.part;
		const lines = linesAmount(json.lines);
		const tax = isDecimalString(json.taxTotal) ? json.taxTotal : '0';
		base.amount =
			lines === undefined ? undefined : sign(partial.part === 'mapped' ? add(lines, tax) : lines);
	}

	const erp = isObject(json.erp) ? json.erp : undefined;
	if (failure !== undefined)
		return {
			...base,
			status: 'failed',
			reason: failure,
			...(erp && text(erp.system) ? { system: text(erp.system) } : {}),
		};
	if (erp && typeof erp.action === 'string' && ERP_ACTIONS.has(erp.action))
		return writtenOutcome(base, erp, json.documentType === 'credit', isPayment);
	if (Array.isArray(json.reasons))
		return { ...base, status: 'failed', reason: attentionReason(json.reasons) };
	throw new NotReconcilableError(
		`${identity.kind} ${base.recordId ?? '(no id)'} from "${source.file}" has no "erp" result, "error" or "reasons": it has not been through an ERP node`,
	);
}

/**
 * An item an ERP node wrote (or left alone). A written record whose ERP reports the total it booked
 * counts with that amount: ERPs report document totals unsigned (an Odoo refund's amount_total is
 * positive), so the stated amount's sign is kept, or the document type's when nothing was stated.
 */
function writtenOutcome(base: Outcome, erp: Json, credit: boolean, isPayment: boolean): Outcome {
	const outcome: Outcome = { ...base };
	if (erp.action !== 'skipped' && !isPayment && isDecimalString(erp.amountTotal)) {
		const booked = abs(erp.amountTotal);
		const negative = outcome.amount !== undefined ? compare(outcome.amount, '0') < 0 : credit;
		if (outcome.amount !== undefined) outcome.statedAmount = outcome.amount;
		outcome.amount = negative ? negate(booked) : booked;
	}
	return {
		...outcome,
		status: erp.action as OutcomeStatus,
		...(text(erp.system) ? { system: text(erp.system) } : {}),
		erpId: typeof erp.id === 'string' || typeof erp.id === 'number' ? erp.id : null,
		...(text(erp.reason) ? { reason: text(erp.reason) } : {}),
	};
}
