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
import { feedCursorStore } from '../common/feedState';
import {
	FEED_KINDS,
	FEED_NAMES,
	feedStateOf,
	feedTemplateFrom,
	groupByFeed,
	writeFeedFile,
	type CursorStore,
	type FeedKind,
	type FeedState,
} from '../shared/feeds';
import { connectSftp, sftpConfigFromCredential, SftpError, type SftpSession } from '../shared/sftp';

interface FeedRun {
	ctx: IExecuteFunctions;
	items: INodeExecutionData[];
	session: SftpSession;
	ui: FeedUiSettings;
	targetDir: string;
	fixedFeed: boolean;
	cursors: CursorStore;
}

/** A reader's state item, by input index. */
interface StateInput {
	index: number;
	state: FeedState;
}

/** One feed's file: its audit item (rejected records named by input item), or the failure. */
async function writeOneFeed(
	run: FeedRun,
	kind: FeedKind,
	indexes: number[],
	states: StateInput[],
): Promise<INodeExecutionData | undefined> {
	const { ctx, items, ui } = run;
	const paired = [...indexes, ...states.map((s) => s.index)].sort((a, b) => a - b);
	const pairedItem = paired.length > 0 ? paired.map((item) => ({ item })) : { item: 0 };
	try {
		const audit = await writeFeedFile(
			run.session,
			(function* () {
				for (const index of indexes) yield items[index].json;
			})(),
			{
				// A reader may name the variant of the feed its records are shaped for (e.g. QuickBooks').
				template: feedTemplateFrom(
					kind,
					ui.format,
					ui.template,
					states.find(({ state }) => state.template)?.state.template,
				),
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
		// The file is on the server under its final name (or there was nothing to write): the reads
		// whose records it carries may now move their cursors.
		for (const { state } of states) run.cursors.commit(state.key, state.cursor, audit.remotePath);
		if (audit.skipped && indexes.length === 0 && states.length === 0 && run.fixedFeed)
			return undefined;
		const rejected = audit.rejected.map((r) => ({ ...r, itemIndex: indexes[r.index] }));
		const json: IDataObject = { ...audit, rejected } as unknown as IDataObject;
		if (states.length) json.cursorsCommitted = states.map(({ state }) => stateSummary(state));
		return { json, pairedItem };
	} catch (error) {
		const message = `${FEED_NAMES[kind]} feed: ${(error as Error).message}${
			states.length
				? ` (the cursor of ${states.map(({ state }) => state.source ?? state.key).join(', ')} was not moved: the next run reads the same changes again)`
				: ''
		}`;
		if (!ctx.continueOnFail()) {
			if (error instanceof SftpError)
				throw new NodeApiError(ctx.getNode(), { message } as JsonObject, { message });
			throw new NodeOperationError(ctx.getNode(), message, { itemIndex: indexes[0] ?? 0 });
		}
		const json: IDataObject = { feed: FEED_NAMES[kind], error: message };
		if (states.length) json.cursorsKept = states.map(({ state }) => stateSummary(state));
		return { json, pairedItem };
	}
}

function stateSummary(state: FeedState): IDataObject {
	return { key: state.key, source: state.source ?? null, records: state.records };
}

/**
 * Canonical records → one feed file per feed found, uploaded atomically. State items of
 * incremental reads are not records: each is committed once its feed's file is uploaded.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const feedType = this.getNodeParameter('feedType', 0) as 'auto' | FeedKind;
	const ui = readFeedUiSettings((name, fallback) => this.getNodeParameter(name, 0, fallback));
	const out: INodeExecutionData[] = [];
	const states = new Map<FeedKind, StateInput[]>();
	const recordIndexes: number[] = [];
	items.forEach((item, index) => {
		const state = feedStateOf(item.json);
		if (!state) {
			recordIndexes.push(index);
			return;
		}
		// A fixed feed takes every state; otherwise each state waits for the file of the feed it names.
		const kind = feedType === 'auto' ? state.feed : feedType;
		states.set(kind, [...(states.get(kind) ?? []), { index, state }]);
	});
	const { groups, unknown } = groupByFeed(
		recordIndexes.map((index) => items[index].json),
		feedType,
		recordIndexes,
	);
	// A read that found no changes still ends with its state: its feed gets a (possibly empty) file.
	for (const kind of states.keys()) if (!groups.has(kind)) groups.set(kind, []);
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
		cursors: feedCursorStore(this),
	};
	try {
		for (const kind of FEED_KINDS) {
			const indexes = groups.get(kind);
			if (!indexes) continue;
			const item = await writeOneFeed(run, kind, indexes, states.get(kind) ?? []);
			if (item) out.push(item);
		}
	} finally {
		await session.close();
	}
	return [out];
}
