/**
 * Feed-file parameters shared by Stampli Feed Writer and Odoo Master Data's "Write Feed Directly to
 * Stampli" mode, and their translation to the plain feed options of nodes/shared/feeds.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { FeedFileOptions, TemplateUiSettings } from '../shared/feeds';

/** Properties for the file: format, name pattern, directory, and the `feedOptions` / `template` collections. */
export function feedFileProperties(show?: Record<string, string[]>): INodeProperties[] {
	const displayOptions = show ? { show } : undefined;
	const properties: INodeProperties[] = [
		{
			displayName: 'Format',
			name: 'format',
			type: 'options',
			options: [
				{ name: 'CSV', value: 'csv' },
				{ name: 'XML', value: 'xml' },
			],
			default: 'csv',
			description: 'File format; both come from the same template (columns for CSV, element paths for XML)',
		},
		{
			displayName: 'File Name Pattern',
			name: 'fileNamePattern',
			type: 'string',
			default: '{feed}_{date:YYYYMMDD}_{time:HHmmss}.{ext}',
			description:
				'Placeholders: {feed} (vendors, purchase-orders, gl-accounts), {ext} (csv or xml), {date:YYYYMMDD}, {time:HHmmss}, {timestamp} (Unix ms). Dates use the workflow time zone.',
		},
		{
			displayName: 'Target Directory',
			name: 'targetDir',
			type: 'string',
			default: '',
			placeholder: '/inbound',
			description: "Remote directory for the file. Empty = the credential's inbound directory.",
		},
		{
			displayName: 'Feed Options',
			name: 'feedOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Neutralise Formulas',
					name: 'neutraliseFormulas',
					type: 'boolean',
					default: true,
					description: "Whether to prefix text cells starting with = + - @, tab or CR with ' so spreadsheets show them as text (numbers are never changed). Applies to CSV; XML is written as is.",
				},
				{
					displayName: 'Write Checksum File',
					name: 'manifest',
					type: 'boolean',
					default: false,
					description: 'Whether to upload <file>.sha256 (sha256sum format) after the data file',
				},
				{
					displayName: 'Write Empty Feed',
					name: 'writeEmpty',
					type: 'boolean',
					default: false,
					description: 'Whether to upload a header-only file when there are no records; otherwise no file is written',
				},
			],
		},
		{
			displayName: 'Template',
			name: 'template',
			type: 'collection',
			placeholder: 'Customise Template',
			default: {},
			options: [
				{
					displayName: 'Column Names',
					name: 'columns',
					type: 'fixedCollection',
					typeOptions: { multipleValues: true },
					default: {},
					description: 'Rename CSV columns agreed with Stampli',
					options: [
						{
							displayName: 'Column',
							name: 'column',
							values: [
								{ displayName: 'Field', name: 'field', type: 'string', default: '', placeholder: 'name', description: 'Canonical field path (name, address.city, lines[].amount) or the current column name' },
								{ displayName: 'Column Name', name: 'column', type: 'string', default: '', placeholder: 'Supplier Name' },
							],
						},
					],
				},
				{
					displayName: 'Constant Columns',
					name: 'constants',
					type: 'fixedCollection',
					typeOptions: { multipleValues: true },
					default: {},
					options: [
						{
							displayName: 'Constant',
							name: 'constant',
							values: [
								{ displayName: 'Column Name', name: 'column', type: 'string', default: '' },
								{ displayName: 'Value', name: 'value', type: 'string', default: '' },
							],
						},
					],
				},
				{
					displayName: 'Date Format',
					name: 'dateFormat',
					type: 'string',
					default: 'YYYY-MM-DD',
					description: 'Tokens YYYY, MM, DD, M, D with any separators',
				},
				{
					displayName: 'Decimal Separator',
					name: 'decimalSeparator',
					type: 'options',
					options: [
						{ name: 'Dot (1234.50)', value: '.' },
						{ name: 'Comma (1234,50)', value: ',' },
					],
					default: '.',
				},
				{
					displayName: 'Delimiter',
					name: 'delimiter',
					type: 'string',
					default: ',',
					description: 'CSV field delimiter; \\t for tab',
				},
				{
					displayName: 'Element Names',
					name: 'elements',
					type: 'fixedCollection',
					typeOptions: { multipleValues: true },
					default: {},
					description: 'Rename XML element paths (Vendor/Name, or @id for an attribute)',
					options: [
						{
							displayName: 'Element',
							name: 'element',
							values: [
								{ displayName: 'Field', name: 'field', type: 'string', default: '', placeholder: 'name' },
								{ displayName: 'Element Path', name: 'element', type: 'string', default: '', placeholder: 'SupplierName' },
							],
						},
					],
				},
				{
					displayName: 'Encoding',
					name: 'encoding',
					type: 'options',
					options: [
						{ name: 'UTF-8', value: 'utf8' },
						{ name: 'UTF-8 with BOM', value: 'utf8bom' },
						{ name: 'Latin-1 (ISO-8859-1)', value: 'latin1' },
					],
					default: 'utf8',
				},
				{
					displayName: 'Template (JSON)',
					name: 'templateJson',
					type: 'json',
					default: '',
					description: 'A whole feed template replacing the default (see docs/feeds.md); renames above still apply on top',
				},
			],
		},
	];
	return displayOptions ? properties.map((p) => ({ ...p, displayOptions })) : properties;
}

export interface FeedUiSettings {
	format: 'csv' | 'xml';
	fileNamePattern: string;
	targetDir: string;
	options: Pick<FeedFileOptions, 'manifest' | 'writeEmpty' | 'neutraliseFormulas'>;
	template: TemplateUiSettings;
}

/** Reads the parameters above for one item. */
export function readFeedUiSettings(get: (name: string, fallback: unknown) => unknown): FeedUiSettings {
	const feedOptions = (get('feedOptions', {}) ?? {}) as IDataObject;
	const template = (get('template', {}) ?? {}) as IDataObject;
	const rows = <T>(value: unknown, key: string): T[] => ((value as IDataObject | undefined)?.[key] as T[] | undefined) ?? [];
	return {
		format: (get('format', 'csv') as 'csv' | 'xml') || 'csv',
		fileNamePattern: String(get('fileNamePattern', '') || '{feed}_{date:YYYYMMDD}_{time:HHmmss}.{ext}'),
		targetDir: String(get('targetDir', '') ?? '').trim(),
		options: {
			manifest: feedOptions.manifest === true,
			writeEmpty: feedOptions.writeEmpty === true,
			neutraliseFormulas: feedOptions.neutraliseFormulas === undefined ? undefined : feedOptions.neutraliseFormulas === true,
		},
		template: {
			templateJson: typeof template.templateJson === 'string' ? template.templateJson : template.templateJson ? JSON.stringify(template.templateJson) : undefined,
			columns: rows<{ field: string; column: string }>(template.columns, 'column'),
			elements: rows<{ field: string; element: string }>(template.elements, 'element'),
			constants: rows<{ column: string; value: string }>(template.constants, 'constant'),
			delimiter: template.delimiter as string | undefined,
			decimalSeparator: template.decimalSeparator as '.' | ',' | undefined,
			dateFormat: template.dateFormat as string | undefined,
			encoding: template.encoding as TemplateUiSettings['encoding'],
		},
	};
}
