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

import { feedKindOf, feedTemplateFrom, streamOdooFeed } from '../shared/feeds';
import {
	createOdooClient,
	odooConfigFromCredential,
	OdooError,
	type OdooClient,
	type OdooClientConfig,
} from '../shared/odoo';
import {
	DEFAULT_OVERLAP_SECONDS,
	DEFAULT_PO_STATES,
	parseDomainOption,
	readCursor,
	readMasterData,
	type MasterDataReadOptions,
	type MasterDataResource,
	type ReadMode,
} from '../shared/odoo/masterData';
import { connectSftp, sftpConfigFromCredential } from '../shared/sftp';
import { feedFileProperties, readFeedUiSettings } from '../StampliFeedWriter/feedProperties';
import { stampliOdooConnectionTest, stampliSftpConnectionTest } from '../credentialTests';

const WRITE_FEED = 'writeFeed';

/** Odoo vendors, purchase orders, GL and analytic accounts → canonical records, or straight into a Stampli feed file. */
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- bulk paged reads with a persistent cursor; not a meaningful AI-agent tool
export class OdooMasterData implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Odoo Master Data',
		name: 'odooMasterData',
		icon: { light: 'file:odooMasterData.svg', dark: 'file:odooMasterData.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["resource"] + " · " + $parameter["mode"]}}',
		description:
			'Read vendors, purchase orders and GL accounts from Odoo (full or changed since the last run) for the Stampli feeds',
		defaults: { name: 'Odoo Master Data' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'stampliOdooApi', required: true, testedBy: 'stampliOdooConnectionTest' },
			{
				name: 'stampliSftpApi',
				required: true,
				testedBy: 'stampliSftpConnectionTest',
				displayOptions: { show: { output: [WRITE_FEED] } },
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Analytic Account',
						value: 'analyticAccounts',
						description: 'Analytic accounts (account.analytic.account), the accounting dimensions',
					},
					{
						name: 'GL Account',
						value: 'glAccounts',
						description: 'The chart of accounts (account.account)',
					},
					{
						name: 'Purchase Order',
						value: 'purchaseOrders',
						description: 'Purchase orders (purchase.order) with their lines',
					},
					{
						name: 'Vendor',
						value: 'vendors',
						description: 'Partners (res.partner) with supplier rank > 0, or your own domain',
					},
				],
				default: 'vendors',
			},
			{
				displayName: 'Mode',
				name: 'mode',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Full Snapshot', value: 'full', description: 'Every matching record' },
					{
						name: 'Changed Since Last Run',
						value: 'incremental',
						description:
							'Records whose write_date moved since the last successful run (the first run reads everything)',
					},
				],
				default: 'full',
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Records as Items',
						value: 'items',
						description:
							'One item per record, for other nodes (fine up to some tens of thousands of records)',
					},
					{
						name: 'Write Feed Directly to Stampli',
						value: WRITE_FEED,
						description:
							'Stream Odoo pages into a feed file on Stampli’s SFTP in one step, in constant memory (for 100k+ records); outputs only the file’s audit record',
					},
				],
				default: 'items',
			},
			{
				displayName: 'Purchase Order States',
				name: 'poStates',
				type: 'multiOptions',
				options: [
					{ name: 'Cancelled', value: 'cancel' },
					{ name: 'Locked (Done)', value: 'done' },
					{ name: 'Purchase Order', value: 'purchase' },
					{ name: 'RFQ', value: 'draft' },
					{ name: 'RFQ Sent', value: 'sent' },
					{ name: 'To Approve', value: 'to approve' },
				],
				default: ['purchase', 'done'],
				displayOptions: { show: { resource: ['purchaseOrders'] } },
				description:
					'Which purchase orders to read. Include Cancelled so Stampli learns about cancellations in incremental runs.',
			},
			...feedFileProperties({ output: [WRITE_FEED] }),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Domain (JSON)',
						name: 'domain',
						type: 'json',
						default: '',
						description:
							'Odoo domain, e.g. [["country_id.code","=","US"]]. For vendors it replaces supplier_rank > 0; otherwise it narrows the default.',
					},
					{
						displayName: 'Include Archived',
						name: 'includeArchived',
						type: 'boolean',
						default: false,
						description:
							'Whether to include archived / deprecated records (as active = false). Incremental runs always include them, so Stampli learns of deactivations.',
					},
					{
						displayName: 'Overlap (Seconds)',
						name: 'overlapSeconds',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: DEFAULT_OVERLAP_SECONDS,
						description:
							'Incremental runs re-read this far before the last cursor, because Odoo stamps write_date at the start of a transaction; records already delivered unchanged are skipped',
					},
					{
						displayName: 'Page Size',
						name: 'pageSize',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 10000 },
						default: 1000,
						description: 'Records per Odoo call',
					},
					{
						displayName: 'Reset Cursor',
						name: 'resetCursor',
						type: 'boolean',
						default: false,
						description:
							'Whether to forget the saved cursor, so this incremental run reads everything again',
					},
				],
			},
		],
	};

	methods = { credentialTest: { stampliOdooConnectionTest, stampliSftpConnectionTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0) as MasterDataResource;
		const mode = this.getNodeParameter('mode', 0) as ReadMode;
		const output = this.getNodeParameter('output', 0) as string;
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const staticData = this.getWorkflowStaticData('node');
		const cursorKey = `cursor:${resource}`;
		if (options.resetCursor === true) delete staticData[cursorKey];

		let read: MasterDataReadOptions;
		let client: OdooClient;
		let config: OdooClientConfig;
		try {
			read = {
				resource,
				mode,
				cursor: readCursor(staticData[cursorKey], resource),
				overlapSeconds:
					options.overlapSeconds === undefined ? undefined : Number(options.overlapSeconds),
				pageSize: options.pageSize === undefined ? undefined : Number(options.pageSize),
				domain: parseDomainOption(options.domain),
				includeArchived: options.includeArchived === true ? true : undefined,
				purchaseOrderStates:
					resource === 'purchaseOrders'
						? (this.getNodeParameter('poStates', 0, DEFAULT_PO_STATES) as string[])
						: undefined,
				timeZone: this.getTimezone(),
			};
			config = odooConfigFromCredential(
				(await this.getCredentials('stampliOdooApi')) as Record<string, unknown>,
			);
			if (config.companyId !== undefined) read.companyId = config.companyId;
			client = createOdooClient(config);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), (error as Error).message);
		}
		try {
			client = await bulkReadClient(client, config);
		} catch (error) {
			throw new NodeApiError(this.getNode(), { message: (error as Error).message } as JsonObject, {
				message: `Cannot reach Odoo: ${(error as Error).message}`,
			});
		}

		try {
			if (output === WRITE_FEED) {
				const ui = readFeedUiSettings((name, fallback) => this.getNodeParameter(name, 0, fallback));
				const sftp = sftpConfigFromCredential(
					(await this.getCredentials('stampliSftpApi')) as Record<string, unknown>,
				);
				const template = feedTemplateFrom(feedKindOf(resource), ui.format, ui.template);
				const session = await connectSftp(sftp);
				try {
					const result = await streamOdooFeed(client, session, {
						read,
						template,
						format: ui.format,
						fileNamePattern: ui.fileNamePattern,
						targetDir: ui.targetDir || sftp.inboundDir,
						timeZone: this.getTimezone(),
						writeEmpty: ui.options.writeEmpty,
						manifest: ui.options.manifest,
						neutraliseFormulas:
							ui.format === 'csv' ? (ui.options.neutraliseFormulas ?? true) : false,
					});
					// The cursor moves only after the file is safely on the server.
					if (result.cursor) staticData[cursorKey] = result.cursor as unknown as IDataObject;
					return [
						[
							{
								json: { ...result.audit, read: result.read } as unknown as IDataObject,
								pairedItem: { item: 0 },
							},
						],
					];
				} finally {
					await session.close();
				}
			}

			// Items: n8n holds every item of a run in memory; for 100k+ records use the feed mode above.
			const reader = readMasterData(client, read);
			const out: INodeExecutionData[] = [];
			for await (const record of reader)
				out.push({ json: record as unknown as IDataObject, pairedItem: { item: 0 } });
			const cursor = reader.cursor();
			if (cursor) staticData[cursorKey] = cursor as unknown as IDataObject;
			return [out];
		} catch (error) {
			if (this.continueOnFail())
				return [
					[{ json: { error: (error as Error).message, resource, mode }, pairedItem: { item: 0 } }],
				];
			if (error instanceof OdooError) {
				throw new NodeApiError(this.getNode(), error.toJSON() as JsonObject, {
					message: error.message,
					description: error.operation ? `Odoo call ${error.operation} (${error.kind})` : undefined,
				});
			}
			throw new NodeOperationError(this.getNode(), (error as Error).message);
		}
	}
}

/**
 * Bulk reads on `auto`: Odoo before 19 would get XML-RPC, which decodes at half JSON's speed and
 * with more garbage (bench/feeds.bench.ts, 100k vendors: 29k vs 60k records/s, 90 vs 54 MB peak RSS
 * growth), so master data is read over JSON-RPC (`/jsonrpc`, served by 16–18) instead. An explicit
 * protocol in the credential is always respected.
 */
async function bulkReadClient(client: OdooClient, config: OdooClientConfig): Promise<OdooClient> {
	if (config.protocol !== 'auto') return client;
	return (await client.serverVersion()) < 19
		? createOdooClient({ ...config, protocol: 'jsonrpc' })
		: client;
}
