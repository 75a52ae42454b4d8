/**
 * The GL Mapper's options from its parameters, without n8n: the cross-checks between parameters
 * (a live lookup only in the target ERP), the rule table from the rule form, an expression or a file
 * (its format guessed from the MIME type or name), the vendor table and matching steps, and the
 * vendor and account directories chosen (a list from a previous node, or the target ERP's live
 * directories over a client the caller connects from its credential).
 */
import {
	CachingAccountDirectory,
	InMemoryVendorDirectory,
	accountsFromRows,
	vendorCandidatesFromRows,
	type VendorStep,
} from '../erp';
import { erpModule, erpModules } from '../erps';
import { compileRules } from './engine';
import type { MapInvoicesOptions } from './mapInvoices';
import { rowsFromText, rowsFromValue } from './ruleTable';
import type { Precedence, RuleRow, RuleTarget } from './types';
import { vendorTableFromRows } from './vendorTable';

/** Where vendors are matched: nowhere, the vendor table only, a vendor list, or live in an ERP (its system name). */
export type VendorSource = 'off' | 'table' | 'list' | string;
/** Where account codes are resolved: nowhere, a GL account list, or live in an ERP (its system name). */
export type AccountSource = 'off' | 'list' | string;

export interface MappingParameters {
	targetSystem: string;
	ruleSource: 'ui' | 'expression' | 'binary';
	/** The rule form's rows, already in table form (ruleSource `ui`). */
	uiRows?: RuleRow[];
	/** An array of rows or JSON text (ruleSource `expression`). */
	ruleTable?: unknown;
	precedence: Precedence;
	caseSensitive?: boolean;
	split?: boolean;
	/** The default target, already validated (undefined: unmatched lines need attention). */
	defaultTarget?: RuleTarget;
	vendorMapping: VendorSource;
	vendorTable?: unknown;
	erpVendors?: unknown;
	vendorSteps?: VendorStep[];
	vendorRequired?: boolean;
	accountResolution: AccountSource;
	glAccounts?: unknown;
	/** Vendor names on this execution's invoices (for ERPs that only match whole names). */
	vendorNames?: string[];
}

export interface RuleFile {
	text: string;
	fileName?: string;
	mimeType?: string;
	/** The format the user chose; `auto` guesses from the MIME type, then the name, then the content. */
	format: 'auto' | 'csv' | 'json';
	/** Where it came from, for messages when the file has no name. */
	property: string;
}

export interface MappingEnvironment {
	/** The ERP's client from the node's credential; called only when a live lookup there was chosen. */
	connect(system: string): Promise<unknown>;
	/** The rule file (ruleSource `binary`). */
	ruleFile(): Promise<RuleFile>;
}

/** A parameter combination that cannot work; `description` says what to change. */
export class MappingSetupError extends Error {
	constructor(
		message: string,
		readonly description?: string,
	) {
		super(message);
		this.name = 'MappingSetupError';
	}
}

/** Whether a source names a registered ERP (a live lookup) rather than off, a table or a list. */
const isLive = (source: string | undefined): source is string =>
	erpModules().some((m) => m.system === source);

/** A live lookup must be in the target ERP: a QuickBooks account id is no use on an Odoo bill. */
function checkLookups(params: MappingParameters): boolean {
	let live = false;
	for (const [label, source] of [
		['Resolve Accounts In', params.accountResolution],
		['Match Vendors In', params.vendorMapping],
	] as const) {
		if (!isLive(source)) continue;
		if (source !== params.targetSystem)
			throw new MappingSetupError(
				`"${label}" is ${erpModule(source).label} but the target system is ${erpModule(params.targetSystem).label}`,
				'Look accounts and vendors up in the ERP the invoices are mapped for.',
			);
		live = true;
	}
	return live;
}

/** A JSON parameter holding rows: an array, or JSON text of one. */
export function jsonRows(value: unknown, name: string): unknown[] {
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = value.trim() === '' ? [] : JSON.parse(value);
		} catch (error) {
			throw new MappingSetupError(`${name} is not valid JSON: ${(error as Error).message}`);
		}
	}
	if (!Array.isArray(parsed)) throw new MappingSetupError(`${name} must be an array of rows`);
	return parsed;
}

/** A file's format from what the user chose, else its MIME type, else its name; `auto` lets the content decide. */
export function ruleFileFormat(file: Pick<RuleFile, 'format' | 'fileName' | 'mimeType'>) {
	if (file.format !== 'auto') return file.format;
	if (/json/i.test(file.mimeType ?? '') || /\.json$/i.test(file.fileName ?? '')) return 'json';
	if (/csv/i.test(file.mimeType ?? '') || /\.csv$/i.test(file.fileName ?? '')) return 'csv';
	return 'auto';
}

async function ruleRows(
	params: MappingParameters,
	env: MappingEnvironment,
): Promise<{ rows: RuleRow[]; sourceName: string }> {
	if (params.ruleSource === 'ui')
		return { rows: params.uiRows ?? [], sourceName: 'node parameter "Rules"' };
	if (params.ruleSource === 'expression')
		return {
			rows: rowsFromValue(params.ruleTable, 'parameter "Rule Table"'),
			sourceName: 'parameter "Rule Table"',
		};
	const file = await env.ruleFile();
	const sourceName = file.fileName ?? `binary property "${file.property}"`;
	return { rows: rowsFromText(file.text, ruleFileFormat(file), sourceName), sourceName };
}

function vendorOptions(
	params: MappingParameters,
	client: unknown,
): NonNullable<MapInvoicesOptions['vendors']> {
	const options: NonNullable<MapInvoicesOptions['vendors']> = {
		table: vendorTableFromRows(jsonRows(params.vendorTable, 'Vendor Table'), 'Vendor Table'),
		required: params.vendorRequired ?? true,
		steps:
			params.vendorMapping === 'table' ? ['provided', 'table'] : (params.vendorSteps ?? undefined),
	};
	if (params.vendorMapping === 'list')
		options.directory = new InMemoryVendorDirectory(
			vendorCandidatesFromRows(jsonRows(params.erpVendors, 'ERP Vendors'), 'ERP Vendors'),
		);
	else if (isLive(params.vendorMapping))
		options.directory = erpModule(params.vendorMapping).directories(client, {
			vendorNames: params.vendorNames,
		}).vendors;
	return options;
}

function accountDirectory(params: MappingParameters, client: unknown) {
	if (params.accountResolution === 'list')
		return new CachingAccountDirectory(
			accountsFromRows(jsonRows(params.glAccounts, 'GL Accounts'), 'GL Accounts'),
		);
	if (!isLive(params.accountResolution)) return undefined;
	return new CachingAccountDirectory(
		erpModule(params.accountResolution).directories(client).accounts,
	);
}

/** Throws MappingSetupError, RuleTableError, or whatever `connect` throws. */
export async function setupMapping(
	params: MappingParameters,
	env: MappingEnvironment,
): Promise<MapInvoicesOptions> {
	const live = checkLookups(params);
	const client = live ? await env.connect(params.targetSystem) : undefined;
	const { rows, sourceName } = await ruleRows(params, env);
	const rules = compileRules(rows, {
		target: params.targetSystem,
		precedence: params.precedence,
		caseInsensitive: !params.caseSensitive,
		defaultTarget: params.defaultTarget,
		accountResolution: params.accountResolution !== 'off',
		sourceName,
	});
	const options: MapInvoicesOptions = { rules, split: params.split === true };
	if (params.vendorMapping !== 'off') options.vendors = vendorOptions(params, client);
	const accounts = accountDirectory(params, client);
	if (accounts) options.accounts = accounts;
	return options;
}
