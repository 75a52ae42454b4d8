/** Parameters shared by the Stampli SFTP Trigger and Stampli Files nodes: what kind of file and how to read it. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { StampliParserOptions } from '../shared/inbox';
import { templateOptionsProperty, templateOverridesFrom } from './templateOptions';

export const parsingProperties: INodeProperties[] = [
	{
		displayName: 'File Kind',
		name: 'fileKind',
		type: 'options',
		options: [
			{ name: 'Invoices', value: 'invoices', description: 'Approved invoice exports' },
			{ name: 'Payments', value: 'payments', description: 'Payment detail exports' },
			{ name: 'Vendors', value: 'vendors', description: 'Vendor exports' },
			{
				name: 'By File Name',
				value: 'byName',
				description: 'Decide per file: its name contains "invoice", "payment" or "vendor"',
			},
		],
		default: 'invoices',
	},
	{
		displayName: 'Format',
		name: 'format',
		type: 'options',
		options: [
			{ name: 'By Extension', value: 'auto', description: '.xml is XML, anything else CSV' },
			{ name: 'CSV', value: 'csv' },
			{ name: 'XML', value: 'xml' },
		],
		default: 'auto',
	},
	templateOptionsProperty('read', [
		{
			displayName: 'All or Nothing',
			name: 'allOrNothing',
			type: 'boolean',
			default: false,
			description:
				'Whether one invalid record withholds every record of its file (otherwise the valid ones pass)',
		},
		{
			displayName: 'Sum Tolerance',
			name: 'sumTolerance',
			type: 'string',
			default: '0',
			description:
				'Allowed difference between the sum of line amounts and total minus tax, e.g. 0.01',
		},
	]),
];

/** Reads the parsing parameters into parser options (plain data, validated by the parser). */
export function parserOptionsFrom(
	fileKind: string,
	format: string,
	raw: IDataObject,
	maxBytes?: number,
): StampliParserOptions {
	return {
		kind: fileKind as StampliParserOptions['kind'],
		format: format as StampliParserOptions['format'],
		overrides: templateOverridesFrom('read', raw),
		sumTolerance: raw.sumTolerance === undefined ? undefined : String(raw.sumTolerance),
		allOrNothing: raw.allOrNothing === true,
		maxBytes,
	};
}
