/**
 * The parse fast paths must decide exactly as the slow ones: the balance check in integer
 * units vs its BigInt fallback (huge amounts, fine scales, tolerances), repeated header cells compared
 * before trimming, and the cell trimming shortcut.
 */
import type { Invoice } from '../../../nodes/shared/records/types';
import { parseStampliFile } from '../../../nodes/shared/stampli';
import { invoiceCsv, trickle } from './helpers';

const parse = (data: Buffer, sumTolerance?: string) =>
	parseStampliFile({ name: 'fast.csv', data: trickle(data, 64) }, 'invoices', { sumTolerance });
// INVOICE_HEADER: InvoiceId,InvoiceNumber,DocumentType,VendorId,VendorName,InvoiceDate,Currency,Total,TaxTotal,LineAmount,GLAccount
const row = (id: string, total: string, tax: string, amount: string, extra = '') =>
	`${id},N-${id},bill,V-1,Acme${extra},2026-03-02,USD,${total},${tax},${amount},6100`;

describe('balance check: integer fast path and BigInt fallback agree', () => {
	it.each([
		['cents, balanced', ['110.00', '10.00', ['60.00', '40.00']], undefined, true],
		['cents, one cent off', ['110.00', '10.00', ['60.00', '40.01']], undefined, false],
		[
			'one cent off within a tolerance of 0.01',
			['110.00', '10.00', ['60.00', '40.01']],
			'0.01',
			true,
		],
		[
			'one cent off beyond a tolerance of 0.009',
			['110.00', '10.00', ['60.00', '40.01']],
			'0.009',
			false,
		],
		['mixed scales (4 decimals)', ['1.0001', '0', ['0.5', '0.5001']], undefined, true],
		[
			'past the fast limit (quadrillions), balanced',
			['9007199254740993.01', '0', ['9007199254740992.00', '1.01']],
			undefined,
			true,
		],
		[
			'past the fast limit, off by one cent',
			['9007199254740993.01', '0', ['9007199254740992.00', '1.00']],
			undefined,
			false,
		],
		[
			'scale beyond 6 decimals, balanced',
			['1.00000001', '0', ['0.00000001', '1']],
			undefined,
			true,
		],
		[
			'scale beyond 6 decimals, off by 1e-8',
			['1.00000001', '0', ['0.00000002', '1']],
			undefined,
			false,
		],
		[
			'negative credit lines normalised, balanced',
			['-53.50', '-3.50', ['-50.00']],
			undefined,
			true,
		],
	] as Array<[string, [string, string, string[]], string | undefined, boolean]>)(
		'%s',
		async (_name, [total, tax, amounts], tolerance, balanced) => {
			const type = total.startsWith('-') ? 'credit' : 'bill';
			const csv = invoiceCsv(
				...amounts.map((amount) => row('I-1', total, tax, amount).replace(',bill,', `,${type},`)),
			);
			const parsed = await parse(csv, tolerance);
			if (balanced) {
				expect(parsed.errors).toEqual([]);
				expect(parsed.records).toHaveLength(1);
			} else {
				expect(parsed.records).toEqual([]);
				expect(parsed.errors).toEqual([
					expect.objectContaining({
						field: 'Total',
						rows: amounts.map((_, i) => i + 1),
						reason: expect.stringMatching(/line amounts sum to .* but total/),
					}),
				]);
			}
		},
	);
});

describe('repeated header cells', () => {
	it('equal after trimming is equal; a real difference is reported with both rows', async () => {
		const same = await parse(
			invoiceCsv(row('I-1', '3', '0', '1'), row('I-1', ' 3 ', '0', '2').replace('Acme', ' Acme ')),
		);
		expect(same.errors).toEqual([]);
		expect((same.records[0] as Invoice).vendor.name).toBe('Acme');

		const differs = await parse(
			invoiceCsv(row('I-1', '3', '0', '1'), row('I-1', '3', '0', '2', ' Ltd')),
		);
		expect(differs.records).toEqual([]);
		expect(differs.errors).toEqual([
			expect.objectContaining({
				rows: [1, 2],
				field: 'VendorName',
				reason: expect.stringContaining('"Acme" (row 1) and "Acme Ltd" (row 2)'),
			}),
		]);
	});

	it('cells of tabs, spaces and non-breaking spaces are trimmed like String.prototype.trim', async () => {
		const parsed = await parse(
			invoiceCsv(
				row('\tI-9\u00a0', '1', '0', '1').replace('Acme', 'Acme\u00a0'),
				row('I-8\u2003', '1', '0', '1').replace('Acme', '\ufeffAcme'),
			),
		);
		expect(parsed.errors).toEqual([]);
		expect(parsed.records).toEqual([
			expect.objectContaining({
				stampliInvoiceId: 'I-9',
				vendor: expect.objectContaining({ name: 'Acme' }),
			}),
			expect.objectContaining({
				stampliInvoiceId: 'I-8',
				vendor: expect.objectContaining({ name: 'Acme' }),
			}),
		]);
	});
});
