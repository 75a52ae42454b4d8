import type { INodeProperties } from 'n8n-workflow';

const show = { show: { operation: ['findInvoice'] } };

export const properties: INodeProperties[] = [
	{
		displayName:
			'Give this node the audit rows (e.g. a Data Table "Get Rows" of the audit table); it returns the whole history of each matching invoice or payment across files, flows and ERPs',
		name: 'findNotice',
		type: 'notice',
		default: '',
		displayOptions: show,
	},
	{
		displayName: 'Find By',
		name: 'findBy',
		type: 'options',
		options: [
			{
				name: 'Invoice Number',
				value: 'invoiceNumber',
				description: "The vendor's invoice number",
			},
			{
				name: 'Invoice Number or Stampli ID',
				value: 'number',
				description: 'Whichever matches',
			},
			{ name: 'Stampli ID', value: 'stampliId', description: 'The Stampli invoice or payment ID' },
			{ name: 'Vendor', value: 'vendor', description: 'Part of the vendor name' },
		],
		default: 'number',
		displayOptions: show,
	},
	{
		displayName: 'Value',
		name: 'value',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'INV-1004',
		displayOptions: show,
	},
];
