import {
	CachingAccountDirectory,
	InMemoryAccountDirectory,
	InMemoryVendorDirectory,
} from '../../../nodes/shared/erp';
import { compileRules, mapInvoices, previewItems } from '../../../nodes/shared/mapping';
import type { Invoice } from '../../../nodes/shared/records/types';
import { invoice, line } from './fixtures';

const odooRules = compileRules(
	[
		{
			id: 'travel',
			match: 'prefix',
			code: '61',
			department: 'Ops',
			odooAccount: 101,
			analytic: '7:33.34;8:66.66',
			taxes: '2',
		},
		{ id: 'rent', code: '6200', odooAccountCode: '620000' },
		{ id: 'it', codeFrom: 6300, codeTo: 6399, odooAccountCode: '630000' },
	],
	{ target: 'odoo', precedence: 'mostSpecific', accountResolution: true },
);

describe('mapInvoices', () => {
	it('maps every line, records the rule and reason, and leaves money and other fields untouched', async () => {
		const input = invoice('A', [
			line(1, '6110', { department: 'Ops' }, '1234.5678'),
			line(2, '6110', { department: 'ops' }, '-0.10'),
		]);
		const before = JSON.parse(JSON.stringify(input));
		const [outcome] = await mapInvoices([input], { rules: odooRules });
		expect(outcome.route).toBe('mapped');
		const out = outcome.json as unknown as Invoice;
		expect(out.mapping).toEqual({
			target: 'odoo',
			lines: [1, 2].map((lineNumber) => ({
				lineNumber,
				odoo: { accountId: 101, analyticDistribution: { '7': '33.34', '8': '66.66' }, taxIds: [2] },
				rule: {
					id: 'travel',
					reason: 'row 1 (id "travel"): prefix "61" matched "6110"; department = Ops',
				},
			})),
		});
		// Money in = money out, as the same decimal strings; the input object is not mutated.
		const { mapping: _mapping, ...rest } = out;
		expect(rest).toEqual(before);
		expect(input).toEqual(before);
		expect(out.lines.map((l) => l.amount)).toEqual(['1234.5678', '-0.10']);
		expect(out.total).toBe('1234.567');
	});

	it('whole-invoice by default: one unmapped line sends the whole invoice to Needs attention with reasons', async () => {
		const [outcome] = await mapInvoices(
			[invoice('B', [line(1, '6110', { department: 'Ops' }), line(2, '9999'), line(3, '6110')])],
			{ rules: odooRules },
		);
		expect(outcome.route).toBe('needsAttention');
		expect(outcome.json.reasons).toEqual([
			{ lineNumber: 2, reason: 'no rule matched GL code "9999"' },
			{ lineNumber: 3, reason: 'no rule matched GL code "6110"' },
		]);
		expect((outcome.json as unknown as Invoice).lines).toHaveLength(3);
		expect((outcome.json as unknown as Invoice).mapping?.lines.map((l) => l.lineNumber)).toEqual([
			1,
		]);
	});

	it('split: mapped lines go on, unmapped lines need attention, both say which part they are', async () => {
		const outcomes = await mapInvoices(
			[
				invoice('C', [
					line(1, '6110', { department: 'Ops' }),
					line(2, '9999'),
					line(3, '6110', { department: 'Ops' }),
				]),
			],
			{
				rules: odooRules,
				split: true,
			},
		);
		expect(outcomes.map((o) => [o.inputIndex, o.route])).toEqual([
			[0, 'mapped'],
			[0, 'needsAttention'],
		]);
		const [mapped, attention] = outcomes.map(
			(o) => o.json as unknown as Invoice & { reasons?: unknown },
		);
		expect(mapped.lines.map((l) => l.lineNumber)).toEqual([1, 3]);
		expect(mapped.mapping?.partial).toEqual({
			part: 'mapped',
			lineNumbers: [1, 3],
			otherLineNumbers: [2],
		});
		expect(mapped.total).toBe('1234.567');
		expect(attention.lines.map((l) => l.lineNumber)).toEqual([2]);
		expect(attention.reasons).toEqual([
			{ lineNumber: 2, reason: 'no rule matched GL code "9999"' },
		]);
	});

	it('split never splits an invoice whose vendor is unknown, nor one with no mapped line', async () => {
		const vendors = { directory: new InMemoryVendorDirectory([]) };
		const outcomes = await mapInvoices(
			[
				invoice('D', [line(1, '6110', { department: 'Ops' }), line(2, '9999')]),
				invoice('E', [line(1, '9999')], { stampliVendorId: 'V2' }),
			],
			{ rules: odooRules, split: true, vendors },
		);
		expect(outcomes.map((o) => o.route)).toEqual(['needsAttention', 'needsAttention']);
		expect(outcomes[0].json.reasons).toEqual([
			{ reason: 'vendor: vendor V1 "Acme Inc" not found (tried: externalId, taxId, name)' },
			{ lineNumber: 2, reason: 'no rule matched GL code "9999"' },
		]);
	});

	it('records the vendor match on the mapping and the invoice vendor', async () => {
		const directory = new InMemoryVendorDirectory([{ erpVendorId: '42', name: 'ACME, Inc.' }]);
		const [outcome] = await mapInvoices([invoice('F', [line(1, '6110', { department: 'Ops' })])], {
			rules: odooRules,
			vendors: { directory },
		});
		const out = outcome.json as unknown as Invoice;
		expect(out.mapping?.vendor).toEqual({ erpVendorId: '42', method: 'name' });
		expect(out.vendor.erpVendorId).toBe('42');
		// Not required: an unknown vendor does not block.
		const [loose] = await mapInvoices(
			[invoice('G', [line(1, '6110', { department: 'Ops' })], { name: 'Other' })],
			{
				rules: odooRules,
				vendors: { directory, required: false },
			},
		);
		expect(loose.route).toBe('mapped');
		expect((loose.json as unknown as Invoice).mapping?.vendor).toBeUndefined();
	});

	it('an item that is not an invoice needs attention and never blocks the others', async () => {
		const outcomes = await mapInvoices(
			[
				{ hello: 1 },
				invoice('H', [line(1, '6110', { department: 'Ops' })]),
				{ lines: [{ lineNumber: 1 }], vendor: {} },
			],
			{ rules: odooRules },
		);
		expect(outcomes.map((o) => [o.inputIndex, o.route])).toEqual([
			[0, 'needsAttention'],
			[1, 'mapped'],
			[2, 'needsAttention'],
		]);
		expect(outcomes[0].json).toEqual({
			hello: 1,
			reasons: [{ reason: 'item is not a canonical invoice: "lines" is missing' }],
		});
		expect(outcomes[2].json.reasons).toEqual([{ reason: 'line 1: glAccount is missing' }]);
	});

	it('default target lines say they used it', async () => {
		const rules = compileRules([{ code: '1', odooAccount: 1 }], {
			target: 'odoo',
			precedence: 'firstMatch',
			defaultTarget: { odoo: { accountId: 999 } },
		});
		const [outcome] = await mapInvoices([invoice('I', [line(1, '5555')])], { rules });
		expect(outcome.route).toBe('mapped');
		expect((outcome.json as unknown as Invoice).mapping?.lines[0]).toEqual({
			lineNumber: 1,
			odoo: { accountId: 999 },
			rule: { id: 'default', reason: 'no rule matched GL code "5555"; default target used' },
		});
	});

	it('ambiguous lines need attention, naming both rules', async () => {
		const rules = compileRules(
			[
				{ pattern: '61.*', odooAccount: 1 },
				{ pattern: '.*10', odooAccount: 2 },
			],
			{ target: 'odoo', precedence: 'mostSpecific' },
		);
		const [outcome] = await mapInvoices([invoice('J', [line(1, '6110')])], { rules });
		expect(outcome.route).toBe('needsAttention');
		expect(outcome.json.reasons).toEqual([
			{ lineNumber: 1, reason: expect.stringContaining('row 1 and row 2 are equally specific') },
		]);
	});
});

