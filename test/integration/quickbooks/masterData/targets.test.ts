/**
 * The GL Mapper's QuickBooks accounts loaded through the master-data reader (the QuickBooks ERP's
 * account directory), against the emulator over HTTP: a rule names an account by number, by
 * "number name" as QuickBooks lists it, by full name or by name; inactive and ambiguous accounts
 * are reported, not guessed; the chart costs one read per execution whatever the number of codes.
 */
import { CachingAccountDirectory } from '../../../../nodes/shared/erp';
import { compileRules, mapInvoices } from '../../../../nodes/shared/mapping';
import { quickBooksErp, type QboClient } from '../../../../nodes/shared/quickbooks';
import { QuickBooksChartDirectory } from '../../../../nodes/shared/quickbooks/masterData';
import type { Invoice, InvoiceLine } from '../../../../nodes/shared/records/types';
import { startQuickBooksEmulator, type QuickBooksEmulator } from '../../../emulators/quickbooks';
import { testClient } from '../transport';

const line = (lineNumber: number, glAccount: string): InvoiceLine => ({
	lineNumber,
	description: `line ${lineNumber}`,
	quantity: '1',
	unitPrice: '10.00',
	amount: '10.00',
	glAccount,
	dimensions: {},
});

const invoice = (id: string, codes: string[]): Invoice => ({
	stampliInvoiceId: id,
	invoiceNumber: `INV-${id}`,
	documentType: 'bill',
	vendor: { stampliVendorId: 'SV-1', name: 'Staples Inc' },
	invoiceDate: '2026-03-01',
	currency: 'USD',
	total: String(10 * codes.length),
	lines: codes.map((code, i) => line(i + 1, code)),
	source: {
		file: 'out/invoices.csv',
		sha256: 'ab',
		format: 'csv',
		template: 'invoice-export@1',
		rows: [1],
	},
});

const RULES = [
	{ id: 'number', code: 'A', qboAccountNumber: '6100' },
	{ id: 'number-name', code: 'B', qboAccountNumber: '6100 office supplies' },
	{ id: 'full-name', code: 'C', qboAccountNumber: 'Travel:Airfare' },
	{ id: 'name', code: 'D', qboAccountNumber: 'professional fees' },
	{ id: 'shared-name', code: 'E', qboAccountNumber: 'Meals' },
	{ id: 'inactive', code: 'F', qboAccountNumber: '6300' },
	{ id: 'wrong-name', code: 'G', qboAccountNumber: '6100 Travel' },
];

let emulator: QuickBooksEmulator;
let client: QboClient;
beforeAll(async () => {
	emulator = await startQuickBooksEmulator({
		seed: {
			accounts: [
				{ Id: '60', Name: 'Office Supplies', AcctNum: '6100' },
				{ Id: '61', Name: 'Professional Fees' },
				{ Id: '62', Name: 'Travel' },
				{ Id: '63', Name: 'Airfare', ParentRef: { value: '62' } },
				{ Id: '64', Name: 'Meals', ParentRef: { value: '62' } },
				{ Id: '65', Name: 'Marketing' },
				{ Id: '66', Name: 'Meals', ParentRef: { value: '65' } },
				{ Id: '67', Name: 'Old Equipment', AcctNum: '6300', Active: false },
			],
		},
	});
	client = testClient(emulator);
});
afterAll(() => emulator.stop());

it('resolves numbers, "number name", full names and names; reports inactive, ambiguous and unknown', async () => {
	const rules = compileRules(RULES, {
		target: 'quickbooks',
		precedence: 'firstMatch',
		accountResolution: true,
		sourceName: 'rules',
	});
	const chart = new QuickBooksChartDirectory(client);
	const before = emulator.counters.queries;
	const [ok, attention] = await mapInvoices(
		[invoice('ok', ['A', 'B', 'C', 'D']), invoice('attention', ['E', 'F', 'G'])],
		{ rules, accounts: new CachingAccountDirectory(chart) },
	);
	expect(ok.route).toBe('mapped');
	expect(
		(ok.json as unknown as Invoice).mapping?.lines.map((l) => l.quickbooks?.accountRef),
	).toEqual([
		{ value: '60', name: 'Office Supplies' },
		{ value: '60', name: 'Office Supplies' },
		{ value: '63', name: 'Airfare' },
		{ value: '61', name: 'Professional Fees' },
	]);
	expect(attention.json.reasons).toEqual([
		{ lineNumber: 1, reason: 'account Meals (from rule shared-name) was not found in QuickBooks' },
		{ lineNumber: 2, reason: 'account 6300 (from rule inactive) is inactive in QuickBooks' },
		{
			lineNumber: 3,
			reason: 'account 6100 Travel (from rule wrong-name) was not found in QuickBooks',
		},
	]);
	// The whole chart in one page, read once for both invoices.
	expect(emulator.counters.queries - before).toBe(1);
	expect(chart.pages).toBe(1);
});

it('is the QuickBooks ERP’s account directory', async () => {
	const accounts = quickBooksErp.directories(client).accounts;
	expect(accounts).toBeInstanceOf(QuickBooksChartDirectory);
	const found = await accounts.resolveCodes(['6100 Office Supplies', 'Travel:Meals']);
	expect(Object.fromEntries([...found].map(([code, a]) => [code, a.id]))).toEqual({
		'6100 Office Supplies': '60',
		'Travel:Meals': '64',
	});
});
