import type { INodeProperties } from 'n8n-workflow';

import { resourceLocator } from '../../../common/locators';
import { duplicateNameSuffix } from '../vendorOptions';

export const properties: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: ['upsertBills'] } },
		options: [
			{
				displayName: 'Create Missing Vendors',
				name: 'createMissingVendors',
				type: 'boolean',
				default: true,
				description:
					'Whether to create a vendor that is not found by name, with the address and tax ID from Stampli',
			},
			duplicateNameSuffix,
			{
				displayName: 'Long Invoice Numbers',
				name: 'longDocNumber',
				type: 'options',
				options: [
					{
						name: 'Shorten With Hash Suffix',
						value: 'shorten',
						description:
							'First 14 characters + "~" + 6 hex of SHA-256; full number kept in the private note',
					},
					{
						name: 'Reject',
						value: 'reject',
						description: 'Fail the invoice with a clear error',
					},
				],
				default: 'shorten',
				description: 'QuickBooks allows 21 characters in a bill number',
			},
			resourceLocator({
				displayName: 'Tax Account',
				name: 'taxAccountId',
				searchListMethod: 'quickBooksAccounts',
				description:
					'QuickBooks account for the invoice tax total, posted as its own line. Invoices with tax are refused without it.',
			}),
			{
				displayName: 'Update Existing',
				name: 'updateExisting',
				type: 'boolean',
				default: true,
				description:
					'Whether to update a bill that exists with different content (otherwise it is reported as skipped)',
			},
		],
	},
];
