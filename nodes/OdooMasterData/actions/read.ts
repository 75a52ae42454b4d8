/**
 * What both outputs share: the read options from the node's parameters and the committed cursor,
 * where that cursor is kept, and the Odoo client bulk reads go through.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { connectOdoo } from '../../common/odoo';
import { toNodeError } from '../../common/errors';
import { feedCursorStore, readerCursorKey } from '../../common/feedState';
import type { CursorStore } from '../../shared/feeds';
import type { OdooClient } from '../../shared/odoo';
import {
	DEFAULT_PO_STATES,
	bulkReadClient,
	parseDomainOption,
	readCursor,
	type MasterDataReadOptions,
	type MasterDataResource,
	type ReadMode,
} from '../../shared/odoo/masterData';
import { NodeOperationError } from 'n8n-workflow';

export interface MasterDataRead {
	read: MasterDataReadOptions;
	client: OdooClient;
	/** The committed cursors (the workflow's global static data). */
	cursors: CursorStore;
	/** This node's key in `cursors` for the resource it reads. */
	cursorKey: string;
}

/** Where versions before the cursor moved to global static data kept it: the node's own static data. */
const legacyKey = (resource: string) => `cursor:${resource}`;

function readOptions(
	ctx: IExecuteFunctions,
	saved: unknown,
	resource: MasterDataResource,
): MasterDataReadOptions {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	return {
		resource,
		mode: ctx.getNodeParameter('mode', 0) as ReadMode,
		cursor: readCursor(saved, resource),
		overlapSeconds:
			options.overlapSeconds === undefined ? undefined : Number(options.overlapSeconds),
		pageSize: options.pageSize === undefined ? undefined : Number(options.pageSize),
		domain: parseDomainOption(options.domain),
		includeArchived: options.includeArchived === true ? true : undefined,
		purchaseOrderStates:
			resource === 'purchaseOrders'
				? (ctx.getNodeParameter('poStates', 0, DEFAULT_PO_STATES) as string[])
				: undefined,
		timeZone: ctx.getTimezone(),
	};
}

export async function prepareRead(ctx: IExecuteFunctions): Promise<MasterDataRead> {
	const resource = ctx.getNodeParameter('resource', 0) as MasterDataResource;
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const cursors = feedCursorStore(ctx);
	const cursorKey = readerCursorKey(ctx, 'odoo', resource);
	const nodeData = ctx.getWorkflowStaticData('node');
	if (options.resetCursor === true) {
		cursors.reset(cursorKey);
		delete nodeData[legacyKey(resource)];
	}
	let read: MasterDataReadOptions;
	let connection: Awaited<ReturnType<typeof connectOdoo>>;
	try {
		read = readOptions(ctx, cursors.get(cursorKey) ?? nodeData[legacyKey(resource)], resource);
		connection = await connectOdoo(ctx);
		if (connection.config.companyId !== undefined) read.companyId = connection.config.companyId;
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message);
	}
	try {
		const client = await bulkReadClient(connection.client, connection.config, {
			send: connection.send,
		});
		return { read, client, cursors, cursorKey };
	} catch (error) {
		throw toNodeError(ctx.getNode(), error, {
			message: `Cannot reach Odoo: ${(error as Error).message}`,
		});
	}
}

export { failedRun } from '../../common/masterDataReads';
