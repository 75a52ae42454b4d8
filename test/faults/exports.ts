/** Stampli exports the fault cases write: invoice and payment CSVs in the default templates' columns. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SAMPLE_DIR } from '../kit/standIns';
import type { ApprovedInvoice, ApprovedPayment } from './ledger';
import { GL_CODE, VENDOR } from './world';

const headerOf = (file: string) =>
	fs.readFileSync(path.join(SAMPLE_DIR, file), 'utf8').split('\n')[0];
const INVOICE_HEADER = headerOf('invoice-export.csv');
const PAYMENT_HEADER = headerOf('payment-export.csv');

function row(header: string, values: Record<string, string>): string {
	return header
		.split(',')
		.map((column) => values[column] ?? '')
		.join(',');
}

export interface InvoiceSpec extends ApprovedInvoice {
	id: string;
	/** Lines of the invoice (the amount is spread over them); default 1. */
	lines?: number;
}

/** `count` invoices numbered `<tag>-1…`, amounts distinct per invoice, in `currency`. */
export function invoices(tag: string, count: number, currency: string, lines = 1): InvoiceSpec[] {
	return Array.from({ length: count }, (_, k) => ({
		id: `${tag}-I${k + 1}`,
		number: `${tag}-${k + 1}`,
		amount: ((100 + 17 * (k + 1)) * lines + (k % 7) / 100).toFixed(2),
		currency,
		lines,
	}));
}

/** The CSV rows of one invoice: its lines share the amount (the last line takes the rest). */
function invoiceRows(invoice: InvoiceSpec): string[] {
	const lines = invoice.lines ?? 1;
	const totalCents = Math.round(Number(invoice.amount) * 100);
	const each = Math.floor(totalCents / lines);
	return Array.from({ length: lines }, (_, k) => {
		const cents = k === lines - 1 ? totalCents - each * (lines - 1) : each;
		const amount = (cents / 100).toFixed(2);
		return row(INVOICE_HEADER, {
			InvoiceId: invoice.id,
			InvoiceNumber: invoice.number,
			DocumentType: 'bill',
			VendorId: VENDOR.id,
			VendorName: VENDOR.name,
			InvoiceDate: '2026-11-10',
			DueDate: '2026-12-10',
			Currency: invoice.currency,
			Total: invoice.amount,
			TaxTotal: '0',
			LineNumber: String(k + 1),
			LineDescription: `Fault matrix ${invoice.number} line ${k + 1}`,
			Quantity: '1',
			UnitPrice: amount,
			LineAmount: amount,
			GLAccount: GL_CODE,
		});
	});
}

/** Header line and one line per invoice line, each ending with a line break. */
export function invoiceCsvLines(list: InvoiceSpec[]): string[] {
	return [INVOICE_HEADER, ...list.flatMap(invoiceRows)].map((line) => `${line}\n`);
}

export const invoiceCsv = (list: InvoiceSpec[]) => invoiceCsvLines(list).join('');

export interface PaymentSpec extends ApprovedPayment {
	id: string;
	invoice: InvoiceSpec;
}

export function paymentCsv(list: PaymentSpec[]): string {
	return [
		PAYMENT_HEADER,
		...list.map((p) =>
			row(PAYMENT_HEADER, {
				PaymentId: p.id,
				InvoiceId: p.invoice.id,
				InvoiceNumber: p.invoice.number,
				VendorId: VENDOR.id,
				VendorName: VENDOR.name,
				PaymentDate: '2026-11-20',
				Amount: p.amount,
				Currency: p.currency,
				PaymentMethod: 'ACH',
				Reference: p.reference,
			}),
		),
	]
		.map((line) => `${line}\n`)
		.join('');
}
