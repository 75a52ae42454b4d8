/**
 * Live account resolution and vendor matching against the Odoo emulator over real HTTP, through
 * the package's Odoo client: codes → ids (archived / deprecated and missing accounts reported),
 * vendors by external id, VAT and normalised name, ambiguity reported, and a constant number of
 * HTTP round trips whatever the batch size.
 */
import { startOdooEmulator, type OdooEmulator } from '../../emulators/odoo';
import {
	OdooAccountDirectory,
	OdooVendorDirectory,
	clearOdooClientCaches,
	createOdooClient,
	externalName,
	upsertBills,
	type OdooClient,
} from '../../../nodes/shared/odoo';
import { CachingAccountDirectory, matchVendors } from '../../../nodes/shared/erp';
import { compileRules, mapInvoices, type InvoiceOutcome } from '../../../nodes/shared/mapping';
import type { Invoice, InvoiceLine } from '../../../nodes/shared/records/types';
import { makeInvoice } from './fixtures';

function line(lineNumber: number, glAccount: string, amount = '100.10'): InvoiceLine {
	return {
		lineNumber,
		description: `line ${lineNumber}`,
		quantity: '1',
		unitPrice: amount,
		amount,
		glAccount,
		dimensions: {},
	};
}

function invoice(id: string, vendor: Invoice['vendor'], lines: InvoiceLine[]): Invoice {
	return {
		stampliInvoiceId: id,
		invoiceNumber: `INV-${id}`,
		documentType: 'bill',
		vendor,
		invoiceDate: '2026-03-01',
		currency: 'USD',
		total: '300.30',
		lines,
		source: {
			file: 'out/invoices.csv',
			sha256: 'ab',
			format: 'csv',
			template: 'invoice-export@1',
			rows: [1],
		},
	};
}

// Rules give codes only, so every line needs the live lookup.
const RULES = [
	{ id: 'travel', code: '6110', odooAccountCode: '611000' },
	{ id: 'rent', code: '6200', odooAccountCode: '620000' },
	{ id: 'old', code: '6290', odooAccountCode: '629000' },
	{ id: 'ghost', code: '6999', odooAccountCode: '699999' },
];

const VENDORS: Record<string, Invoice['vendor']> = {
	byExternalId: { stampliVendorId: 'SV-INI/7', name: 'Initech (renamed in Stampli)' },
	byVat: { stampliVendorId: 'SV-DECO', name: 'Deco Addict S.A.', taxId: 'be 0477.472.701' },
	byName: { stampliVendorId: 'SV-ACME', name: 'ACME, Inc.' },
	ambiguous: { stampliVendorId: 'SV-GLOBEX', name: 'Globex' },
	archived: { stampliVendorId: 'SV-UMB', name: 'Umbrella Corp' },
	unknown: { stampliVendorId: 'SV-NONE', name: 'Nobody Ltd' },
};