describe('account resolution', () => {
	const accounts = () =>
		new InMemoryAccountDirectory([
			{ accountId: '500', code: '620000', name: 'Rent', active: true },
			{ accountId: '501', code: '630000', name: 'IT', active: false },
		]);

	it('resolves codes to ids with one lookup per batch, cached across batches; inactive and missing need attention', async () => {
		const inner = accounts();
		const cached = new CachingAccountDirectory(inner);
		const outcomes = await mapInvoices(
			[
				invoice('K', [line(1, '6200'), line(2, '6200')]),
				invoice('L', [line(1, '6350')]),
				invoice('M', [line(1, '6200')]),
			],
			{ rules: odooRules, accounts: cached },
		);
		expect(outcomes.map((o) => o.route)).toEqual(['mapped', 'needsAttention', 'mapped']);
		expect((outcomes[0].json as unknown as Invoice).mapping?.lines[0].odoo).toEqual({
			accountId: 500,
			accountCode: '620000',
		});
		expect(outcomes[1].json.reasons).toEqual([
			{ lineNumber: 1, reason: 'account 630000 (from rule it) is inactive in Odoo' },
		]);
		expect(inner.calls).toEqual([['620000', '630000']]);

		const missingRules = compileRules([{ code: '1', odooAccountCode: '777' }], {
			target: 'odoo',
			precedence: 'firstMatch',
		});
		const [missing] = await mapInvoices(
			[invoice('N', [line(1, '1')]), invoice('O', [line(1, '6200')])],
			{ rules: missingRules, accounts: cached },
		);
		expect(missing.json.reasons).toEqual([
			{ lineNumber: 1, reason: 'account 777 (from rule row 1) was not found in Odoo' },
		]);
		await mapInvoices([invoice('P', [line(1, '1')])], { rules: missingRules, accounts: cached });
		expect(inner.calls).toEqual([['620000', '630000'], ['777']]); // the miss is cached too
	});

	it('QuickBooks account numbers become AccountRefs; Class and Department refs pass through', async () => {
		const rules = compileRules(
			[
				{
					code: '6200',
					qboAccountNumber: '620000',
					qboClass: '3',
					qboDepartment: '4',
					qboDepartmentName: 'Ops',
				},
			],
			{
				target: 'quickbooks',
				precedence: 'firstMatch',
				accountResolution: true,
			},
		);
		const [outcome] = await mapInvoices([invoice('Q', [line(1, '6200')])], {
			rules,
			accounts: accounts(),
		});
		expect((outcome.json as unknown as Invoice).mapping).toEqual({
			target: 'quickbooks',
			lines: [
				{
					lineNumber: 1,
					quickbooks: {
						accountRef: { value: '500', name: 'Rent' },
						classRef: { value: '3' },
						departmentRef: { value: '4', name: 'Ops' },
					},
					rule: expect.any(Object),
				},
			],
		});
	});

	it('without resolution, an Odoo code is passed on as the code', async () => {
		const [outcome] = await mapInvoices([invoice('R', [line(1, '6200')])], { rules: odooRules });
		expect((outcome.json as unknown as Invoice).mapping?.lines[0].odoo).toEqual({
			accountCode: '620000',
		});
	});
});

describe('preview', () => {
	it('explains every line, routed as its invoice would be, with all candidate rules', async () => {
		const outcomes = await mapInvoices(
			[invoice('S', [line(1, '6110', { department: 'Ops' }), line(2, '9999')]), { nope: true }],
			{ rules: odooRules },
		);
		const items = previewItems(outcomes);
		expect(items.map((i) => [i.inputIndex, i.route])).toEqual([
			[0, 'needsAttention'],
			[0, 'needsAttention'],
			[1, 'needsAttention'],
		]);
		expect(items[0].json).toMatchObject({
			preview: true,
			wouldGoTo: 'needsAttention',
			stampliInvoiceId: 'S',
			line: {
				lineNumber: 1,
				outcome: 'mapped',
				rule: { id: 'travel', row: 1 },
				candidates: [{ id: 'travel', row: 1 }],
				mapping: { odoo: { accountId: 101 } },
			},
		});
		expect(items[1].json).toMatchObject({
			line: {
				lineNumber: 2,
				outcome: 'unmapped',
				reason: 'no rule matched GL code "9999"',
				candidates: [],
			},
		});
		expect(items[2].json.reasons).toEqual([
			{ reason: 'item is not a canonical invoice: "lines" is missing' },
		]);
	});
});
