import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { quickBooksListSearch } from '../common/listSearch';
import { router } from './actions/router';
import * as syncVendors from './actions/syncVendors/properties';
import * as upsertBills from './actions/upsertBills/properties';

/** Approved Stampli invoices → QuickBooks Online Bills / Vendor Credits; Stampli vendors → QuickBooks Vendors. */
export class QuickBooksBill implements INodeType {
	description: INodeTypeDescription = {
		// Decided: not offered to AI agents (n8n only types `true`; unset means no tool variant). Bills
		// and payments come from approved Stampli exports through the trigger, exactly once.
		usableAsTool: undefined,
		displayName: 'QuickBooks Bill',
		name: 'quickBooksBill',
		icon: { light: 'file:quickBooksBill.svg', dark: 'file:quickBooksBill.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "syncVendors" ? "Sync Vendors" : "Upsert Bills"}}',
		description:
			'Post approved Stampli invoices to QuickBooks Online as Bills and keep vendors in sync',
		defaults: { name: 'QuickBooks Bill' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'stampliQuickBooksOAuth2Api', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Upsert Bills',
						value: 'upsertBills',
						description:
							'Create or update a Bill (credits: a Vendor Credit) per canonical invoice, never twice',
						action: 'Upsert bills',
					},
					{
						name: 'Sync Vendors',
						value: 'syncVendors',
						description:
							'Create or update QuickBooks Vendors from canonical vendor records or invoices',
						action: 'Sync vendors',
					},
				],
				default: 'upsertBills',
			},
			...upsertBills.properties,
			...syncVendors.properties,
		],
	};

	methods = { listSearch: { quickBooksAccounts: quickBooksListSearch.quickBooksAccounts } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
