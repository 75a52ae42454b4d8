/**
 * The templates' GL Mapper rules, as shipped and as a user completes them by picking ids: the
 * QuickBooks template names accounts by number, resolved in the connected company; the pickers it
 * leaves empty add nothing until filled. Run through the GL Mapper node against the emulators.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { GlMapper } from '../../../../nodes/GlMapper/GlMapper.node';
import type { Invoice } from '../../../../nodes/shared/records/types';
import { startQuickBooksEmulator, type QuickBooksEmulator } from '../../../emulators/quickbooks';
import { quickBooksCredential } from '../../../kit/credentials';
import { executeContext } from '../../../kit/n8nContext';
import {
	SAMPLE_ODOO_PURCHASE_TAX_ID,
	SAMPLE_QBO_ACCOUNTS,
	SAMPLE_QBO_CLASSES,
	SAMPLE_QBO_DEPARTMENTS,
	pickStandInIds,
} from '../../../kit/standIns';
import { loadTemplates, type WorkflowJson } from '../../../kit/templates';
import { withDefaults } from '../../../kit/workflow';
import { invoice, line } from '../../../unit/mapping/fixtures';
import { NODE } from '../../../../workflows/source/catalog';

const shipped = loadTemplates();
const picked = pickStandInIds(shipped);

function glMapperParameters(workflow: WorkflowJson): Record<string, unknown> {
	const node = workflow.nodes.find((n) => n.name === NODE.glMapper)!;
	return withDefaults(new GlMapper().description.properties, node.parameters as IDataObject);
}

const items = (): INodeExecutionData[] => [
	{
		json: invoice('1', [
			line(1, '6100'),
			line(2, '6200', { class: 'Retail' }),
			line(3, '6200'),
			line(4, '6500'),
		]) as never,
	},
];

describe('QuickBooks template rules', () => {
	let emulator: QuickBooksEmulator;
	beforeAll(async () => {
		emulator = await startQuickBooksEmulator({
			seed: {
				accounts: SAMPLE_QBO_ACCOUNTS,
				classes: SAMPLE_QBO_CLASSES,
				departments: SAMPLE_QBO_DEPARTMENTS,
			},
		});
	});
	afterAll(() => emulator.stop());

	const run = async (workflow: WorkflowJson) => {
		const [mapped, attention] = await new GlMapper().execute.call(
			executeContext({
				type: 'n8n-nodes-stampli.glMapper',
				name: NODE.glMapper,
				parameters: glMapperParameters(workflow),
				items: items(),
				credentials: { stampliQuickBooksOAuth2Api: quickBooksCredential(emulator) },
			}),
		);
		expect(attention).toEqual([]);
		return (mapped[0].json as unknown as Invoice).mapping!.lines.map((l) => l.quickbooks);
	};

	it('resolves the example account numbers in the connected company; class and department only once picked', async () => {
		const accountId = (number: string) => SAMPLE_QBO_ACCOUNTS.find((a) => a.AcctNum === number)!.Id;
		const ref = (number: string) => ({
			value: accountId(number),
			name: SAMPLE_QBO_ACCOUNTS.find((a) => a.AcctNum === number)!.Name,
		});
		expect(await run(shipped.quickBooksBills)).toEqual([
			{ accountRef: ref('6100') },
			{ accountRef: ref('6200') },
			{ accountRef: ref('6200') },
			{ accountRef: ref('6500') },
		]);
		const completed = await run(picked.quickBooksBills);
		expect(completed[1]).toEqual({
			accountRef: ref('6200'),
			classRef: { value: SAMPLE_QBO_CLASSES[0].Id },
			departmentRef: { value: SAMPLE_QBO_DEPARTMENTS[0].Id },
		});
	});
});

describe('Odoo template rules', () => {
	const run = async (workflow: WorkflowJson) => {
		const [mapped] = await new GlMapper().execute.call(
			executeContext({
				type: 'n8n-nodes-stampli.glMapper',
				name: NODE.glMapper,
				parameters: glMapperParameters(workflow),
				items: items(),
			}),
		);
		return (mapped[0].json as unknown as Invoice).mapping!.lines.map((l) => l.odoo);
	};

	it('name accounts by code and carry the purchase tax only once picked', async () => {
		expect(await run(shipped.odooBills)).toEqual([
			{ accountCode: '620000' },
			{ accountCode: '600000' },
			{ accountCode: '600000' },
			{ accountCode: '600000' },
		]);
		const tax = [SAMPLE_ODOO_PURCHASE_TAX_ID];
		expect(await run(picked.odooBills)).toEqual([
			{ accountCode: '620000', taxIds: tax },
			{ accountCode: '600000', taxIds: tax },
			{ accountCode: '600000', taxIds: tax },
			{ accountCode: '600000' },
		]);
	});
});
