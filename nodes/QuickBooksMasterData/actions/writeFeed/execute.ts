import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { failedRun, writeFeedDirectly } from '../../../common/masterDataReads';
import { QBO_FEED_TEMPLATE, qboFeedKindOf, streamQuickBooksFeed } from '../../../shared/feeds';
import { prepareRead } from '../read';

/**
 * QuickBooks pages streamed into one feed file on Stampli's SFTP, in constant memory; the only item
 * is the file's audit record. The cursor is committed only after the file is on the server under
 * its final name.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { read, client, cursors, cursorKey } = await prepareRead(this);
	try {
		const kind = qboFeedKindOf(read.resource);
		return await writeFeedDirectly(this, {
			kind,
			baseTemplate: QBO_FEED_TEMPLATE[kind],
			cursors,
			cursorKey,
			stream: (session, file) => streamQuickBooksFeed(client, session, { ...file, read }),
		});
	} catch (error) {
		return failedRun(this, error);
	}
}
