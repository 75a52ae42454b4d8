/**
 * "Adjust the default Stampli template without code", for the reading nodes (Stampli
 * SFTP Trigger, Stampli Files) and the writing ones (Stampli Feed Writer, Odoo Master Data): one
 * definition and one wording of the options, and one reader turning them into `TemplateOverrides`
 * for `resolveTemplate`.
 *
 * The two sides were written separately first and saved workflows carry their internal names, so the
 * collection and the rename rows keep each side's original names (SIDE_NAMES); everything else is
 * named the same on both sides.
 */
import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import type { TemplateConstant, TemplateOverrides } from '../shared/stampli';

export type TemplateSide = 'read' | 'write';

interface SideNames {
	/** The collection parameter holding every option. */
	collection: string;
	/** Column renames: `columns.<row>[{ <field>, <column> }]`. */
	renameRow: string;
	renameField: string;
	renameColumn: string;
	/** Constants: `constants.constant[{ <key>, value }]`; a canonical field when reading, a column when writing. */
	constantKey: 'field' | 'column';
}

const SIDE_NAMES: Record<TemplateSide, SideNames> = {
	read: {
		collection: 'templateOptions',
		renameRow: 'rename',
		renameField: 'from',
		renameColumn: 'to',
		constantKey: 'field',
	},
	write: {
		collection: 'template',
		renameRow: 'column',
		renameField: 'field',
		renameColumn: 'column',
		constantKey: 'column',
	},
};

const ENCODINGS: Array<INodePropertyOptions & { sides: TemplateSide[] }> = [
	{
		name: 'UTF-8',
		value: 'utf8',
		description: 'Read with or without a byte-order mark; written without one',
		sides: ['read', 'write'],
	},
	{
		name: 'UTF-8 with BOM',
		value: 'utf8bom',
		description: 'Written with a byte-order mark (Excel then opens it as UTF-8)',
		sides: ['write'],
	},
	{ name: 'Latin-1 (ISO-8859-1)', value: 'latin1', sides: ['read', 'write'] },
];

