/**
 * Rule tables: one row per rule, from the node UI, an expression (array of objects or JSON text)
 * or a binary file (CSV or JSON). Every problem is reported with row, column and reason, all at
 * once, so finance can fix the sheet in one pass.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import type { RuleCells } from '../erp';
import { erpModule, erpModules } from '../erps';
import type {
	CompileOptions,
	DimensionCondition,
	GlRule,
	MatchKind,
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

/** Columns before and after the ERP targets' own (docs/gl-mapper-rules.md); `dim.<name>` columns are accepted in addition. */
const LEADING_COLUMNS = [
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
];
const TRAILING_COLUMNS = ['priority', 'note'];

/** Every documented column: the matching columns, each registered ERP's target columns, then priority and note. */
export function ruleColumns(): string[] {
	return [
		...LEADING_COLUMNS,
		...erpModules().flatMap((m) => m.mappingTarget.columns),
		...TRAILING_COLUMNS,
	];
}

const NAMED_DIMENSIONS = ['department', 'class', 'location', 'project'];
const VENDOR_CONDITIONS = ['vendor', 'vendorId', 'vendorName'] as const;
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

type Problem = (column: string | undefined, reason: string) => void;

/** One row's filled cells under their canonical column names, and its `dim.<name>` cells. */
interface RowCells extends RuleCells {
	size: number;
	has(column: string): boolean;
	dims: Array<{ name: string; column: string; cell: unknown }>;
}

/** Canonical column names (header case and surrounding spaces do not matter); unknown columns are reported. */
function readCells(raw: RuleRow, columnByLower: Map<string, string>, problem: Problem): RowCells {
	const cells = new Map<string, unknown>();
	const dims: RowCells['dims'] = [];
	for (const [header, cell] of Object.entries(raw)) {
		const key = header.trim();
		if (/^dim\./i.test(key)) {
			const name = key.slice(4).trim();
			if (!name) problem(header, 'a dimension column needs a name after "dim."');
			else if (!isBlank(cell)) dims.push({ name, column: key, cell });
			continue;
		}
		const column = columnByLower.get(key.toLowerCase());
		if (!column) {
			problem(
				header,
				`unknown column (known: ${[...columnByLower.values()].join(', ')}, dim.<name>)`,
			);
			continue;
		}
		if (!isBlank(cell)) cells.set(column, cell);
	}
	return {
		size: cells.size,
		dims,
		has: (column) => cells.has(column),
		raw: (column) => cells.get(column),
		text: (column) => {
			const cell = cells.get(column);
			if (cell === undefined) return undefined;
			const value = text(cell);
			if (value === undefined && !(Array.isArray(cell) || typeof cell === 'object'))
				problem(column, 'must be text or a number');
			return value;
		},
	};
}

interface MatchSpec {
	match?: MatchKind;
	code?: string;
	codeFrom?: string;
	codeTo?: string;
	pattern?: string;
}

/** Match kind: explicit, or inferred from which code columns are filled; and the code columns it needs. */
function parseMatch(cells: RowCells, problem: Problem): MatchSpec {
	const code = cells.text('code');
	const codeFrom = cells.text('codeFrom');
	const codeTo = cells.text('codeTo');
	const pattern = cells.text('pattern');
	let match = cells.text('match')?.toLowerCase() as MatchKind | undefined;
	if (match === undefined) {
		if (pattern !== undefined) match = 'regex';
		else if (codeFrom !== undefined || codeTo !== undefined) match = 'range';
		else if (code !== undefined) match = 'exact';
		else problem('match', 'no match given and none of code, codeFrom/codeTo, pattern is filled');
	} else if (!MATCH_KINDS.includes(match)) {
		problem('match', `must be one of ${MATCH_KINDS.join(', ')}, got "${cells.text('match')}"`);
		match = undefined;
	}
	if ((match === 'exact' || match === 'prefix') && code === undefined)
		problem('code', `required for match "${match}"`);
	if (match === 'range') checkRange(codeFrom, codeTo, problem);
	if (match === 'regex') checkPattern(pattern, problem);
	return { match, code, codeFrom, codeTo, pattern };
}

