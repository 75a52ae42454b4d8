/** Items as the package's nodes emit them, for the audit tests. */
export const FILE = '/outbound/invoices-20261120.csv';
export const SHA = 'a'.repeat(64);

const source = (rows: number[]) => ({
	file: FILE,
	sha256: SHA,
	format: 'csv',
	template: 'invoice-export@1',
	rows,
});

export function invoice(
	id: string,
	number: string,
	total: string,
	extra: Record<string, unknown> = {},
) {
	return {
		stampliInvoiceId: id,
		invoiceNumber: number,
		documentType: 'bill',
		vendor: { stampliVendorId: 'V-1', name: 'Northwind Traders' },
		invoiceDate: '2026-11-20',
		currency: 'EUR',
		total,
		lines: [
			{
				lineNumber: 1,
				description: 'Paper',
				quantity: '1',
				unitPrice: total,
				amount: total,
				glAccount: '6100',
				dimensions: {},
			},
		],
		source: source([1]),
		mapping: {
			target: 'odoo',
			lines: [{ lineNumber: 1, rule: { id: 'office-supplies', reason: 'exact 6100' } }],
		},
		...extra,
	};
}

/** An Odoo Account Move success item: `erp` and `audit`. */
export function written(
	item: Record<string, unknown>,
	action: string,
	erpId: number,
	at = '2026-11-20T10:00:00.000Z',
	amountTotal?: string,
) {
	return {
		...item,
		erp: {
			system: 'odoo',
			id: erpId,
			externalId: `stampli.invoice_${String(item.stampliInvoiceId)}`,
			action,
			...(amountTotal ? { amountTotal } : {}),
		},
		audit: {
			at,
			what: 'odoo.bill',
			stampliId: item.stampliInvoiceId,
			file: FILE,
			sha256: SHA,
			erpId,
			action,
		},
	};
}

/** A GL Mapper Needs Attention item. */
export function needsAttention(item: Record<string, unknown>) {
	return {
		...item,
		reasons: [{ lineNumber: 1, reason: 'no GL rule matches code 9999' }],
	};
}

export const context = (executionId = '41') => ({
	flow: 'Stampli → Odoo: vendor bills',
	executionId,
	now: () => new Date('2026-11-20T10:05:00.000Z'),
});