function sharedOptions(side: TemplateSide): INodeProperties[] {
	const names = SIDE_NAMES[side];
	const fieldExample = side === 'read' ? 'vendor.name' : 'name';
	const options: INodeProperties[] = [
		{
			displayName: 'Column Names',
			name: 'columns',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: {},
			description: 'Rename CSV columns to the names agreed with Stampli',
			options: [
				{
					displayName: 'Column',
					name: names.renameRow,
					values: [
						{
							displayName: 'Field',
							name: names.renameField,
							type: 'string',
							default: '',
							placeholder: fieldExample,
							description:
								'Canonical field path (e.g. vendor.name, lines[].amount) or the current column name',
						},
						{
							displayName: 'Column Name',
							name: names.renameColumn,
							type: 'string',
							default: '',
							placeholder: 'Supplier Name',
						},
					],
				},
			],
		},
		{
			displayName: 'Constants',
			name: 'constants',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: {},
			description:
				side === 'read'
					? 'Canonical fields given a fixed value that wins over the file (e.g. currency = EUR); their column need not exist'
					: 'Columns written with the same value in every row',
			options: [
				{
					displayName: 'Constant',
					name: 'constant',
					values: [
						side === 'read'
							? {
									displayName: 'Field',
									name: 'field',
									type: 'string',
									default: '',
									placeholder: 'currency',
									description: 'Canonical field path',
								}
							: { displayName: 'Column Name', name: 'column', type: 'string', default: '' },
						{ displayName: 'Value', name: 'value', type: 'string', default: '' },
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
			description: "Tokens YYYY, MM, DD, M, D with any separators; empty keeps the template's",
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
			description: "CSV field delimiter, \\t for tab; empty keeps the template's",
		},
		{
			displayName: 'Element Names',
			name: 'elements',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: {},
			description:
				'Rename XML element paths (Vendor/Name, or @name for an attribute such as the ID)',
			options: [
				{
					displayName: 'Element',
					name: 'element',
					values: [
						{
							displayName: 'Field',
							name: 'field',
							type: 'string',
							default: '',
							placeholder: fieldExample,
							description: 'Canonical field path or the current element path',
						},
						{
							displayName: 'Element Path',
							name: 'element',
							type: 'string',
							default: '',
							placeholder: 'SupplierName',
						},
					],
				},
			],
		},
		{
			displayName: 'Encoding',
			name: 'encoding',
			type: 'options',
			options: ENCODINGS.filter((e) => e.sides.includes(side)).map(
				({ sides: _sides, ...option }) => option,
			),
			default: 'utf8',
		},
		{
			displayName: 'Template (JSON)',
			name: 'templateJson',
			type: 'json',
			default: '',
			description:
				'A whole template replacing the default (format: docs/stampli-templates.md); the options above still apply on top',
		},
	];
	if (side === 'read') {
		// Grouping is stripped when reading amounts; writers never group digits.
		options.push({
			displayName: 'Group Separator',
			name: 'groupSeparator',
			type: 'string',
			default: '',
			placeholder: '.',
			description: 'Thousands separator to ignore in amounts, e.g. . in 1.234,50; empty for none.',
		});
	}
	return options;
}

/**
 * The template-options collection of one side, with that side's own options (e.g. All or Nothing
 * when reading) merged in, sorted by display name as n8n lists them.
 */
export function templateOptionsProperty(
	side: TemplateSide,
	sideOptions: INodeProperties[] = [],
): INodeProperties {
	return {
		displayName: 'Template Options',
		name: SIDE_NAMES[side].collection,
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		description: 'Adjust the default template to the layout agreed with Stampli, without code',
		options: [...sharedOptions(side), ...sideOptions].sort((a, b) =>
			a.displayName.localeCompare(b.displayName),
		),
	};
}

/** The name of the collection parameter of one side (`templateOptions` when reading, `template` when writing). */
export function templateOptionsParameter(side: TemplateSide): string {
	return SIDE_NAMES[side].collection;
}

const rowsOf = (value: unknown, row: string): IDataObject[] => {
	const rows = (value as IDataObject | undefined)?.[row];
	return Array.isArray(rows) ? (rows as IDataObject[]) : [];
};
const text = (value: unknown): string =>
	value === undefined || value === null ? '' : String(value);

/** The collection's values (as `getNodeParameter` returns them) → overrides for `resolveTemplate`. */
export function templateOverridesFrom(
	side: TemplateSide,
	raw: IDataObject = {},
): TemplateOverrides {
	const names = SIDE_NAMES[side];
	const overrides: TemplateOverrides = {};
	const renames = rowsOf(raw.columns, names.renameRow).filter(
		(r) => text(r[names.renameField]).trim() && text(r[names.renameColumn]),
	);
	if (renames.length)
		overrides.columns = Object.fromEntries(
			renames.map((r) => [text(r[names.renameField]).trim(), text(r[names.renameColumn])]),
		);
	const elements = rowsOf(raw.elements, 'element').filter(
		(r) => text(r.field).trim() && text(r.element).trim(),
	);
	if (elements.length)
		overrides.elements = Object.fromEntries(
			elements.map((r) => [text(r.field).trim(), text(r.element).trim()]),
		);
	const constants = rowsOf(raw.constants, 'constant').filter((r) =>
		text(r[names.constantKey]).trim(),
	);
	if (constants.length) {
		overrides.constants = constants.map((r): TemplateConstant => {
			const key = text(r[names.constantKey]);
			return names.constantKey === 'field'
				? { path: key.trim(), value: text(r.value) }
				: { column: key, value: text(r.value) };
		});
	}
	if (raw.delimiter) overrides.delimiter = raw.delimiter === '\\t' ? '\t' : text(raw.delimiter);
	// Values an expression may have produced are passed on as they are: resolveTemplate names what is wrong.
	if (raw.decimalSeparator)
		overrides.decimalSeparator = raw.decimalSeparator as TemplateOverrides['decimalSeparator'];
	if (raw.groupSeparator) overrides.groupSeparator = text(raw.groupSeparator);
	if (raw.dateFormat) overrides.dateFormat = text(raw.dateFormat);
	if (raw.encoding) overrides.encoding = raw.encoding as TemplateOverrides['encoding'];
	const json =
		typeof raw.templateJson === 'string'
			? raw.templateJson
			: raw.templateJson
				? JSON.stringify(raw.templateJson)
				: '';
	if (json.trim()) overrides.template = json;
	return overrides;
}
