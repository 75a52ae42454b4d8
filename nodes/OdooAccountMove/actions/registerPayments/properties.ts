import type { INodeProperties } from 'n8n-workflow';

import { resourceLocator } from '../../../common/locators';

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
				displayName: 'Audit Write Failure',
				name: 'auditFailure',
				type: 'options',
				options: [
					{
						name: 'Warn',
						value: 'warn',
						description: 'Keep the item successful; the failure is in erp.warnings and erp.reason',
					},
					{
						name: 'Fail the Item',
						value: 'fail',
						description: 'The item fails (the payment itself is registered and stays in Odoo)',
					},
				],
				default: 'warn',
				description: 'What to do when Odoo refuses the chatter note of a payment',
			},
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
			resourceLocator({
				displayName: 'Journal',
				name: 'journalId',
				searchListMethod: 'odooPaymentJournals',
				description: "The bank or cash journal to pay from; empty = Odoo's default",
				idPattern: {
					regex: '^\\s*\\d+\\s*$',
					errorMessage: 'An Odoo journal ID is a whole number',
				},
			}),
			{
				displayName: 'Payment in Another Currency',
				name: 'currencyPolicy',
				type: 'options',
				options: [
					{
						name: 'Convert',
						value: 'convert',
						description:
							"Register it in its own currency; Odoo converts it at its rate of the payment date to reduce the bill's open amount",
					},
					{
						name: 'Refuse',
						value: 'refuse',
						description: 'Fail the item when the payment and its bill are in different currencies',
					},
				],
				default: 'convert',
				description: 'What to do with a payment whose currency is not the currency of its bill',
			},
		],
	},
];
