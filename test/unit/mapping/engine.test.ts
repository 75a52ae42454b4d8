import { compileRules } from '../../../nodes/shared/mapping';
import type {
	CompileOptions,
	LineDecision,
	MatchInput,
	RuleRow,
} from '../../../nodes/shared/mapping';

const base: CompileOptions = { target: 'odoo', precedence: 'firstMatch' };
const at = (
	glAccount: string,
	dimensions: MatchInput['dimensions'] = {},
	vendor: Partial<MatchInput> = {},
): MatchInput => ({ glAccount, dimensions, ...vendor });
const accountOf = (d: LineDecision) =>
	d.status === 'mapped' || d.status === 'default' ? d.target.odoo?.accountId : undefined;

describe('matchers', () => {
	const rules = compileRules(
		[
			{ id: 'exact', code: '6110', odooAccount: 1 },
			{ id: 'prefix', match: 'prefix', code: '62', odooAccount: 2 },
			{ id: 'range', codeFrom: '7000', codeTo: '7999.5', odooAccount: 3 },
			{ id: 'regex', pattern: 'AB-\\d{2}', odooAccount: 4 },
		],
		base,
	);

	it('exact matches the whole code only (trimmed)', () => {
		expect(accountOf(rules.match(at(' 6110 ')))).toBe(1);
		expect(rules.match(at('61100')).status).toBe('unmapped');
		expect(rules.match(at('611')).status).toBe('unmapped');
	});

	it('prefix matches codes starting with it', () => {
		expect(accountOf(rules.match(at('62')))).toBe(2);
		expect(accountOf(rules.match(at('6299-X')))).toBe(2);
		expect(rules.match(at('6')).status).toBe('unmapped');
	});

	it('range is inclusive at both ends, numeric, and never matches non-numeric codes', () => {
		expect(accountOf(rules.match(at('7000')))).toBe(3);
		expect(accountOf(rules.match(at('7999.5')))).toBe(3);
		expect(accountOf(rules.match(at('07500')))).toBe(3); // numerically 7500
		expect(accountOf(rules.match(at('7500.25')))).toBe(3);
		expect(rules.match(at('6999.99')).status).toBe('unmapped');
		expect(rules.match(at('7999.51')).status).toBe('unmapped');
		expect(rules.match(at('7500-A')).status).toBe('unmapped');
		expect(rules.match(at('-7500')).status).toBe('unmapped');
	});

	it('regex must match the whole code', () => {
		expect(accountOf(rules.match(at('AB-12')))).toBe(4);
		expect(rules.match(at('XAB-12')).status).toBe('unmapped');
		expect(rules.match(at('AB-123')).status).toBe('unmapped');
	});

	it('explains the match', () => {
		const prefixRules = compileRules(
			[{ match: 'prefix', code: '61', department: 'Ops', odooAccount: 9 }],
			base,
		);
		const decision = prefixRules.match(at('6110', { department: 'ops' }));
		expect(decision).toMatchObject({
			status: 'mapped',
			reason: 'row 1: prefix "61" matched "6110"; department = Ops',
		});
		expect(rules.match(at('7100'))).toMatchObject({
			reason: 'row 3 (id "range"): range 7000–7999.5 matched "7100"',
		});
		expect(rules.match(at('9999', { department: 'Ops' }))).toEqual({
			status: 'unmapped',
			reason: 'no rule matched GL code "9999" with department = Ops',
		});
		expect(rules.match(at('  '))).toEqual({ status: 'unmapped', reason: 'line has no GL code' });
	});
});

