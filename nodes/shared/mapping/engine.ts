/**
 * The GL rule engine: compiles validated rules once into indexes (exact → Map, prefix → maps by
 * length, numeric range → sorted breakpoints + binary search, regex → the only list scanned), then
 * decides each line by explicit precedence and explains the decision.
 */
import { NUMERIC_CODE, RuleTableError, parseRuleTable, type RuleTableIssue } from './ruleTable';
import type {
	Candidate,
	CompileOptions,
	DimensionCondition,
	GlRule,
	LineDecision,
	MatchInput,
	Precedence,
	RuleRow,
} from './types';

const KIND_RANK = { exact: 4, prefix: 3, range: 2, regex: 1 } as const;

interface CompiledCondition {
	source: DimensionCondition;
	values: Set<string>;
}

interface CompiledRule {
	rule: GlRule;
	order: number;
	conditions: CompiledCondition[];
	regex?: RegExp;
	from?: number;
	to?: number;
	/** Compared lexicographically, higher is more specific. */
	specificity: number[];
	/** Explanation around the matched code, built once: `<head>"<code>"<tail>`. */
	explainHead: string;
	explainTail: string;
}

function compareSpecificity(a: number[], b: number[]): number {
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
	return 0;
}

function describeRule(rule: GlRule): string {
	return rule.id === `row ${rule.row}` ? `row ${rule.row}` : `row ${rule.row} (id "${rule.id}")`;
}

function describeCode(rule: GlRule): string {
	switch (rule.match) {
		case 'exact':
			return `exact "${rule.code}"`;
		case 'prefix':
			return `prefix "${rule.code}"`;
		case 'range':
			return `range ${rule.codeFrom}–${rule.codeTo}`;
		case 'regex':
			return `pattern /${rule.pattern}/`;
	}
}

function describeCondition(condition: DimensionCondition): string {
	return condition.values.length === 1
		? `${condition.label} = ${condition.values[0]}`
		: `${condition.label} in [${condition.values.join(', ')}]`;
}

export class CompiledRuleSet {
	readonly rules: readonly GlRule[];
	readonly precedence: Precedence;
	private readonly compiled: CompiledRule[];
	private readonly exact = new Map<string, CompiledRule[]>();
	private readonly prefixes = new Map<number, Map<string, CompiledRule[]>>();
	/** Distinct prefix lengths, longest first. */
	private readonly prefixLengths: number[];
	private readonly rangePoints: number[] = [];
	private readonly rangeAtPoint: CompiledRule[][] = [];
	/** rangeBetween[i]: ranges covering the open interval (rangePoints[i], rangePoints[i+1]). */
	private readonly rangeBetween: CompiledRule[][] = [];
	private readonly regexes: CompiledRule[] = [];
	private readonly fold: (value: string) => string;

	constructor(
		rules: GlRule[],
		readonly options: CompileOptions,
	) {
		this.rules = rules;
		this.precedence = options.precedence;
		const caseInsensitive = options.caseInsensitive ?? true;
		this.fold = caseInsensitive ? (v) => v.trim().toLowerCase() : (v) => v.trim();

		this.compiled = rules.map((rule, order) => this.compileRule(rule, order));
		for (const c of this.compiled) {
			if (c.rule.match === 'exact') push(this.exact, c.rule.code!, c);
			else if (c.rule.match === 'prefix') {
				const length = c.rule.code!.length;
				let byPrefix = this.prefixes.get(length);
				if (!byPrefix) this.prefixes.set(length, (byPrefix = new Map()));
				push(byPrefix, c.rule.code!, c);
			} else if (c.rule.match === 'regex') this.regexes.push(c);
		}
		this.prefixLengths = [...this.prefixes.keys()].sort((a, b) => b - a);
		this.indexRanges(this.compiled.filter((c) => c.rule.match === 'range'));
		if (this.precedence === 'mostSpecific') this.rejectTies();
	}

	private compileRule(rule: GlRule, order: number): CompiledRule {
		const conditions = rule.conditions.map((source) => ({
			source,
			values: new Set(source.values.map(this.fold)),
		}));
		const explainHead = `${describeRule(rule)}: ${describeCode(rule)} matched `;
		const explainTail = rule.conditions.map((c) => `; ${describeCondition(c)}`).join('');
		const base = { rule, order, conditions, explainHead, explainTail };
		const tail = [conditions.length, rule.priority ?? 0];
		switch (rule.match) {
			case 'exact':
				return { ...base, specificity: [KIND_RANK.exact, 0, ...tail] };
			case 'prefix':
				return { ...base, specificity: [KIND_RANK.prefix, rule.code!.length, ...tail] };
			case 'range': {
				const from = Number(rule.codeFrom);
				const to = Number(rule.codeTo);
				return { ...base, from, to, specificity: [KIND_RANK.range, -(to - from), ...tail] };
			}
			case 'regex':
				return {
					...base,
					regex: new RegExp(`^(?:${rule.pattern})$`),
					specificity: [KIND_RANK.regex, 0, ...tail],
				};
		}
	}

