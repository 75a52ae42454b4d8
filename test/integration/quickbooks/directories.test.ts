/**
 * Live account resolution and vendor matching against the QuickBooks emulator over real HTTP
 * (OAuth bearer tokens), through the package's QboClient: account numbers then names, inactive and
 * missing accounts reported, vendors by DisplayName compared after normalisation, ambiguity
 * reported, tax ids not used (masked), and a constant number of queries per batch.
 */
import { startQuickBooksEmulator, type QuickBooksEmulator } from '../../emulators/quickbooks';
import {
	createQboClient,
	QboClient,
	QuickBooksAccountDirectory,
	QuickBooksVendorDirectory,
	RealmLimiter,
} from '../../../nodes/shared/quickbooks';
import { CachingAccountDirectory, matchVendors } from '../../../nodes/shared/erp';
import { compileRules, mapInvoices } from '../../../nodes/shared/mapping';
import type { Invoice, InvoiceLine } from '../../../nodes/shared/records/types';
import { refreshingTransport } from './transport';

function line(lineNumber: number, glAccount: string, amount = '19.999'): InvoiceLine {
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
		total: '39.998',
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

const VENDORS: Record<string, Invoice['vendor']> = {
	exact: { stampliVendorId: 'SV-STAPLES', name: 'staples inc', taxId: '12-3456789' },
	normalised: { stampliVendorId: 'SV-ACME', name: 'Acme, Inc.' },
	ambiguous: { stampliVendorId: 'SV-GLOBEX', name: 'Globex GmbH' },
	inactive: { stampliVendorId: 'SV-INITECH', name: 'Initech' },
	byTaxOnly: { stampliVendorId: 'SV-X', name: 'Not In QuickBooks', taxId: '12-3456789' },
};

const RULES = [
	{ id: 'supplies', code: '6100', qboAccountNumber: '6100' },
	{ id: 'fees', code: '6200', qboAccountNumber: '6200' },
	{ id: 'travel', code: '6400', qboAccountNumber: 'Travel' },
	{ id: 'old', code: '6300', qboAccountNumber: '6300' },
	{ id: 'ghost', code: '6999', qboAccountNumber: '6999' },
];

describe('GL Mapper live lookups in QuickBooks Online', () => {
	let emulator: QuickBooksEmulator;
	let client: QboClient;

	beforeAll(async () => {
		emulator = await startQuickBooksEmulator({
			seed: {
				accounts: [
					{ Id: '60', Name: 'Office Supplies', AcctNum: '6100' },
					{ Id: '61', Name: 'Professional Fees', AcctNum: '6200' },
					{ Id: '63', Name: 'Old Equipment', AcctNum: '6300' },
					{ Id: '64', Name: 'Travel' },
				],
				vendors: [
					{ Id: '90', DisplayName: 'Staples Inc', TaxIdentifier: '12-3456789' },
					{ Id: '91', DisplayName: 'Acme, Inc.' },
					{ Id: '92', DisplayName: 'Globex GmbH' },
					{ Id: '93', DisplayName: 'GLOBEX' },
					{ Id: '94', DisplayName: 'Initech' },
				],
			},
		});
		emulator.store.get('Account')!.get('63')!.Active = false;
		emulator.store.get('Vendor')!.get('94')!.Active = false;
	});
	afterAll(() => emulator.stop());

	beforeEach(() => {
		client = createQboClient({
			transport: refreshingTransport(emulator).transport,
			realmId: emulator.realmId,
			environment: 'custom',
			baseUrl: emulator.url,
			limiter: new RealmLimiter(),
		});
	});

	it('matches vendors by normalised DisplayName; ambiguous and inactive are reported; tax ids are not used', async () => {
		const order = Object.keys(VENDORS);
		const directory = new QuickBooksVendorDirectory(client, {
			nameHints: order.map((k) => VENDORS[k].name!),
		});
		const before = emulator.counters.queries;
		const results = await matchVendors(
			order.map((k) => VENDORS[k]),
			{ directory },
		);
		const byKey = Object.fromEntries(order.map((k, i) => [k, results[i]]));
		expect(byKey.exact).toMatchObject({ status: 'matched', method: 'name', erpVendorId: '90' });
		expect(byKey.normalised).toMatchObject({
			status: 'matched',
			method: 'name',
			erpVendorId: '91',
		});
		expect(byKey.ambiguous).toMatchObject({ status: 'ambiguous', method: 'name' });
		expect(
			byKey.ambiguous.status === 'ambiguous' &&
				byKey.ambiguous.candidates.map((c) => c.erpVendorId).sort(),
		).toEqual(['92', '93']);
		expect(byKey.inactive.reason).toMatch(/only archived ERP vendor\(s\) 94 "Initech"/);
		// Same (masked) tax id as Staples, but QuickBooks cannot be asked by tax id: not matched.
		expect(byKey.byTaxOnly).toMatchObject({ status: 'unmatched' });
		// External id and tax id steps send nothing; names: one query.
		expect(emulator.counters.queries - before).toBe(1);
	});

	it('resolves account numbers, then names; inactive and missing accounts need attention', async () => {
		const rules = compileRules(RULES, {
			target: 'quickbooks',
			precedence: 'firstMatch',
			accountResolution: true,
			sourceName: 'rules',
		});
		const accounts = new QuickBooksAccountDirectory(client);
		const outcomes = await mapInvoices(
			[
				invoice('ok', VENDORS.exact, [line(1, '6100'), line(2, '6200'), line(3, '6400')]),
				invoice('old', VENDORS.exact, [line(1, '6100'), line(2, '6300')]),
				invoice('ghost', VENDORS.exact, [line(1, '6999')]),
			],
			{ rules, accounts: new CachingAccountDirectory(accounts) },
		);
		const ok = outcomes[0].json as unknown as Invoice;
		expect(outcomes[0].route).toBe('mapped');
		expect(ok.mapping?.lines.map((l) => l.quickbooks?.accountRef)).toEqual([
			{ value: '60', name: 'Office Supplies' },
			{ value: '61', name: 'Professional Fees' },
			{ value: '64', name: 'Travel' },
		]);
		expect(ok.lines.map((l) => l.amount)).toEqual(['19.999', '19.999', '19.999']);
		expect(outcomes[1].json.reasons).toEqual([
			{ lineNumber: 2, reason: 'account 6300 (from rule old) is inactive in QuickBooks' },
		]);
		expect(outcomes[2].json.reasons).toEqual([
			{ lineNumber: 1, reason: 'account 6999 (from rule ghost) was not found in QuickBooks' },
		]);
		expect(accounts.queries).toBe(2); // AcctNum IN (…), then Name IN (…) for the rest
	});

	it('sends the same number of queries for 5 and 150 invoices', async () => {
		const rules = compileRules(RULES, {
			target: 'quickbooks',
			precedence: 'firstMatch',
			accountResolution: true,
			sourceName: 'rules',
		});
		const kinds = Object.keys(VENDORS);
		const codes = ['6100', '6200', '6400', '6300', '6999'];
		const run = async (n: number) => {
			const invoices = Array.from({ length: n }, (_, i) =>
				invoice(`b${n}-${i}`, VENDORS[kinds[i % kinds.length]], [
					line(1, codes[i % codes.length]),
					line(2, '6100'),
				]),
			);
			const before = emulator.counters.queries;
			const outcomes = await mapInvoices(invoices, {
				rules,
				accounts: new CachingAccountDirectory(new QuickBooksAccountDirectory(client)),
				vendors: {
					directory: new QuickBooksVendorDirectory(client, {
						nameHints: invoices.map((i) => i.vendor.name!),
					}),
				},
			});
			return {
				queries: emulator.counters.queries - before,
				mapped: outcomes.filter((o) => o.route === 'mapped').length,
			};
		};
		const small = await run(5);
		const large = await run(150);
		expect(small.queries).toBe(3); // accounts by number, by name; vendors by DisplayName
		expect(large.queries).toBe(small.queries);
		expect(large.mapped).toBeGreaterThan(0);
	});
});
