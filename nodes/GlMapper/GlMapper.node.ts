import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type JsonObject,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import {
	CachingAccountDirectory,
	RuleTableError,
	accountsFromRows,
	compileRules,
	mapInvoices,
	previewItems,
	rowsFromText,
	rowsFromValue,
	InMemoryVendorDirectory,
	vendorCandidatesFromRows,
	vendorTableFromRows,
	type InvoiceOutcome,
	type MapInvoicesOptions,
	type RuleRow,
	type RuleTarget,
	type TargetSystem,
	type VendorStep,
} from '../shared/mapping';
import {
	OdooAccountDirectory,
	OdooVendorDirectory,
	QuickBooksAccountDirectory,
	QuickBooksVendorDirectory,
} from '../shared/mapping/directories';
import { createOdooClient, odooConfigFromCredential, type OdooClient } from '../shared/odoo';
import { QboClient } from '../shared/quickbooks';
import { n8nTransport, QBO_CREDENTIAL, readConnection } from '../QuickBooksBill/transport';
import { jsonRows, rowsFromUi, uiDefaultTarget } from './uiRules';

const ODOO_CREDENTIAL = 'stampliOdooApi';
type AccountSource = 'off' | 'list' | 'odoo' | 'quickbooks';
type VendorSource = 'off' | 'table' | 'list' | 'odoo' | 'quickbooks';
const SYSTEM_LABEL = { odoo: 'Odoo', quickbooks: 'QuickBooks' } as const;

const odooOnly = { '/targetSystem': ['odoo'] };
const qboOnly = { '/targetSystem': ['quickbooks'] };

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
	{
		displayName: 'Odoo Account ID',
		name: 'odooAccount',
		type: 'string',
		default: '',
		displayOptions: { show: odooOnly },
	},
	{
		displayName: 'Odoo Account Code',
		name: 'odooAccountCode',
		type: 'string',
		default: '',
		displayOptions: { show: odooOnly },
	},
	{
		displayName: 'Analytic Distribution',
		name: 'analytic',
		type: 'string',
		default: '',
		placeholder: '12:60;13:40',
		description: 'Analytic account ID:percent pairs, summing to 100',
		displayOptions: { show: odooOnly },
	},
	{
		displayName: 'Tax IDs',
		name: 'taxes',
		type: 'string',
		default: '',
		placeholder: '3;7',
		displayOptions: { show: odooOnly },
	},
	{
		displayName: 'QuickBooks Account ID',
		name: 'qboAccount',
		type: 'string',
		default: '',
		displayOptions: { show: qboOnly },
	},
	{
		displayName: 'QuickBooks Account Name',
		name: 'qboAccountName',
		type: 'string',
		default: '',
		displayOptions: { show: qboOnly },
	},
	{
		displayName: 'QuickBooks Account Number',
		name: 'qboAccountNumber',
		type: 'string',
		default: '',
		description: 'Resolved to an account ID when account resolution is on',
		displayOptions: { show: qboOnly },
	},
	{
		displayName: 'QuickBooks Class ID',
		name: 'qboClass',
		type: 'string',
		default: '',
		displayOptions: { show: qboOnly },
	},
	{
		displayName: 'QuickBooks Department ID',
		name: 'qboDepartment',
		type: 'string',
		default: '',
		displayOptions: { show: qboOnly },
	},
	{
		displayName: 'Priority',
		name: 'priority',
		type: 'string',
		default: '',
		description: 'Whole number; breaks ties between equally specific rules (higher wins)',
	},
	{ displayName: 'Note', name: 'note', type: 'string', default: '' },
];

const defaultTargetFields: INodeProperties[] = ruleFields.filter((f) =>
	[
		'odooAccount',
		'odooAccountCode',
		'analytic',
		'taxes',
		'qboAccount',
		'qboAccountName',
		'qboClass',
		'qboDepartment',
	].includes(f.name),
);

// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- maps invoice batches between nodes; not a meaningful AI-agent tool
export class GlMapper implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'GL Mapper',
		name: 'glMapper',
		icon: { light: 'file:glMapper.svg', dark: 'file:glMapper.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{$parameter["targetSystem"] === "odoo" ? "Odoo" : "QuickBooks"}} · {{$parameter["mode"]}}',
		description:
			'Map Stampli GL codes, dimensions and vendors to Odoo or QuickBooks by explained rules',
		defaults: { name: 'GL Mapper' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Mapped', 'Needs Attention'],
		// n8n's displayOptions cannot say "accounts OR vendors in Odoo" (conditions on different
		// parameters are ANDed, and n8n-core checks only the first entry of a credential name), so
		// each ERP credential is offered, optional, when that ERP is the target; the node asks for it
		// only when a lookup there is chosen, and says so clearly when it is missing.
		credentials: [
			{
				name: ODOO_CREDENTIAL,
				required: false,
				displayOptions: { show: { targetSystem: ['odoo'] } },
			},
			{
				name: QBO_CREDENTIAL,
				required: false,
				displayOptions: { show: { targetSystem: ['quickbooks'] } },
			},
		],
		properties: [
			{
				displayName: 'Target System',
				name: 'targetSystem',
				type: 'options',
				default: 'odoo',
				options: [
					{ name: 'Odoo', value: 'odoo' },
					{ name: 'QuickBooks Online', value: 'quickbooks' },
				],
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
				description:
					'Whether lines no rule matches go to a default account instead of Needs Attention',
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
					{
						name: 'Vendor Table and Odoo',
						value: 'odoo',
						description:
							'Also look vendors up live in Odoo (external ID, VAT, normalised name); needs the Odoo credential',
					},
					{
						name: 'Vendor Table and QuickBooks',
						value: 'quickbooks',
						description:
							'Also look vendors up live in QuickBooks by DisplayName; needs the QuickBooks credential',
					},
					{ name: 'Vendor Table Only', value: 'table' },
				],
			},
			{
				displayName: 'Vendor Table',
				name: 'vendorTable',
				type: 'json',
				default: '[]',
				description: 'Rows {"stampliVendorId": "...", "erpVendorId": "..."}',
				displayOptions: { show: { vendorMapping: ['table', 'list', 'odoo', 'quickbooks'] } },
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
				displayOptions: { show: { vendorMapping: ['list', 'odoo', 'quickbooks'] } },
			},
			{
				displayName: 'Vendor Required',
				name: 'vendorRequired',
				type: 'boolean',
				default: true,
				description: 'Whether an invoice whose vendor is not matched goes to Needs Attention',
				displayOptions: { show: { vendorMapping: ['table', 'list', 'odoo', 'quickbooks'] } },
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
					{
						name: 'Odoo',
						value: 'odoo',
						description: 'Look codes up live in Odoo; needs the Odoo credential',
					},
					{
						name: 'QuickBooks',
						value: 'quickbooks',
						description:
							'Look account numbers, then names, up live in QuickBooks; needs the QuickBooks credential',
					},
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
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		if (items.length === 0) return [[], []];
		const target = this.getNodeParameter('targetSystem', 0) as TargetSystem;
		const mode = this.getNodeParameter('mode', 0) as 'map' | 'preview';
		const ruleSource = this.getNodeParameter('ruleSource', 0) as 'ui' | 'expression' | 'binary';
		const accountResolution = this.getNodeParameter('accountResolution', 0) as AccountSource;
		const vendorMapping = this.getNodeParameter('vendorMapping', 0) as VendorSource;
		const options = this.getNodeParameter('options', 0, {}) as { caseSensitive?: boolean };

		// Live lookups only in the target ERP: a QuickBooks account id is no use on an Odoo bill.
		for (const [label, source] of [
			['Resolve Accounts In', accountResolution],
			['Match Vendors In', vendorMapping],
		] as const) {
			if ((source === 'odoo' || source === 'quickbooks') && source !== target) {
				throw new NodeOperationError(
					this.getNode(),
					`"${label}" is ${SYSTEM_LABEL[source]} but the target system is ${SYSTEM_LABEL[target]}`,
					{
						description: 'Look accounts and vendors up in the ERP the invoices are mapped for.',
					},
				);
			}
		}
		const erp = await connectErp(
			this,
			target,
			accountResolution === target || vendorMapping === target,
		);

		// Rules, vendor and account tables are execution-wide: read once from the first item.
		let options_: MapInvoicesOptions;
		try {
			let rows: RuleRow[];
			let sourceName: string;
			if (ruleSource === 'ui') {
				rows = rowsFromUi(this.getNodeParameter('rules', 0, {}) as IDataObject);
				sourceName = 'node parameter "Rules"';
			} else if (ruleSource === 'expression') {
				rows = rowsFromValue(this.getNodeParameter('ruleTable', 0), 'parameter "Rule Table"');
				sourceName = 'parameter "Rule Table"';
			} else {
				const property = this.getNodeParameter('binaryPropertyName', 0) as string;
				const binary = this.helpers.assertBinaryData(0, property);
				const buffer = await this.helpers.getBinaryDataBuffer(0, property);
				sourceName = binary.fileName ?? `binary property "${property}"`;
				const declared = this.getNodeParameter('binaryFormat', 0) as 'auto' | 'csv' | 'json';
				const format =
					declared !== 'auto'
						? declared
						: /json/i.test(binary.mimeType ?? '') || /\.json$/i.test(binary.fileName ?? '')
							? 'json'
							: /csv/i.test(binary.mimeType ?? '') || /\.csv$/i.test(binary.fileName ?? '')
								? 'csv'
								: 'auto';
				rows = rowsFromText(buffer.toString('utf8'), format, sourceName);
			}
			let defaultTarget: RuleTarget | undefined;
			if (this.getNodeParameter('useDefaultTarget', 0) as boolean) {
				defaultTarget = uiDefaultTarget(
					this.getNodeParameter('defaultTarget', 0, {}) as IDataObject,
					target,
				);
			}
			const rules = compileRules(rows, {
				target,
				precedence: this.getNodeParameter('precedence', 0) as 'firstMatch' | 'mostSpecific',
				caseInsensitive: !options.caseSensitive,
				defaultTarget,
				accountResolution: accountResolution !== 'off',
				sourceName,
			});
			options_ = {
				rules,
				split: (this.getNodeParameter('invoiceHandling', 0) as string) === 'split',
			};
			if (vendorMapping !== 'off') {
				const table = vendorTableFromRows(
					jsonRows(this.getNodeParameter('vendorTable', 0), 'Vendor Table'),
					'Vendor Table',
				);
				options_.vendors = {
					table,
					required: this.getNodeParameter('vendorRequired', 0, true) as boolean,
					steps:
						vendorMapping === 'table'
							? ['provided', 'table']
							: (this.getNodeParameter('vendorSteps', 0) as VendorStep[]),
				};
				if (vendorMapping === 'list') {
					options_.vendors.directory = new InMemoryVendorDirectory(
						vendorCandidatesFromRows(
							jsonRows(this.getNodeParameter('erpVendors', 0), 'ERP Vendors'),
							'ERP Vendors',
						),
					);
				} else if (vendorMapping === 'odoo') {
					options_.vendors.directory = new OdooVendorDirectory(erp.odoo!);
				} else if (vendorMapping === 'quickbooks') {
					const nameHints = items
						.map((item) => (item.json.vendor as { name?: unknown } | undefined)?.name)
						.filter((n): n is string => typeof n === 'string');
					options_.vendors.directory = new QuickBooksVendorDirectory(erp.quickbooks!, {
						nameHints,
					});
				}
			}
			if (accountResolution === 'list') {
				options_.accounts = new CachingAccountDirectory(
					accountsFromRows(
						jsonRows(this.getNodeParameter('glAccounts', 0), 'GL Accounts'),
						'GL Accounts',
					),
				);
			} else if (accountResolution === 'odoo') {
				options_.accounts = new CachingAccountDirectory(new OdooAccountDirectory(erp.odoo!));
			} else if (accountResolution === 'quickbooks') {
				options_.accounts = new CachingAccountDirectory(
					new QuickBooksAccountDirectory(erp.quickbooks!),
				);
			}
		} catch (error) {
			if (error instanceof RuleTableError)
				throw new NodeOperationError(this.getNode(), error.message, {
					description: 'Fix the rule table and run again; nothing was mapped.',
				});
			throw new NodeOperationError(this.getNode(), (error as Error).message);
		}

		let outcomes: InvoiceOutcome[];
		try {
			outcomes = await mapInvoices(
				items.map((item) => item.json),
				options_,
			);
		} catch (error) {
			// Only the ERP lookups can fail here; the whole batch shares them, so nothing is output.
			throw new NodeApiError(this.getNode(), { message: (error as Error).message } as JsonObject, {
				message: `${SYSTEM_LABEL[target]} lookup failed: ${(error as Error).message}`,
			});
		}
		const mapped: INodeExecutionData[] = [];
		const attention: INodeExecutionData[] = [];
		const routed = mode === 'preview' ? previewItems(outcomes) : outcomes;
		for (const out of routed) {
			(out.route === 'mapped' ? mapped : attention).push({
				json: out.json as IDataObject,
				pairedItem: { item: out.inputIndex },
			});
		}
		return [mapped, attention];
	}
}

/** The target ERP's client, when a live lookup there was chosen; a clear error when its credential is missing. */
async function connectErp(
	ctx: IExecuteFunctions,
	target: TargetSystem,
	needed: boolean,
): Promise<{ odoo?: OdooClient; quickbooks?: QboClient }> {
	if (!needed) return {};
	const credentialName = target === 'odoo' ? ODOO_CREDENTIAL : QBO_CREDENTIAL;
	if (!ctx.getNode().credentials?.[credentialName]) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Looking accounts or vendors up in ${SYSTEM_LABEL[target]} needs the ${SYSTEM_LABEL[target]} credential`,
			{
				description: `Choose a credential in the node's ${SYSTEM_LABEL[target]} credential field, or switch "Resolve Accounts In" / "Match Vendors In" away from ${SYSTEM_LABEL[target]}.`,
			},
		);
	}
	try {
		if (target === 'odoo')
			return {
				odoo: createOdooClient(
					odooConfigFromCredential(
						(await ctx.getCredentials(ODOO_CREDENTIAL)) as Record<string, unknown>,
					),
				),
			};
		return {
			quickbooks: new QboClient({ transport: n8nTransport(ctx), ...(await readConnection(ctx)) }),
		};
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message);
	}
}
