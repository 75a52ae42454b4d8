import type { INodeProperties } from 'n8n-workflow';

export const properties: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'paymentOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: ['registerPayments'] } },
		options: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 5000 },
				default: 1000,
				description: 'Payments looked up per batch',
			},
			{
				displayName: 'Chatter Note',
				name: 'chatterNote',
				type: 'boolean',
				default: true,
				description:
					'Whether to write a note on the bill naming the Stampli payment and source file',
			},
			{
				displayName: 'Journal ID',
				name: 'journalId',
				type: 'number',
				default: 0,
				description: "ID of the bank or cash journal to pay from. 0 = Odoo's default.",
			},
		],
	},
];
