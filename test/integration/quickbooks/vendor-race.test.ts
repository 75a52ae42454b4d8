/**
 * The vendor race the demo found: another run (the template's vendor sync, a second batch, a
 * retried request) creates a vendor between our DisplayName lookup and our create, so QuickBooks
 * answers 6240. The emulator's `afterRequest` hook creates the vendor right after our vendor
 * query is answered, which makes the race happen every time.
 */
import {
	CONCURRENT_VENDOR_NOTE,
	syncVendors,
	upsertBills,
	type BillOutcome,
	type QboTransport,
} from '../../../nodes/shared/quickbooks';
import {
	startQuickBooksEmulator,
	type AnsweredRequest,
	type QuickBooksEmulator,
} from '../../emulators/quickbooks';
import { invoice, seed } from './fixtures';
import { refreshingTransport, testClient } from './transport';

let emulator: QuickBooksEmulator;
let vendorQueries: string[];

function clientFor(
	emu: QuickBooksEmulator,
	transport: QboTransport = refreshingTransport(emu).transport,
) {
	return testClient(emu, { transport });
}

const isVendorQuery = (req: AnsweredRequest) =>
	req.resource === 'query' && /FROM Vendor/i.test(req.query.get('query') ?? '');

/** After our first vendor query is answered, "another run" creates these vendors (once). */
function raceAfterFirstVendorQuery(
	vendors: Array<Record<string, unknown> & { DisplayName: string }>,
) {
	let raced = false;
	emulator.afterRequest = (req) => {
		if (!isVendorQuery(req)) return;
		vendorQueries.push(req.query.get('query')!);
		if (raced) return;
		raced = true;
		for (const v of vendors) emulator.createRecord('Vendor', v);
	};
}

const vendorsNamed = (name: string) =>
	[...emulator.store.get('Vendor')!.values()].filter(
		(v) => v.DisplayName.toLowerCase() === name.toLowerCase(),
	);

const ok = (o: BillOutcome) => {
	if (!o.ok) throw new Error(`expected success, got: ${o.reason}`);
	return o;
};

beforeEach(async () => {
	emulator = await startQuickBooksEmulator({ seed });
	vendorQueries = [];
});
afterEach(async () => {
	await emulator.stop();
});