	/** Breakpoints from every bound; each point and each gap between points knows the ranges covering it. */
	private indexRanges(ranges: CompiledRule[]): void {
		if (ranges.length === 0) return;
		const points = [...new Set(ranges.flatMap((r) => [r.from!, r.to!]))].sort((a, b) => a - b);
		const indexOf = new Map(points.map((p, i) => [p, i]));
		this.rangePoints.push(...points);
		for (let i = 0; i < points.length; i++) {
			this.rangeAtPoint.push([]);
			this.rangeBetween.push([]);
		}
		for (const range of ranges) {
			const a = indexOf.get(range.from!)!;
			const b = indexOf.get(range.to!)!;
			for (let i = a; i <= b; i++) {
				this.rangeAtPoint[i].push(range);
				if (i < b) this.rangeBetween[i].push(range);
			}
		}
	}

	private rangesCovering(value: number): CompiledRule[] {
		const points = this.rangePoints;
		if (points.length === 0 || value < points[0] || value > points[points.length - 1]) return [];
		let low = 0;
		let high = points.length - 1;
		while (low < high) {
			const mid = (low + high + 1) >> 1;
			if (points[mid] <= value) low = mid;
			else high = mid - 1;
		}
		return points[low] === value ? this.rangeAtPoint[low] : this.rangeBetween[low];
	}

	private conditionsHold(c: CompiledRule, input: MatchInput): boolean {
		for (const condition of c.conditions) {
			const field = condition.source.field;
			let held: boolean;
			if (field.kind === 'dimension') {
				const value = input.dimensions[field.name];
				held =
					value !== undefined && value !== null && condition.values.has(this.fold(String(value)));
			} else if (field.kind === 'vendorId')
				held = input.vendorId !== undefined && condition.values.has(this.fold(input.vendorId));
			else if (field.kind === 'vendorName')
				held = input.vendorName !== undefined && condition.values.has(this.fold(input.vendorName));
			else
				held =
					(input.vendorId !== undefined && condition.values.has(this.fold(input.vendorId))) ||
					(input.vendorName !== undefined && condition.values.has(this.fold(input.vendorName)));
			if (!held) return false;
		}
		return true;
	}

	private codeMatches(c: CompiledRule, code: string, numeric: number | undefined): boolean {
		switch (c.rule.match) {
			case 'exact':
				return code === c.rule.code;
			case 'prefix':
				return code.startsWith(c.rule.code!);
			case 'range':
				return numeric !== undefined && numeric >= c.from! && numeric <= c.to!;
			case 'regex':
				return c.regex!.test(code);
		}
	}

	/** Decides one line using the indexes. */
	match(input: MatchInput): LineDecision {
		const code = (input.glAccount ?? '').trim();
		if (!code) return this.noRule('line has no GL code');
		const found: CompiledRule[] = [];
		const consider = (list: CompiledRule[] | undefined) => {
			if (list) for (const c of list) if (this.conditionsHold(c, input)) found.push(c);
		};
		consider(this.exact.get(code));
		for (const length of this.prefixLengths) {
			if (length <= code.length) consider(this.prefixes.get(length)!.get(code.slice(0, length)));
		}
		if (this.rangePoints.length && NUMERIC_CODE.test(code))
			consider(this.rangesCovering(Number(code)));
		for (const c of this.regexes)
			if (c.regex!.test(code) && this.conditionsHold(c, input)) found.push(c);
		return this.decide(code, input, found);
	}

	/** The same decision by scanning every rule: the baseline the index is measured and tested against. */
	matchLinear(input: MatchInput): LineDecision {
		const code = (input.glAccount ?? '').trim();
		if (!code) return this.noRule('line has no GL code');
		const numeric = NUMERIC_CODE.test(code) ? Number(code) : undefined;
		const found = this.compiled.filter(
			(c) => this.codeMatches(c, code, numeric) && this.conditionsHold(c, input),
		);
		return this.decide(code, input, found);
	}