describe.each([
	[17, 'xmlrpc'],
	[19, 'json2'],
] as const)('GL Mapper live lookups in Odoo %i over %s', (version, protocol) => {
	let emulator: OdooEmulator;
	let client: OdooClient;
	const ids: Record<string, number> = {};

	beforeAll(async () => {
		emulator = await startOdooEmulator({ version });
		const { store } = emulator;
		const [initech, acme, acmeTools, globex1, globex2, umbrella] = store.create('res.partner', [
			{ name: 'Initech', is_company: true, supplier_rank: 1 },
			{ name: 'Acme Inc.', is_company: true, supplier_rank: 1 },
			{ name: 'Acme Tools', is_company: true, supplier_rank: 1 },
			{ name: 'Globex GmbH', is_company: true, supplier_rank: 1 },
			{ name: 'GLOBEX', is_company: true, supplier_rank: 1 },
			{ name: 'Umbrella Corporation', is_company: true, supplier_rank: 1, active: false },
		]);
		Object.assign(ids, { initech, acme, acmeTools, globex1, globex2, umbrella });
		ids.deco = store.search('res.partner', [['name', '=', 'Deco Addict']])[0].id as number;
		store.create('ir.model.data', [
			{
				module: 'stampli',
				name: externalName('vendor', 'SV-INI/7'),
				model: 'res.partner',
				res_id: initech,
				noupdate: true,
			},
		]);
		ids.travel = store.search('account.account', [['code', '=', '611000']])[0].id as number;
		ids.rent = store.search('account.account', [['code', '=', '620000']])[0].id as number;
	});
	afterAll(() => emulator.stop());

	beforeEach(async () => {
		clearOdooClientCaches();
		client = createOdooClient({
			url: emulator.url,
			db: emulator.db,
			login: emulator.login,
			apiKey: emulator.apiKey,
			protocol,
		});
		// Version and uid are per-credential, once per process: warm them so counters show lookups only.
		await client.serverVersion();
		await client.uid();
		emulator.resetCounters();
	});

	it('matches vendors by external id, VAT and normalised name; ambiguous and archived are reported, not guessed', async () => {
		const order = Object.keys(VENDORS);
		const results = await matchVendors(
			order.map((k) => VENDORS[k]),
			{ directory: new OdooVendorDirectory(client) },
		);
		const byKey = Object.fromEntries(order.map((k, i) => [k, results[i]]));

		expect(byKey.byExternalId).toMatchObject({
			status: 'matched',
			method: 'externalId',
			erpVendorId: String(ids.initech),
		});
		expect(byKey.byVat).toMatchObject({
			status: 'matched',
			method: 'taxId',
			erpVendorId: String(ids.deco),
		});
		expect(byKey.byName).toMatchObject({
			status: 'matched',
			method: 'name',
			erpVendorId: String(ids.acme),
		});
		expect(byKey.ambiguous).toMatchObject({ status: 'ambiguous', method: 'name' });
		expect(
			byKey.ambiguous.status === 'ambiguous' &&
				byKey.ambiguous.candidates.map((c) => c.erpVendorId).sort(),
		).toEqual([String(ids.globex1), String(ids.globex2)].sort());
		expect(byKey.ambiguous.reason).toMatch(/not guessed/);
		expect(byKey.archived).toMatchObject({ status: 'unmatched' });
		expect(byKey.archived.reason).toMatch(
			new RegExp(`only archived ERP vendor\\(s\\) ${ids.umbrella} "Umbrella Corporation"`),
		);
		expect(byKey.unknown).toMatchObject({ status: 'unmatched' });
		expect(byKey.unknown.reason).toMatch(/not found/);

		// ir.model.data + partner read, vat, names: four calls for six vendors.
		expect(emulator.calls().map((c) => `${c.model}.${c.method}`)).toEqual([
			'ir.model.data.search_read',
			'res.partner.search_read',
			'res.partner.search_read',
			'res.partner.search_read',
		]);
	});

	it('resolves account codes through mapInvoices: inactive and missing accounts need attention with the reason', async () => {
		const rules = compileRules(RULES, {
			target: 'odoo',
			precedence: 'firstMatch',
			accountResolution: true,
			sourceName: 'rules',
		});
		const outcomes = await mapInvoices(
			[
				invoice('ok', VENDORS.byName, [line(1, '6110', '10.005'), line(2, '6200')]),
				invoice('inactive', VENDORS.byName, [line(1, '6110'), line(2, '6290')]),
				invoice('missing', VENDORS.byName, [line(1, '6999')]),
			],
			{ rules, accounts: new CachingAccountDirectory(new OdooAccountDirectory(client)) },
		);
		const [ok, inactive, missing] = outcomes as [InvoiceOutcome, InvoiceOutcome, InvoiceOutcome];
		expect(ok.route).toBe('mapped');
		const okInvoice = ok.json as unknown as Invoice;
		expect(okInvoice.mapping?.lines.map((l) => l.odoo)).toEqual([
			{ accountId: ids.travel, accountCode: '611000' },
			{ accountId: ids.rent, accountCode: '620000' },
		]);
		// Money untouched: decimal strings in = out.
		expect(okInvoice.lines.map((l) => l.amount)).toEqual(['10.005', '100.10']);
		expect(inactive.route).toBe('needsAttention');
		// Odoo 17 deprecates accounts, Odoo 19 archives them (`active`, read with active_test=False): both are inactive.
		expect(inactive.json.reasons).toEqual([
			{ lineNumber: 2, reason: 'account 629000 (from rule old) is inactive in Odoo' },
		]);
		expect(missing.json.reasons).toEqual([
			{ lineNumber: 1, reason: 'account 699999 (from rule ghost) was not found in Odoo' },
		]);
		expect(emulator.calls().map((c) => `${c.model}.${c.method}`)).toEqual([
			'account.account.search_read',
		]);
	});

	it('costs the same number of round trips for 6 and 120 invoices, and the account cache spans batches', async () => {
		const rules = compileRules(RULES, {
			target: 'odoo',
			precedence: 'firstMatch',
			accountResolution: true,
			sourceName: 'rules',
		});
		const kinds = Object.keys(VENDORS);
		const batch = (n: number, tag: string) =>
			Array.from({ length: n }, (_, i) =>
				invoice(`${tag}-${i}`, VENDORS[kinds[i % kinds.length]], [
					line(1, ['6110', '6200', '6290', '6999'][i % 4]),
					line(2, '6110'),
				]),
			);
		const run = async (
			invoices: Invoice[],
			accounts = new CachingAccountDirectory(new OdooAccountDirectory(client)),
		) => {
			emulator.resetCounters();
			const outcomes = await mapInvoices(invoices, {
				rules,
				accounts,
				vendors: { directory: new OdooVendorDirectory(client) },
			});
			return { trips: emulator.roundTrips(), outcomes };
		};
		const small = await run(batch(6, 's'));
		const large = await run(batch(120, 'l'));
		expect(small.trips).toBe(5); // accounts 1 + external ids 2 + VAT 1 + names 1
		expect(large.trips).toBe(small.trips);
		expect(large.outcomes.filter((o) => o.route === 'mapped').length).toBeGreaterThan(0);

		// Same execution, next batch: every code is cached, only the vendor steps go out.
		const shared = new CachingAccountDirectory(new OdooAccountDirectory(client));
		await run(batch(6, 'a'), shared);
		const again = await run(batch(6, 'b'), shared);
		expect(again.trips).toBe(4);
		expect(emulator.calls().some((c) => c.model === 'account.account')).toBe(false);
	});
});

