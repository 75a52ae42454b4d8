import {
	classifyItem,
	NotReconcilableError,
	reconcileItems,
	UNKNOWN_FILE,
} from '../../../nodes/shared/reconciliation';

type Json = Record<string, unknown>;

const FILE = '/outbound/invoices-2026-11-20.csv';

function invoice(id: string, total: string, lines: string[], extra: Json = {}): Json {
	return {
		stampliInvoiceId: id,
		invoiceNumber: `N-${id}`,
		documentType: 'bill',
		vendor: { stampliVendorId: 'V1', name: 'Acme' },
		invoiceDate: '2026-11-01',
		currency: 'USD',
		total,
		lines: lines.map((amount, index) => ({
			lineNumber: index + 1,
			description: 'x',
			quantity: '1',
			unitPrice: amount,
			amount,
			glAccount: '6000',
			dimensions: {},
		})),
		source: {
			file: FILE,
			sha256: 'ab'.repeat(32),
			format: 'csv',
			template: 'invoice-export@1',
			rows: [1],
		},
		...extra,
	};
}

const erp = (action: string, id: number | null = 7, reason?: string) => ({
	erp: { system: 'odoo', id, externalId: 'stampli.x', action, ...(reason ? { reason } : {}) },
});

describe('classifyItem', () => {
	it('reads the ERP action, the signed amount and the ids', () => {
		const outcome = classifyItem(invoice('I1', '100.10', ['100.10'], erp('created', 41)));
		expect(outcome).toMatchObject({
			kind: 'invoice',
			file: FILE,
			recordId: 'I1',
			number: 'N-I1',
			status: 'created',
			amount: '100.10',
			recordAmount: '100.10',
			system: 'odoo',
			erpId: 41,
		});
	});

	it('makes credits negative so the net balances', () => {
		const outcome = classifyItem(
			invoice('C1', '25.00', ['25.00'], { documentType: 'credit', ...erp('created') }),
		);
		expect(outcome.amount).toBe('-25');
	});

	it('treats error items, needs-attention items and invalid-record reports as failed with their reason', () => {
		expect(
			classifyItem(invoice('I2', '5', ['5'], { error: { message: 'Odoo: partner missing' } })),
		).toMatchObject({ status: 'failed', reason: 'Odoo: partner missing', amount: '5' });
		expect(
			classifyItem(
				invoice('I3', '5', ['5'], { reasons: [{ lineNumber: 1, reason: 'no rule for GL 9999' }] }),
			),
		).toMatchObject({
			status: 'failed',
			reason: 'line 1: no rule for GL 9999',
		});
		expect(
			classifyItem({
				file: FILE,
				rows: [4, 5],
				field: 'total',
				reason: 'not a decimal',
				recordId: 'I4',
			}),
		).toMatchObject({
			status: 'failed',
			recordId: 'I4',
			rows: [4, 5],
		});
		expect(
			classifyItem({
				error: {
					file: FILE,
					rows: [7],
					field: 'Total',
					reason: 'is not a decimal',
					recordId: 'I9',
				},
				file: { name: 'x.csv', path: FILE },
				reasons: [{ reason: 'not an invoice' }],
			}),
		).toMatchObject({
			file: FILE,
			recordId: 'I9',
			status: 'failed',
			reason: 'Total: is not a decimal',
			rows: [7],
		});
		expect(classifyItem({ error: 'connection reset' })).toMatchObject({
			file: UNKNOWN_FILE,
			status: 'failed',
			reason: 'connection reset',
		});
	});

	it('refuses items that never went through an ERP node or are not Stampli records', () => {
		expect(() => classifyItem(invoice('I5', '1', ['1']))).toThrow(NotReconcilableError);
		expect(() => classifyItem({ hello: 'world' })).toThrow(/source\.file/);
	});

	it('gives the parts of a split invoice their lines, tax going with the mapped part', () => {
		const whole = invoice('S1', '115.00', ['60.00', '40.00'], { taxTotal: '15.00' });
		const mapped = classifyItem({
			...whole,
			lines: [(whole.lines as Json[])[0]],
			mapping: {
				target: 'odoo',
				lines: [],
				partial: { part: 'mapped', lineNumbers: [1], otherLineNumbers: [2] },
			},
			...erp('created'),
		});
		const attention = classifyItem({
			...whole,
			lines: [(whole.lines as Json[])[1]],
			mapping: {
				target: 'odoo',
				lines: [],
				partial: { part: 'needsAttention', lineNumbers: [2], otherLineNumbers: [1] },
			},
			reasons: [{ lineNumber: 2, reason: 'unmapped' }],
		});
		expect([mapped.amount, attention.amount]).toEqual(['75', '40']);
		expect([mapped.recordAmount, attention.recordAmount]).toEqual(['115.00', '115.00']);
	});
});