describe('vendor created concurrently (6240 on our create)', () => {
	test('bills: the raced vendors are reused, no duplicate, one extra vendor query for the whole batch; a customer name keeps the actionable error', async () => {
		const raced = ['Northwind Traders', "O'Brien \\ Sons", 'Initech'];
		raceAfterFirstVendorQuery(raced.map((DisplayName) => ({ DisplayName })));
		const names = [...raced, 'Hooli', 'Acme Corp'];
		// 8 bills per name; the 32 that can post need two /batch requests.
		const invoices = Array.from({ length: 40 }, (_, k) =>
			invoice({ vendor: { stampliVendorId: `SV-${k % 5}`, name: names[k % 5] } }),
		);
		const outcomes = await upsertBills(clientFor(emulator), invoices);

		for (const name of raced) expect(vendorsNamed(name)).toHaveLength(1);
		expect(vendorsNamed('Hooli')).toHaveLength(1);
		expect(vendorsNamed('Acme Corp')).toHaveLength(0);
		// Three by "the other run", one by us (Hooli).
		expect(emulator.counters.created.Vendor).toBe(4);

		outcomes.forEach((o, k) => {
			const name = names[k % 5];
			if (name === 'Acme Corp') {
				expect(o).toMatchObject({ ok: false, code: '6240' });
				expect((o as { reason: string }).reason).toMatch(
					/Acme Corp.*customer or an employee.*Duplicate Name Suffix/s,
				);
				return;
			}
			const bill = ok(o);
			expect(bill.erp.action).toBe('created');
			expect(bill.vendorId).toBe(vendorsNamed(name)[0].Id);
			expect(emulator.store.get('Bill')!.get(String(bill.erp.id))!.VendorRef.value).toBe(
				vendorsNamed(name)[0].Id,
			);
			if (raced.includes(name))
				expect(bill.erp.reason).toBe(`vendor "${name}": ${CONCURRENT_VENDOR_NOTE}`);
			else expect(bill.erp.reason).toBeUndefined();
		});
		expect(emulator.store.get('Bill')!.size).toBe(32);

		// First lookup, then ONE re-query for every name that clashed (3 raced + the customer's), escaped, inactive included.
		expect(vendorQueries).toHaveLength(2);
		expect(vendorQueries[1]).toContain('Active IN (true, false)');
		expect(vendorQueries[1]).toContain("'O\\'Brien \\\\ Sons'");
		for (const name of ['Northwind Traders', 'Initech', 'Acme Corp'])
			expect(vendorQueries[1]).toContain(`'${name}'`);
		expect(vendorQueries[1]).not.toContain('Hooli');

		// A re-run finds everything in the first lookup: nothing created, no re-query.
		vendorQueries = [];
		const again = await upsertBills(
			clientFor(emulator),
			invoices.filter((_, k) => names[k % 5] !== 'Acme Corp'),
		);
		expect(again.map((o) => ok(o).erp.action)).toEqual(again.map(() => 'unchanged'));
		expect(vendorQueries).toHaveLength(1);
		expect(emulator.counters.created.Vendor).toBe(4);
	});

	test('bills: without the race nothing extra is queried (the re-query only follows a 6240)', async () => {
		raceAfterFirstVendorQuery([]);
		const outcomes = await upsertBills(clientFor(emulator), [
			invoice({ vendor: { stampliVendorId: 'SV-n', name: 'Northwind Traders' } }),
		]);
		expect(ok(outcomes[0]).erp).toMatchObject({ action: 'created' });
		expect(vendorQueries).toHaveLength(1);
	});

	test('bills: a name taken by a customer still gets the suffix when one is configured', async () => {
		raceAfterFirstVendorQuery([]);
		const [out] = await upsertBills(
			clientFor(emulator),
			[invoice({ vendor: { stampliVendorId: 'SV-a', name: 'Acme Corp' } })],
			{ duplicateNameSuffix: ' (Vendor)' },
		);
		expect(ok(out).erp.action).toBe('created');
		expect(emulator.store.get('Vendor')!.get(ok(out).vendorId)!.DisplayName).toBe(
			'Acme Corp (Vendor)',
		);
		// The re-query asked for the name and its suffixed form together.
		expect(vendorQueries).toHaveLength(2);
		expect(vendorQueries[1]).toContain("DisplayName IN ('Acme Corp', 'Acme Corp (Vendor)')");
	});

	test('bills: a raced vendor that is inactive is reactivated before its bills are posted', async () => {
		raceAfterFirstVendorQuery([{ DisplayName: 'Northwind Traders', Active: false }]);
		const outcomes = await upsertBills(clientFor(emulator), [
			invoice({ vendor: { stampliVendorId: 'SV-n', name: 'Northwind Traders' } }),
		]);
		const [vendor] = vendorsNamed('Northwind Traders');
		expect(vendor.Active).toBe(true);
		expect(ok(outcomes[0]).vendorId).toBe(vendor.Id);
		expect(ok(outcomes[0]).erp.reason).toBe(
			`vendor "Northwind Traders": ${CONCURRENT_VENDOR_NOTE}`,
		);
	});

	test('two runs at once creating the same new vendor: one vendor, every bill posted', async () => {
		const name = 'Umbrella Co';
		const batchA = Array.from({ length: 12 }, () =>
			invoice({ vendor: { stampliVendorId: 'SV-u', name } }),
		);
		const batchB = Array.from({ length: 12 }, () =>
			invoice({ vendor: { stampliVendorId: 'SV-u', name } }),
		);
		// Both runs' first vendor answers are held until both have arrived: both see "no such vendor".
		const held: Array<() => void> = [];
		const gated = (): QboTransport => {
			const { transport } = refreshingTransport(emulator);
			let first = true;
			return async (req) => {
				const res = await transport(req);
				if (first && req.url.endsWith('/query') && /FROM Vendor/.test(req.qs?.query ?? '')) {
					first = false;
					await new Promise<void>((resolve) => {
						held.push(resolve);
						if (held.length === 2) for (const release of held) release();
					});
				}
				return res;
			};
		};
		let seenQueries = 0;
		emulator.afterRequest = (req) => {
			if (isVendorQuery(req)) seenQueries++;
		};
		const [a, b] = await Promise.all([
			upsertBills(clientFor(emulator, gated()), batchA),
			upsertBills(clientFor(emulator, gated()), batchB),
		]);
		expect(vendorsNamed(name)).toHaveLength(1);
		const id = vendorsNamed(name)[0].Id;
		for (const o of [...a, ...b]) expect(ok(o).vendorId).toBe(id);
		expect(emulator.store.get('Bill')!.size).toBe(24);
		expect(emulator.counters.created.Vendor).toBe(1);
		// Each run looked up once; the run whose create lost looked up once more.
		expect(seenQueries).toBe(3);
		expect(
			[...a, ...b].filter(
				(o) => ok(o).erp.reason === `vendor "${name}": ${CONCURRENT_VENDOR_NOTE}`,
			),
		).toHaveLength(12);
	});
});

