/**
 * Node UI → rule rows: the fixed collection becomes the same rows a CSV/JSON table would give,
 * so one parser validates both and errors name the same columns.
 */
import { locatorValue } from '../common/locators';
import { erpModules } from '../shared/erps';
import { parseRuleTable, type RuleRow, type RuleTarget } from '../shared/mapping';

const MATCH_COLUMNS: Record<string, string[]> = {
	exact: ['code'],
	prefix: ['code'],
	range: ['codeFrom', 'codeTo'],
	regex: ['pattern'],
};
/** Every registered ERP's target columns (the form shows only the target system's). */
const targetColumns = () => erpModules().flatMap((m) => m.mappingTarget.columns);

/** A picked id (resource locator) as the id itself; plain values, as older rules hold them, as they are. */
const cell = (value: unknown): unknown =>
	value !== null && typeof value === 'object' && '__rl' in value ? locatorValue(value) : value;

export function rowsFromUi(parameter: { rule?: unknown } | undefined): RuleRow[] {
	const list = Array.isArray(parameter?.rule)
		? (parameter!.rule as Array<Record<string, unknown>>)
		: [];
	return list.map((entry) => {
		const row: RuleRow = {};
		const match = String(entry.match ?? 'exact');
		row.match = match;
		// Hidden fields keep their defaults; copy only what applies to this kind of rule.
		for (const column of MATCH_COLUMNS[match] ?? []) row[column] = entry[column];
		for (const column of [
			'id',
			'department',
			'class',
			'location',
			'project',
			'vendor',
			'priority',
			'note',
			...targetColumns(),
		]) {
			const value = cell(entry[column]);
			if (value !== undefined && value !== '') row[column] = value;
		}
		const dims = typeof entry.dimensions === 'string' ? entry.dimensions : '';
		for (const part of dims
			.split(';')
			.map((p) => p.trim())
			.filter(Boolean)) {
			const eq = part.indexOf('=');
			// A malformed entry becomes an unknown column so the table parser reports it with its row.
			if (eq <= 0) row[`dimensions "${part}"`] = part;
			else row[`dim.${part.slice(0, eq).trim()}`] = part.slice(eq + 1).trim();
		}
		return row;
	});
}

/** The default target collection, validated like a rule row. */
export function uiDefaultTarget(values: Record<string, unknown>, target: string): RuleTarget {
	const row: RuleRow = { id: 'default', match: 'regex', pattern: '.*' };
	for (const column of targetColumns()) {
		const value = cell(values[column]);
		if (value !== undefined && value !== '') row[column] = value;
	}
	return parseRuleTable([row], { target, sourceName: 'parameter "Default Target"' })[0].target;
}
