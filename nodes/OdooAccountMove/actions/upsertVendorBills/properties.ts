import type { INodeProperties } from 'n8n-workflow';

import { resourceLocator } from '../../../common/locators';

export const properties: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: ['upsertVendorBills'] } },
		options: [
			{
				displayName: 'Attach Source File',
				name: 'attachSourceFile',
				type: 'boolean',
				default: false,
				description:
					'Whether to attach the file in the binary property below to each created or updated bill',
			},
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
						description: 'The item fails (the bill itself is written and stays in Odoo)',
					},
				],
				default: 'warn',
				description:
					'What to do when Odoo refuses the chatter note or the source-file attachment of a bill',
			},
			{
				displayName: 'Auto-Post',
				name: 'autoPost',
				type: 'boolean',
				default: false,
				description:
					'Whether to post (confirm) created and updated bills; otherwise they stay in draft for review',
			},
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 5000 },
				default: 1000,
				description:
					'Invoices written per batch; each batch costs a constant number of calls to Odoo',
			},
			{
				displayName: 'Binary Property',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description: 'Binary property holding the Stampli source file, when attaching it',
			},
			{
				displayName: 'Chatter Note',
				name: 'chatterNote',
				type: 'boolean',
				default: true,
				description:
					'Whether to write a note on each bill naming the Stampli invoice, source file, SHA-256 and GL mapping rules',
			},
			resourceLocator({
				displayName: 'Journal',
				name: 'journalId',
				searchListMethod: 'odooPurchaseJournals',
				description: "The purchase journal for the bills; empty = Odoo's default purchase journal",
				idPattern: {
					regex: '^\\s*\\d+\\s*$',
					errorMessage: 'An Odoo journal ID is a whole number',
				},
			}),
			{
				displayName: 'Parallel Requests',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 8 },
				default: 1,
				description:
					'Chunks of new bills sent to Odoo at once. 1 suits a threaded Odoo; up to the number of workers of an Odoo in prefork mode (workers ≥ 2) writes faster.',
			},
			{
				displayName: 'PO Line Not Found',
				name: 'poLineNotFound',
				type: 'options',
				options: [
					{
						name: 'Unlink and Warn',
						value: 'unlinkAndWarn',
						description:
							'Create the bill; the line goes without PO link, and the reason is in erp.reason and the chatter note',
					},
					{
						name: 'Fail the Invoice',
						value: 'fail',
						description: 'Do not write the bill; the item fails with the reason',
					},
				],
				default: 'unlinkAndWarn',
				description:
					"What to do when an invoice line's PO line (invoice PO number + line PO line) is not in Odoo, belongs to another vendor's PO, or the PO is not confirmed",
			},
			{
				displayName: 'Posted Bill Policy',
				name: 'postedPolicy',
				type: 'options',
				options: [
					{
						name: 'Skip',
						value: 'skip',
						description: 'Leave a posted bill as it is and report it as skipped: posted',
					},
					{
						name: 'Reset, Update, Re-Post',
						value: 'resetUpdateRepost',
						description: 'Reset an unpaid posted bill to draft, update it and post it again',
					},
				],
				default: 'skip',
				description: 'What to do when the invoice changed but its Odoo bill is already posted',
			},
			{
				displayName: 'Total Mismatch',
				name: 'totalMismatch',
				type: 'options',
				options: [
					{
						name: 'Warn',
						value: 'warn',
						description:
							"Keep the bill as written; Odoo's and Stampli's totals are in erp.reason, erp.warnings and the chatter note",
					},
					{
						name: 'Fail the Invoice',
						value: 'fail',
						description:
							'The item fails naming both totals; the bill stays in Odoo as a draft (never auto-posted) for a person to fix',
					},
				],
				default: 'warn',
				description:
					"What to do when the total Odoo computed for a bill (taxes included, read back after writing) differs from the total Stampli approved, e.g. a GL rule that carries no tax. Odoo's total is in erp.amountTotal either way.",
			},
		],
	},
];
