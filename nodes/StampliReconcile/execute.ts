import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

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

/** Items at the end of a Stampli → ERP run → one summary per file. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const expected = expectedItems(this);
	const result = reconcileItems(
		items.map((item) => item.json),
		expected ? { expectedItems: expected } : {},
	);
	if (result.notReconcilable.length > 0 && result.summaries.length === 0) {
		const first = result.notReconcilable[0];
		throw new NodeOperationError(this.getNode(), `Item ${first.index}: ${first.reason}`, {
			itemIndex: first.index,
			description:
				'Stampli Reconcile expects canonical invoices or payments after an ERP node (with "erp" or "error"), or Needs Attention items',
		});
	}

	const includeRecords = this.getNodeParameter('includeRecords', 0) as boolean;
	const output: INodeExecutionData[] = result.summaries.map((summary, index) => {
		const paired = result.itemIndexes[index];
		const json: IDataObject = { ...(summary as unknown as IDataObject) };
		if (!includeRecords) delete json.records;
		if (result.notReconcilable.length > 0) json.notReconcilable = result.notReconcilable;
		return {
			json,
			pairedItem: paired.length > 0 ? paired.map((item) => ({ item })) : { item: 0 },
		};
	});

	if (this.getNodeParameter('failWhenUnbalanced', 0) as boolean) {
		const unbalanced = result.summaries.filter((summary) => !summary.balanced);
		if (unbalanced.length > 0) {
			throw new NodeOperationError(
				this.getNode(),
				`${unbalanced.length} file(s) do not balance: ${unbalanced.map((s) => `${s.file} (${s.imbalance.join('; ')})`).join(' | ')}`,
			);
		}
	}
	return [output];
}
