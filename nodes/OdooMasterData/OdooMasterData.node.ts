import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { stampliOdooConnectionTest, stampliSftpConnectionTest } from '../common/credentialTests';
import { DEFAULT_OVERLAP_SECONDS } from '../shared/odoo/masterData';
import { optionLabel, subtitleOf } from '../common/subtitles';
import { router } from './actions/router';
import * as writeFeed from './actions/writeFeed/properties';

const WRITE_FEED = writeFeed.WRITE_FEED;

/** Odoo vendors, purchase orders, GL and analytic accounts → canonical records, or straight into a Stampli feed file. */
export class OdooMasterData implements INodeType {
	description: INodeTypeDescription = {
		usableAsTool: true,
		displayName: 'Odoo Master Data',
		name: 'odooMasterData',
		icon: { light: 'file:odooMasterData.svg', dark: 'file:odooMasterData.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: subtitleOf(
			optionLabel('resource', {
				analyticAccounts: 'Analytic Accounts',
				glAccounts: 'GL Accounts',
				purchaseOrders: 'Purchase Orders',
				vendors: 'Vendors',
			}),
			optionLabel('mode', { full: 'Full Snapshot', incremental: 'Changed Since Last Run' }),
		),
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
			...writeFeed.properties,
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
		return await router.call(this);
	}
}
