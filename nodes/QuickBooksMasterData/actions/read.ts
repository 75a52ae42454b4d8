/**
 * What both outputs share: the read options from the node's parameters, the committed cursor and
 * where it is kept, and the QuickBooks client (n8n signs its requests; the shared limiter paces them).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { connectQuickBooks } from '../../common/quickbooks';
import { toNodeError } from '../../common/errors';
import { feedCursorStore, readerCursorKey } from '../../common/feedState';
import type { CursorStore } from '../../shared/feeds';
import type { QboClient } from '../../shared/quickbooks';
import {
	readQboCursor,
	type QboMasterDataReadOptions,
	type QboMasterDataResource,
	type QboReadMode,
} from '../../shared/quickbooks/masterData';

export interface QboMasterDataRead {
	read: QboMasterDataReadOptions;
	client: QboClient;
	/** The committed cursors (the workflow's global static data). */
	cursors: CursorStore;
	/** This node's key in `cursors` for the resource it reads. */
	cursorKey: string;
}

export async function prepareRead(ctx: IExecuteFunctions): Promise<QboMasterDataRead> {
	const resource = ctx.getNodeParameter('resource', 0) as QboMasterDataResource;
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const cursors = feedCursorStore(ctx);
	const cursorKey = readerCursorKey(ctx, 'quickbooks', resource);
	if (options.resetCursor === true) cursors.reset(cursorKey);
	const read: QboMasterDataReadOptions = {
		resource,
		mode: ctx.getNodeParameter('mode', 0) as QboReadMode,
		cursor: readQboCursor(cursors.get(cursorKey), resource),
		includeInactive: options.includeInactive === true ? true : undefined,
		overlapSeconds:
			options.overlapSeconds === undefined ? undefined : Number(options.overlapSeconds),
		pageSize: options.pageSize === undefined ? undefined : Number(options.pageSize),
	};
	try {
		return { read, client: await connectQuickBooks(ctx), cursors, cursorKey };
	} catch (error) {
		throw toNodeError(ctx.getNode(), error);
	}
}

export { failedRun } from '../../common/masterDataReads';
