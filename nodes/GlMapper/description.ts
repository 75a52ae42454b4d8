/** The GL Mapper's parameters. The target-specific ones come from each registered ERP's mapping target. */
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { erpConnector } from '../common/connections';
import { pickerMethod } from '../common/listSearch';
import { resourceLocator } from '../common/locators';
import { optionLabel, subtitleOf } from '../common/subtitles';
import { erpModules } from '../shared/erps';
import type { TargetField } from '../shared/erp';

const systems = () => erpModules().map((m) => m.system);

/**
 * One rule column: a picker (from the ERP's list, or by ID) when the column holds the id of a record
 * the ERP can list, else a text field. Rules saved with a plain id keep working (see uiRules).
 */
function targetField(system: string, field: TargetField): INodeProperties {
	const show = { displayOptions: { show: { '/targetSystem': [system] } } };
	const method = pickerMethod(system, field.pick);
	if (method)
		return {
			...resourceLocator({
				displayName: field.label,
				name: field.column,
				searchListMethod: method,
				description:
					field.description ??
					(field.multiple
						? 'Pick one from the list, or several IDs separated by ; with "By ID"'
						: undefined),
				idPlaceholder: field.placeholder,
				idPattern:
					field.idPattern ??
					(field.multiple
						? { regex: '^\\s*\\d+([;|,\\s]+\\d+)*\\s*$', errorMessage: 'IDs separated by ;' }
						: undefined),
			}),
			...show,
		};
	return {
		displayName: field.label,
		name: field.column,
		type: 'string',
		default: '',
		...(field.placeholder ? { placeholder: field.placeholder } : {}),
		...(field.description ? { description: field.description } : {}),
		...show,
	};
}

/** Each ERP's rule columns, shown when it is the target system. */
function targetFields(): INodeProperties[] {
	return erpModules().flatMap((m) => m.mappingTarget.fields.map((f) => targetField(m.system, f)));
}

const ruleFields: INodeProperties[] = [
	{
		displayName: 'Rule ID',
		name: 'id',
		type: 'string',
		default: '',
		description: 'Name shown in explanations; defaults to the row number',
	},
	{
		displayName: 'Match',
		name: 'match',
		type: 'options',
		default: 'exact',
		options: [
			{ name: 'Exact Code', value: 'exact' },
			{ name: 'Code Prefix', value: 'prefix' },
			{ name: 'Numeric Range (Inclusive)', value: 'range' },
			{ name: 'Regular Expression (Whole Code)', value: 'regex' },
		],
	},
	{
		displayName: 'GL Code',
		name: 'code',
		type: 'string',
		default: '',
		displayOptions: { show: { match: ['exact', 'prefix'] } },
	},
	{
		displayName: 'Code From',
		name: 'codeFrom',
		type: 'string',
		default: '',
		displayOptions: { show: { match: ['range'] } },
	},
	{
		displayName: 'Code To',
		name: 'codeTo',
		type: 'string',
		default: '',
		displayOptions: { show: { match: ['range'] } },
	},
	{
		displayName: 'Pattern',
		name: 'pattern',
		type: 'string',
		default: '',
		placeholder: '6[0-9]{3}-OPS',
		displayOptions: { show: { match: ['regex'] } },
	},
	{
		displayName: 'Department Is',
		name: 'department',
		type: 'string',
		default: '',
		description: 'Optional condition; several values separated by |',
	},
	{
		displayName: 'Class Is',
		name: 'class',
		type: 'string',
		default: '',
		description: 'Optional condition; several values separated by |',
	},
	{
		displayName: 'Location Is',
		name: 'location',
		type: 'string',
		default: '',
		description: 'Optional condition; several values separated by |',
	},
	{
		displayName: 'Project Is',
		name: 'project',
		type: 'string',
		default: '',
		description: 'Optional condition; several values separated by |',
	},
	{
		displayName: 'Vendor Is',
		name: 'vendor',
		type: 'string',
		default: '',
		description:
			'Optional condition on the Stampli vendor ID or name; several values separated by |',
	},
	{
		displayName: 'Other Dimension Conditions',
		name: 'dimensions',
		type: 'string',
		default: '',
		placeholder: 'costCenter=CC-1|CC-2; region=EU',
		description: 'Optional conditions on custom dimensions: name=value, separated by ;',
	},
	...targetFields(),
	{
		displayName: 'Priority',
		name: 'priority',
		type: 'string',
		default: '',
		description: 'Whole number; breaks ties between equally specific rules (higher wins)',
	},
	{ displayName: 'Note', name: 'note', type: 'string', default: '' },
];

