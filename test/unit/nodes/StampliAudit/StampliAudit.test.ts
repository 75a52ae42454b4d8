/**
 * The Stampli Audit node: items → audit rows paired with their items; rows given as input → an
 * invoice's history and the report (HTML and CSV binaries, digest line), and clear errors for bad
 * parameters.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { StampliAudit } from '../../../../nodes/StampliAudit/StampliAudit.node';
import { executeContext } from '../../../kit/n8nContext';
import { context, invoice, needsAttention, written } from '../../audit/items';
import { auditRowsFromItem } from '../../../../nodes/shared/audit';

const node = new StampliAudit();

function run(parameters: Record<string, unknown>, jsons: unknown[], timezone?: string) {
	const items: INodeExecutionData[] = jsons.map((json) => ({ json: json as IDataObject }));
	// Expressions are n8n's job; the test passes what they evaluate to ($json, the workflow's name).
	return node.execute.call(
		executeContext({
			type: 'n8n-nodes-stampli.stampliAudit',
			parameters,
			items,
			timezone,
		}),
	);
}

/** One run per item: the fake context has one value per parameter, as "Item" evaluates per item in n8n. */
async function buildRows(jsons: unknown[]) {
	const out: INodeExecutionData[] = [];
	for (const [index, json] of jsons.entries()) {
		const [items] = await run(
			{ operation: 'buildRows', flow: 'Bills', executionId: '7', item: json },
			[json],
		);
		out.push(...items.map((item) => ({ ...item, pairedItem: { item: index } })));
	}
	return out;
}

const storedRows = () =>
	[
		...auditRowsFromItem(
			{ ...needsAttention(invoice('STI-1004', 'INV-1004', '240.00')) },
			{ ...context('2'), now: () => new Date('2026-11-19T09:00:00Z') },
		),
		...auditRowsFromItem(
			{
				replayed: 'invoices-20261120.csv',
				from: '/outbound/failed/invoices-20261120.csv',
				to: '/outbound/invoices-20261120.csv',
				at: '2026-11-20T08:00:00Z',
			},
			context('3'),
		),
		...auditRowsFromItem(
			written(invoice('STI-1004', 'INV-1004', '240.00'), 'created', 14, '2026-11-20T08:15:00.000Z'),
			context('4'),
		),
	].map((row, id) => ({ id: id + 1, ...row }));

describe('Stampli Audit node', () => {
	it('builds one audit row per item, from the item given in "Item"', async () => {
		const rows = await buildRows([
			written(invoice('STI-1', 'INV-1', '10.00'), 'created', 1),
			{ ...invoice('STI-2', 'INV-2', '5.00'), error: 'refused', password: 'hunter2-x' },
		]);
		expect(rows.map((r) => [r.json.action, r.json.flow, r.json.executionId])).toEqual([
			['created', 'Bills', '7'],
			['failed', 'Bills', '7'],
		]);
		expect(JSON.stringify(rows)).not.toContain('hunter2');
	});

	it('reads "Item" given as JSON text, and says when it is not JSON', async () => {
		const [[row]] = await run(
			{
				operation: 'buildRows',
				flow: 'F',
				executionId: '1',
				item: JSON.stringify({ from: '/a', to: '/b' }),
			},
			[{}],
		);
		expect(row.json).toMatchObject({ action: 'archived', file: '/b' });
		await expect(
			run({ operation: 'buildRows', flow: 'F', executionId: '1', item: '{nope' }, [{}]),
		).rejects.toThrow(/"Item" is not valid JSON/);
	});

	it("finds an invoice's history in rows from a Data Table", async () => {
		const [[found]] = await run(
			{ operation: 'findInvoice', findBy: 'invoiceNumber', value: 'INV-1004' },
			storedRows(),
		);
		expect(found.json).toMatchObject({
			found: true,
			recordKey: 'STI-1004',
			status: 'created',
			erpDocuments: ['odoo:14'],
		});
		expect((found.json.history as IDataObject[]).map((r) => r.action)).toEqual([
			'needsAttention',
			'replayed',
			'created',
		]);
		const [[missing]] = await run(
			{ operation: 'findInvoice', findBy: 'stampliId', value: 'STI-404' },
			storedRows(),
		);
		expect(missing.json).toMatchObject({ found: false, rowsSearched: 3 });
		await expect(
			run({ operation: 'findInvoice', findBy: 'vendor', value: '' }, storedRows()),
		).rejects.toThrow(/Value/);
	});

	it('summarises the previous day and the month to date by default', async () => {
		const [summaries] = await run(
			{
				operation: 'summarisePeriod',
				period: 'previousDayAndMonthToDate',
				date: '2026-11-20',
				timeZone: '',
			},
			storedRows(),
		);
		expect(summaries.map((s) => (s.json.period as IDataObject).kind)).toEqual([
			'previousDay',
			'monthToDate',
		]);
		expect(summaries[0].json).toMatchObject({
			openExceptions: 0,
			counts: expect.objectContaining({ invoicesIn: 1, failed: 1 }),
		});
		expect(summaries[1].json).toMatchObject({
			counts: expect.objectContaining({ invoicesIn: 1, written: 1 }),
		});
	});

	it('builds the report: HTML page and CSV detail as binaries, digest and figures as JSON', async () => {
		const [[report]] = await run(
			{
				operation: 'buildReport',
				period: 'month',
				date: '2026-11-20',
				timeZone: 'Europe/Berlin',
				title: 'AP <month>',
				reportProperty: 'report',
				detailProperty: 'detail',
			},
			[...storedRows(), {}],
		);
		expect(report.json).toMatchObject({
			from: '2026-11-01',
			to: '2026-11-30',
			detailRows: 3,
			rowsIgnored: 1,
			timeZone: 'Europe/Berlin',
		});
		expect(report.json.digest).toMatch(/^Stampli November 2026: 1 invoice\(s\)/);
		const html = Buffer.from(report.binary!.report.data, 'base64').toString('utf8');
		expect(html).toContain('<title>AP &lt;month&gt;</title>');
		expect(report.binary!.report).toMatchObject({
			fileName: 'stampli-reconciliation-2026-11-01-to-2026-11-30.html',
			mimeType: 'text/html',
		});
		const csv = Buffer.from(report.binary!.detail.data, 'base64').toString('utf8');
		expect(csv.trim().split('\r\n')).toHaveLength(4);
	});

	it('names a bad time zone or date', async () => {
		await expect(
			run(
				{ operation: 'buildReport', period: 'day', date: '2026-11-20', timeZone: 'Mars/Olympus' },
				storedRows(),
			),
		).rejects.toThrow(/not a time zone/);
		await expect(
			run(
				{ operation: 'summarisePeriod', period: 'day', date: '20.11.2026', timeZone: 'UTC' },
				storedRows(),
			),
		).rejects.toThrow(/not a date/);
	});
});
