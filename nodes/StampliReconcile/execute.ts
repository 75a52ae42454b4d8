import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { toNodeError } from '../common/errors';
import { expectedItemsFrom, reconcileItems } from '../shared/reconciliation';

/** The "Records In" parameter, when the in-side comes from the records the trigger emitted. */
function expectedItems(ctx: IExecuteFunctions): IDataObject[] | undefined {
	if ((ctx.getNodeParameter('inSide', 0) as string) !== 'records') return undefined;
	const parsed = expectedItemsFrom(ctx.getNodeParameter('recordsIn', 0));
	if ('problem' in parsed)
		throw new NodeOperationError(ctx.getNode(), `"Records In" ${parsed.problem}`, {
			description: "For example {{ $('Stampli SFTP Trigger').all().map(item => item.json) }}",
		});
	return parsed.items as IDataObject[];
}

/** Every input item, as the pairing of an output that stands for all of them. */
const allItems = (items: INodeExecutionData[]) =>
	items.length > 0 ? items.map((_, item) => ({ item })) : { item: 0 };

function summarise(ctx: IExecuteFunctions, items: INodeExecutionData[]): INodeExecutionData[] {
	const expected = expectedItems(ctx);
	const result = reconcileItems(
		items.map((item) => item.json),
		expected ? { expectedItems: expected } : {},
	);
	if (result.notReconcilable.length > 0 && result.summaries.length === 0) {
		const first = result.notReconcilable[0];
		throw new NodeOperationError(ctx.getNode(), `Item ${first.index}: ${first.reason}`, {
			itemIndex: first.index,
			description:
				'Stampli Reconcile expects canonical invoices or payments after an ERP node (with "erp" or "error"), or Needs Attention items',
		});
	}

	const includeRecords = ctx.getNodeParameter('includeRecords', 0) as boolean;
	const failWhenUnbalanced = ctx.getNodeParameter('failWhenUnbalanced', 0) as boolean;
	const unbalanced = result.summaries.filter((summary) => !summary.balanced);
	if (failWhenUnbalanced && unbalanced.length > 0 && !ctx.continueOnFail()) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${unbalanced.length} file(s) do not balance: ${unbalanced.map((s) => `${s.file} (${s.imbalance.join('; ')})`).join(' | ')}`,
		);
	}
	return result.summaries.map((summary, index) => {
		const paired = result.itemIndexes[index];
		const json: IDataObject = { ...(summary as unknown as IDataObject) };
		if (!includeRecords) delete json.records;
		if (result.notReconcilable.length > 0) json.notReconcilable = result.notReconcilable;
		// Under "Continue On Fail" an unbalanced file is reported on its own summary instead of stopping the run.
		if (failWhenUnbalanced && !summary.balanced)
			json.error = `${summary.file} does not balance: ${summary.imbalance.join('; ')}`;
		return {
			json,
			pairedItem: paired.length > 0 ? paired.map((item) => ({ item })) : { item: 0 },
		};
	});
}

/**
 * Items at the end of a Stampli → ERP run → one summary per file. Under "Continue On Fail" a run
 * that cannot be summarised gives one error item standing for every input item.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	try {
		return [summarise(this, items)];
	} catch (error) {
		if (!this.continueOnFail()) throw toNodeError(this.getNode(), error);
		return [[{ json: { error: (error as Error).message }, pairedItem: allItems(items) }]];
	}
}
