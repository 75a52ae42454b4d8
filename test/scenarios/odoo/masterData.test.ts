/**
 * Master data for the Stampli feeds through readMasterData, on every Odoo target: a full read, then
 * an incremental one that delivers only what changed since the cursor.
 */
import { readMasterData, type MasterDataCursor } from '../../../nodes/shared/odoo/masterData';
import type { GlAccount, Vendor } from '../../../nodes/shared/records/types';
import { describeScenarios, scenario } from './harness';

async function readAll<T>(iterable: AsyncIterable<unknown>): Promise<T[]> {
	const out: T[] = [];
	for await (const record of iterable) out.push(record as T);
	return out;
}

describeScenarios('master data', (peer) => {
	scenario('reads vendors in full, then only those changed since the cursor', async () => {
		const { client, data, admin } = peer();
		const a = await data.vendor('MD-A', { vat: 'US111111111', email: 'a@example.com' });
		const b = await data.vendor('MD-B');
		const mine: [string, string, string] = ['ref', '=like', `${data.name('MD-')}%`];

		const full = readMasterData(client(), {
			resource: 'vendors',
			mode: 'full',
			domain: [mine, ['supplier_rank', '>', 0]],
		});
		const vendors = await readAll<Vendor>(full);
		expect(vendors.map((v) => [v.vendorId, v.name, v.taxId ?? null, v.active])).toEqual([
			[String(a.partnerId), a.name, 'US111111111', true],
			[String(b.partnerId), b.name, null, true],
		]);
		const cursor: MasterDataCursor = full.cursor()!;
		expect(cursor.resource).toBe('vendors');

		// Nothing changed: an incremental read delivers nothing (the overlap window is skipped by id + write_date).
		const again = readMasterData(client(), {
			resource: 'vendors',
			mode: 'incremental',
			cursor,
			domain: [mine],
		});
		expect(await readAll<Vendor>(again)).toEqual([]);
		expect(again.stats.skippedAlreadyDelivered).toBe(2);

		await admin.write('res.partner', [b.partnerId], { email: 'b@example.com' });
		const changed = readMasterData(client(), {
			resource: 'vendors',
			mode: 'incremental',
			cursor: again.cursor()!,
			domain: [mine],
		});
		expect((await readAll<Vendor>(changed)).map((v) => [v.vendorId, v.email])).toEqual([
			[String(b.partnerId), 'b@example.com'],
		]);
	});

	scenario('reads the GL accounts of the chart with their type', async () => {
		const { client, data } = peer();
		const accounts = await readAll<GlAccount>(
			readMasterData(client(), { resource: 'glAccounts', mode: 'full' }),
		);
		const byCode = new Map(accounts.map((a) => [a.code, a]));
		for (const account of data.accounts)
			expect(byCode.get(account.code)).toMatchObject({
				accountId: String(account.id),
				type: 'expense',
				active: true,
			});
		expect(accounts.some((a) => a.type === 'liability_payable')).toBe(true);
	});
});
