import { join } from 'node:path';

import { NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';
import { GlMapper } from '../../../../nodes/GlMapper/GlMapper.node';
import { rowsFromUi, uiDefaultTarget } from '../../../../nodes/GlMapper/uiRules';
import { erpModules } from '../../../../nodes/shared/erps';
import type { Invoice } from '../../../../nodes/shared/records/types';
import { executeContext } from '../../../kit/n8nContext';
import { contextFor, loadWorkflow } from '../../../kit/workflow';
import { invoice, line } from '../../mapping/fixtures';

const DEFAULTS: Record<string, unknown> = {
	targetSystem: 'odoo',
	mode: 'map',
	ruleSource: 'ui',
	precedence: 'firstMatch',
	invoiceHandling: 'whole',
	useDefaultTarget: false,
	vendorMapping: 'off',
	accountResolution: 'off',
	options: {},
};

/** The GL Mapper's context with parameters over the defaults and binary data from the items. */
function context(
	parameters: Record<string, unknown>,
	items: INodeExecutionData[],
	continueOnFail = false,
) {
	return executeContext({
		type: 'n8n-nodes-stampli.glMapper',
		name: 'GL Mapper',
		parameters: { ...DEFAULTS, ...parameters },
		items,
		continueOnFail,
	});
}

const uiRules = {
	rule: [
		{
			id: 'travel',
			match: 'prefix',
			code: '61',
			codeFrom: '',
			department: 'Ops',
			dimensions: 'costCenter=CC-1|CC-2',
			odooAccount: '101',
			analytic: '',
			taxes: '',
		},
		{
			match: 'range',
			code: 'ignored because hidden',
			codeFrom: '6200',
			codeTo: '6299',
			odooAccountCode: '620000',
		},
	],
};

describe('GL Mapper node', () => {
	it('defaults its target system to the first registered ERP', () => {
		const target = new GlMapper().description.properties.find((p) => p.name === 'targetSystem');
		expect(target?.default).toBe(erpModules()[0].system);
	});

	it('turns UI rules into the same rows a table gives', () => {
		expect(rowsFromUi(uiRules)).toEqual([
			{
				id: 'travel',
				match: 'prefix',
				code: '61',
				department: 'Ops',
				'dim.costCenter': 'CC-1|CC-2',
				odooAccount: '101',
			},
			{ match: 'range', codeFrom: '6200', codeTo: '6299', odooAccountCode: '620000' },
		]);
		expect(uiDefaultTarget({ qboAccount: '9', qboClass: '' }, 'quickbooks')).toEqual({
			quickbooks: { accountRef: { value: '9' } },
		});
		expect(() => uiDefaultTarget({}, 'odoo')).toThrow(/Default Target[\s\S]*missing target/);
	});

	it('routes to Mapped and Needs attention with pairedItem on every item', async () => {
		const items = [
			{ json: invoice('1', [line(1, '6110', { department: 'Ops', costCenter: 'CC-2' })]) as never },
			{ json: invoice('2', [line(1, '9999')]) as never },
			{ json: invoice('3', [line(1, '6250')]) as never },
		];
		const [mapped, attention] = await new GlMapper().execute.call(
			context({ rules: uiRules }, items),
		);
		expect(
			mapped.map((i) => [(i.json as unknown as Invoice).stampliInvoiceId, i.pairedItem]),
		).toEqual([
			['1', { item: 0 }],
			['3', { item: 2 }],
		]);
		expect(attention.map((i) => [i.json.reasons, i.pairedItem])).toEqual([
			[[{ lineNumber: 1, reason: 'no rule matched GL code "9999"' }], { item: 1 }],
		]);
		expect((mapped[0].json as unknown as Invoice).mapping?.lines[0].rule.reason).toBe(
			'row 1 (id "travel"): prefix "61" matched "6110"; department = Ops; dim.costCenter in [CC-1, CC-2]',
		);
	});

	it('under Continue On Fail, a rule table error sends every invoice to Needs Attention with the error, paired', async () => {
		const items = [
			{ json: invoice('1', [line(1, '6110')]) as never },
			{ json: invoice('2', [line(1, '6201')]) as never },
		];
		const broken = { ruleSource: 'expression', ruleTable: '[{"match":"wild","code":"6"}]' };
		await expect(new GlMapper().execute.call(context(broken, items))).rejects.toThrow(
			NodeOperationError,
		);
		const [mapped, attention] = await new GlMapper().execute.call(context(broken, items, true));
		expect(mapped).toEqual([]);
		expect(
			attention.map((i) => [(i.json as unknown as Invoice).stampliInvoiceId, i.pairedItem]),
		).toEqual([
			['1', { item: 0 }],
			['2', { item: 1 }],
		]);
		const message = attention[0].json.error as string;
		expect(message).toMatch(/row 1/);
		expect(attention[0].json.reasons).toEqual([{ reason: message }]);
	});

	it('preview emits one explanation per line, paired to its invoice', async () => {
		const items = [
			{
				json: invoice('1', [
					line(1, '6110', { department: 'Ops', costCenter: 'CC-1' }),
					line(2, '6201'),
				]) as never,
			},
		];
		const [mapped, attention] = await new GlMapper().execute.call(
			context({ rules: uiRules, mode: 'preview' }, items),
		);
		expect(attention).toEqual([]);
		expect(
			mapped.map((i) => [
				(i.json.line as { lineNumber: number }).lineNumber,
				i.json.preview,
				i.pairedItem,
			]),
		).toEqual([
			[1, true, { item: 0 }],
			[2, true, { item: 0 }],
		]);
	});

	it('reads a CSV rule file from a binary property and rejects a bad one naming file, row and column', async () => {
		const csv = 'id,match,code,odooAccount\nr1,exact,6110,11\nr2,wild,6120,12\n';
		const items = [
			{
				json: invoice('1', [line(1, '6110')]) as never,
				binary: {
					data: {
						data: Buffer.from(csv).toString('base64'),
						mimeType: 'text/csv',
						fileName: 'rules.csv',
					},
				},
			},
		];
		await expect(
			new GlMapper().execute.call(
				context({ ruleSource: 'binary', binaryPropertyName: 'data', binaryFormat: 'auto' }, items),
			),
		).rejects.toThrow(
			/Rule table rules\.csv is invalid[\s\S]*row 2, column "match": must be one of/,
		);
		const good = 'id,match,code,odooAccount\nr1,exact,6110,11\n';
		items[0].binary.data.data = Buffer.from(good).toString('base64');
		const [mapped] = await new GlMapper().execute.call(
			context({ ruleSource: 'binary', binaryPropertyName: 'data', binaryFormat: 'auto' }, items),
		);
		expect((mapped[0].json as unknown as Invoice).mapping?.lines[0].odoo).toEqual({
			accountId: 11,
		});
	});

	it('expression tables, vendor lists and GL account lists come from parameters', async () => {
		const items = [
			{
				json: invoice('1', [line(1, '6110')], {
					stampliVendorId: 'S9',
					name: 'Globex GmbH',
				}) as never,
			},
		];
		const [mapped, attention] = await new GlMapper().execute.call(
			context(
				{
					ruleSource: 'expression',
					ruleTable: JSON.stringify([{ code: '6110', odooAccountCode: '611000' }]),
					vendorMapping: 'list',
					vendorTable: '[]',
					erpVendors: [{ vendorId: 77, name: 'GLOBEX', active: true }],
					vendorSteps: ['table', 'externalId', 'taxId', 'name'],
					vendorRequired: true,
					accountResolution: 'list',
					glAccounts: [
						{ accountId: 5, code: '611000', name: 'Travel', type: 'expense', active: true },
					],
				},
				items,
			),
		);
		expect(attention).toEqual([]);
		expect((mapped[0].json as unknown as Invoice).mapping).toMatchObject({
			vendor: { erpVendorId: '77', method: 'name' },
			lines: [{ odoo: { accountId: 5, accountCode: '611000' } }],
		});
	});
});

describe('GL Mapper node from a saved workflow', () => {
	const workflow = loadWorkflow(join(__dirname, 'quickbooks-ui-rules.workflow.json'));

	it('maps for QuickBooks with the saved rule form: most specific wins, the default catches the rest', async () => {
		const ctx = contextFor(workflow, 'GL Mapper', new GlMapper());
		// A row for another ERP only is rejected for this target, naming the row.
		await expect(new GlMapper().execute.call(ctx)).rejects.toThrow(
			/row 3, column "qboAccount": missing target/,
		);
		const fixed = {
			...workflow,
			nodes: workflow.nodes.map((n) =>
				n.name === 'GL Mapper'
					? {
							...n,
							parameters: {
								...n.parameters,
								rules: { rule: (n.parameters.rules as { rule: unknown[] }).rule.slice(0, 2) },
							} as IDataObject,
						}
					: n,
			),
		};
		const [mapped, attention] = await new GlMapper().execute.call(
			contextFor(fixed, 'GL Mapper', new GlMapper()),
		);
		expect(attention).toEqual([]);
		expect(mapped.map((i) => (i.json as unknown as Invoice).mapping?.lines[0])).toEqual([
			expect.objectContaining({
				quickbooks: { accountRef: { value: '41' }, classRef: { value: '70' } },
				rule: expect.objectContaining({ id: 'supplies' }),
			}),
			expect.objectContaining({
				quickbooks: { accountRef: { value: '42' }, departmentRef: { value: '80' } },
				rule: expect.objectContaining({ id: 'supplies-ops' }),
			}),
			expect.objectContaining({
				quickbooks: { accountRef: { value: '49' } },
				rule: expect.objectContaining({ id: 'default' }),
			}),
		]);
		expect(mapped.map((i) => i.pairedItem)).toEqual([0, 1, 2].map((item) => ({ item })));
	});
});
