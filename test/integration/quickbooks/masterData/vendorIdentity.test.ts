/**
 * Vendor identity both ways, against the emulator over HTTP: a vendor the vendor sync creates from
 * a Stampli export carries the Stampli vendor id in its Notes; one it matches by name gets the line
 * added beside the user's own notes; the master-data reader gives both back with their QuickBooks
 * Id, so the vendor feed tells Stampli "your SV-… is QuickBooks vendor …" instead of a new vendor.
 * A vendor renamed in QuickBooks keeps its link.
 */
import { syncVendors } from '../../../../nodes/shared/quickbooks';
import { readQboMasterData } from '../../../../nodes/shared/quickbooks/masterData';
import { startQuickBooksEmulator, type QuickBooksEmulator } from '../../../emulators/quickbooks';
import { testClient } from '../transport';

let emulator: QuickBooksEmulator;
beforeEach(async () => {
	emulator = await startQuickBooksEmulator({
		seed: { vendors: [{ Id: '90', DisplayName: 'Staples Inc', Notes: 'Pays by check' }] },
	});
});
afterEach(() => emulator.stop());

async function fedBack() {
	const records: Array<Record<string, unknown>> = [];
	for await (const r of readQboMasterData(testClient(emulator), {
		resource: 'vendors',
		mode: 'full',
	}))
		records.push(r as unknown as Record<string, unknown>);
	return records.map((r) => [r.vendorId, r.stampliVendorId, r.name]);
}

it('links created and matched vendors to their Stampli vendor id and feeds the pair back', async () => {
	const client = testClient(emulator);
	const out = await syncVendors(client, [
		{ stampliVendorId: 'SV-NEW', name: 'Brand New Co' },
		{ stampliVendorId: 'SV-STAPLES', name: 'staples inc' },
	]);
	expect(out.map((o) => o.ok && o.erp.action)).toEqual(['created', 'updated']);
	const created = out[0].ok ? out[0].vendorId : '';
	expect(emulator.store.get('Vendor')!.get(created)!.Notes).toBe('Stampli vendor id: SV-NEW');
	expect(emulator.store.get('Vendor')!.get('90')!.Notes).toBe(
		'Pays by check\nStampli vendor id: SV-STAPLES',
	);
	expect(await fedBack()).toEqual([
		['90', 'SV-STAPLES', 'Staples Inc'],
		[created, 'SV-NEW', 'Brand New Co'],
	]);

	// Linked already: a second sync changes nothing.
	const again = await syncVendors(client, [
		{ stampliVendorId: 'SV-NEW', name: 'Brand New Co' },
		{ stampliVendorId: 'SV-STAPLES', name: 'Staples Inc' },
	]);
	expect(again.map((o) => o.ok && o.erp.action)).toEqual(['unchanged', 'unchanged']);

	// Renamed in QuickBooks by a user: the link stays with the vendor.
	emulator.updateRecord('Vendor', created, { DisplayName: 'Brand New Company Ltd' });
	expect(await fedBack()).toContainEqual([created, 'SV-NEW', 'Brand New Company Ltd']);
});
