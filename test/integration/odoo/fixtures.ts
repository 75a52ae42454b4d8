/** Canonical invoices and payments for Odoo tests and the bench. */
import type { Invoice, InvoiceMapping, Payment } from '../../../nodes/shared/records/types';

const VENDORS = [
	{ stampliVendorId: 'SV-AZURE', name: 'Azure Interior', taxId: 'US 123456789' },
	{ stampliVendorId: 'SV-DECO', name: 'Deco Addict', taxId: 'BE0477472701' },
	{ stampliVendorId: 'WOOD-01', name: 'Wood Corner' },
];
const CODES = ['600000', '611000', '612000', '620000', '630000'];

export function makeInvoice(n: number, overrides: Partial<Invoice> = {}, lineCount = 2): Invoice {
	const lines = Array.from({ length: lineCount }, (_, k) => ({
		lineNumber: k + 1,
		description: `Item ${n}.${k + 1}`,
		quantity: String(k + 1),
		unitPrice: `${10 + k}.25`,
		amount: ((k + 1) * (10 + k + 0.25)).toFixed(2),
		glAccount: CODES[(n + k) % CODES.length],
		dimensions: {},
	}));
	const total = lines.reduce((sum, l) => sum + Math.round(Number(l.amount) * 100), 0);
	return {
		stampliInvoiceId: `STI-${n}`,
		invoiceNumber: `V-INV/${n}`,
		documentType: 'bill',
		vendor: VENDORS[n % VENDORS.length],
		invoiceDate: '2026-11-20',
		dueDate: '2026-12-20',
		currency: 'USD',
		total: (total / 100).toFixed(2),
		lines,
		source: {
			file: '/outbound/invoices-2026-11-20.csv',
			sha256: 'a'.repeat(64),
			format: 'csv',
			template: 'invoice-export@1',
			rows: [n * 10 + 1, n * 10 + 2],
		},
		...overrides,
	};
}

export function mappingFor(
	invoice: Invoice,
	accountId: number,
	extra: Partial<InvoiceMapping['lines'][number]['odoo']> = {},
): InvoiceMapping {
	return {
		target: 'odoo',
		lines: invoice.lines.map((l) => ({
			lineNumber: l.lineNumber,
			odoo: { accountId, ...extra },
			rule: { id: 'r-ops', reason: 'department = Ops' },
		})),
	};
}

export function makePayment(invoice: Invoice, amount: string, n = 1): Payment {
	return {
		stampliPaymentId: `SP-${invoice.stampliInvoiceId}-${n}`,
		stampliInvoiceId: invoice.stampliInvoiceId,
		invoiceNumber: invoice.invoiceNumber,
		vendor: invoice.vendor,
		paymentDate: '2026-11-25',
		amount,
		currency: invoice.currency,
		reference: `ACH ${n}`,
		source: {
			file: '/outbound/payments-2026-11-25.csv',
			sha256: 'b'.repeat(64),
			format: 'csv',
			template: 'payment-export@1',
			rows: [n],
		},
	};
}
