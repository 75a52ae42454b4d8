/**
 * What the master-data reading nodes (Odoo, QuickBooks) share around their reader: the failed-run
 * item under "Continue On Fail", and the "Write Feed Directly to Stampli" output — feed parameters,
 * SFTP session, one streamed file, the cursor committed only once that file is in place, the audit item.
 */
import {
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import type {
	CursorStore,
	FeedAuditRecord,
	FeedFileOptions,
	FeedKind,
	FeedState,
} from '../shared/feeds';
import { feedTemplateFrom, stateItemJson } from '../shared/feeds';
import { connectSftp, sftpConfigFromCredential, type SftpSession } from '../shared/sftp';
import { CREDENTIALS } from './credentials';
import { toNodeError } from './errors';
import { readFeedUiSettings } from './feedProperties';

/** A failed run: an item under "Continue On Fail", else the node error. */
export function failedRun(ctx: IExecuteFunctions, error: unknown) {
	if (ctx.continueOnFail())
		return [
			[
				{
					json: {
						error: (error as Error).message,
						resource: ctx.getNodeParameter('resource', 0) as string,
						mode: ctx.getNodeParameter('mode', 0) as string,
					},
					pairedItem: { item: 0 },
				},
			],
		];
	throw toNodeError(ctx.getNode(), error);
}

/** The item a read ends with: its cursor, for the writer of `feed` to commit after the upload. */
export function stateItem(
	ctx: IExecuteFunctions,
	state: Omit<FeedState, 'version' | 'source'>,
): INodeExecutionData {
	return {
		json: stateItemJson({
			version: 1,
			...state,
			source: ctx.getNode().name,
		}) as unknown as IDataObject,
		pairedItem: { item: 0 },
	};
}

export interface DirectFeed {
	kind: FeedKind;
	/** A registered variant of the feed's template to start from (`name@version`); its default otherwise. */
	baseTemplate?: string;
	cursors: CursorStore;
	cursorKey: string;
	/** Streams the reader into one file; resolves once the file is in place. */
	stream(
		session: SftpSession,
		file: Omit<FeedFileOptions, 'feed'>,
	): Promise<{ audit: FeedAuditRecord; cursor: unknown; read: unknown }>;
}

/** The "Write Feed Directly to Stampli" output: one audit item; the cursor moves only with the file. */
export async function writeFeedDirectly(
	ctx: IExecuteFunctions,
	feed: DirectFeed,
): Promise<INodeExecutionData[][]> {
	const ui = readFeedUiSettings((name, fallback) => ctx.getNodeParameter(name, 0, fallback));
	const template = feedTemplateFrom(feed.kind, ui.format, ui.template, feed.baseTemplate);
	const sftp = sftpConfigFromCredential(
		(await ctx.getCredentials(CREDENTIALS.sftp)) as Record<string, unknown>,
	);
	const session = await connectSftp(sftp, { sleep });
	try {
		const result = await feed.stream(session, {
			template,
			format: ui.format,
			fileNamePattern: ui.fileNamePattern,
			targetDir: ui.targetDir || sftp.inboundDir,
			timeZone: ctx.getTimezone(),
			writeEmpty: ui.options.writeEmpty,
			manifest: ui.options.manifest,
			neutraliseFormulas: ui.format === 'csv' ? (ui.options.neutraliseFormulas ?? true) : false,
		});
		if (result.cursor) feed.cursors.commit(feed.cursorKey, result.cursor, result.audit.remotePath);
		const json = { ...result.audit, read: result.read } as unknown as IDataObject;
		return [[{ json, pairedItem: { item: 0 } }]];
	} finally {
		await session.close();
	}
}
