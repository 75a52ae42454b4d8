/** Parameters shared by the Stampli SFTP Trigger and Stampli Files nodes: what kind of file and how to read it. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { TemplateOverrides } from '../shared/stampli';
import type { StampliParserOptions } from '../shared/sftp';

export const parsingProperties: INodeProperties[] = [
	{
		displayName: 'File Kind',
		name: 'fileKind',
		type: 'options',
		options: [
			{ name: 'Invoices', value: 'invoices', description: 'Approved invoice exports' },
			{ name: 'Payments', value: 'payments', description: 'Payment detail exports' },
			{ name: 'Vendors', value: 'vendors', description: 'Vendor exports' },
			{ name: 'By File Name', value: 'byName', description: 'Decide per file: its name contains "invoice", "payment" or "vendor"' },
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
	{
		displayName: 'Template Options',
		name: 'templateOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		description: 'Adjust the default template to the layout agreed with Stampli, without code',
		options: [
			{
				displayName: 'All or Nothing',
				name: 'allOrNothing',
				type: 'boolean',
				default: false,
				description: 'Whether one invalid record withholds every record of its file (otherwise the valid ones pass)',
			},
			{
				displayName: 'Column Renames',
				name: 'columns',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				options: [
					{
						displayName: 'Rename',
						name: 'rename',
						values: [
							{ displayName: 'Field or Column', name: 'from', type: 'string', default: '', placeholder: 'vendor.name', description: 'Canonical field path or the current column name' },
							{ displayName: 'Column in the File', name: 'to', type: 'string', default: '', placeholder: 'Supplier Name' },
						],
					},
				],
			},
			{
				displayName: 'Date Format',
				name: 'dateFormat',
				type: 'string',
				default: '',
				placeholder: 'MM/DD/YYYY',
			},
			{
				displayName: 'Decimal Separator',
				name: 'decimalSeparator',
				type: 'options',
				options: [
					{ name: 'Point (1234.50)', value: '.' },
					{ name: 'Comma (1234,50)', value: ',' },
				],
				default: '.',
			},
			{
				displayName: 'Delimiter',
				name: 'delimiter',
				type: 'string',
				default: '',
				placeholder: ',',
				description: 'CSV field delimiter; empty keeps the template\'s',
			},
			{
				displayName: 'Encoding',
				name: 'encoding',
				type: 'options',
				options: [
					{ name: 'UTF-8 (With or Without BOM)', value: 'utf8' },
					{ name: 'Latin-1', value: 'latin1' },
				],
				default: 'utf8',
			},
			{
				displayName: 'Sum Tolerance',
				name: 'sumTolerance',
				type: 'string',
				default: '0',
				description: 'Allowed difference between the sum of line amounts and total minus tax, e.g. 0.01',
			},
			{
				displayName: 'Template (JSON)',
				name: 'templateJson',
				type: 'json',
				default: '',
				description: 'A whole template replacing the default; see the README for the format',
			},
		],
	},
];

/** Reads the parsing parameters into parser options (plain data, validated by the parser). */
export function parserOptionsFrom(fileKind: string, format: string, raw: IDataObject, maxBytes?: number): StampliParserOptions {
	const overrides: TemplateOverrides = {};
	const renames = ((raw.columns as IDataObject | undefined)?.rename as IDataObject[] | undefined) ?? [];
	if (renames.length) {
		overrides.columns = Object.fromEntries(renames.filter((r) => r.from && r.to).map((r) => [String(r.from), String(r.to)]));
	}
	if (raw.dateFormat) overrides.dateFormat = String(raw.dateFormat);
	if (raw.decimalSeparator === ',' || raw.decimalSeparator === '.') overrides.decimalSeparator = raw.decimalSeparator;
	if (raw.delimiter) overrides.delimiter = String(raw.delimiter);
	if (raw.encoding === 'latin1' || raw.encoding === 'utf8') overrides.encoding = raw.encoding;
	if (raw.templateJson && String(raw.templateJson).trim()) {
		overrides.template = typeof raw.templateJson === 'string' ? raw.templateJson : JSON.stringify(raw.templateJson);
	}
	return {
		kind: fileKind as StampliParserOptions['kind'],
		format: format as StampliParserOptions['format'],
		overrides,
		sumTolerance: raw.sumTolerance === undefined ? undefined : String(raw.sumTolerance),
		allOrNothing: raw.allOrNothing === true,
		maxBytes,
	};
}
