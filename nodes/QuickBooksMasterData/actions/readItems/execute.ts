import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { stateItem } from '../../../common/masterDataReads';
import { QBO_FEED_TEMPLATE } from '../../../shared/feeds';
import { QBO_FEED_OF_RESOURCE, readQboMasterData } from '../../../shared/quickbooks/masterData';
import { failedRun, prepareRead } from '../read';

/**
 * One item per record, then one state item (`feedState`) naming the cursor and the QuickBooks
 * template of the feed. The cursor is not saved here but by the Stampli Feed Writer once the file
 * with these records is uploaded, so a failed upload later in the workflow re-reads the same
 * changes next time. Full snapshots end with a state too: it tells the writer which template the
 * records are shaped for, and the next incremental run starts where the snapshot was taken.
 * Terms have no feed file to wait for: their cursor is committed here.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { read, client, cursors, cursorKey } = await prepareRead(this);
	try {
		const reader = readQboMasterData(client, read);
		const out: INodeExecutionData[] = [];
		for await (const record of reader)
			out.push({ json: record as unknown as IDataObject, pairedItem: { item: 0 } });
		const cursor = reader.cursor();
		if (!cursor) return [out];
		const feed = (QBO_FEED_OF_RESOURCE as Record<string, keyof typeof QBO_FEED_TEMPLATE>)[
			read.resource
		];
		if (!feed) {
			cursors.commit(cursorKey, cursor, null);
			return [out];
		}
		const template = QBO_FEED_TEMPLATE[feed];
		out.push(
			stateItem(this, {
				key: cursorKey,
				feed,
				records: reader.stats.records,
				cursor,
				...(template ? { template } : {}),
			}),
		);
		return [out];
	} catch (error) {
		return failedRun(this, error);
	}
}