describe('reconcileItems', () => {
	it('balances a file with every kind of outcome, exactly, without floats', () => {
		const items = [
			invoice('A', '0.10', ['0.10'], erp('created')),
			invoice('B', '0.20', ['0.20'], erp('updated')),
			invoice('C', '1000000000000.01', ['1000000000000.01'], erp('unchanged')),
			invoice('D', '7.77', ['7.77'], erp('skipped', 9, 'posted')),
			invoice('E', '3.03', ['3.03'], { error: { message: 'ValidationError' } }),
		];
		const { summaries, notReconcilable } = reconcileItems(items);
		expect(notReconcilable).toEqual([]);
		expect(summaries).toHaveLength(1);
		const [summary] = summaries;
		expect(summary).toMatchObject({
			file: FILE,
			kind: 'invoice',
			systems: ['odoo'],
			recordsIn: 5,
			created: 1,
			updated: 1,
			unchanged: 1,
			skipped: 1,
			failed: 1,
			missing: 0,
			currency: 'USD',
			amountIn: '1000000000011.11',
			amountWritten: '1000000000000.31',
			amountSkipped: '7.77',
			amountFailed: '3.03',
			balanced: true,
			imbalance: [],
		});
		expect(summary.records.find((r) => r.recordId === 'D')).toMatchObject({
			status: 'skipped',
			reason: 'posted',
			erpId: 9,
		});
	});

	it('is unbalanced, and says why, when a record that came in never reached the end', () => {
		const trigger = [invoice('A', '10.00', ['10.00']), invoice('B', '20.00', ['20.00'])];
		const end = [invoice('A', '10.00', ['10.00'], erp('created'))];
		const [summary] = reconcileItems(end, { expectedItems: trigger }).summaries;
		expect(summary).toMatchObject({
			recordsIn: 2,
			created: 1,
			missing: 1,
			balanced: false,
			amountIn: '30.00',
			amountWritten: '10.00',
		});
		expect(summary.totals[0]).toMatchObject({
			missing: '20.00',
			difference: '20.00',
			balanced: false,
		});
		expect(summary.imbalance.join(' ')).toMatch(/B came in but no outcome/);
		expect(summary.records.find((r) => r.recordId === 'B')?.status).toBe('missing');
	});

	it('flags an outcome for a record that did not come in', () => {
		const [summary] = reconcileItems([invoice('Z', '1.00', ['1.00'], erp('created'))], {
			expectedItems: [],
		}).summaries;
		expect(summary).toMatchObject({ unexpected: 1, recordsIn: 0, balanced: false });
	});

	it('counts a split invoice once as "in" and balances its two parts', () => {
		const whole = invoice('S', '115.00', ['60.00', '40.00'], { taxTotal: '15.00' });
		const [first, second] = whole.lines as Json[];
		const mapped = {
			...whole,
			lines: [first],
			mapping: {
				target: 'odoo',
				lines: [],
				partial: { part: 'mapped', lineNumbers: [1], otherLineNumbers: [2] },
			},
			...erp('created'),
		};
		const attention = {
			...whole,
			lines: [second],
			mapping: {
				target: 'odoo',
				lines: [],
				partial: { part: 'needsAttention', lineNumbers: [2], otherLineNumbers: [1] },
			},
			reasons: [{ lineNumber: 2, reason: 'unmapped' }],
		};
		const [summary] = reconcileItems([mapped, attention], { expectedItems: [whole] }).summaries;
		expect(summary).toMatchObject({
			recordsIn: 1,
			created: 1,
			failed: 1,
			split: 1,
			amountIn: '115.00',
			amountWritten: '75.00',
			amountFailed: '40.00',
			balanced: true,
		});
		const [alone] = reconcileItems([mapped]).summaries;
		expect(alone.balanced).toBe(false);
		expect(alone.imbalance.join(' ')).toMatch(/only the mapped part/);
	});

	it('keeps currencies apart and reports a summary per file', () => {
		const other = {
			...invoice('X', '5.00', ['5.00'], erp('created')),
			source: { file: '/outbound/b.csv', sha256: 'cd', format: 'csv', template: 't', rows: [1] },
		};
		const items = [
			invoice('A', '10.00', ['10.00'], erp('created')),
			invoice('E', '8.00', ['8.00'], { currency: 'EUR', ...erp('created') }),
			other,
		];
		const summaries = reconcileItems(items).summaries;
		expect(summaries.map((s) => s.file)).toEqual([FILE, '/outbound/b.csv']);
		expect(summaries[0]).toMatchObject({ currency: null, amountIn: null, balanced: true });
		expect(summaries[0].totals.map((t) => [t.currency, t.in, t.written])).toEqual([
			['USD', '10.00', '10.00'],
			['EUR', '8.00', '8.00'],
		]);
	});

	it('summarises payments by their amount', () => {
		const payment = {
			stampliPaymentId: 'P1',
			stampliInvoiceId: 'A',
			invoiceNumber: 'N-A',
			vendor: { stampliVendorId: 'V1', name: 'Acme' },
			paymentDate: '2026-11-20',
			amount: '50.00',
			currency: 'USD',
			source: {
				file: '/outbound/payments.csv',
				sha256: 'ef',
				format: 'csv',
				template: 'payment-export@1',
				rows: [1],
			},
			...erp('created'),
		};
		const [summary] = reconcileItems([
			payment,
			{ ...payment, stampliPaymentId: 'P2', amount: '1.50', error: 'bill not found' },
		]).summaries;
		expect(summary).toMatchObject({
			kind: 'payment',
			recordsIn: 2,
			created: 1,
			failed: 1,
			amountIn: '51.50',
			amountWritten: '50.00',
			amountFailed: '1.50',
			balanced: true,
		});
	});

	it('counts vendor syncs without money', () => {
		const vendor = {
			vendorId: 'V-1',
			stampliVendorId: 'V-1',
			name: 'Acme',
			active: true,
			currency: 'USD',
			source: {
				file: '/outbound/vendors.csv',
				sha256: 'aa',
				format: 'csv',
				template: 'vendor-export@1',
				rows: [1],
			},
		};
		const [summary] = reconcileItems([
			{ ...vendor, erp: { system: 'quickbooks', id: '58', action: 'created' } },
			{
				...vendor,
				vendorId: 'V-2',
				stampliVendorId: 'V-2',
				error: 'DisplayName taken by a customer (6240)',
			},
		]).summaries;
		expect(summary).toMatchObject({
			kind: 'vendor',
			recordsIn: 2,
			created: 1,
			failed: 1,
			totals: [],
			balanced: true,
			currency: null,
		});
	});

	it('counts unreadable records as failed without inventing an amount', () => {
		const items = [
			invoice('A', '10.00', ['10.00'], erp('created')),
			{ file: FILE, rows: [3], field: 'total', reason: '"1,0.0" is not a decimal number' },
		];
		const [summary] = reconcileItems(items).summaries;
		expect(summary).toMatchObject({
			recordsIn: 2,
			created: 1,
			failed: 1,
			amountIn: '10.00',
			amountFailed: '0.00',
			balanced: true,
		});
		expect(summary.records[1]).toMatchObject({ status: 'failed', rows: [3] });
	});

	it('counts an unreadable record once however many of its fields are bad', () => {
		const items = [
			invoice('A', '10.00', ['10.00'], erp('created')),
			{ error: { file: FILE, rows: [2], field: 'Total', reason: 'not a decimal', recordId: 'B' } },
			{
				error: {
					file: FILE,
					rows: [2],
					field: 'LineAmount',
					reason: 'not a decimal',
					recordId: 'B',
				},
			},
		];
		const [summary] = reconcileItems(items).summaries;
		expect(summary).toMatchObject({ recordsIn: 2, created: 1, failed: 1, balanced: true });
		expect(summary.records[1].reason).toBe('Total: not a decimal; LineAmount: not a decimal');
	});

	it('lists items that are not Stampli records instead of guessing', () => {
		const result = reconcileItems([{ foo: 1 }, invoice('A', '1', ['1'], erp('created'))]);
		expect(result.notReconcilable).toEqual([
			{ index: 0, reason: expect.stringMatching(/source\.file/) },
		]);
		expect(result.summaries[0].created).toBe(1);
	});
});

