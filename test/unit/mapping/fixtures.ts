import type { Invoice, InvoiceLine } from '../../../nodes/shared/records/types';

export function line(
	lineNumber: number,
	glAccount: string,
	dimensions: InvoiceLine['dimensions'] = {},
	amount = '100.00',
): InvoiceLine {
	return {
		lineNumber,
		description: `line ${lineNumber}`,
		quantity: '1',
		unitPrice: amount,
		amount,
		glAccount,
		dimensions,
	};
}

export function invoice(
	id: string,
	lines: InvoiceLine[],
	vendor: Partial<Invoice['vendor']> = {},
): Invoice {
	return {
		stampliInvoiceId: id,
		invoiceNumber: `INV-${id}`,
		documentType: 'bill',
		vendor: { stampliVendorId: 'V1', name: 'Acme Inc', ...vendor },
		invoiceDate: '2026-01-15',
		currency: 'USD',
		total: '1234.567',
		taxTotal: '0.10',
		lines,
		source: {
			file: 'out/invoices.csv',
			sha256: 'ab',
			format: 'csv',
			template: 'invoice-export@1',
			rows: [1],
		},
	};
}