describe.each([
	[17, 'xmlrpc'],
	[19, 'json2'],
] as const)(
	'one vendor rule for the GL Mapper and the bill writer, Odoo %i over %s',
	(version, protocol) => {
		let emulator: OdooEmulator;
		let client: OdooClient;
		const ids: Record<string, number> = {};

		beforeAll(async () => {
			emulator = await startOdooEmulator({ version });
			const { store } = emulator;
			const [otherCompany] = store.create('res.company', [{ name: 'Other Company' }]);
			const [dashed, prefixed, twinA, twinB, parent, foreign] = store.create('res.partner', [
				{ name: 'Dashed Supplies', vat: '45-6789012', is_company: true, supplier_rank: 1 },
				{ name: 'Prefixed Parts', vat: 'US 91-2345678', is_company: true, supplier_rank: 1 },
				{ name: 'Twin A', vat: 'FR 11 222', is_company: true, supplier_rank: 1 },
				{ name: 'Twin B', vat: 'fr11222', is_company: true, supplier_rank: 1 },
				{ name: 'Parent Holding', vat: 'DE 555 666', is_company: true, supplier_rank: 1 },
				{ name: 'Foreign Branch', vat: '77-1234567', is_company: true, company_id: otherCompany },
				// Same digits as Dashed Supplies behind a country prefix: the exact spelling wins.
				{ name: 'Berlin Namesake', vat: 'DE 456 789 012', is_company: true, supplier_rank: 1 },
			]);
			store.write('res.partner', [parent], { commercial_partner_id: parent });
			const [contact] = store.create('res.partner', [
				{
					name: 'Jane at Parent',
					vat: 'DE 555 666',
					parent_id: parent,
					commercial_partner_id: parent,
				},
			]);
			Object.assign(ids, { dashed, prefixed, twinA, twinB, parent, contact, foreign });
		});
		afterAll(() => emulator.stop());

		beforeEach(() => {
			clearOdooClientCaches();
			client = createOdooClient(
				{
					url: emulator.url,
					db: emulator.db,
					login: emulator.login,
					apiKey: emulator.apiKey,
					protocol,
					companyId: 1,
				},
				{ noSharedCache: true },
			);
		});

		const vendor = (taxId: string, name = 'Someone'): Invoice['vendor'] => ({
			stampliVendorId: `SV-${taxId}`,
			name,
			taxId,
		});

		it('matches VATs stored with separators or a country prefix, whatever else the batch holds', async () => {
			const directory = () => new OdooVendorDirectory(client);
			const alone = await matchVendors([vendor('456789012')], { directory: directory() });
			const batch = await matchVendors(
				[vendor('456789012'), vendor('91-2345678'), vendor('US912345678')],
				{ directory: directory() },
			);
			expect(alone[0]).toMatchObject({ status: 'matched', erpVendorId: String(ids.dashed) });
			expect(batch.map((m) => (m.status === 'matched' ? Number(m.erpVendorId) : m.status))).toEqual(
				[ids.dashed, ids.prefixed, ids.prefixed],
			);
		});

		it('does not count a contact beside its company, nor a partner of another company', async () => {
			const [company, foreign] = await matchVendors([vendor('DE555666'), vendor('771234567')], {
				directory: new OdooVendorDirectory(client),
				steps: ['taxId'],
			});
			expect(company).toMatchObject({ status: 'matched', erpVendorId: String(ids.parent) });
			expect(foreign.status).toBe('unmatched');
		});

		it('the bill writer reports an ambiguous VAT naming the candidates, never picking the lowest id', async () => {
			const base = makeInvoice(1);
			const [twins, dashed] = await upsertBills(client, [
				{ ...base, stampliInvoiceId: 'AMB-1', vendor: vendor('FR11222', 'Twin') },
				{
					...base,
					stampliInvoiceId: 'AMB-2',
					invoiceNumber: 'AMB-2',
					vendor: vendor('45 678 9012'),
				},
			]);
			expect(twins.ok).toBe(false);
			expect((twins as { reason: string }).reason).toContain(
				`tax id "FR11222" matches 2 ERP vendors (${ids.twinA} "Twin A", ${ids.twinB} "Twin B")`,
			);
			expect(dashed).toMatchObject({ ok: true, erp: { action: 'created' } });
			const move = emulator.store.get(
				'account.move',
				Number((dashed as { erp: { id: number } }).erp.id),
			)!;
			expect(move.partner_id).toBe(ids.dashed);
		});
	},
);
