/**
 * The Stampli Reconcile node run from a workflow fixture: the items a Merge of an ERP node's
 * output, its errors and the GL Mapper's Needs Attention output hands it, one summary per file.
 */
import { join } from 'node:path';

import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { StampliReconcile } from '../../../../nodes/StampliReconcile/StampliReconcile.node';
import { contextFor, loadWorkflow, type WorkflowFixture } from '../../../kit/workflow';

const fixture = loadWorkflow(join(__dirname, 'after-erp-node.workflow.json'));

/** The fixture with other parameters on the node. */
function withParameters(parameters: IDataObject): WorkflowFixture {
	return {
		...fixture,
		nodes: fixture.nodes.map((n) =>
			n.name === 'Stampli Reconcile' ? { ...n, parameters: { ...n.parameters, ...parameters } } : n,
		),
	};
}

const run = (workflow = fixture, continueOnFail = false) =>
	new StampliReconcile().execute.call(
		contextFor(workflow, 'Stampli Reconcile', new StampliReconcile(), { continueOnFail }),
	);

/** One invoice Odoo booked at another total, with "Fail When Unbalanced" on. */
const unbalancedFile = (): WorkflowFixture => ({
	...withParameters({ failWhenUnbalanced: true }),
	pinData: {
		'Merge Outcomes': [
			{
				json: {
					...fixture.pinData!['Merge Outcomes'][0].json,
					erp: { system: 'odoo', id: 7, action: 'created', amountTotal: '90.00' },
				},
			},
		],
	},
});

describe('Stampli Reconcile node', () => {
	it('summarises the file: written, failed, balanced, paired with every item of the file', async () => {
		const [[summary]] = await run();
		expect(summary.json).toMatchObject({
			file: '/outbound/invoices-20261120.csv',
			created: 1,
			unchanged: 1,
			failed: 2,
			balanced: true,
			systems: ['odoo'],
		});
		expect((summary.json.records as unknown[]).length).toBe(4);
		expect(summary.pairedItem).toEqual([0, 1, 2, 3].map((item) => ({ item })));
	});

	it('checks against the records the trigger emitted, and says when that parameter is unusable', async () => {
		const emitted: IDataObject[] = fixture.pinData!['Merge Outcomes'].map((i) => ({
			...i.json,
			erp: undefined,
		}));
		const missing = {
			...emitted[0],
			stampliInvoiceId: 'STI-9',
			source: { ...(emitted[0].source as object), rows: [9] },
		};
		const [[summary]] = await run(
			withParameters({ inSide: 'records', recordsIn: JSON.stringify([...emitted, missing]) }),
		);
		expect(summary.json).toMatchObject({ missing: 1, balanced: false });
		await expect(
			run(withParameters({ inSide: 'records', recordsIn: '{not json' })),
		).rejects.toThrow(/"Records In" is not valid JSON/);
		await expect(run(withParameters({ inSide: 'records', recordsIn: { a: 1 } }))).rejects.toThrow(
			'"Records In" must be a list of records',
		);
	});

	it('fails an unbalanced file when asked, so the error workflow reports it', async () => {
		const unbalanced = unbalancedFile();
		await expect(run(unbalanced)).rejects.toThrow(NodeOperationError);
		await expect(run(unbalanced)).rejects.toThrow(/1 file\(s\) do not balance/);
	});

	it('under Continue On Fail, reports an unbalanced file on its summary and an unusable run as one error item paired with every input', async () => {
		const unbalanced = unbalancedFile();
		const [[summary]] = await run(unbalanced, true);
		expect(summary.json).toMatchObject({ balanced: false });
		expect(summary.json.error).toMatch(/^\/outbound\/invoices-20261120\.csv does not balance: /);
		expect(summary.pairedItem).toEqual([{ item: 0 }]);

		const [output] = await run(withParameters({ inSide: 'records', recordsIn: '{not json' }), true);
		expect(output).toHaveLength(1);
		expect(output[0].json.error).toMatch(/"Records In" is not valid JSON/);
		expect(output[0].pairedItem).toEqual([0, 1, 2, 3].map((item) => ({ item })));

		const notInvoices: WorkflowFixture = {
			...fixture,
			pinData: { 'Merge Outcomes': [{ json: { hello: 'world' } }, { json: { n: 1 } }] },
		};
		await expect(run(notInvoices)).rejects.toThrow(NodeOperationError);
		const [[error]] = await run(notInvoices, true);
		expect(error.json.error).toMatch(/^Item 0: /);
		expect(error.pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
	});
});
