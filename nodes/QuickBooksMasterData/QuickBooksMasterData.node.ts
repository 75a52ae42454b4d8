import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { stampliSftpConnectionTest } from '../common/credentialTests';
import { DEFAULT_OVERLAP_SECONDS } from '../shared/quickbooks/masterData';
import { optionLabel, subtitleOf } from '../common/subtitles';
import { router } from './actions/router';
import * as writeFeed from './actions/writeFeed/properties';

const WRITE_FEED = writeFeed.WRITE_FEED;

/** QuickBooks vendors, accounts, classes, departments, terms and open POs → canonical records, or straight into a Stampli feed file. */
export class QuickBooksMasterData implements INodeType {
	description: INodeTypeDescription = {
		usableAsTool: true,
		displayName: 'QuickBooks Master Data',
		name: 'quickBooksMasterData',
		icon: { light: 'file:quickBooksMasterData.svg', dark: 'file:quickBooksMasterData.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: subtitleOf(
			optionLabel('resource', {
				classes: 'Classes',
				departments: 'Departments',
				glAccounts: 'GL Accounts',
				purchaseOrders: 'Purchase Orders',
				terms: 'Terms',
				vendors: 'Vendors',
			}),
			optionLabel('mode', { full: 'Full Snapshot', incremental: 'Changed Since Last Run' }),
		),
		description:
			'Read vendors, GL accounts, classes, departments, terms and open purchase orders from QuickBooks Online (full or changed since the last run) for the Stampli feeds',
		defaults: { name: 'QuickBooks Master Data' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'stampliQuickBooksOAuth2Api', required: true },
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
						name: 'Class',
						value: 'classes',
						description: 'Classes, with the full name (Parent:Child) of sub-classes',
					},
					{
						name: 'Department',
						value: 'departments',
						description: 'Departments (locations in the QuickBooks UI)',
					},
					{
						name: 'GL Account',
						value: 'glAccounts',
						description: 'The chart of accounts, with QuickBooks type and full name',
					},
					{
						name: 'Purchase Order',
						value: 'purchaseOrders',
						description:
							'Open purchase orders with their lines (incremental runs also report closed and deleted ones)',
					},
					{
						name: 'Term',
						value: 'terms',
						description: 'Payment terms (records only; there is no Stampli feed for them)',
					},
					{
						name: 'Vendor',
						value: 'vendors',
						description: 'Vendors, with the Stampli vendor ID of those Stampli created',
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
					{ name: 'Full Snapshot', value: 'full', description: 'Every active record' },
					{
						name: 'Changed Since Last Run',
						value: 'incremental',
						description:
							'Records QuickBooks reports changed since the last successful run (change data capture, up to 30 days back; older or missing cursors read everything)',
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
							'One item per record and a final state item for the Stampli Feed Writer (fine up to some tens of thousands of records)',
					},
					{
						name: 'Write Feed Directly to Stampli',
						value: WRITE_FEED,
						description:
							'Stream QuickBooks pages into a feed file on Stampli’s SFTP in one step, in constant memory; outputs only the file’s audit record',
					},
				],
				default: 'items',
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
						displayName: 'Include Inactive',
						name: 'includeInactive',
						type: 'boolean',
						default: false,
						description:
							'Whether a full snapshot includes inactive records (as active = false) and closed purchase orders. Incremental runs always report them, so Stampli learns of deactivations.',
					},
					{
						displayName: 'Overlap (Seconds)',
						name: 'overlapSeconds',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: DEFAULT_OVERLAP_SECONDS,
						description:
							'The next incremental run asks for changes this long before the time QuickBooks gave this run; changes inside it are delivered twice rather than missed',
					},
					{
						displayName: 'Page Size',
						name: 'pageSize',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 1000 },
						default: 1000,
						description: 'Records per QuickBooks query (MAXRESULTS, at most 1000)',
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

	methods = { credentialTest: { stampliSftpConnectionTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