const defaultTargetColumns = new Set(
	erpModules().flatMap((m) =>
		m.mappingTarget.fields.filter((f) => f.inDefaultTarget !== false).map((f) => f.column),
	),
);
const defaultTargetFields = ruleFields.filter((f) => defaultTargetColumns.has(f.name));

/**
 * n8n's displayOptions cannot say "accounts OR vendors in Odoo" (conditions on different parameters
 * are ANDed, and n8n-core checks only the first entry of a credential name), so each ERP credential
 * is offered, optional, when that ERP is the target; the node asks for it only when a lookup there
 * is chosen, and says so clearly when it is missing.
 */
export const credentials: INodeCredentialDescription[] = erpModules().map((m) => ({
	name: erpConnector(m.system).credential,
	// The label says what the credential is for, since the editor marks no field optional.
	displayName: `${m.label} Credential (Optional: Lookups and Pick Lists)`,
	required: false,
	displayOptions: { show: { targetSystem: [m.system] } },
}));

export const properties: INodeProperties[] = [
	{
		displayName: 'Target System',
		name: 'targetSystem',
		type: 'options',
		// A literal, so n8n's lint and scanner can read it; a test checks it is a registered ERP.
		default: 'odoo',
		options: erpModules().map((m) => ({ name: m.ui.targetName, value: m.system })),
	},
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		default: 'map',
		options: [
			{ name: 'Map', value: 'map', description: 'Output invoices with their mapping' },
			{
				name: 'Preview',
				value: 'preview',
				description:
					'Output one explanation item per invoice line (GL Mapper never writes to an ERP)',
			},
		],
	},
	{
		displayName: 'Rule Source',
		name: 'ruleSource',
		type: 'options',
		default: 'ui',
		options: [
			{ name: 'Rules Below', value: 'ui' },
			{
				name: 'Table From Expression',
				value: 'expression',
				description: 'An array of rule rows or JSON text, e.g. from a sheet',
			},
			{ name: 'CSV or JSON File (Binary)', value: 'binary' },
		],
	},
	{
		displayName: 'Rules',
		name: 'rules',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		placeholder: 'Add Rule',
		displayOptions: { show: { ruleSource: ['ui'] } },
		options: [{ displayName: 'Rule', name: 'rule', values: ruleFields }],
	},
	{
		displayName: 'Rule Table',
		name: 'ruleTable',
		type: 'json',
		default: '[]',
		description:
			'Rule rows (columns as in docs/gl-mapper-rules.md); read once per execution, from the first item',
		displayOptions: { show: { ruleSource: ['expression'] } },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		description: 'Binary property of the first item holding the rule file',
		displayOptions: { show: { ruleSource: ['binary'] } },
	},
	{
		displayName: 'File Format',
		name: 'binaryFormat',
		type: 'options',
		default: 'auto',
		options: [
			{ name: 'Detect', value: 'auto' },
			{ name: 'CSV', value: 'csv' },
			{ name: 'JSON', value: 'json' },
		],
		displayOptions: { show: { ruleSource: ['binary'] } },
	},
	{
		displayName: 'Precedence',
		name: 'precedence',
		type: 'options',
		default: 'firstMatch',
		options: [
			{ name: 'First Match in Table Order', value: 'firstMatch' },
			{
				name: 'Most Specific',
				value: 'mostSpecific',
				description:
					'Exact > longer prefix > narrower range > regex; more conditions win; ties are rejected',
			},
		],
	},
	{
		displayName: 'Invoice Handling',
		name: 'invoiceHandling',
		type: 'options',
		default: 'whole',
		options: [
			{
				name: 'Whole Invoice',
				value: 'whole',
				description: 'Any unmapped line sends the whole invoice to Needs Attention',
			},
			{
				name: 'Split',
				value: 'split',
				description: 'Mapped lines go on; unmapped lines go to Needs Attention',
			},
		],
	},
	{
		displayName: 'Use a Default Target',
		name: 'useDefaultTarget',
		type: 'boolean',
		default: false,
		description: 'Whether lines no rule matches go to a default account instead of Needs Attention',
	},
	{
		displayName: 'Default Target',
		name: 'defaultTarget',
		type: 'collection',
		default: {},
		placeholder: 'Add Field',
		displayOptions: { show: { useDefaultTarget: [true] } },
		options: defaultTargetFields,
	},
	{
		displayName: 'Match Vendors In',
		name: 'vendorMapping',
		type: 'options',
		default: 'off',
		options: [
			{ name: 'None', value: 'off', description: 'Vendors are not mapped' },
			{
				name: 'Vendor Table and ERP Vendor List',
				value: 'list',
				description:
					'Also match by external ID, tax ID and normalised name against a vendor list (e.g. from Odoo Master Data)',
			},
			...erpModules().map((m) => ({
				name: `Vendor Table and ${m.label}`,
				value: m.system,
				description: m.ui.vendorLookup,
			})),
			{ name: 'Vendor Table Only', value: 'table' },
		],
	},
	{
		displayName: 'Vendor Table',
		name: 'vendorTable',
		type: 'json',
		default: '[]',
		description: 'Rows {"stampliVendorId": "...", "erpVendorId": "..."}',
		displayOptions: { show: { vendorMapping: ['table', 'list', ...systems()] } },
	},
	{
		displayName: 'ERP Vendors',
		name: 'erpVendors',
		type: 'json',
		default: '[]',
		description:
			'Canonical vendor records (vendorId, name, taxId, stampliVendorId as external ID, active)',
		displayOptions: { show: { vendorMapping: ['list'] } },
	},
	{
		displayName: 'Vendor Match Steps',
		name: 'vendorSteps',
		type: 'multiOptions',
		default: ['provided', 'table', 'externalId', 'taxId', 'name'],
		options: [
			{ name: 'ERP ID Already on Invoice', value: 'provided' },
			{ name: 'External ID', value: 'externalId' },
			{ name: 'Normalised Name', value: 'name' },
			{ name: 'Tax ID', value: 'taxId' },
			{ name: 'Vendor Table', value: 'table' },
		],
		displayOptions: { show: { vendorMapping: ['list', ...systems()] } },
	},
	{
		displayName: 'Vendor Required',
		name: 'vendorRequired',
		type: 'boolean',
		default: true,
		description: 'Whether an invoice whose vendor is not matched goes to Needs Attention',
		displayOptions: { show: { vendorMapping: ['table', 'list', ...systems()] } },
	},
	{
		displayName: 'Resolve Accounts In',
		name: 'accountResolution',
		type: 'options',
		default: 'off',
		description:
			'Where account codes (Odoo code, QuickBooks account number or name) are turned into account IDs; once per execution per code',
		options: [
			{ name: 'None', value: 'off', description: 'Rules must give account IDs' },
			{
				name: 'GL Account List',
				value: 'list',
				description: 'Resolve against GL account records (e.g. from Odoo Master Data)',
			},
			...erpModules().map((m) => ({
				name: m.label,
				value: m.system,
				description: m.ui.accountLookup,
			})),
		],
	},
	{
		displayName: 'GL Accounts',
		name: 'glAccounts',
		type: 'json',
		default: '[]',
		description: 'Canonical GL account records (accountId, code, name, active)',
		displayOptions: { show: { accountResolution: ['list'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		default: {},
		placeholder: 'Add Option',
		options: [
			{
				displayName: 'Case-Sensitive Conditions',
				name: 'caseSensitive',
				type: 'boolean',
				default: false,
				description: 'Whether dimension and vendor conditions compare case',
			},
		],
	},
];

/** `Odoo · Map`: the target's label and the mode's. */
export const subtitle = subtitleOf(
	optionLabel('targetSystem', Object.fromEntries(erpModules().map((m) => [m.system, m.label]))),
	optionLabel('mode', properties),
);