describe('dimension and vendor conditions', () => {
	const rows: RuleRow[] = [
		{ id: 'ops', code: '6110', department: 'Ops', odooAccount: 1 },
		{ id: 'list', code: '6110', class: 'A|B', location: 'Paris', odooAccount: 2 },
		{ id: 'custom', code: '6110', 'dim.costCenter': 'CC-9', odooAccount: 3 },
		{ id: 'vendor', code: '6110', vendor: 'Acme Inc', odooAccount: 4 },
		{ id: 'vendorId', code: '6110', vendorId: 'V-7', odooAccount: 5 },
		{ id: 'project', code: '6110', project: 'Apollo', odooAccount: 6 },
	];

	it('equality, lists, custom dimensions, project; case-insensitive by default', () => {
		const rules = compileRules(rows, base);
		expect(accountOf(rules.match(at('6110', { department: 'OPS' })))).toBe(1);
		expect(accountOf(rules.match(at('6110', { class: 'b', location: 'paris' })))).toBe(2);
		expect(rules.match(at('6110', { class: 'B' })).status).toBe('unmapped'); // location missing
		expect(rules.match(at('6110', { class: 'C', location: 'Paris' })).status).toBe('unmapped');
		expect(accountOf(rules.match(at('6110', { costCenter: 'cc-9' })))).toBe(3);
		expect(accountOf(rules.match(at('6110', { project: 'apollo' })))).toBe(6);
		expect(rules.match(at('6110', { class: 'A', location: 'Paris' }))).toMatchObject({
			reason: 'row 2 (id "list"): exact "6110" matched "6110"; class in [A, B]; location = Paris',
		});
	});

	it('case-sensitive when asked', () => {
		const rules = compileRules(rows, { ...base, caseInsensitive: false });
		expect(rules.match(at('6110', { department: 'OPS' })).status).toBe('unmapped');
		expect(accountOf(rules.match(at('6110', { department: 'Ops' })))).toBe(1);
	});

	it('vendor matches id or name; vendorId only the id', () => {
		const rules = compileRules(rows, base);
		expect(accountOf(rules.match(at('6110', {}, { vendorName: 'ACME INC' })))).toBe(4);
		expect(accountOf(rules.match(at('6110', {}, { vendorId: 'acme inc' })))).toBe(4);
		expect(accountOf(rules.match(at('6110', {}, { vendorId: 'V-7' })))).toBe(5);
		expect(rules.match(at('6110', {}, { vendorName: 'V-7' })).status).toBe('unmapped');
	});
});

describe('precedence', () => {
	const rows: RuleRow[] = [
		{ id: 'regex', pattern: '6\\d+', odooAccount: 1 },
		{ id: 'wide', codeFrom: 6000, codeTo: 6999, odooAccount: 2 },
		{ id: 'narrow', codeFrom: 6100, codeTo: 6199, odooAccount: 3 },
		{ id: 'p6', match: 'prefix', code: '6', odooAccount: 4 },
		{ id: 'p61', match: 'prefix', code: '61', odooAccount: 5 },
		{ id: 'p61ops', match: 'prefix', code: '61', department: 'Ops', odooAccount: 6 },
		{ id: 'exact', code: '6110', odooAccount: 7 },
	];

	it('firstMatch takes table order and says how many matched', () => {
		const rules = compileRules(rows, base);
		const decision = rules.match(at('6110', { department: 'Ops' }));
		expect(accountOf(decision)).toBe(1);
		expect(decision.status === 'mapped' && decision.reason).toBe(
			'row 1 (id "regex"): pattern /6\\d+/ matched "6110" (first in table order of 7 matching rules)',
		);
		expect(decision.status === 'mapped' && decision.candidates.map((c) => c.rule.id)).toEqual([
			'regex',
			'wide',
			'narrow',
			'p6',
			'p61',
			'p61ops',
			'exact',
		]);
	});

	it('mostSpecific: exact > longer prefix > narrower range > regex; more conditions win ties', () => {
		const rules = compileRules(rows, { ...base, precedence: 'mostSpecific' });
		expect(accountOf(rules.match(at('6110', { department: 'Ops' })))).toBe(7);
		expect(accountOf(rules.match(at('6120', { department: 'Ops' })))).toBe(6);
		expect(accountOf(rules.match(at('6120')))).toBe(5);
		expect(accountOf(rules.match(at('6500')))).toBe(4);
		const rangeOnly = compileRules(
			rows.filter((r) => !String(r.id).startsWith('p') && r.id !== 'exact'),
			{ ...base, precedence: 'mostSpecific' },
		);
		expect(accountOf(rangeOnly.match(at('6150')))).toBe(3);
		expect(accountOf(rangeOnly.match(at('6500')))).toBe(2);
		expect(accountOf(rangeOnly.match(at('6500x')))).toBe(undefined);
		expect(rangeOnly.match(at('6150'))).toMatchObject({
			reason: expect.stringContaining('(most specific of 3 matching rules)'),
		});
	});

	it('priority breaks an otherwise equal tie', () => {
		const rules = compileRules(
			[
				{ id: 'a', match: 'prefix', code: '61', department: 'Ops', odooAccount: 1 },
				{ id: 'b', match: 'prefix', code: '61', class: 'X', odooAccount: 2, priority: 5 },
			],
			{ ...base, precedence: 'mostSpecific' },
		);
		expect(accountOf(rules.match(at('6110', { department: 'Ops', class: 'X' })))).toBe(2);
	});

	it('two different regexes matching one line equally are ambiguous at run time, naming both rows', () => {
		const rules = compileRules(
			[
				{ pattern: '61.*', odooAccount: 1 },
				{ pattern: '.*10', odooAccount: 2 },
			],
			{ ...base, precedence: 'mostSpecific' },
		);
		const decision = rules.match(at('6110'));
		expect(decision.status).toBe('ambiguous');
		expect(decision.reason).toContain('row 1 and row 2 are equally specific');
		expect(accountOf(rules.match(at('6120')))).toBe(1);
	});
});

