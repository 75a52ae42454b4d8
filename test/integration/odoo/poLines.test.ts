/**
 * Bill lines linked to purchase order lines (`purchase_line_id`), over real HTTP on Odoo 17 /
 * XML-RPC and Odoo 19 / JSON-2. Stampli refers to PO lines as our purchase-order feed published
 * them (LineNumber, LineId), so the tests read the feed first and build invoices from it.
 */
import { startOdooEmulator, type OdooEmulator } from '../../emulators/odoo';
import {
	clearOdooClientCaches,
	createOdooClient,
	upsertBills,
	type BillOutcome,
	type OdooClient,
} from '../../../nodes/shared/odoo';
import { readMasterData } from '../../../nodes/shared/odoo/masterData';
import type { Invoice, PurchaseOrder } from '../../../nodes/shared/records/types';
import { makeInvoice } from './fixtures';

function ok(outcome: BillOutcome): any {
	if (!outcome.ok) throw new Error(`expected success, got: ${outcome.reason}`);
	return outcome.erp;
}

/** makeInvoice(n) with n % 3 === 1 is from Deco Addict. */
const deco = (n: number, overrides: Partial<Invoice> = {}) => makeInvoice(n, overrides);

describe.each([
	[17, 'xmlrpc'],
	[19, 'json2'],
] as const)('PO line links on Odoo %i over %s', (version, protocol) => {
	let emulator: OdooEmulator;
	let client: OdooClient;
	let feed: Map<string, PurchaseOrder>;
	const partner = (name: string) =>
		emulator.store.all('res.partner').find((p) => p.name === name)!.id;
	const moveLines = (id: number) =>
		emulator.store
			.get('account.move', id)!
			.invoice_line_ids.map((l: number) => emulator.store.get('account.move.line', l)!);
	const linkedIds = (outcome: BillOutcome) =>
		moveLines(ok(outcome).id).map((l: any) => l.purchase_line_id);
	const note = (moveId: number) =>
		emulator.store
			.all('mail.message')
			.filter((m) => m.model === 'account.move' && m.res_id === moveId)
			.pop()!;

	beforeEach(async () => {
		clearOdooClientCaches();
		emulator = await startOdooEmulator({ version });
		client = createOdooClient({
			url: emulator.url,
			db: emulator.db,
			login: emulator.login,
			apiKey: emulator.apiKey,
			protocol,
		});
		const usd = emulator.store.all('res.currency').find((c) => c.name === 'USD')!.id;
		const order = (
			name: string,
			vendor: string,
			state: string,
			lines: unknown[],
			partnerRef?: string,
		) => ({
			name,
			partner_id: partner(vendor),
			partner_ref: partnerRef ?? false,
			date_order: '2026-11-10 09:00:00',
			currency_id: usd,
			state,
			amount_total: 100,
			order_line: lines,
		});
		const line = (name: string, sequence: number, price: number, qty = 5) => [
			0,
			0,
			{ name, sequence, product_qty: qty, price_unit: price, price_subtotal: price * qty },
		];
		emulator.store.create('purchase.order', [
			// Sequence order differs from id order, and a section line sits in front: line numbers are
			// the feed's (product lines by sequence, then id), not ids or raw positions. Odoo shows this
			// order as "P00012 (DECO-7)".
			order(
				'P00012',
				'Deco Addict',
				'purchase',
				[
					[0, 0, { name: 'Furniture', display_type: 'line_section', sequence: 1 }],
					line('Lamps', 20, 10.25),
					line('Chairs', 10, 11.25),
					line('Tables', 30, 99),
				],
				'DECO-7',
			),
			order('P00013', 'Azure Interior', 'purchase', [line('Shelves', 10, 10.25)]),
			order('P00014', 'Deco Addict', 'draft', [line('Rugs', 10, 10.25)]),
		]);
		const reader = readMasterData(client, {
			resource: 'purchaseOrders',
			mode: 'full',
			purchaseOrderStates: [],
		});
		feed = new Map();
		for await (const record of reader)
			feed.set((record as PurchaseOrder).poNumber, record as PurchaseOrder);
		emulator.resetCounters();
	});
	afterEach(() => emulator.stop());

	const feedLine = (po: string, lineNumber: number) =>
		feed.get(po)!.lines.find((l) => l.lineNumber === lineNumber)!;

	it('links by PO number + the feed line number, by line id alone, and by PO number + line id; Odoo counts the billed quantity', async () => {
		expect(feed.get('P00012')!.lines.map((l) => l.description)).toEqual([
			'Chairs',
			'Lamps',
			'Tables',
		]);
		const byNumber = deco(1, { poNumber: 'P00012' });
		byNumber.lines[0].poLine = '2'; // Lamps
		byNumber.lines[1].poLine = '1'; // Chairs
		const byId = deco(4);
		byId.lines[0].poLine = feedLine('P00012', 2).lineId;
		const byNumberAndId = deco(7, { poNumber: 'P00012' });
		byNumberAndId.lines[1].poLine = feedLine('P00012', 3).lineId;

		const outcomes = await upsertBills(client, [byNumber, byId, byNumberAndId]);
		expect(outcomes.map((o) => ok(o).action)).toEqual(['created', 'created', 'created']);
		expect(outcomes.map((o) => ok(o).reason)).toEqual([undefined, undefined, undefined]);
		expect(linkedIds(outcomes[0])).toEqual([
			Number(feedLine('P00012', 2).lineId),
			Number(feedLine('P00012', 1).lineId),
		]);
		expect(linkedIds(outcomes[1])).toEqual([Number(feedLine('P00012', 2).lineId), null]);
		expect(linkedIds(outcomes[2])).toEqual([null, Number(feedLine('P00012', 3).lineId)]);

		// qty_invoiced as Odoo computes it from the linked bill lines, read back over the protocol.
		const poLines = await client.searchRead(
			'purchase.order.line',
			[
				['order_id.name', '=', 'P00012'],
				['display_type', '=', false],
			],
			{ fields: ['name', 'qty_invoiced'], order: 'sequence asc' },
		);
		expect(poLines.map((l) => [l.name, l.qty_invoiced])).toEqual([
			['Chairs', 2],
			['Lamps', 2],
			['Tables', 2],
		]);
		expect(note(ok(outcomes[0]).id).body).toContain(
			`PO P00012 line 2 (purchase.order.line ${feedLine('P00012', 2).lineId})`,
		);
	});

	it("unknown PO, unknown line, another vendor's PO, a draft PO: the bill is created, those lines unlinked, and every run says why", async () => {
		const unknownPo = deco(1, { poNumber: 'P09999' });
		unknownPo.lines[0].poLine = '1';
		unknownPo.lines[1].poLine = '2';
		const unknownLine = deco(4, { poNumber: 'P00012' });
		unknownLine.lines[0].poLine = '1';
		unknownLine.lines[1].poLine = '7';
		const otherVendor = deco(7, { poNumber: 'P00013' });
		otherVendor.lines[0].poLine = '1';
		const draftPo = deco(10, { poNumber: 'P00014' });
		draftPo.lines[0].poLine = '1';
		const unknownId = deco(13);
		unknownId.lines[0].poLine = '987654';
		const batch = [unknownPo, unknownLine, otherVendor, draftPo, unknownId];

		const outcomes = await upsertBills(client, batch);
		expect(outcomes.map((o) => ok(o).action)).toEqual([
			'created',
			'created',
			'created',
			'created',
			'created',
		]);
		expect(ok(outcomes[0]).reason).toBe(
			'PO P09999 is not in Odoo (or has no lines): lines 1, 2 not linked to a PO line',
		);
		expect(ok(outcomes[1]).warnings).toEqual([
			'PO P00012 has no line 7 (it has 3 product lines): line 2 not linked to a PO line',
		]);
		expect(ok(outcomes[2]).reason).toBe(
			`PO P00013 is for vendor Azure Interior (partner ${partner('Azure Interior')}), not the bill's vendor (partner ${partner('Deco Addict')}): line 1 not linked to a PO line`,
		);
		expect(ok(outcomes[3]).reason).toBe(
			'PO P00014 is in state "draft", not a confirmed order: line 1 not linked to a PO line',
		);
		expect(ok(outcomes[4]).reason).toBe(
			'no Odoo PO line with id 987654 (the invoice names no PO number): line 1 not linked to a PO line',
		);
		expect(linkedIds(outcomes[0])).toEqual([null, null]);
		expect(linkedIds(outcomes[1])).toEqual([Number(feedLine('P00012', 1).lineId), null]); // the good line of the same bill is linked
		expect(linkedIds(outcomes[2])).toEqual([null, null]);
		expect(note(ok(outcomes[2]).id).body).toContain('PO P00013 is for vendor Azure Interior');

		// A re-run changes nothing and still reports the unlinked lines.
		const writesBefore = emulator
			.calls()
			.filter((c) => c.method === 'write' || c.method === 'create').length;
		const again = await upsertBills(client, batch);
		expect(again.map((o) => ok(o).action)).toEqual([
			'unchanged',
			'unchanged',
			'unchanged',
			'unchanged',
			'unchanged',
		]);
		expect(again.map((o) => ok(o).reason)).toEqual(outcomes.map((o) => ok(o).reason));
		expect(
			emulator.calls().filter((c) => c.method === 'write' || c.method === 'create').length,
		).toBe(writesBefore);

		// The PO turns up in Odoo later: the next run links the draft bill's lines.
		const usd = emulator.store.all('res.currency').find((c) => c.name === 'USD')!.id;
		emulator.store.create('purchase.order', [
			{
				name: 'P09999',
				partner_id: partner('Deco Addict'),
				currency_id: usd,
				state: 'purchase',
				order_line: [
					[0, 0, { name: 'X', product_qty: 1, price_unit: 10.25 }],
					[0, 0, { name: 'Y', product_qty: 2, price_unit: 11.25 }],
				],
			},
		]);
		const [healed] = await upsertBills(client, [unknownPo]);
		expect(ok(healed)).toMatchObject({ action: 'updated', id: ok(outcomes[0]).id });
		expect(ok(healed).reason).toBeUndefined();
		expect(linkedIds(healed).every((id: number | null) => typeof id === 'number')).toBe(true);
	});

	it('"fail" policy: an invoice with an unresolvable PO line fails with file, rows and reason; the others are written', async () => {
		const good = deco(1, { poNumber: 'P00012' });
		good.lines[0].poLine = '1';
		const bad = deco(4, { poNumber: 'P00012' });
		bad.lines[1].poLine = '9';
		const noPo = deco(7);
		const outcomes = await upsertBills(client, [good, bad, noPo], { poLineNotFound: 'fail' });
		expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
		expect((outcomes[1] as any).reason).toBe(
			'/outbound/invoices-2026-11-20.csv rows 41,42, invoice STI-4: PO P00012 has no line 9 (it has 3 product lines): line 2 not linked to a PO line',
		);
		expect(emulator.store.all('account.move').map((m) => m.ref)).toEqual(['V-INV/1', 'V-INV/7']);
	});

	it('the PO lookup is one read per batch, whatever the batch size, and none when no invoice names a PO', async () => {
		await client.uid();
		await client.serverVersion();
		const withPo = (from: number, count: number) =>
			Array.from({ length: count }, (_, k) => {
				const invoice = deco(from + 3 * k, { poNumber: k % 2 ? 'P00012' : `P1${k}` });
				invoice.lines[0].poLine = String((k % 3) + 1);
				return invoice;
			});
		const trips = async (batch: Invoice[]) => {
			emulator.resetCounters();
			const outcomes = await upsertBills(client, batch, { chunking: { initialSize: 100 } });
			expect(outcomes.every((o) => o.ok)).toBe(true);
			return {
				total: emulator.roundTrips(),
				poReads: emulator.calls().filter((c) => c.model === 'purchase.order.line').length,
			};
		};
		await upsertBills(client, [deco(1000)]); // the vendor gets its external id: later batches skip the partner read
		const small = await trips(withPo(1, 3));
		const large = await trips(withPo(301, 60));
		const none = await trips(Array.from({ length: 60 }, (_, k) => deco(601 + 3 * k)));
		// xml ids, currencies ∥ accounts ∥ PO lines, bills left without a key, create, xml ids,
		// totals read-back, notes
		expect(small).toEqual({ total: 9, poReads: 1 });
		expect(large).toEqual({ total: 9, poReads: 1 });
		expect(none).toEqual({ total: 8, poReads: 0 });
	});
});
