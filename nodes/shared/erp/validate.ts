/**
 * The checks every ERP writer makes before it asks the ERP anything, with messages naming the
 * file, the rows and the field, so a person can find the record in the Stampli export.
 */
import { compare, isDecimalString } from '../records/decimal';
import type { Invoice, Payment } from '../records/types';
import { ErpInputError } from './outcome';

type SourceOf = { source?: { file?: string; rows?: number[] } };

/** `invoices.csv rows 3,4, invoice STI-1`: where a record came from. */
export function recordWhere(record: SourceOf | undefined, what: string, id: unknown): string {
	const source = record?.source;
	const rows = source?.rows?.length ? ` rows ${source.rows.join(',')}` : '';
	return `${source?.file ?? 'input'}${rows}, ${what} ${(id as string | undefined) ?? '?'}`;
}

export function invoiceWhere(invoice: Invoice): string {
	return recordWhere(invoice, 'invoice', invoice?.stampliInvoiceId);
}

export function paymentWhere(payment: Payment): string {
	return recordWhere(payment, 'payment', payment?.stampliPaymentId);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks the fields every writer relies on; throws ErpInputError naming file, row and field. */
export function validateInvoice(invoice: Invoice): void {
	const fail = (field: string, why: string) => {
		throw new ErpInputError(`${invoiceWhere(invoice)}: ${field} ${why}`);
	};
	if (!invoice || typeof invoice !== 'object')
		throw new ErpInputError('input item is not an invoice object');
	if (!invoice.stampliInvoiceId) fail('stampliInvoiceId', 'is missing');
	if (!invoice.invoiceNumber) fail('invoiceNumber', 'is missing');
	if (invoice.documentType !== 'bill' && invoice.documentType !== 'credit')
		fail(
			'documentType',
			`must be "bill" or "credit" (got ${JSON.stringify(invoice.documentType)})`,
		);
	if (!ISO_DATE.test(invoice.invoiceDate ?? ''))
		fail('invoiceDate', `must be YYYY-MM-DD (got ${JSON.stringify(invoice.invoiceDate)})`);
	if (invoice.dueDate && !ISO_DATE.test(invoice.dueDate))
		fail('dueDate', `must be YYYY-MM-DD (got ${JSON.stringify(invoice.dueDate)})`);
	if (!/^[A-Z]{3}$/.test(invoice.currency ?? ''))
		fail('currency', `must be an ISO 4217 code (got ${JSON.stringify(invoice.currency)})`);
	if (
		!invoice.vendor?.stampliVendorId &&
		!invoice.vendor?.erpVendorId &&
		!invoice.mapping?.vendor?.erpVendorId
	)
		fail('vendor.stampliVendorId', 'is missing');
	if (!Array.isArray(invoice.lines) || invoice.lines.length === 0) fail('lines', 'are missing');
	for (const line of invoice.lines) {
		for (const field of ['quantity', 'unitPrice', 'amount'] as const) {
			if (!isDecimalString(line[field]))
				fail(
					`line ${line.lineNumber} ${field}`,
					`is not a decimal string (got ${JSON.stringify(line[field])})`,
				);
		}
	}
}

export function validatePayment(payment: Payment): void {
	const fail = (field: string, why: string) => {
		throw new ErpInputError(`${paymentWhere(payment)}: ${field} ${why}`);
	};
	if (!payment || typeof payment !== 'object')
		throw new ErpInputError('input item is not a payment object');
	if (!payment.stampliPaymentId) fail('stampliPaymentId', 'is missing');
	if (!payment.stampliInvoiceId) fail('stampliInvoiceId', 'is missing');
	if (!isDecimalString(payment.amount) || compare(payment.amount, '0') <= 0)
		fail('amount', `must be a positive decimal string (got ${JSON.stringify(payment.amount)})`);
	if (!ISO_DATE.test(payment.paymentDate ?? ''))
		fail('paymentDate', `must be YYYY-MM-DD (got ${JSON.stringify(payment.paymentDate)})`);
}