describe('default target', () => {
	it('is used only when set, and says so', () => {
		const rows = [{ code: '6110', odooAccount: 1 }];
		expect(compileRules(rows, base).match(at('9999')).status).toBe('unmapped');
		const withDefault = compileRules(rows, { ...base, defaultTarget: { odoo: { accountId: 99 } } });
		expect(withDefault.match(at('9999'))).toEqual({
			status: 'default',
			reason: 'no rule matched GL code "9999"; default target used',
			target: { odoo: { accountId: 99 } },
		});
		expect(accountOf(withDefault.match(at('6110')))).toBe(1);
	});
});

describe('index agrees with a linear scan', () => {
	// Deterministic pseudo-random tables and lines: the indexed lookup must decide exactly like scanning every rule.
	function random(seed: number) {
		let s = seed;
		return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
	}
	for (const precedence of ['firstMatch', 'mostSpecific'] as const) {
		it(`${precedence}`, () => {
			const rnd = random(precedence === 'firstMatch' ? 7 : 11);
			const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)];
			const rows: RuleRow[] = [];
			const departments = ['Ops', 'Sales', 'R&D'];
			for (let i = 0; i < 400; i++) {
				const kind = pick(['exact', 'prefix', 'range', 'regex']);
				const dep = rnd() < 0.3 ? { department: pick(departments) } : {};
				const priority = { priority: i }; // distinct priorities: no load-time ties under mostSpecific
				if (kind === 'exact')
					rows.push({
						code: String(1000 + Math.floor(rnd() * 900)),
						odooAccount: i + 1,
						...dep,
						...priority,
					});
				else if (kind === 'prefix')
					rows.push({
						match: 'prefix',
						code: String(Math.floor(rnd() * 190) + 10),
						odooAccount: i + 1,
						...dep,
						...priority,
					});
				else if (kind === 'regex')
					rows.push({
						pattern: `${Math.floor(rnd() * 10)}\\d*${Math.floor(rnd() * 10)}`,
						odooAccount: i + 1,
						...dep,
						...priority,
					});
				else {
					// Nested, power-of-ten aligned blocks: valid under mostSpecific.
					const width = pick([10, 100, 1000]);
					const from = Math.floor((rnd() * 1900) / width) * width;
					rows.push({
						codeFrom: from,
						codeTo: from + width - 1,
						odooAccount: i + 1,
						...dep,
						...priority,
					});
				}
			}
			let rules;
			try {
				rules = compileRules(rows, { ...base, precedence });
			} catch {
				// Equal ranges with the same priority cannot occur (distinct priorities); any other error is a bug.
				throw new Error('random table should compile');
			}
			let mapped = 0;
			for (let n = 0; n < 3000; n++) {
				const code = pick([
					String(Math.floor(rnd() * 2000)),
					`${Math.floor(rnd() * 2000)}.5`,
					`X${Math.floor(rnd() * 100)}`,
				]);
				const input = at(code, rnd() < 0.5 ? { department: pick(departments) } : {});
				const fast = rules.match(input);
				expect(fast).toEqual(rules.matchLinear(input));
				if (fast.status === 'mapped') mapped++;
			}
			expect(mapped).toBeGreaterThan(1000);
		});
	}
});
