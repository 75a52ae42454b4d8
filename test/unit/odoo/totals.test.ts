import {
	checkBillTotals,
	currencyScale,
	expectedTotals,
	odooMoney,
} from '../../../nodes/shared/odoo';
import type { Invoice } from '../../../nodes/shared/records/types';

const invoice = (extra: Partial<Invoice> = {}): Invoice =>
	({
		stampliInvoiceId: 'I1',
		invoiceNumber: 'N1',
		documentType: 'bill',
		vendor: { stampliVendorId: 'V', name: 'V' },
		invoiceDate: '2026-11-01',
		currency: 'USD',
		total: '1100.00',
		taxTotal: '100.00',
		lines: [
			{
				lineNumber: 1,
				description: 'x',
				quantity: '1',
				unitPrice: '1000.00',
				amount: '1000.00',
				glAccount: '6000',
				dimensions: {},
			},
		],
		...extra,
	}) as Invoice;

describe('Odoo bill totals against Stampli', () => {
	it('reads Odoo doubles as decimal text at the currency precision', () => {
		expect(odooMoney(1149.99, 2)).toBe('1149.99');
		expect(odooMoney(0.1 + 0.2, 2)).toBe('0.30');
		expect(odooMoney(1000, 2)).toBe('1000.00');
		expect(odooMoney(12345, currencyScale('JPY'))).toBe('12345');
		expect(odooMoney(1.234, currencyScale('KWD'))).toBe('1.234');
		expect(odooMoney(false, 2)).toBeUndefined();
		expect([
			currencyScale('USD'),
			currencyScale('JPY'),
			currencyScale('BHD'),
			currencyScale('XYZ'),
		]).toEqual([2, 0, 3, 2]);
	});

	it('flags a total that differs, and only notes a tax split that differs when the total agrees', () => {
		const usd = [1, 'USD'];
		expect(
			checkBillTotals(invoice(), { amount_total: 1000, amount_tax: 0, currency_id: usd }),
		).toEqual({
			amountTotal: '1000.00',
			amountTax: '0.00',
			mismatch:
				'total mismatch: Odoo 1000.00 vs Stampli 1100.00 USD (tax: Odoo 0.00 vs Stampli 100.00)',
			notes: [],
		});
		expect(
			checkBillTotals(invoice(), { amount_total: 1100, amount_tax: 100, currency_id: usd }),
		).toEqual({ amountTotal: '1100.00', amountTax: '100.00', notes: [] });
		expect(
			checkBillTotals(invoice(), { amount_total: 1100, amount_tax: 0, currency_id: usd }).notes,
		).toEqual(['tax mismatch: Odoo 0.00 vs Stampli 100.00 USD (totals agree at 1100.00)']);
		// Stampli's total with more digits than the currency has compares after rounding, as Odoo books it.
		expect(
			checkBillTotals(invoice({ total: '1100.004', taxTotal: undefined }), {
				amount_total: 1100,
				amount_tax: 0,
				currency_id: usd,
			}).mismatch,
		).toBeUndefined();
		// A difference of one cent is a difference.
		expect(
			checkBillTotals(invoice({ taxTotal: undefined }), {
				amount_total: 1099.99,
				amount_tax: 0,
				currency_id: usd,
			}).mismatch,
		).toBe('total mismatch: Odoo 1099.99 vs Stampli 1100.00 USD');
	});

	it('compares credits unsigned, checks the currency, and never guesses an unreadable total', () => {
		expect(
			checkBillTotals(invoice({ documentType: 'credit', total: '-1100.00', taxTotal: '-100.00' }), {
				amount_total: 1100,
				amount_tax: 100,
				currency_id: [1, 'USD'],
			}).mismatch,
		).toBeUndefined();
		expect(
			checkBillTotals(invoice(), { amount_total: 1100, amount_tax: 100, currency_id: [2, 'EUR'] })
				.mismatch,
		).toBe('currency mismatch: Odoo bill in EUR (total 1100.00), Stampli invoice in USD');
		const unreadable = checkBillTotals(invoice({ total: 'n/a' }), {
			amount_total: 1100,
			amount_tax: 100,
			currency_id: [1, 'USD'],
		});
		expect(unreadable.mismatch).toBeUndefined();
		expect(unreadable.notes[0]).toMatch(/Stampli total "n\/a" is not a decimal/);
	});

	it("expects a split invoice's mapped part to carry its lines plus the whole tax", () => {
		const part = invoice({
			total: '1650.00',
			taxTotal: '150.00',
			mapping: {
				target: 'odoo',
				lines: [],
				partial: { part: 'mapped', lineNumbers: [1], otherLineNumbers: [2] },
			},
		});
		expect(expectedTotals(part)).toEqual({ total: '1150', tax: '150' });
	});
});