describe('the amount the ERP booked (erp.amountTotal)', () => {
	const booked = (action: string, amountTotal: string, id = 7) => ({
		erp: { system: 'odoo', id, externalId: 'stampli.x', action, amountTotal },
	});

	it('counts a written record at the ERP amount and keeps what the file stated beside it', () => {
		expect(
			classifyItem(
				invoice('T1', '1100.00', ['1000.00'], {
					taxTotal: '100.00',
					...booked('created', '1000.00'),
				}),
			),
		).toMatchObject({
			status: 'created',
			amount: '1000',
			statedAmount: '1100.00',
			recordAmount: '1100.00',
		});
		// Odoo reports refunds unsigned: the credit keeps its negative sign.
		expect(
			classifyItem(
				invoice('C2', '55.00', ['55.00'], {
					documentType: 'credit',
					...booked('unchanged', '55.00'),
				}),
			),
		).toMatchObject({ amount: '-55', statedAmount: '-55' });
		// A skipped (posted, left alone) bill was not written from this record: its stated amount stays.
		expect(classifyItem(invoice('K1', '20.00', ['20.00'], booked('skipped', '18.00'))).amount).toBe(
			'20.00',
		);
		expect(
			classifyItem(invoice('K1', '20.00', ['20.00'], booked('skipped', '18.00'))).statedAmount,
		).toBeUndefined();
	});

	it('a bill booked short makes the file unbalanced, naming the invoice and both amounts', () => {
		const items = [
			invoice('T1', '1100.00', ['1000.00'], {
				taxTotal: '100.00',
				...booked('created', '1000.00', 41),
			}),
			invoice('T2', '250.00', ['250.00'], booked('created', '250.00', 42)),
		];
		const [summary] = reconcileItems(items).summaries;
		expect(summary).toMatchObject({
			created: 2,
			amountIn: '1350.00',
			amountWritten: '1250.00',
			balanced: false,
		});
		expect(summary.totals[0]).toMatchObject({
			currency: 'USD',
			difference: '100.00',
			balanced: false,
		});
		expect(summary.imbalance).toContain(
			'T1 (N-T1): odoo booked 1000.00 USD, the file stated 1100.00 (difference 100.00)',
		);
		expect(summary.records.find((r) => r.recordId === 'T1')).toMatchObject({
			amount: '1000',
			statedAmount: '1100.00',
			erpId: 41,
		});
		expect(summary.imbalance.join(' ')).not.toContain('T2');
	});

	it('balances when the ERP booked what the file stated, credits and split parts included', () => {
		const whole = invoice('S', '115.00', ['60.00', '40.00'], { taxTotal: '15.00' });
		const [first, second] = whole.lines as Json[];
		const items = [
			invoice('A', '1100.00', ['1000.00'], { taxTotal: '100.00', ...booked('created', '1100.00') }),
			invoice('C', '55.00', ['55.00'], { documentType: 'credit', ...booked('updated', '55.00') }),
			{
				...whole,
				lines: [first],
				mapping: {
					target: 'odoo',
					lines: [],
					partial: { part: 'mapped', lineNumbers: [1], otherLineNumbers: [2] },
				},
				...booked('created', '75.00'),
			},
			{
				...whole,
				lines: [second],
				mapping: {
					target: 'odoo',
					lines: [],
					partial: { part: 'needsAttention', lineNumbers: [2], otherLineNumbers: [1] },
				},
				reasons: [{ lineNumber: 2, reason: 'unmapped' }],
			},
		];
		const [summary] = reconcileItems(items).summaries;
		expect(summary).toMatchObject({
			amountIn: '1160.00',
			amountWritten: '1120.00',
			amountFailed: '40.00',
			balanced: true,
			imbalance: [],
		});
	});

	it('a split part booked short is named as that part', () => {
		const whole = invoice('S', '115.00', ['60.00', '40.00'], { taxTotal: '15.00' });
		const [first, second] = whole.lines as Json[];
		const items = [
			{
				...whole,
				lines: [first],
				mapping: {
					target: 'odoo',
					lines: [],
					partial: { part: 'mapped', lineNumbers: [1], otherLineNumbers: [2] },
				},
				...booked('created', '60.00'),
			},
			{
				...whole,
				lines: [second],
				mapping: {
					target: 'odoo',
					lines: [],
					partial: { part: 'needsAttention', lineNumbers: [2], otherLineNumbers: [1] },
				},
				reasons: [{ lineNumber: 2, reason: 'unmapped' }],
			},
		];
		const [summary] = reconcileItems(items).summaries;
		expect(summary.balanced).toBe(false);
		expect(summary.imbalance).toContain(
			'S (N-S), mapped part: odoo booked 60.00 USD, the file stated 75.00 (difference 15.00)',
		);
	});

	it('leaves payments and items without an ERP amount as they were', () => {
		const payment = {
			stampliPaymentId: 'P1',
			stampliInvoiceId: 'I1',
			amount: '40.00',
			currency: 'USD',
			source: { file: '/outbound/payments.csv' },
			erp: { system: 'odoo', id: 3, action: 'created', amountTotal: '10.00' },
		};
		expect(classifyItem(payment)).toMatchObject({ kind: 'payment', amount: '40.00' });
		expect(classifyItem(payment).statedAmount).toBeUndefined();
		expect(classifyItem(invoice('Q', '12.00', ['12.00'], erp('created')))).toMatchObject({
			amount: '12.00',
		});
		expect(
			classifyItem(invoice('Q', '12.00', ['12.00'], erp('created'))).statedAmount,
		).toBeUndefined();
	});
});
