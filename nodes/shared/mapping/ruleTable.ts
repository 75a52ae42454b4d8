/**
 * Rule tables: one row per rule, from the node UI, an expression (array of objects or JSON text)
 * or a binary file (CSV or JSON). Every problem is reported with row, column and reason, all at
 * once, so finance can fix the sheet in one pass.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { add, equals, isDecimalString, parseDecimal } from '../records/decimal';
import type { DecimalString } from '../records/types';
import type {
	CompileOptions,
	DimensionCondition,
	GlRule,
	MatchKind,
	QboRef,
	RuleRow,
	RuleTarget,
} from './types';

export interface RuleTableIssue {
	/** 1-based data row (header excluded); absent for table-level problems. */
	row?: number;
	column?: string;
	reason: string;
}

export class RuleTableError extends Error {
	constructor(
		readonly source: string,
		readonly issues: RuleTableIssue[],
	) {
		const shown = issues.slice(0, 20).map(formatIssue);
		const more = issues.length > shown.length ? `\n… and ${issues.length - shown.length} more` : '';
		super(
			`Rule table ${source} is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${shown.join('\n')}${more}`,
		);
		this.name = 'RuleTableError';
	}
}

function formatIssue(issue: RuleTableIssue): string {
	const where = [
		issue.row !== undefined ? `row ${issue.row}` : undefined,
		issue.column ? `column "${issue.column}"` : undefined,
	]
		.filter(Boolean)
		.join(', ');
	return `- ${where ? `${where}: ` : ''}${issue.reason}`;
}

/** Documented columns (docs/gl-mapper-rules.md). `dim.<name>` columns are accepted in addition. */
export const RULE_COLUMNS = [
	'id',
	'match',
	'code',
	'codeFrom',
	'codeTo',
	'pattern',
	'department',
	'class',
	'location',
	'project',
	'vendor',
	'vendorId',
	'vendorName',
	'odooAccount',
	'odooAccountCode',
	'analytic',
	'taxes',
	'qboAccount',
	'qboAccountName',
	'qboAccountNumber',
	'qboClass',
	'qboClassName',
	'qboDepartment',
	'qboDepartmentName',
	'priority',
	'note',
] as const;

const COLUMN_BY_LOWER = new Map<string, string>(RULE_COLUMNS.map((c) => [c.toLowerCase(), c]));
const NAMED_DIMENSIONS = new Set(['department', 'class', 'location', 'project']);
const MATCH_KINDS: MatchKind[] = ['exact', 'prefix', 'range', 'regex'];
/** Codes compared as numbers by range rules. */
export const NUMERIC_CODE = /^\d+(\.\d+)?$/;
const MAX_PATTERN_LENGTH = 500;

