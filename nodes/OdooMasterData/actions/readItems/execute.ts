import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { stateItem } from '../../../common/masterDataReads';
import { FEED_OF_RESOURCE } from '../../../shared/feeds';
import { readMasterData } from '../../../shared/odoo/masterData';
import { failedRun, prepareRead } from '../read';

/**
 * One item per record. n8n holds every item of a run in memory, so this suits some tens of
 * thousands of records; larger sets go straight into a feed file (writeFeed).
 *
 * An incremental read ends with one state item (`feedState`): the cursor is not saved here but by
 * the Stampli Feed Writer once the file with these records is uploaded, so a failed upload later
 * in the workflow re-reads the same changes next time. A full snapshot needs no cursor and emits
 * records only. Analytic accounts have no feed file to wait for: their cursor is committed here.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { read, client, cursors, cursorKey } = await prepareRead(this);
	try {
		const reader = readMasterData(client, read);
		const out: INodeExecutionData[] = [];
		for await (const record of reader)
			out.push({ json: record as unknown as IDataObject, pairedItem: { item: 0 } });
		const cursor = reader.cursor();
		const feed = FEED_OF_RESOURCE[read.resource];
		if (read.mode !== 'incremental' || !cursor) return [out];
		// A resource without a feed (analytic accounts) has no file to wait for.
		if (!feed) cursors.commit(cursorKey, cursor, null);
		else out.push(stateItem(this, { key: cursorKey, feed, records: reader.stats.records, cursor }));
		return [out];
	} catch (error) {
		return failedRun(this, error);
	}
}
