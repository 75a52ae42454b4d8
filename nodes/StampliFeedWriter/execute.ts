import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { CREDENTIALS } from '../common/credentials';
import { readFeedUiSettings, type FeedUiSettings } from '../common/feedProperties';
import {
	FEED_KINDS,
	FEED_NAMES,
	feedTemplateFrom,
	groupByFeed,
	writeFeedFile,
	type FeedKind,
} from '../shared/feeds';
import { connectSftp, sftpConfigFromCredential, SftpError, type SftpSession } from '../shared/sftp';

interface FeedRun {
	ctx: IExecuteFunctions;
	items: INodeExecutionData[];
	session: SftpSession;
	ui: FeedUiSettings;
	targetDir: string;
	fixedFeed: boolean;
}

/** One feed's file: its audit item (rejected records named by input item), or the failure. */
async function writeOneFeed(
	run: FeedRun,
	kind: FeedKind,
	indexes: number[],
): Promise<INodeExecutionData | undefined> {
	const { ctx, items, ui } = run;
	const pairedItem = indexes.length > 0 ? indexes.map((item) => ({ item })) : { item: 0 };
	try {
		const audit = await writeFeedFile(
			run.session,
			(function* () {
				for (const index of indexes) yield items[index].json;
			})(),
			{
				template: feedTemplateFrom(kind, ui.format, ui.template),
				format: ui.format,
				feed: FEED_NAMES[kind],
				fileNamePattern: ui.fileNamePattern,
				targetDir: run.targetDir,
				timeZone: ctx.getTimezone(),
				writeEmpty: ui.options.writeEmpty,
				manifest: ui.options.manifest,
				neutraliseFormulas: ui.format === 'csv' ? (ui.options.neutraliseFormulas ?? true) : false,
			},
		);
		if (audit.skipped && indexes.length === 0 && run.fixedFeed) return undefined;
		const rejected = audit.rejected.map((r) => ({ ...r, itemIndex: indexes[r.index] }));
		return { json: { ...audit, rejected } as unknown as IDataObject, pairedItem };
	} catch (error) {
		const message = `${FEED_NAMES[kind]} feed: ${(error as Error).message}`;
		if (!ctx.continueOnFail()) {
			if (error instanceof SftpError)
				throw new NodeApiError(ctx.getNode(), { message } as JsonObject, { message });
			throw new NodeOperationError(ctx.getNode(), message, { itemIndex: indexes[0] ?? 0 });
		}
		return { json: { feed: FEED_NAMES[kind], error: message }, pairedItem };
	}
}

/** Canonical records → one feed file per feed found, uploaded atomically. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const feedType = this.getNodeParameter('feedType', 0) as 'auto' | FeedKind;
	const ui = readFeedUiSettings((name, fallback) => this.getNodeParameter(name, 0, fallback));
	const out: INodeExecutionData[] = [];
	const { groups, unknown } = groupByFeed(
		items.map((item) => item.json),
		feedType,
	);
	for (const { index, reason } of unknown) {
		if (!this.continueOnFail())
			throw new NodeOperationError(this.getNode(), reason, { itemIndex: index });
		out.push({ json: { error: reason }, pairedItem: { item: index } });
	}
	if (groups.size === 0) return [out];

	let config;
	try {
		config = sftpConfigFromCredential(
			(await this.getCredentials(CREDENTIALS.sftp)) as Record<string, unknown>,
		);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message);
	}
	const session = await connectSftp(config, { sleep }).catch((error: Error) => {
		throw new NodeApiError(this.getNode(), { message: error.message } as JsonObject, {
			message: `Cannot connect to Stampli SFTP: ${error.message}`,
		});
	});
	const run: FeedRun = {
		ctx: this,
		items,
		session,
		ui,
		targetDir: ui.targetDir || config.inboundDir,
		fixedFeed: feedType !== 'auto',
	};
	try {
		for (const kind of FEED_KINDS) {
			const indexes = groups.get(kind);
			if (!indexes) continue;
			const item = await writeOneFeed(run, kind, indexes);
			if (item) out.push(item);
		}
	} finally {
		await session.close();
	}
	return [out];
}
