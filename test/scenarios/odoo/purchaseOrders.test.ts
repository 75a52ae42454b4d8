/**
 * Bill lines linked to purchase order lines, on every Odoo target: the purchase-order feed is read
 * first (as Stampli gets it), the invoice names the PO and the feed's line numbers, and Odoo counts
 * the billed quantity on the PO lines.
 */
import { many2oneId, upsertBills, type BillOutcome } from '../../../nodes/shared/odoo';
import { readMasterData } from '../../../nodes/shared/odoo/masterData';
import type { PurchaseOrder } from '../../../nodes/shared/records/types';
import { describeScenarios, scenario } from './harness';

function ok(outcome: BillOutcome): any {
	if (!outcome.ok) throw new Error(`expected success, got: ${outcome.reason}`);
	return outcome.erp;
}

describeScenarios('purchase order lines', (peer) => {
	scenario(
		'links bill lines to the PO lines the feed published; Odoo counts the billed quantity',
		async () => {
			const { client, data, admin } = peer();
			const po = await data.purchaseOrder('PO1', [
				{ name: 'Chairs', qty: '4', price: '10.25' },
				{ name: 'Desks', qty: '2', price: '11.25' },
			]);
			const feed: PurchaseOrder[] = [];
			for await (const record of readMasterData(client(), {
				resource: 'purchaseOrders',
				mode: 'full',
				domain: [['id', '=', po.id]],
			}))
				feed.push(record as PurchaseOrder);
			expect(feed).toHaveLength(1);
			expect(feed[0]).toMatchObject({ poNumber: po.name, status: 'purchase' });
			expect(feed[0].lines.map((l) => [l.lineNumber, l.description, l.quantity])).toEqual([
				[1, 'Chairs', '4'],
				[2, 'Desks', '2'],
			]);

			// Line 1 bills 1 chair, line 2 bills 2 desks: named by the feed's line numbers, in reverse order.
			const invoice = await data.invoice('PO1', { poNumber: po.name });
			invoice.lines[0].poLine = '1';
			invoice.lines[1].poLine = feed[0].lines[1].lineId;
			const [outcome] = await upsertBills(client(), [invoice]);
			expect(ok(outcome)).toMatchObject({ action: 'created' });
			expect(ok(outcome).reason).toBeUndefined();
			const lines = await data.lines(ok(outcome).id);
			expect(lines.map((l) => many2oneId(l.purchase_line_id))).toEqual(
				feed[0].lines.map((l) => Number(l.lineId)),
			);

			const poLines = await admin.read('purchase.order.line', po.lineIds, ['qty_invoiced']);
			expect(poLines.map((l) => l.qty_invoiced)).toEqual([1, 2]);
		},
	);

	scenario('a PO line of another vendor is not linked, and the item says why', async () => {
		const { client, data } = peer();
		const po = await data.purchaseOrder('PO2', [{ name: 'Lamps', qty: '3', price: '10.25' }]);
		const other = await data.vendor('OTHER');
		const invoice = await data.invoice('PO2', {
			poNumber: po.name,
			vendor: { stampliVendorId: other.stampliVendorId, name: other.name },
		});
		invoice.lines[0].poLine = '1';
		const [outcome] = await upsertBills(client(), [invoice]);
		expect(ok(outcome).action).toBe('created');
		expect(ok(outcome).reason).toMatch(new RegExp(po.name));
		const lines = await data.lines(ok(outcome).id);
		expect(lines.map((l) => many2oneId(l.purchase_line_id))).toEqual([null, null]);
	});
});