function checkRange(codeFrom: string | undefined, codeTo: string | undefined, problem: Problem) {
	if (codeFrom === undefined) problem('codeFrom', 'required for match "range"');
	else if (!NUMERIC_CODE.test(codeFrom)) problem('codeFrom', `"${codeFrom}" is not a numeric code`);
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

function checkPattern(pattern: string | undefined, problem: Problem) {
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

/** Dimension and vendor conditions, named dimensions first, then `dim.<name>` columns, then vendor columns. */
function parseConditions(cells: RowCells, problem: Problem): DimensionCondition[] {
	const conditions: DimensionCondition[] = [];
	for (const name of NAMED_DIMENSIONS)
		if (cells.has(name))
			conditions.push({
				field: { kind: 'dimension', name },
				label: name,
				values: listCell(cells.raw(name), name, problem),
			});
	for (const dim of cells.dims)
		conditions.push({
			field: { kind: 'dimension', name: dim.name },
			label: dim.column,
			values: listCell(dim.cell, dim.column, problem),
		});
	for (const kind of VENDOR_CONDITIONS)
		if (cells.has(kind))
			conditions.push({
				field: { kind },
				label: kind,
				values: listCell(cells.raw(kind), kind, problem),
			});
	return conditions;
}

/** Each registered ERP reads its own columns; the chosen ERP's target must be usable. */
function parseTarget(
	cells: RowCells,
	problem: Problem,
	options: Pick<CompileOptions, 'target' | 'accountResolution'>,
): RuleTarget {
	const target: Record<string, unknown> = {};
	for (const module of erpModules()) {
		const parsed = module.mappingTarget.parse(cells, problem);
		if (parsed !== undefined) target[module.system] = parsed;
	}
	const missing = missingAccountReason(target as RuleTarget, options);
	if (missing) problem(missing.column, missing.reason);
	return target as RuleTarget;
}

/** Why a target cannot be used for the chosen system, or undefined when it can. */
export function missingAccountReason(
	target: RuleTarget,
	options: Pick<CompileOptions, 'target' | 'accountResolution'>,
): { column: string; reason: string } | undefined {
	return erpModule(options.target).mappingTarget.missingAccount(
		(target as Record<string, unknown>)[options.target],
		options.accountResolution === true,
	);
}

function parsePriority(cells: RowCells, problem: Problem): number | undefined {
	const priorityText = cells.text('priority');
	if (priorityText === undefined) return undefined;
	if (!/^-?\d+$/.test(priorityText)) {
		problem('priority', `"${priorityText}" is not a whole number`);
		return undefined;
	}
	return Number(priorityText);
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
	erpModule(options.target); // an unknown target system is a programming error, not a table problem
	const columnByLower = new Map(ruleColumns().map((c) => [c.toLowerCase(), c]));
	const issues: RuleTableIssue[] = [];
	const rules: GlRule[] = [];
	const seenIds = new Map<string, number>();

	rows.forEach((raw, index) => {
		const rowNumber = index + 1;
		const rowIssues: RuleTableIssue[] = [];
		const problem: Problem = (column, reason) => rowIssues.push({ row: rowNumber, column, reason });
		const cells = readCells(raw, columnByLower, problem);
		if (cells.size === 0 && cells.dims.length === 0 && rowIssues.length === 0) return; // blank sheet row

		const id = cells.text('id') ?? `row ${rowNumber}`;
		if (seenIds.has(id)) problem('id', `duplicate id "${id}" (also row ${seenIds.get(id)})`);
		else seenIds.set(id, rowNumber);
		const { match, code, codeFrom, codeTo, pattern } = parseMatch(cells, problem);
		const conditions = parseConditions(cells, problem);
		const target = parseTarget(cells, problem, options);
		const priority = parsePriority(cells, problem);
		const note = cells.text('note');

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
			...(note !== undefined ? { note } : {}),
		});
	});
	if (issues.length) throw new RuleTableError(source, issues);
	return rules;
}

/** `Ops`, `Ops|Sales` or a JSON array → value list. */
function listCell(cell: unknown, column: string, problem: Problem): string[] {
	const values = Array.isArray(cell)
		? cell.map((v) => text(v))
		: (text(cell) ?? '').split('|').map((v) => v.trim());
	const kept = values.filter((v): v is string => v !== undefined && v !== '');
	if (kept.length === 0) problem(column, 'condition has no value');
	return kept;
}
