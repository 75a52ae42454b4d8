import type { INodeProperties } from 'n8n-workflow';

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
			{
				displayName: 'Duplicate Name Suffix',
				name: 'duplicateNameSuffix',
				type: 'string',
				default: '',
				placeholder: ' (Vendor)',
				description:
					'When a customer or employee already uses the vendor name, create the vendor as name + this suffix',
			},
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