	private decide(code: string, input: MatchInput, found: CompiledRule[]): LineDecision {
		if (found.length === 0) {
			const dims = Object.entries(input.dimensions)
				.filter(([, v]) => v !== undefined && v !== '')
				.map(([k, v]) => `${k} = ${v}`);
			return this.noRule(
				`no rule matched GL code "${code}"${dims.length ? ` with ${dims.join(', ')}` : ''}`,
			);
		}
		found.sort((a, b) => a.order - b.order);
		const candidates: Candidate[] = found.map((c) => ({
			rule: c.rule,
			reason: this.explain(c, code),
		}));
		if (this.precedence === 'firstMatch') {
			const others =
				found.length > 1 ? ` (first in table order of ${found.length} matching rules)` : '';
			return {
				status: 'mapped',
				rule: found[0].rule,
				reason: candidates[0].reason + others,
				candidates,
				target: found[0].rule.target,
			};
		}
		let best = found[0];
		let tiedWith: CompiledRule | undefined;
		for (const c of found.slice(1)) {
			const cmp = compareSpecificity(c.specificity, best.specificity);
			if (cmp > 0) {
				best = c;
				tiedWith = undefined;
			} else if (cmp === 0) tiedWith ??= c;
		}
		if (tiedWith) {
			return {
				status: 'ambiguous',
				reason: `GL code "${code}": ${describeRule(best.rule)} and ${describeRule(tiedWith.rule)} are equally specific; add a condition or a priority to one of them`,
				candidates,
			};
		}
		const bestIndex = found.indexOf(best);
		const others = found.length > 1 ? ` (most specific of ${found.length} matching rules)` : '';
		return {
			status: 'mapped',
			rule: best.rule,
			reason: candidates[bestIndex].reason + others,
			candidates,
			target: best.rule.target,
		};
	}

	private noRule(reason: string): LineDecision {
		if (this.options.defaultTarget)
			return {
				status: 'default',
				reason: `${reason}; default target used`,
				target: this.options.defaultTarget,
			};
		return { status: 'unmapped', reason };
	}

	private explain(c: CompiledRule, code: string): string {
		// Only the code varies per line; the rest was built at compile time.
		return `${c.explainHead}"${code}"${c.explainTail}`;
	}

	/** Under "most specific", two rules that could match the same line with equal specificity are a table error. */
	private rejectTies(): void {
		const issues: RuleTableIssue[] = [];
		const tie = (a: CompiledRule, b: CompiledRule, what: string) => {
			const [first, second] = a.order < b.order ? [a, b] : [b, a];
			issues.push({
				row: second.rule.row,
				column:
					second.rule.match === 'range'
						? 'codeFrom'
						: second.rule.match === 'regex'
							? 'pattern'
							: 'code',
				reason: `${what} with ${describeRule(first.rule)}: both could match the same line and neither is more specific; add a condition or a priority to one of them`,
			});
		};
		const checkGroup = (group: CompiledRule[]) => {
			for (let i = 0; i < group.length; i++) {
				for (let j = i + 1; j < group.length; j++) {
					const a = group[i];
					const b = group[j];
					if (compareSpecificity(a.specificity, b.specificity) === 0 && this.compatible(a, b))
						tie(a, b, `ties (${describeCode(a.rule)})`);
				}
			}
		};
		for (const group of this.exact.values()) checkGroup(group);
		for (const byPrefix of this.prefixes.values())
			for (const group of byPrefix.values()) checkGroup(group);
		const byPattern = new Map<string, CompiledRule[]>();
		for (const c of this.regexes) push(byPattern, c.rule.pattern!, c);
		for (const group of byPattern.values()) checkGroup(group);

		// Ranges must nest or be disjoint (a narrower range wins); partial overlaps and equal ranges tie.
		const ranges = this.compiled
			.filter((c) => c.rule.match === 'range')
			.sort((a, b) => a.from! - b.from! || b.to! - a.to!);
		for (let i = 0; i < ranges.length; i++) {
			const a = ranges[i];
			for (let j = i + 1; j < ranges.length && ranges[j].from! <= a.to!; j++) {
				const b = ranges[j];
				if (!this.compatible(a, b)) continue;
				if (a.from === b.from && a.to === b.to) {
					if (compareSpecificity(a.specificity, b.specificity) === 0)
						tie(a, b, `ties (${describeCode(a.rule)})`);
				} else if (b.to! > a.to!) {
					tie(
						a,
						b,
						`overlapping ranges ${a.rule.codeFrom}–${a.rule.codeTo} and ${b.rule.codeFrom}–${b.rule.codeTo} (ranges must nest or be disjoint)`,
					);
				}
			}
		}
		if (issues.length)
			throw new RuleTableError(
				this.options.sourceName ?? 'rules',
				issues.sort((x, y) => (x.row ?? 0) - (y.row ?? 0)),
			);
	}

	/** True when some line could satisfy both rules' conditions. */
	private compatible(a: CompiledRule, b: CompiledRule): boolean {
		for (const ca of a.conditions) {
			for (const cb of b.conditions) {
				if (conditionKey(ca.source) !== conditionKey(cb.source)) continue;
				let overlap = false;
				for (const v of ca.values) if (cb.values.has(v)) overlap = true;
				if (!overlap) return false;
			}
		}
		return true;
	}
}

function conditionKey(condition: DimensionCondition): string {
	return condition.field.kind === 'dimension'
		? `dim:${condition.field.name}`
		: condition.field.kind;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}

/** Validates rows and compiles them; throws RuleTableError naming row, column and reason. */
export function compileRules(rows: RuleRow[], options: CompileOptions): CompiledRuleSet {
	return new CompiledRuleSet(parseRuleTable(rows, options), options);
}
