import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readMasterData } from '../../../shared/odoo/masterData';
import { failedRun, prepareRead } from '../read';

/**
 * One item per record. n8n holds every item of a run in memory, so this suits some tens of
 * thousands of records; larger sets go straight into a feed file (writeFeed).
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { read, client, staticData, cursorKey } = await prepareRead(this);
	try {
		const reader = readMasterData(client, read);
		const out: INodeExecutionData[] = [];
		for await (const record of reader)
			out.push({ json: record as unknown as IDataObject, pairedItem: { item: 0 } });
		const cursor = reader.cursor();
		if (cursor) staticData[cursorKey] = cursor as unknown as IDataObject;
		return [out];
	} catch (error) {
		return failedRun(this, error);
	}
}
