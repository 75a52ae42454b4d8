/**
 * Master-data reads against the Odoo emulator over real HTTP (XML-RPC on 17, JSON-2 on 19):
 * version field differences, keyset paging at constant round trips per page, and the incremental
 * cursor (overlap window, dedupe by content, changes that land below the cursor).
 */
import { createOdooClient, type OdooClient } from '../../../../nodes/shared/odoo';
import {
	readMasterData,
	type MasterDataCursor,
	type MasterDataReadOptions,
} from '../../../../nodes/shared/odoo/masterData';
import type { GlAccount, PurchaseOrder, Vendor } from '../../../../nodes/shared/records/types';
import { startOdooEmulator, type OdooEmulator } from '../../../emulators/odoo';

async function readAll<T>(client: OdooClient, options: MasterDataReadOptions) {
	const reader = readMasterData(client, options);
	const records: T[] = [];
	for await (const record of reader) records.push(record as T);
	return { records, cursor: reader.cursor(), stats: reader.stats, since: reader.since };
}

function clientFor(emulator: OdooEmulator): OdooClient {
	return createOdooClient(
		{
			url: emulator.url,
			db: emulator.db,
			login: emulator.login,
			apiKey: emulator.apiKey,
			protocol: 'auto',
		},
		{ noSharedCache: true },
	);
}

/** Moves a record's write_date, as a long transaction that started earlier would have stamped it. */
function stampWriteDate(
	emulator: OdooEmulator,
	model: string,
	id: number,
	writeDate: string,
): void {
	emulator.store.get(model, id)!.write_date = writeDate;
}

function shift(odooDatetime: string, seconds: number): string {
	return new Date(Date.parse(odooDatetime.replace(' ', 'T') + 'Z') + seconds * 1000)
		.toISOString()
		.replace('T', ' ')
		.slice(0, 19);
}

