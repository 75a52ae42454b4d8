import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { auditRowsFromItem } from '../../../shared/audit';

function itemContent(ctx: IExecuteFunctions, index: number): unknown {
	const value = ctx.getNodeParameter('item', index, {}) as unknown;
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value) as unknown;
	} catch {
		throw new NodeOperationError(ctx.getNode(), '"Item" is not valid JSON', { itemIndex: index });
	}
}

/** Each item → its audit rows, paired with the item. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const out: INodeExecutionData[] = [];
	for (let index = 0; index < items.length; index++) {
		try {
			const rows = auditRowsFromItem(itemContent(this, index), {
				flow: String(this.getNodeParameter('flow', index, '')),
				executionId: String(this.getNodeParameter('executionId', index, '')),
				now: () => new Date(),
			});
			for (const row of rows)
				out.push({ json: row as unknown as IDataObject, pairedItem: { item: index } });
		} catch (error) {
			if (!this.continueOnFail())
				throw error instanceof NodeOperationError
					? error
					: new NodeOperationError(this.getNode(), error as Error, { itemIndex: index });
			out.push({ json: { error: (error as Error).message }, pairedItem: { item: index } });
		}
	}
	return [out];
}