/** Parses a CSV or JSON rule file (UTF-8, BOM tolerated) into rows. */
export function rowsFromText(
	text: string,
	format: 'csv' | 'json' | 'auto',
	source: string,
): RuleRow[] {
	const body = text.replace(/^\uFEFF/, '');
	const kind = format === 'auto' ? (/^\s*[[{]/.test(body) ? 'json' : 'csv') : format;
	if (kind === 'json') {
		let parsed: unknown;
		try {
			parsed = JSON.parse(body);
		} catch (error) {
			throw new RuleTableError(source, [{ reason: `not valid JSON: ${(error as Error).message}` }]);
		}
		return rowsFromValue(parsed, source);
	}
	try {
		return parseCsv(body, {
			columns: (header: string[]) => header.map((h) => h.trim()),
			skip_empty_lines: true,
			trim: true,
		}) as RuleRow[];
	} catch (error) {
		throw new RuleTableError(source, [{ reason: `not valid CSV: ${(error as Error).message}` }]);
	}
}

/** Accepts an array of row objects, `{ rules: [...] }`, or JSON text of either. */
export function rowsFromValue(value: unknown, source: string): RuleRow[] {
	if (typeof value === 'string') return rowsFromText(value, 'auto', source);
	const list = Array.isArray(value) ? value : (value as { rules?: unknown } | null)?.rules;
	if (!Array.isArray(list)) {
		throw new RuleTableError(source, [
			{ reason: 'expected an array of rule rows (or an object with a "rules" array)' },
		]);
	}
	const issues: RuleTableIssue[] = [];
	list.forEach((row, index) => {
		if (row === null || typeof row !== 'object' || Array.isArray(row))
			issues.push({ row: index + 1, reason: 'a rule row must be an object' });
	});
	if (issues.length) throw new RuleTableError(source, issues);
	return list as RuleRow[];
}

function isBlank(cell: unknown): boolean {
	return (
		cell === undefined ||
		cell === null ||
		(typeof cell === 'string' && cell.trim() === '') ||
		(Array.isArray(cell) && cell.length === 0)
	);
}

function text(cell: unknown): string | undefined {
	if (isBlank(cell)) return undefined;
	if (typeof cell === 'string') return cell.trim();
	if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
	return undefined;
}

/**
 * Validates rows into rules. Checks that depend on precedence (ties, overlapping ranges) are done by
 * `compileRules`, which raises the same RuleTableError.
 */
export function parseRuleTable(
	rows: RuleRow[],
	options: Pick<CompileOptions, 'target' | 'accountResolution' | 'sourceName'>,
): GlRule[] {
	const source = options.sourceName ?? 'rules';
	const issues: RuleTableIssue[] = [];
	const rules: GlRule[] = [];
	const seenIds = new Map<string, number>();

	rows.forEach((raw, index) => {
		const rowNumber = index + 1;
		const rowIssues: RuleTableIssue[] = [];
		const problem = (column: string | undefined, reason: string) =>
			rowIssues.push({ row: rowNumber, column, reason });

		// Canonical column names (header case and surrounding spaces do not matter).
		const cells = new Map<string, unknown>();
		const dims: Array<{ name: string; column: string; cell: unknown }> = [];
		for (const [header, cell] of Object.entries(raw)) {
			const key = header.trim();
			if (/^dim\./i.test(key)) {
				const name = key.slice(4).trim();
				if (!name) problem(header, 'a dimension column needs a name after "dim."');
				else if (!isBlank(cell)) dims.push({ name, column: key, cell });
				continue;
			}
			const column = COLUMN_BY_LOWER.get(key.toLowerCase());
			if (!column) {
				problem(header, `unknown column (known: ${RULE_COLUMNS.join(', ')}, dim.<name>)`);
				continue;
			}
			if (!isBlank(cell)) cells.set(column, cell);
		}
		if (cells.size === 0 && dims.length === 0 && rowIssues.length === 0) return; // blank sheet row

		const get = (column: string): string | undefined => {
			const cell = cells.get(column);
			if (cell === undefined) return undefined;
			const value = text(cell);
			if (value === undefined && !(Array.isArray(cell) || typeof cell === 'object'))
				problem(column, 'must be text or a number');
			return value;
		};

		const id = get('id') ?? `row ${rowNumber}`;
		if (seenIds.has(id)) problem('id', `duplicate id "${id}" (also row ${seenIds.get(id)})`);
		else seenIds.set(id, rowNumber);

		// Match kind: explicit, or inferred from which code columns are filled.
		const code = get('code');
		const codeFrom = get('codeFrom');
		const codeTo = get('codeTo');
		const pattern = get('pattern');
		let match = get('match')?.toLowerCase() as MatchKind | undefined;
		if (match === undefined) {
			if (pattern !== undefined) match = 'regex';
			else if (codeFrom !== undefined || codeTo !== undefined) match = 'range';
			else if (code !== undefined) match = 'exact';
			else problem('match', 'no match given and none of code, codeFrom/codeTo, pattern is filled');
		} else if (!MATCH_KINDS.includes(match)) {
			problem('match', `must be one of ${MATCH_KINDS.join(', ')}, got "${get('match')}"`);
			match = undefined;
		}
		if ((match === 'exact' || match === 'prefix') && code === undefined)
			problem('code', `required for match "${match}"`);
		if (match === 'range') {
			if (codeFrom === undefined) problem('codeFrom', 'required for match "range"');
			else if (!NUMERIC_CODE.test(codeFrom))
				problem('codeFrom', `"${codeFrom}" is not a numeric code`);
			if (codeTo === undefined) problem('codeTo', 'required for match "range"');
			else if (!NUMERIC_CODE.test(codeTo)) problem('codeTo', `"${codeTo}" is not a numeric code`);
			if (
				codeFrom &&
				codeTo &&
				NUMERIC_CODE.test(codeFrom) &&
				NUMERIC_CODE.test(codeTo) &&
				Number(codeFrom) > Number(codeTo)
			) {
				problem('codeFrom', `range from ${codeFrom} is greater than to ${codeTo}`);
			}
		}
		if (match === 'regex') {
			if (pattern === undefined) problem('pattern', 'required for match "regex"');
			else if (pattern.length > MAX_PATTERN_LENGTH)
				problem('pattern', `longer than ${MAX_PATTERN_LENGTH} characters`);
			else {
				try {
					new RegExp(pattern);
				} catch (error) {
					problem('pattern', `invalid regular expression: ${(error as Error).message}`);
				}
			}
		}

		const conditions: DimensionCondition[] = [];
		for (const name of NAMED_DIMENSIONS) {
			if (cells.has(name))
				conditions.push({
					field: { kind: 'dimension', name },
					label: name,
					values: listCell(cells.get(name), name, problem),
				});
		}
		for (const dim of dims)
			conditions.push({
				field: { kind: 'dimension', name: dim.name },
				label: dim.column,
				values: listCell(dim.cell, dim.column, problem),
			});
		if (cells.has('vendor'))
			conditions.push({
				field: { kind: 'vendor' },
				label: 'vendor',
				values: listCell(cells.get('vendor'), 'vendor', problem),
			});
		if (cells.has('vendorId'))
			conditions.push({
				field: { kind: 'vendorId' },
				label: 'vendorId',
				values: listCell(cells.get('vendorId'), 'vendorId', problem),
			});
		if (cells.has('vendorName'))
			conditions.push({
				field: { kind: 'vendorName' },
				label: 'vendorName',
				values: listCell(cells.get('vendorName'), 'vendorName', problem),
			});

		const target = parseTarget(cells, get, problem, options);

		let priority: number | undefined;
		const priorityText = get('priority');
		if (priorityText !== undefined) {
			if (!/^-?\d+$/.test(priorityText))
				problem('priority', `"${priorityText}" is not a whole number`);
			else priority = Number(priorityText);
		}

		if (rowIssues.length) {
			issues.push(...rowIssues);
			return;
		}
		rules.push({
			id,
			row: rowNumber,
			match: match!,
			...(match === 'exact' || match === 'prefix' ? { code } : {}),
			...(match === 'range' ? { codeFrom, codeTo } : {}),
			...(match === 'regex' ? { pattern } : {}),
			conditions,
			target,
			...(priority !== undefined ? { priority } : {}),
			...(get('note') !== undefined ? { note: get('note') } : {}),
		});
	});
	if (issues.length) throw new RuleTableError(source, issues);
	return rules;
}

/** `Ops`, `Ops|Sales` or a JSON array → value list. */
function listCell(
	cell: unknown,
	column: string,
	problem: (column: string, reason: string) => void,
): string[] {
	const values = Array.isArray(cell)
		? cell.map((v) => text(v))
		: (text(cell) ?? '').split('|').map((v) => v.trim());
	const kept = values.filter((v): v is string => v !== undefined && v !== '');
	if (kept.length === 0) problem(column, 'condition has no value');
	return kept;
}

function parseTarget(
	cells: Map<string, unknown>,
	get: (column: string) => string | undefined,
	problem: (column: string | undefined, reason: string) => void,
	options: Pick<CompileOptions, 'target' | 'accountResolution'>,
): RuleTarget {
	const target: RuleTarget = {};
	const odooAccount = get('odooAccount');
	const odooAccountCode = get('odooAccountCode');
	const analytic = cells.has('analytic')
		? parseAnalytic(cells.get('analytic'), problem)
		: undefined;
	const taxes = cells.has('taxes') ? parseTaxes(cells.get('taxes'), problem) : undefined;
	if (odooAccount !== undefined || odooAccountCode !== undefined || analytic || taxes) {
		const odoo: NonNullable<RuleTarget['odoo']> = {};
		if (odooAccount !== undefined) {
			if (!/^[1-9]\d*$/.test(odooAccount))
				problem(
					'odooAccount',
					`"${odooAccount}" is not an Odoo record id (a positive whole number)`,
				);
			else odoo.accountId = Number(odooAccount);
		}
		if (odooAccountCode !== undefined) odoo.accountCode = odooAccountCode;
		if (analytic) odoo.analyticDistribution = analytic;
		if (taxes) odoo.taxIds = taxes;
		target.odoo = odoo;
	}

	const ref = (valueColumn: string, nameColumn: string): QboRef | undefined => {
		const value = get(valueColumn);
		const name = get(nameColumn);
		if (value === undefined) {
			if (name !== undefined && nameColumn !== 'qboAccountName')
				problem(valueColumn, `required when ${nameColumn} is set (QuickBooks refs need the id)`);
			return undefined;
		}
		return name !== undefined ? { value, name } : { value };
	};
	const accountRef = ref('qboAccount', 'qboAccountName');
	const accountNumber = get('qboAccountNumber');
	const classRef = ref('qboClass', 'qboClassName');
	const departmentRef = ref('qboDepartment', 'qboDepartmentName');
	if (accountRef || accountNumber || classRef || departmentRef) {
		target.quickbooks = {
			...(accountRef ? { accountRef } : {}),
			...(accountNumber !== undefined ? { accountNumber } : {}),
			...(classRef ? { classRef } : {}),
			...(departmentRef ? { departmentRef } : {}),
		};
	}

	const missing = missingAccountReason(target, options);
	if (missing) problem(missing.column, missing.reason);
	return target;
}

/** Why a target cannot be used for the chosen system, or undefined when it can. */
export function missingAccountReason(
	target: RuleTarget,
	options: Pick<CompileOptions, 'target' | 'accountResolution'>,
): { column: string; reason: string } | undefined {
	if (options.target === 'odoo') {
		if (target.odoo?.accountId === undefined && target.odoo?.accountCode === undefined) {
			return {
				column: 'odooAccount',
				reason: 'missing target: set odooAccount (id) or odooAccountCode',
			};
		}
		return undefined;
	}
	if (target.quickbooks?.accountRef) return undefined;
	if (target.quickbooks?.accountNumber !== undefined) {
		return options.accountResolution
			? undefined
			: {
					column: 'qboAccountNumber',
					reason:
						'qboAccountNumber needs account resolution turned on; or set qboAccount (the account Id)',
				};
	}
	return {
		column: 'qboAccount',
		reason: 'missing target: set qboAccount (the QuickBooks account Id)',
	};
}

/** `12:60;13:40` (ids; Odoo 17 multi-plan keys like `12,14` allowed), a JSON object, or JSON text. Must sum to 100. */
function parseAnalytic(
	cell: unknown,
	problem: (column: string, reason: string) => void,
): Record<string, DecimalString> | undefined {
	let entries: Array<[string, unknown]>;
	if (typeof cell === 'string' && cell.trim().startsWith('{')) {
		try {
			cell = JSON.parse(cell);
		} catch {
			problem('analytic', 'looks like JSON but does not parse');
			return undefined;
		}
	}
	if (cell && typeof cell === 'object' && !Array.isArray(cell)) entries = Object.entries(cell);
	else if (typeof cell === 'string') {
		entries = [];
		for (const part of cell
			.split(/[;|]/)
			.map((p) => p.trim())
			.filter(Boolean)) {
			const colon = part.lastIndexOf(':');
			if (colon <= 0) {
				problem('analytic', `"${part}" is not "<analytic account id>:<percent>"`);
				return undefined;
			}
			entries.push([part.slice(0, colon).trim(), part.slice(colon + 1).trim()]);
		}
	} else {
		problem('analytic', 'must be "id:percent;id:percent" or a JSON object');
		return undefined;
	}
	const distribution: Record<string, DecimalString> = {};
	for (const [key, raw] of entries) {
		if (!/^\d+(,\d+)*$/.test(key)) {
			problem('analytic', `"${key}" is not an analytic account id`);
			return undefined;
		}
		const value = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
		let percent: string;
		try {
			percent = parseDecimal(value);
		} catch {
			problem('analytic', `percentage "${value}" for ${key} is not a decimal number`);
			return undefined;
		}
		if (!isDecimalString(percent) || percent.startsWith('-')) {
			problem('analytic', `percentage for ${key} must not be negative`);
			return undefined;
		}
		distribution[key] = percent;
	}
	const values = Object.values(distribution);
	if (values.length === 0) {
		problem('analytic', 'no entries');
		return undefined;
	}
	const sum = add(...values);
	if (!equals(sum, '100')) {
		problem('analytic', `percentages sum to ${sum}, must be 100`);
		return undefined;
	}
	return distribution;
}

/** `3;7`, `3|7`, `3,7`, a number, or a JSON array → Odoo tax ids. */
function parseTaxes(
	cell: unknown,
	problem: (column: string, reason: string) => void,
): number[] | undefined {
	const parts = Array.isArray(cell)
		? cell.map((v) => String(v).trim())
		: String(cell)
				.split(/[;|,\s]+/)
				.filter(Boolean);
	const ids: number[] = [];
	for (const part of parts) {
		if (!/^[1-9]\d*$/.test(part)) {
			problem('taxes', `"${part}" is not an Odoo tax id`);
			return undefined;
		}
		ids.push(Number(part));
	}
	return ids.length ? ids : undefined;
}
