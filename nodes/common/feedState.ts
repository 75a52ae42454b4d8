/**
 * The n8n side of feed cursors: they are kept in the workflow's global static data, under a key
 * naming the reading node by id (stable across renames), so the node that uploads the feed file —
 * not necessarily the one that read — can commit them. See nodes/shared/feeds/state.ts.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { CursorStore, cursorKey } from '../shared/feeds';

export function feedCursorStore(ctx: IExecuteFunctions): CursorStore {
	return new CursorStore(ctx.getWorkflowStaticData('global') as Record<string, unknown>);
}

/** This node's cursor key for one resource of one ERP. */
export function readerCursorKey(ctx: IExecuteFunctions, system: string, resource: string): string {
	const node = ctx.getNode();
	return cursorKey(system, resource, node.id || node.name);
}
