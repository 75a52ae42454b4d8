/**
 * A period's reconciliation and the invoice lookup from audit rows, on the demo's story: INV-1004
 * needs attention (unmapped GL code), its file is replayed after the rule is fixed, and the bill is
 * created; meanwhile other invoices and a payment go through in two currencies.
 */
import {
	auditRowsFromItem,
	findRecords,
	resolvePeriod,
	rowsFromStore,
	summarisePeriod,
	type AuditRow,
} from '../../../nodes/shared/audit';
import { context, invoice, needsAttention, written } from './items';

const UNMAPPED = '/outbound/invoices-unmapped.csv';

function at(item: Record<string, unknown>, when: string, file?: string) {
	const json = { ...item } as Record<string, unknown>;
	if (file) json.source = { ...(json.source as object), file };
	if (json.audit) json.audit = { ...(json.audit as object), at: when };
	return json;
}

function story(): AuditRow[] {
	const rows = (item: unknown, executionId: string, now = '2026-11-20T12:00:00.000Z') =>
		auditRowsFromItem(item, { ...context(executionId), now: () => new Date(now) });
	const inv1004 = invoice('STI-1004', 'INV-1004', '240.00', {
		vendor: { stampliVendorId: 'V-2', name: 'Contoso Ltd' },
	});
	return [
		...rows(
			at(
				written(invoice('STI-1001', 'INV-1001', '100.00'), 'created', 11),
				'2026-11-19T09:00:00.000Z',
			),
			'1',
		),
		...rows(
			at(
				written(
					invoice('STI-1002', 'INV-1002', '80.00', { currency: 'USD' }),
					'created',
					12,
					undefined,
					'79.99',
				),
				'2026-11-19T09:00:01.000Z',
			),
			'1',
		),
		...rows(at(needsAttention(inv1004), '', UNMAPPED), '2', '2026-11-19T09:15:00.000Z'),
		...rows(
			{
				replayed: 'invoices-unmapped.csv',
				from: '/outbound/failed/invoices-unmapped.csv',
				to: UNMAPPED,
				at: '2026-11-20T08:00:00.000Z',
			},
			'3',
		),
		...rows(at(written(inv1004, 'created', 14), '2026-11-20T08:15:00.000Z', UNMAPPED), '4'),
		// A re-run of the first file: unchanged, counts once.
		...rows(
			at(
				written(invoice('STI-1001', 'INV-1001', '100.00'), 'unchanged', 11),
				'2026-11-20T09:00:00.000Z',
			),
			'5',
		),
		...rows(
			{
				stampliPaymentId: 'PAY-1',
				stampliInvoiceId: 'STI-1001',
				invoiceNumber: 'INV-1001',
				vendor: { stampliVendorId: 'V-1', name: 'Northwind Traders' },
				paymentDate: '2026-11-20',
				amount: '100.00',
				currency: 'EUR',
				source: { file: '/outbound/payments-1.csv', sha256: 'b'.repeat(64), rows: [1] },
				erp: { system: 'odoo', id: 31, action: 'created' },
				audit: { at: '2026-11-20T09:30:00.000Z' },
			},
			'6',
		),
	];
}