describe('syncVendors: vendor created concurrently', () => {
	test('when the re-query itself fails, the clashing vendors fail with a clear error and the others are written', async () => {
		raceAfterFirstVendorQuery([{ DisplayName: 'Globex LLC' }]);
		let vendorQueriesSeen = 0;
		emulator.intercept = (req) => {
			if (
				req.resource === 'query' &&
				/FROM Vendor/.test(req.query.get('query') ?? '') &&
				++vendorQueriesSeen > 1
			) {
				return {
					status: 400,
					body: {
						Fault: {
							Error: [
								{
									Message: 'Error parsing query',
									Detail: 'QueryParserError: simulated',
									code: '4000',
								},
							],
							type: 'ValidationFault',
						},
					},
				};
			}
			return undefined;
		};
		const out = await syncVendors(clientFor(emulator), [{ name: 'Globex LLC' }, { name: 'Hooli' }]);
		expect(out[0]).toMatchObject({ ok: false, code: '4000' });
		expect((out[0] as { reason: string }).reason).toMatch(
			/"Globex LLC" as a duplicate name, and looking it up again failed: QuickBooks error 4000/,
		);
		expect(out[1]).toMatchObject({ ok: true, erp: { action: 'created' } });
		expect(vendorsNamed('Globex LLC')).toHaveLength(1);
	});

	test('a vendor that now exists is treated as found and updated where it differs', async () => {
		raceAfterFirstVendorQuery([
			{ DisplayName: 'Globex LLC', BillAddr: { Line1: 'old street' } },
			{ DisplayName: 'Initech', TaxIdentifier: '11-1111111' },
		]);
		const client = clientFor(emulator);
		const out = await syncVendors(client, [
			{ name: 'Globex LLC', address: { line1: '2 Elm', city: 'Springfield' } },
			{ name: 'Initech', taxId: '11-1111111' },
			{ name: 'Acme Corp' },
		]);
		const [globex] = vendorsNamed('Globex LLC');
		expect(out[0]).toMatchObject({
			ok: true,
			vendorId: globex.Id,
			note: CONCURRENT_VENDOR_NOTE,
			erp: { action: 'updated', reason: `${CONCURRENT_VENDOR_NOTE}; changed BillAddr` },
		});
		expect(globex.BillAddr).toEqual({ Line1: '2 Elm', City: 'Springfield' });
		expect(out[1]).toMatchObject({
			ok: true,
			vendorId: vendorsNamed('Initech')[0].Id,
			erp: { action: 'unchanged', reason: CONCURRENT_VENDOR_NOTE },
		});
		expect(out[2]).toMatchObject({ ok: false, code: '6240' });
		expect((out[2] as { reason: string }).reason).toMatch(/customer or an employee/);
		expect(vendorsNamed('Globex LLC')).toHaveLength(1);
		expect(vendorsNamed('Initech')).toHaveLength(1);
		expect(vendorQueries).toHaveLength(2);
		// The raced vendors were created by "the other run" only; the update went through /batch with the re-queried SyncToken.
		expect(emulator.counters.created.Vendor).toBe(2);
		expect(emulator.counters.updated.Vendor).toBe(1);
	});

	test('with updating off, a raced vendor is reused as it is', async () => {
		raceAfterFirstVendorQuery([{ DisplayName: 'Globex LLC' }]);
		const [out] = await syncVendors(
			clientFor(emulator),
			[{ name: 'Globex LLC', taxId: '55-5555555' }],
			{ updateExisting: false },
		);
		expect(out).toMatchObject({
			ok: true,
			erp: { action: 'unchanged', reason: CONCURRENT_VENDOR_NOTE },
		});
		expect(vendorsNamed('Globex LLC')[0].TaxIdentifier).toBeUndefined();
	});
});
