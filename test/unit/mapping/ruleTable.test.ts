import {
	compileRules,
	parseRuleTable,
	RuleTableError,
	rowsFromText,
	rowsFromValue,
} from '../../../nodes/shared/mapping';
import type { RuleRow } from '../../../nodes/shared/mapping';

function issuesOf(run: () => unknown): RuleTableError['issues'] {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(RuleTableError);
		return (error as RuleTableError).issues;
	}
	throw new Error('expected a RuleTableError');
}

const odoo = { target: 'odoo' as const, sourceName: 'rules.csv' };

describe('rule table parsing', () => {
	it('reads CSV with a BOM, trimmed headers in any case, and infers the match kind', () => {
		const rows = rowsFromText(
			'\uFEFFid, Match ,code,codeFrom,codeTo,pattern,department,dim.costCenter,odooAccount,analytic,taxes\n' +
				'r1,,6110,,,,,,11,,\n' +
				'r2,prefix,61,,,,Ops|Sales,,12,"5:60;6:40","3;7"\n' +
				'r3,,,6000,6999,,,CC-1,13,,\n' +
				'r4,,,,,"^7\\d+$",,,14,,\n',
			'csv',
			'rules.csv',
		);
		const rules = parseRuleTable(rows, odoo);
		expect(rules.map((r) => [r.id, r.match, r.row])).toEqual([
			['r1', 'exact', 1],
			['r2', 'prefix', 2],
			['r3', 'range', 3],
			['r4', 'regex', 4],
		]);
		expect(rules[1].conditions).toEqual([
			{
				field: { kind: 'dimension', name: 'department' },
				label: 'department',
				values: ['Ops', 'Sales'],
			},
		]);
		expect(rules[1].target.odoo).toEqual({
			accountId: 12,
			analyticDistribution: { '5': '60', '6': '40' },
			taxIds: [3, 7],
		});
		expect(rules[2].conditions[0]).toMatchObject({
			field: { kind: 'dimension', name: 'costCenter' },
			values: ['CC-1'],
		});
	});

	it('accepts JSON text, { rules: [...] } and arrays of objects with native values', () => {
		const rows = rowsFromValue(
			'{"rules":[{"code":"6110","odooAccount":11,"taxes":[4,5],"analytic":{"9":"100"}}]}',
			'expr',
		);
		const [rule] = parseRuleTable(rows, odoo);
		expect(rule).toMatchObject({
			id: 'row 1',
			match: 'exact',
			code: '6110',
			target: { odoo: { accountId: 11, taxIds: [4, 5], analyticDistribution: { '9': '100' } } },
		});
		expect(() => rowsFromValue({ nope: 1 }, 'expr')).toThrow(/array of rule rows/);
		expect(issuesOf(() => rowsFromValue([1, {}], 'expr'))).toEqual([
			{ row: 1, reason: 'a rule row must be an object' },
		]);
	});

	it('reads one analytic account id as 100 % to it, beside the distribution forms it always took', () => {
		const analyticOf = (analytic: unknown) =>
			parseRuleTable([{ code: '6110', odooAccount: '11', analytic }], odoo)[0].target.odoo
				?.analyticDistribution;
		// What the rule form's picker stores ("From List", or one id "By ID"), and a JSON number.
		expect(analyticOf('12')).toEqual({ '12': '100' });
		expect(analyticOf(' 12 ')).toEqual({ '12': '100' });
		expect(analyticOf(12)).toEqual({ '12': '100' });
		// Distributions as before.
		expect(analyticOf('12:100')).toEqual({ '12': '100' });
		expect(analyticOf('12:60;13:40')).toEqual({ '12': '60', '13': '40' });
		expect(analyticOf('12,14:100')).toEqual({ '12,14': '100' });
		expect(analyticOf('{"12": 33.34, "13": "66.66"}')).toEqual({ '12': '33.34', '13': '66.66' });
		// Several ids without percentages, a zero id or a fraction are not one account.
		const problems = (analytic: unknown) =>
			issuesOf(() => parseRuleTable([{ code: '1', odooAccount: '11', analytic }], odoo)).map(
				(i) => `${i.column}: ${i.reason}`,
			);
		expect(problems('12;13')).toEqual(['analytic: "12" is not "<analytic account id>:<percent>"']);
		expect(problems('12,14')).toEqual([
			'analytic: "12,14" is not "<analytic account id>:<percent>"',
		]);
		expect(problems('0')).toEqual(['analytic: "0" is not "<analytic account id>:<percent>"']);
		expect(problems(12.5)).toEqual(['analytic: must be "id:percent;id:percent" or a JSON object']);
	});

	it('skips blank sheet rows but keeps row numbers true to the sheet', () => {
		const rules = parseRuleTable(
			[
				{ code: '1', odooAccount: 1 },
				{ code: '', odooAccount: '' },
				{ code: '3', odooAccount: 3 },
			],
			odoo,
		);
		expect(rules.map((r) => r.row)).toEqual([1, 3]);
	});

	it('reports every problem with row, column and reason', () => {
		const rows: RuleRow[] = [
			{ id: 'a', code: '6110', odooAccount: '11', colour: 'red' },
			{ id: 'b', match: 'regex', pattern: '(61', odooAccount: '11' },
			{ id: 'c', match: 'range', codeFrom: '7000', codeTo: '6000', odooAccount: '11' },
			{ id: 'd', code: '6110' },
			{ id: 'a', code: '6120', odooAccount: '11' },
			{ id: 'f', match: 'between', code: '1', odooAccount: '11' },
			{ id: 'g', match: 'range', codeFrom: 'A100', codeTo: '200', odooAccount: '11' },
			{ id: 'h', code: '1', odooAccount: '11', analytic: '5:60;6:30' },
			{ id: 'i', code: '1', odooAccount: 'x', taxes: 'VAT' },
			{ id: 'j', code: '1', odooAccount: '11', priority: 'high' },
		];
		const issues = issuesOf(() => parseRuleTable(rows, odoo));
		const byRow = (row: number) =>
			issues.filter((i) => i.row === row).map((i) => `${i.column}: ${i.reason}`);
		expect(byRow(1)).toEqual([expect.stringMatching(/^colour: unknown column/)]);
		expect(byRow(2)).toEqual([expect.stringMatching(/^pattern: invalid regular expression/)]);
		expect(byRow(3)).toEqual(['codeFrom: range from 7000 is greater than to 6000']);
		expect(byRow(4)).toEqual([expect.stringMatching(/^odooAccount: missing target/)]);
		expect(byRow(5)).toEqual(['id: duplicate id "a" (also row 1)']);
		expect(byRow(6)).toEqual([
			expect.stringMatching(/^match: must be one of exact, prefix, range, regex/),
		]);
		expect(byRow(7)).toEqual(['codeFrom: "A100" is not a numeric code']);
		expect(byRow(8)).toEqual(['analytic: percentages sum to 90, must be 100']);
		expect(byRow(9)).toEqual([
			'taxes: "VAT" is not an Odoo tax id',
			expect.stringMatching(/^odooAccount: "x" is not an Odoo record id/),
			expect.stringMatching(/^odooAccount: missing target/),
		]);
		expect(byRow(10)).toEqual(['priority: "high" is not a whole number']);
		let error: Error | undefined;
		try {
			parseRuleTable(rows, odoo);
		} catch (e) {
			error = e as Error;
		}
		expect(error?.message).toContain('Rule table rules.csv is invalid');
		expect(error?.message).toContain(
			'row 3, column "codeFrom": range from 7000 is greater than to 6000',
		);
	});

	it('checks the target for the chosen system', () => {
		const row = { code: '6110', odooAccount: '11' };
		expect(issuesOf(() => parseRuleTable([row], { target: 'quickbooks' }))[0]).toMatchObject({
			row: 1,
			column: 'qboAccount',
			reason: expect.stringMatching(/missing target/),
		});
		const [rule] = parseRuleTable(
			[
				{
					code: '6110',
					qboAccount: '77',
					qboAccountName: 'Travel',
					qboClass: '5',
					qboDepartment: '9',
					qboDepartmentName: 'Ops',
				},
			],
			{ target: 'quickbooks' },
		);
		expect(rule.target.quickbooks).toEqual({
			accountRef: { value: '77', name: 'Travel' },
			classRef: { value: '5' },
			departmentRef: { value: '9', name: 'Ops' },
		});
		// An account number alone is fine only when it will be resolved.
		expect(
			issuesOf(() =>
				parseRuleTable([{ code: '1', qboAccountNumber: '6110' }], { target: 'quickbooks' }),
			)[0].column,
		).toBe('qboAccountNumber');
		expect(
			parseRuleTable([{ code: '1', qboAccountNumber: '6110' }], {
				target: 'quickbooks',
				accountResolution: true,
			})[0].target.quickbooks,
		).toEqual({ accountNumber: '6110' });
		expect(
			issuesOf(() =>
				parseRuleTable([{ code: '1', qboAccount: '1', qboClassName: 'X' }], {
					target: 'quickbooks',
				}),
			)[0],
		).toMatchObject({ column: 'qboClass' });
	});

	it('rejects malformed CSV and JSON with the source named', () => {
		expect(() => rowsFromText('id,code\n"unterminated,1\n', 'csv', 'rules.csv')).toThrow(
			/rules\.csv is invalid[\s\S]*not valid CSV/,
		);
		expect(() => rowsFromText('[{"code":', 'json', 'rules.json')).toThrow(
			/rules\.json is invalid[\s\S]*not valid JSON/,
		);
	});
});

