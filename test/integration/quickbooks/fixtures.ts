import type { Invoice } from '../../../nodes/shared/records';
import { add, toFixed } from '../../../nodes/shared/records/decimal';
import type { EmulatorSeed } from '../../emulators/quickbooks';

export const seed: EmulatorSeed = {
	accounts: [
		{ Id: '60', Name: 'Office Supplies', AcctNum: '6100' },
		{ Id: '61', Name: 'Professional Fees', AcctNum: '6200' },
		{ Id: '62', Name: 'Sales Tax Paid', AcctNum: '6900' },
	],
	classes: [
		{ Id: '70', Name: 'Consulting' },
		{ Id: '71', Name: 'Operations' },
	],
	departments: [
		{ Id: '80', Name: 'New York' },
		{ Id: '81', Name: 'London' },
	],
	vendors: [{ Id: '90', DisplayName: 'Staples Inc', TaxIdentifier: '12-3456789' }],
	customers: [{ Id: '95', DisplayName: 'Acme Corp' }],
};

let serial = 0;

export function invoice(over: Partial<Invoice> & { amounts?: string[] } = {}): Invoice {
	serial++;
	const amounts = over.amounts ?? ['100.00', '50.25'];
	const lines = amounts.map((amount, k) => ({
		lineNumber: k + 1,
		description: `Line ${k + 1}`,
		quantity: '1',
		unitPrice: amount,
		amount,
		glAccount: k % 2 ? '6200' : '6100',
		dimensions: { department: 'NY', class: 'Consulting' },
	}));
	const total = toFixed(add(...amounts), 2);
	const inv: Invoice = {
		stampliInvoiceId: `STI-${serial}`,
		invoiceNumber: `INV-${serial}`,
		documentType: 'bill',
		vendor: { stampliVendorId: 'SV-1', name: 'Staples Inc' },
		invoiceDate: '2026-11-02',
		dueDate: '2026-12-02',
		currency: 'USD',
		total,
		lines,
		source: {
			file: '/outbound/invoices-20261102.csv',
			sha256: 'ab'.repeat(32),
			format: 'csv',
			template: 'invoice-export@1',
			rows: [serial],
		},
		mapping: {
			target: 'quickbooks',
			lines: lines.map((l, k) => ({
				lineNumber: l.lineNumber,
				quickbooks: {
					accountRef: { value: k % 2 ? '61' : '60' },
					classRef: { value: '70' },
					departmentRef: { value: '80' },
				},
				rule: { id: `rule-${k % 2 ? 'fees' : 'supplies'}`, reason: 'exact code' },
			})),
		},
		...over,
	};
	delete (inv as { amounts?: string[] }).amounts;
	return inv;
}
