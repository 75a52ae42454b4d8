import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type JsonObject,
} from 'n8n-workflow';

import {
	detectFeedKind,
	FEED_KINDS,
	FEED_NAMES,
	feedTemplateFrom,
	writeFeedFile,
	type FeedKind,
} from '../shared/feeds';
import { connectSftp, sftpConfigFromCredential, SftpError } from '../shared/sftp';
import { feedFileProperties, readFeedUiSettings } from './feedProperties';
import { stampliSftpConnectionTest } from '../credentialTests';

/** Canonical vendor / purchase-order / GL-account records → one Stampli feed file per feed, uploaded atomically. */
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- writes whole feed files from a run's items; not a meaningful AI-agent tool
export class StampliFeedWriter implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Stampli Feed Writer',
		name: 'stampliFeedWriter',
		icon: { light: 'file:stampliFeedWriter.svg', dark: 'file:stampliFeedWriter.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle:
			'={{$parameter["feedType"] === "auto" ? "Feeds by record type" : $parameter["feedType"]}}',
		description:
			'Write vendor, purchase-order and GL-account feed files (CSV or XML) into Stampli’s SFTP inbound directory',
		defaults: { name: 'Stampli Feed Writer' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'stampliSftpApi', required: true, testedBy: 'stampliSftpConnectionTest' },
		],
		properties: [
			{
				displayName: 'Feed',
				name: 'feedType',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'By Record Type',
						value: 'auto',
						description:
							'One file per feed found in the input (vendors, purchase orders, GL accounts)',
					},
					{ name: 'Vendors', value: 'vendorFeed' },
					{ name: 'Purchase Orders', value: 'purchaseOrderFeed' },
					{ name: 'GL Accounts', value: 'glAccountFeed' },
				],
				default: 'auto',
				description: 'Which feed the input records belong to',
			},
			...feedFileProperties(),
		],
	};

	methods = { credentialTest: { stampliSftpConnectionTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const feedType = this.getNodeParameter('feedType', 0) as 'auto' | FeedKind;
		const ui = readFeedUiSettings((name, fallback) => this.getNodeParameter(name, 0, fallback));
		const out: INodeExecutionData[] = [];

		// Group item indexes by feed; records stay in the items (no copy of the data).
		const groups = new Map<FeedKind, number[]>();
		if (feedType !== 'auto') groups.set(feedType, []);
		items.forEach((item, index) => {
			const kind = feedType === 'auto' ? detectFeedKind(item.json) : feedType;
			if (!kind) {
				const message = `Item ${index}: not a canonical vendor, purchase order or GL account record (expected vendorId+name, poNumber+vendorId+lines, or accountId+code)`;
				if (!this.continueOnFail())
					throw new NodeOperationError(this.getNode(), message, { itemIndex: index });
				out.push({ json: { error: message }, pairedItem: { item: index } });
				return;
			}
			if (!groups.has(kind)) groups.set(kind, []);
			groups.get(kind)!.push(index);
		});
		if (groups.size === 0) return [out];

		let config;
		try {
			config = sftpConfigFromCredential(
				(await this.getCredentials('stampliSftpApi')) as Record<string, unknown>,
			);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), (error as Error).message);
		}
		const targetDir = ui.targetDir || config.inboundDir;
		const timeZone = this.getTimezone();
		const session = await connectSftp(config).catch((error: Error) => {
			throw new NodeApiError(this.getNode(), { message: error.message } as JsonObject, {
				message: `Cannot connect to Stampli SFTP: ${error.message}`,
			});
		});
		try {
			for (const kind of FEED_KINDS) {
				const indexes = groups.get(kind);
				if (!indexes) continue;
				const pairedItem = indexes.map((item) => ({ item }));
				try {
					const template = feedTemplateFrom(kind, ui.format, ui.template);
					const audit = await writeFeedFile(
						session,
						(function* () {
							for (const index of indexes) yield items[index].json;
						})(),
						{
							template,
							format: ui.format,
							feed: FEED_NAMES[kind],
							fileNamePattern: ui.fileNamePattern,
							targetDir,
							timeZone,
							writeEmpty: ui.options.writeEmpty,
							manifest: ui.options.manifest,
							neutraliseFormulas:
								ui.format === 'csv' ? (ui.options.neutraliseFormulas ?? true) : false,
						},
					);
					// Rejected records are reported by their input item, so a person can find and fix them.
					const rejected = audit.rejected.map((r) => ({ ...r, itemIndex: indexes[r.index] }));
					if (audit.skipped && indexes.length === 0 && feedType !== 'auto') continue;
					out.push({
						json: { ...audit, rejected } as unknown as IDataObject,
						pairedItem: pairedItem.length > 0 ? pairedItem : { item: 0 },
					});
				} catch (error) {
					const message = `${FEED_NAMES[kind]} feed: ${(error as Error).message}`;
					if (!this.continueOnFail()) {
						if (error instanceof SftpError)
							throw new NodeApiError(this.getNode(), { message } as JsonObject, { message });
						throw new NodeOperationError(this.getNode(), message, { itemIndex: indexes[0] ?? 0 });
					}
					out.push({
						json: { feed: FEED_NAMES[kind], error: message },
						pairedItem: pairedItem.length > 0 ? pairedItem : { item: 0 },
					});
				}
			}
		} finally {
			await session.close();
		}
		return [out];
	}
}
