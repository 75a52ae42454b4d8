import type { INodeProperties } from 'n8n-workflow';

import { duplicateNameSuffix } from '../vendorOptions';

export const properties: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'vendorOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: ['syncVendors'] } },
		options: [
			{
				displayName: 'Create Missing',
				name: 'createMissing',
				type: 'boolean',
				default: true,
				description: 'Whether to create vendors that are not found by name',
			},
			duplicateNameSuffix,
			{
				displayName: 'Update Existing',
				name: 'updateExisting',
				type: 'boolean',
				default: true,
				description: 'Whether to update address, tax ID, email and phone when they differ',
			},
		],
	},
];