describe.each([17, 19] as const)('master data from Odoo %i', (version) => {
	let emulator: OdooEmulator;
	let client: OdooClient;

	beforeAll(async () => {
		emulator = await startOdooEmulator({ version });
	});
	afterAll(async () => {
		await emulator?.stop();
	});
	beforeEach(() => {
		client = clientFor(emulator);
	});

	it('reads vendors (supplier_rank > 0) as canonical records, paged by id', async () => {
		const { records, stats } = await readAll<Vendor>(client, {
			resource: 'vendors',
			mode: 'full',
			pageSize: 3,
		});
		expect(records.map((v) => v.name)).toEqual([
			'Azure Interior',
			'Deco Addict',
			'Gemini Furniture',
			'Wood Corner',
		]);
		expect(records[0]).toMatchObject({
			taxId: 'US123456789',
			email: 'azure.Interior24@example.com',
			address: { city: 'Fremont' },
			active: true,
		});
		expect(records[0].vendorId).toBe(
			String(emulator.store.all('res.partner').find((p) => p.name === 'Azure Interior')!.id),
		);
		expect(stats.pages).toBe(2); // 3 + 1
	});

	it("reads GL accounts with the version's fields (deprecated vs active, company_id vs company_ids)", async () => {
		const { records } = await readAll<GlAccount>(client, {
			resource: 'glAccounts',
			mode: 'full',
			includeArchived: true,
		});
		const expenses = records.find((a) => a.code === '600000')!;
		expect(expenses).toMatchObject({
			name: 'Expenses',
			type: 'expense',
			active: true,
			companyIds: ['1'],
		});
		expect(records.find((a) => a.code === '629000')).toMatchObject({
			active: false,
			type: 'expense',
		});
		const calls = emulator.calls().filter((c) => c.model === 'account.account');
		expect(calls.map((c) => c.method)).toContain('fields_get');
	});

	it('reads purchase orders with their lines in a constant number of calls per page', async () => {
		const usd = emulator.store.all('res.currency').find((c) => c.name === 'USD')!.id;
		const vendor = emulator.store.all('res.partner').find((p) => p.name === 'Deco Addict')!.id;
		const extra = Array.from({ length: 24 }, (_, i) => ({
			name: `PX${String(i).padStart(4, '0')}`,
			partner_id: vendor,
			date_order: '2026-11-19 23:30:00',
			currency_id: usd,
			state: i % 6 === 0 ? 'draft' : 'purchase',
			amount_total: 30.3,
			order_line: [
				[0, 0, { name: 'A', product_qty: 1, price_unit: 10.1, price_subtotal: 10.1 }],
				[
					0,
					0,
					{ name: 'B', product_qty: 2, price_unit: 10.1, price_subtotal: 20.2, qty_received: 1.5 },
				],
			],
		}));
		emulator.store.create('purchase.order', extra);
		emulator.resetCounters();
		const { records, stats } = await readAll<PurchaseOrder>(client, {
			resource: 'purchaseOrders',
			mode: 'full',
			pageSize: 10,
			timeZone: 'Europe/Berlin',
		});
		expect(records).toHaveLength(1 + 20); // 4 of the 24 are drafts
		const px1 = records.find((p) => p.poNumber === 'PX0001')!;
		expect(px1).toMatchObject({
			vendorName: 'Deco Addict',
			currency: 'USD',
			total: '30.3',
			status: 'purchase',
			orderDate: '2026-11-20',
		});
		expect(px1.lines).toEqual([
			expect.objectContaining({
				lineNumber: 1,
				description: 'A',
				quantity: '1',
				unitPrice: '10.1',
				amount: '10.1',
			}),
			expect.objectContaining({
				lineNumber: 2,
				description: 'B',
				quantity: '2',
				amount: '20.2',
				quantityReceived: '1.5',
			}),
		]);
		// 3 pages of orders, each with one lines call; plus fields_get for both models.
		const searches = emulator.calls().filter((c) => c.method === 'search_read');
		expect(searches).toHaveLength(6);
		expect(stats.pages).toBe(6);
	});

	it('incremental: first run reads all, next run only what changed, including changes below the cursor', async () => {
		const first = await readAll<Vendor>(client, { resource: 'vendors', mode: 'incremental' });
		expect(first.records).toHaveLength(4);
		const cursor = first.cursor as MasterDataCursor;
		expect(cursor.writeDate).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

		// Nothing changed: the overlap re-reads recent records but delivers none of them again.
		const quiet = await readAll<Vendor>(client, {
			resource: 'vendors',
			mode: 'incremental',
			cursor,
		});
		expect(quiet.records).toHaveLength(0);
		expect(quiet.stats.skippedAlreadyDelivered).toBe(4);
		expect(quiet.since).toBe(shift(cursor.writeDate, -600));

		// A change right after the cursor (possibly within the same second), one committed by a
		// transaction that started 5 minutes before the cursor, one long before the overlap window.
		const [azure, deco, gemini] = emulator.store
			.all('res.partner')
			.filter((p) => p.supplier_rank > 0);
		emulator.store.write('res.partner', [azure.id], { email: 'new-ap@azure.test' });
		emulator.store.write('res.partner', [deco.id], { city: 'Late Commit City' });
		stampWriteDate(emulator, 'res.partner', deco.id, shift(cursor.writeDate, -300));
		emulator.store.write('res.partner', [gemini.id], { city: 'Too Old' });
		stampWriteDate(emulator, 'res.partner', gemini.id, shift(cursor.writeDate, -3600));
		const newVendor = emulator.store.create('res.partner', [
			{ name: 'New Vendor', supplier_rank: 1, is_company: true },
		])[0];

		const delta = await readAll<Vendor>(client, {
			resource: 'vendors',
			mode: 'incremental',
			cursor: quiet.cursor,
		});
		expect(delta.records.map((v) => v.name).sort()).toEqual([
			'Azure Interior',
			'Deco Addict',
			'New Vendor',
		]);
		expect(delta.records.find((v) => v.name === 'Azure Interior')!.email).toBe('new-ap@azure.test');
		expect(delta.records.find((v) => v.name === 'Deco Addict')!.address!.city).toBe(
			'Late Commit City',
		);

		// Archiving a vendor is a change too: it arrives as inactive.
		emulator.store.write('res.partner', [newVendor], { active: false });
		const archived = await readAll<Vendor>(client, {
			resource: 'vendors',
			mode: 'incremental',
			cursor: delta.cursor,
		});
		expect(archived.records).toEqual([
			expect.objectContaining({ name: 'New Vendor', active: false }),
		]);
	});

	it('incremental purchase orders: a line change (goods received) brings its order into the delta', async () => {
		const first = await readAll<PurchaseOrder>(client, {
			resource: 'purchaseOrders',
			mode: 'incremental',
		});
		expect(first.records.length).toBeGreaterThan(0);
		const p1 = emulator.store.all('purchase.order').find((p) => p.name === 'P00001')!;
		const lineId = p1.order_line[0];
		emulator.store.write('purchase.order.line', [lineId], { qty_received: 3 });
		stampWriteDate(emulator, 'purchase.order', p1.id, shift(first.cursor!.writeDate, -7200)); // the order itself looks old
		const delta = await readAll<PurchaseOrder>(client, {
			resource: 'purchaseOrders',
			mode: 'incremental',
			cursor: first.cursor,
		});
		expect(delta.records.map((p) => p.poNumber)).toEqual(['P00001']);
		expect(delta.records[0].lines[0].quantityReceived).toBe('3');
	});

	it('refuses a cursor that belongs to another resource', async () => {
		const { cursor } = await readAll<GlAccount>(client, {
			resource: 'glAccounts',
			mode: 'incremental',
		});
		expect(() =>
			readMasterData(client, { resource: 'vendors', mode: 'incremental', cursor }),
		).toThrow(/belongs to "glAccounts", not "vendors"/);
	});
});
