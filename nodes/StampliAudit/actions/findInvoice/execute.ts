import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { findRecords, rowsFromStore, type LookupBy } from '../../../shared/audit';

/** Audit rows in → one item per matching record with its history, or one "not found" item. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const by = this.getNodeParameter('findBy', 0) as LookupBy;
	const value = String(this.getNodeParameter('value', 0, ''));
	if (!value.trim())
		throw new NodeOperationError(this.getNode(), 'Say what to find in "Value"', {
			description: 'An invoice number, a Stampli ID or part of a vendor name',
		});
	const { rows } = rowsFromStore(items.map((item) => item.json));
	const found = findRecords(rows, by, value);
	const paired = items.map((_, item) => ({ item }));
	if (found.length === 0)
		return [
			[
				{
					json: { found: false, findBy: by, value, rowsSearched: rows.length },
					pairedItem: paired,
				},
			],
		];
	return [
		found.map((history) => ({
			json: { found: true, ...(history as unknown as IDataObject) },
			pairedItem: paired,
		})),
	];
}