describe('load-time checks under "most specific"', () => {
	const compile = (rows: RuleRow[], precedence: 'firstMatch' | 'mostSpecific' = 'mostSpecific') =>
		compileRules(rows, { ...odoo, precedence });

	it('reports a true tie with both rows', () => {
		const issues = issuesOf(() =>
			compile([
				{ id: 'x', match: 'prefix', code: '61', department: 'Ops', odooAccount: 1 },
				{ id: 'y', match: 'prefix', code: '61', class: 'A', odooAccount: 2 },
			]),
		);
		expect(issues).toHaveLength(1);
		expect(issues[0]).toMatchObject({ row: 2, column: 'code' });
		expect(issues[0].reason).toContain('row 1 (id "x")');
	});

	it('does not report rules that can never match the same line, or that differ in specificity or priority', () => {
		expect(() =>
			compile([
				{ code: '6110', department: 'Ops', odooAccount: 1 },
				{ code: '6110', department: 'Sales', odooAccount: 2 },
				{ code: '6110', odooAccount: 3 },
				{ match: 'prefix', code: '61', odooAccount: 4 },
				{ match: 'prefix', code: '61', odooAccount: 5, priority: 1 },
			]),
		).not.toThrow();
	});

	it('rejects partially overlapping ranges and equal ranges, allows nested and disjoint ones', () => {
		const overlap = issuesOf(() =>
			compile([
				{ codeFrom: 6000, codeTo: 6500, odooAccount: 1 },
				{ codeFrom: 6400, codeTo: 6999, odooAccount: 2 },
			]),
		);
		expect(overlap).toEqual([
			{
				row: 2,
				column: 'codeFrom',
				reason: expect.stringContaining('overlapping ranges 6000–6500 and 6400–6999'),
			},
		]);
		expect(
			issuesOf(() =>
				compile([
					{ codeFrom: 1, codeTo: 9, odooAccount: 1 },
					{ codeFrom: 1, codeTo: 9, odooAccount: 2 },
				]),
			)[0].reason,
		).toContain('ties');
		expect(() =>
			compile([
				{ codeFrom: 6000, codeTo: 6999, odooAccount: 1 },
				{ codeFrom: 6100, codeTo: 6199, odooAccount: 2 },
				{ codeFrom: 6000, codeTo: 6099, odooAccount: 6 },
				{ codeFrom: 7000, codeTo: 7999, odooAccount: 3 },
				{ codeFrom: 6000, codeTo: 6999, department: 'Ops', odooAccount: 4 },
			]),
		).not.toThrow();
		// Conditions that can hold together do not excuse a partial overlap; conditions that cannot, do.
		expect(
			issuesOf(() =>
				compile([
					{ codeFrom: 6000, codeTo: 6999, department: 'Ops', odooAccount: 1 },
					{ codeFrom: 6500, codeTo: 7500, class: 'A', odooAccount: 2 },
				]),
			),
		).toHaveLength(1);
		expect(() =>
			compile([
				{ codeFrom: 6000, codeTo: 6999, department: 'Ops', odooAccount: 1 },
				{ codeFrom: 6500, codeTo: 7500, department: 'Lab', odooAccount: 2 },
			]),
		).not.toThrow();
		// The same table is fine under first match: the order decides.
		expect(() =>
			compile(
				[
					{ codeFrom: 6000, codeTo: 6500, odooAccount: 1 },
					{ codeFrom: 6400, codeTo: 6999, odooAccount: 2 },
				],
				'firstMatch',
			),
		).not.toThrow();
	});

	it('flags identical regex patterns of equal specificity', () => {
		expect(
			issuesOf(() =>
				compile([
					{ pattern: '6\\d+', odooAccount: 1 },
					{ pattern: '6\\d+', odooAccount: 2 },
				]),
			)[0],
		).toMatchObject({ row: 2, column: 'pattern' });
	});
});
