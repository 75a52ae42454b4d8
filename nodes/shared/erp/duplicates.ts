/**
 * The same record twice in one batch, one rule for every ERP: it is written once. Every later copy
 * reports the outcome of that one write — a success as `skipped`, with the same ERP id; a failure as
 * the same failure — unless its content differs from the first copy: then it fails, because two
 * versions of one approved record cannot both be right and taking either silently would change what
 * was approved. Each ERP's writer runs its records through `writeOncePerRecord`.
 */
import type { Invoice, Payment } from '../records/types';
import { inputFailure, type ErpFailure, type ErpOutcome } from './outcome';
import { invoiceWhere, paymentWhere } from './validate';

export interface DuplicateRule<R> {
	/** The record's identity (its Stampli id); records without one are passed on for the writer to report. */
	key(record: R): string | undefined;
	/** How a record is named in messages, e.g. its file, rows and Stampli id. */
	where(record: R): string;
	/** The record's kind for messages: `invoice`, `payment`. */
	what: string;
}

/** Fields that say where a record came from or what a previous node did with it, not what it is. */
const NOT_CONTENT = new Set(['source', 'erp', 'audit', 'error', 'errorCode']);

/** JSON with sorted keys, so two copies compare equal whatever order their fields came in. */
function canonical(value: unknown, top = true): string {
	if (Array.isArray(value)) return `[${value.map((v) => canonical(v, false)).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([k, v]) => v !== undefined && !(top && NOT_CONTENT.has(k)))
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v, false)}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/**
 * Writes each distinct record once through `write` and returns one outcome per input record, in
 * input order. Item numbers in messages count from 1 within this batch.
 */
export async function writeOncePerRecord<R, O extends ErpOutcome>(
	records: R[],
	rule: DuplicateRule<R>,
	write: (unique: R[]) => Promise<O[]>,
): Promise<Array<O | ErpFailure>> {
	const firstByKey = new Map<string, { index: number; content: string }>();
	/** For each input record: its position among the unique records, or the earlier copy it repeats. */
	const plan: Array<{ unique: number } | { copyOf: number } | { conflict: ErpFailure }> = [];
	const unique: R[] = [];
	records.forEach((record, index) => {
		const key = record && typeof record === 'object' ? rule.key(record) : undefined;
		const first = key === undefined ? undefined : firstByKey.get(key);
		if (key === undefined || !first) {
			if (key !== undefined) firstByKey.set(key, { index, content: canonical(record) });
			plan.push({ unique: unique.length });
			unique.push(record);
		} else if (first.content === canonical(record)) {
			plan.push({ copyOf: first.index });
		} else {
			plan.push({
				conflict: inputFailure(
					`${rule.where(record)}: the same ${rule.what} appears twice in this batch with different content (first at item ${first.index + 1}); only item ${first.index + 1} was written — correct the export so it carries one version`,
					'DUPLICATE_IN_BATCH',
				),
			});
		}
	});
	const written = unique.length ? await write(unique) : [];
	const outcomes: Array<O | ErpFailure> = new Array(records.length);
	plan.forEach((step, index) => {
		if ('unique' in step) outcomes[index] = written[step.unique];
	});
	plan.forEach((step, index) => {
		if ('conflict' in step) outcomes[index] = step.conflict;
		if (!('copyOf' in step)) return;
		const first = outcomes[step.copyOf];
		const same = `same ${rule.what} as item ${step.copyOf + 1} of this batch, written once`;
		outcomes[index] = first.ok
			? ({
					...first,
					erp: {
						...first.erp,
						action: 'skipped',
						reason: [same, first.erp.reason].filter(Boolean).join('; '),
					},
				} as O)
			: { ...first, reason: `${first.reason} (${same})` };
	});
	return outcomes;
}

/** Invoices are the same when their Stampli invoice id is. */
export const INVOICE_DUPLICATES: DuplicateRule<Invoice> = {
	what: 'invoice',
	key: (invoice) => invoice.stampliInvoiceId || undefined,
	where: invoiceWhere,
};

/** Payments are the same when their Stampli payment id is. */
export const PAYMENT_DUPLICATES: DuplicateRule<Payment> = {
	what: 'payment',
	key: (payment) => payment.stampliPaymentId || undefined,
	where: paymentWhere,
};