describe('period summary', () => {
	const rows = story();
	const summary = (kind: 'day' | 'month' | 'week', date: string) =>
		summarisePeriod(rows, resolvePeriod(kind, date));

	it('counts per flow and file, a record once at its best outcome', () => {
		const month = summary('month', '2026-11-20');
		expect(month.counts).toEqual({
			invoicesIn: 3,
			paymentsIn: 1,
			vendorsIn: 0,
			written: 4,
			unchanged: 0,
			skipped: 0,
			failed: 0,
			noOutcome: 0,
		});
		const unmapped = month.files.find((f) => f.file === UNMAPPED)!;
		expect(unmapped).toMatchObject({ invoicesIn: 1, written: 1, failed: 0, openExceptions: 0 });
		expect(unmapped.events).toEqual(['replayed 2026-11-20T08:00:00.000Z']);
	});

	it('sets amounts in against booked per currency, and shows where the ERP booked another figure', () => {
		expect(summary('month', '2026-11-20').totals).toEqual([
			{
				currency: 'EUR',
				in: '440.00',
				booked: '440.00',
				skipped: '0.00',
				failed: '0.00',
				difference: '0.00',
			},
			{
				currency: 'USD',
				in: '80.00',
				booked: '79.99',
				skipped: '0.00',
				failed: '0.00',
				difference: '0.01',
			},
		]);
	});

	it('lists each exception with its reason, what to do, and whether it was resolved later', () => {
		const day19 = summary('day', '2026-11-19');
		expect(day19.exceptions).toEqual([
			expect.objectContaining({
				recordKey: 'STI-1004',
				invoiceNumber: 'INV-1004',
				action: 'needsAttention',
				reason: 'line 1: no GL rule matches code 9999',
				advice: expect.stringMatching(/GL Mapper rule/),
				resolved: true,
			}),
		]);
		expect(day19.counts).toMatchObject({ invoicesIn: 3, written: 2, failed: 1 });
		// Seen from the 19th alone, without the later rows, it is still open.
		const alone = summarisePeriod(
			rows.filter((r) => r.at < '2026-11-20'),
			resolvePeriod('day', '2026-11-19'),
		);
		expect(alone.openExceptions).toBe(1);
		expect(alone.digest).toMatch(/1 open exception/);
	});

	it('has a day for every date of the period, with volume and exceptions', () => {
		const week = summary('week', '2026-11-20');
		expect(week.daily).toHaveLength(7);
		expect(week.daily.find((d) => d.date === '2026-11-19')).toEqual({
			date: '2026-11-19',
			records: 3,
			exceptions: 1,
		});
		expect(week.daily.find((d) => d.date === '2026-11-20')).toEqual({
			date: '2026-11-20',
			records: 3,
			exceptions: 0,
		});
	});

	it('is empty, not wrong, for a period without rows', () => {
		const empty = summary('day', '2026-10-01');
		expect(empty).toMatchObject({
			rows: 0,
			files: [],
			exceptions: [],
			totals: [],
			openExceptions: 0,
		});
		expect(empty.digest).toMatch(/0 invoice\(s\)/);
	});

	it('reads rows back from a store, ignoring what is not an audit row', () => {
		const stored = rows.map((row, id) => ({
			id,
			createdAt: 'x',
			...row,
			amountStated: row.amountStated || null,
		}));
		const { rows: back, ignored } = rowsFromStore([
			...stored,
			{ id: 99, name: 'other table' },
			'x',
		]);
		expect(back).toHaveLength(rows.length);
		expect(ignored.map((i) => i.index)).toEqual([rows.length, rows.length + 1]);
		expect(summarisePeriod(back, resolvePeriod('month', '2026-11-20')).counts.written).toBe(4);
	});
});

describe('find invoice', () => {
	const rows = story();

	it('shows the exception, the replay of its file and the final bill, oldest first', () => {
		const [history] = findRecords(rows, 'invoiceNumber', 'inv-1004');
		expect(history).toMatchObject({
			recordKey: 'STI-1004',
			status: 'created',
			erpDocuments: ['odoo:14'],
			exceptions: 1,
			vendors: ['Contoso Ltd'],
		});
		expect(history.history.map((r) => r.action)).toEqual(['needsAttention', 'replayed', 'created']);
		expect(history.advice).toBeUndefined();
	});

	it('finds by Stampli id and by vendor, across flows and files', () => {
		const byId = findRecords(rows, 'stampliId', 'STI-1001');
		expect(byId).toHaveLength(1);
		expect(byId[0].history.map((r) => r.action)).toEqual(['created', 'unchanged']);
		const byVendor = findRecords(rows, 'vendor', 'northwind');
		expect(byVendor.map((h) => `${h.subject} ${h.recordKey}`)).toEqual([
			'invoice STI-1001',
			'invoice STI-1002',
			'payment PAY-1',
		]);
		expect(findRecords(rows, 'invoiceNumber', 'INV-404')).toEqual([]);
		expect(() => findRecords(rows, 'vendor', ' ')).toThrow(/what to look for/);
	});

	it('says what to do when the latest outcome is an exception', () => {
		const [history] = findRecords(
			rows.filter((r) => r.at < '2026-11-20'),
			'stampliId',
			'STI-1004',
		);
		expect(history.status).toBe('needsAttention');
		expect(history.advice).toMatch(/GL Mapper rule/);
	});
});

describe('find by number', () => {
	it('matches the invoice number or the Stampli id', () => {
		const rows = story();
		expect(findRecords(rows, 'number', 'STI-1004').map((h) => h.recordKey)).toEqual(['STI-1004']);
		expect(findRecords(rows, 'number', 'inv-1004').map((h) => h.recordKey)).toEqual(['STI-1004']);
	});
});
