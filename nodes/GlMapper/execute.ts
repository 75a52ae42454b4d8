import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { connectErp, erpConnector } from '../common/connections';
import { toNodeError } from '../common/errors';
import { erpModule } from '../shared/erps';
import {
	MappingSetupError,
	RuleTableError,
	mapInvoices,
	previewItems,
	setupMapping,
	type MapInvoicesOptions,
	type MappingParameters,
	type RuleFile,
} from '../shared/mapping';
import { VENDOR_STEPS, type VendorStep } from '../shared/erp';
import { rowsFromUi, uiDefaultTarget } from './uiRules';

/** Rules, vendor and account tables are execution-wide: read once, from the first item. */
function readParameters(ctx: IExecuteFunctions, items: INodeExecutionData[]): MappingParameters {
	const param = (name: string, fallback?: unknown) => ctx.getNodeParameter(name, 0, fallback);
	const targetSystem = param('targetSystem') as string;
	const ruleSource = param('ruleSource') as MappingParameters['ruleSource'];
	return {
		targetSystem,
		ruleSource,
		uiRows: ruleSource === 'ui' ? rowsFromUi(param('rules', {}) as IDataObject) : undefined,
		ruleTable: ruleSource === 'expression' ? param('ruleTable') : undefined,
		precedence: param('precedence') as MappingParameters['precedence'],
		caseSensitive: (param('options', {}) as { caseSensitive?: boolean }).caseSensitive,
		split: param('invoiceHandling') === 'split',
		defaultTarget: (param('useDefaultTarget') as boolean)
			? uiDefaultTarget(param('defaultTarget', {}) as IDataObject, targetSystem)
			: undefined,
		vendorMapping: param('vendorMapping') as string,
		vendorTable: param('vendorTable', '[]'),
		erpVendors: param('erpVendors', '[]'),
		vendorSteps: param('vendorSteps', VENDOR_STEPS) as VendorStep[],
		vendorRequired: param('vendorRequired', true) as boolean,
		accountResolution: param('accountResolution') as string,
		glAccounts: param('glAccounts', '[]'),
		vendorNames: items
			.map((item) => (item.json.vendor as { name?: unknown } | undefined)?.name)
			.filter((n): n is string => typeof n === 'string'),
	};
}

/** The target ERP's client for a live lookup; a clear error when its credential is not chosen. */
async function connectForLookup(ctx: IExecuteFunctions, system: string): Promise<unknown> {
	const label = erpModule(system).label;
	if (!ctx.getNode().credentials?.[erpConnector(system).credential]) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Looking accounts or vendors up in ${label} needs the ${label} credential`,
			{
				description: `Choose a credential in the node's ${label} credential field, or switch "Resolve Accounts In" / "Match Vendors In" away from ${label}.`,
			},
		);
	}
	return await connectErp(ctx, system);
}

async function readRuleFile(ctx: IExecuteFunctions): Promise<RuleFile> {
	const property = ctx.getNodeParameter('binaryPropertyName', 0) as string;
	const binary = ctx.helpers.assertBinaryData(0, property);
	const buffer = await ctx.helpers.getBinaryDataBuffer(0, property);
	return {
		text: buffer.toString('utf8'),
		fileName: binary.fileName,
		mimeType: binary.mimeType,
		format: ctx.getNodeParameter('binaryFormat', 0) as RuleFile['format'],
		property,
	};
}

async function setup(ctx: IExecuteFunctions, items: INodeExecutionData[]) {
	try {
		return await setupMapping(readParameters(ctx, items), {
			connect: (system) => connectForLookup(ctx, system),
			ruleFile: () => readRuleFile(ctx),
		});
	} catch (error) {
		if (error instanceof RuleTableError)
			throw new NodeOperationError(ctx.getNode(), error.message, {
				description: 'Fix the rule table and run again; nothing was mapped.',
			});
		if (error instanceof MappingSetupError)
			throw new NodeOperationError(ctx.getNode(), error.message, {
				description: error.description,
			});
		// Credential problems arrive as NodeOperationError already; anything else is a setting to fix too.
		throw error instanceof NodeOperationError
			? error
			: new NodeOperationError(ctx.getNode(), (error as Error).message);
	}
}

async function mapItems(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const options: MapInvoicesOptions = await setup(ctx, items);
	const target = erpModule(options.rules.options.target);
	let outcomes;
	try {
		outcomes = await mapInvoices(
			items.map((item) => item.json),
			options,
		);
	} catch (error) {
		// Only the ERP lookups can fail here; the whole batch shares them, so nothing is output.
		throw toNodeError(ctx.getNode(), error, {
			message: `${target.label} lookup failed: ${(error as Error).message}`,
		});
	}
	const mapped: INodeExecutionData[] = [];
	const attention: INodeExecutionData[] = [];
	const mode = ctx.getNodeParameter('mode', 0) as 'map' | 'preview';
	for (const out of mode === 'preview' ? previewItems(outcomes) : outcomes) {
		(out.route === 'mapped' ? mapped : attention).push({
			json: out.json as IDataObject,
			pairedItem: { item: out.inputIndex },
		});
	}
	return [mapped, attention];
}

/**
 * Invoices → Mapped and Needs Attention (or, in preview, one explanation per line). A failure
 * shared by the whole batch (the rules, an ERP lookup) under "Continue On Fail" sends every invoice
 * to Needs Attention with the error as its reason, so the run's reconciliation counts them as failed.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[], []];
	try {
		return await mapItems(this, items);
	} catch (error) {
		if (!this.continueOnFail()) throw toNodeError(this.getNode(), error);
		const message = (error as Error).message;
		return [
			[],
			items.map((item, index) => ({
				json: { ...item.json, error: message, reasons: [{ reason: message }] },
				pairedItem: { item: index },
			})),
		];
	}
}
