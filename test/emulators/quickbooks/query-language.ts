/**
 * The subset of Intuit's query language the emulator understands: SELECT * | COUNT(*) FROM Entity
 * [WHERE cond AND …] [ORDERBY field [ASC|DESC]] [STARTPOSITION n] [MAXRESULTS n], with conditions
 * `=, <, >, <=, >=, IN (…), LIKE` and single-quoted literals that escape `\'` and `\\`.
 * Unsupported syntax is rejected with QueryParserError, as Intuit does (code 4000).
 */

export type Literal = string | number | boolean;

export interface Condition {
	field: string;
	op: '=' | '<' | '>' | '<=' | '>=' | 'IN' | 'LIKE';
	value: Literal | Literal[];
}

export interface ParsedQuery {
	entity: string;
	count: boolean;
	where: Condition[];
	orderBy?: { field: string; desc: boolean };
	startPosition: number;
	maxResults: number;
}

export class QueryParseError extends Error {}

type Token = { t: 'word' | 'str' | 'num' | 'sym'; v: string };

function tokenize(input: string): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	while (i < input.length) {
		const c = input[i];
		if (/\s/.test(c)) {
			i++;
		} else if (c === "'") {
			let s = '';
			i++;
			for (;;) {
				if (i >= input.length) throw new QueryParseError('Unterminated string literal');
				const ch = input[i];
				if (ch === '\\') {
					const next = input[i + 1];
					if (next !== "'" && next !== '\\')
						throw new QueryParseError(`Invalid escape \\${next ?? ''}`);
					s += next;
					i += 2;
				} else if (ch === "'") {
					i++;
					break;
				} else {
					s += ch;
					i++;
				}
			}
			tokens.push({ t: 'str', v: s });
		} else if (/[0-9-]/.test(c)) {
			const m = /^-?[0-9]+(\.[0-9]+)?/.exec(input.slice(i));
			if (!m) throw new QueryParseError(`Unexpected ${c}`);
			tokens.push({ t: 'num', v: m[0] });
			i += m[0].length;
		} else if (/[A-Za-z_*]/.test(c)) {
			const m = /^(\*|[A-Za-z_][A-Za-z0-9_.]*(\(\*\))?)/.exec(input.slice(i))!;
			tokens.push({ t: 'word', v: m[0] });
			i += m[0].length;
		} else if (c === '<' || c === '>') {
			const two = input.slice(i, i + 2);
			const v = two === '<=' || two === '>=' ? two : c;
			tokens.push({ t: 'sym', v });
			i += v.length;
		} else if ('=(),'.includes(c)) {
			tokens.push({ t: 'sym', v: c });
			i++;
		} else {
			throw new QueryParseError(`Unexpected character ${c}`);
		}
	}
	return tokens;
}

export function parseQuery(input: string): ParsedQuery {
	const tokens = tokenize(input);
	let p = 0;
	const peek = () => tokens[p];
	const word = (expected?: string) => {
		const tok = tokens[p++];
		if (!tok || tok.t !== 'word' || (expected && tok.v.toUpperCase() !== expected)) {
			throw new QueryParseError(
				`Expected ${expected ?? 'a name'} near ${tok ? tok.v : 'end of query'}`,
			);
		}
		return tok.v;
	};
	const isWord = (v: string) => peek()?.t === 'word' && peek().v.toUpperCase() === v;
	const literal = (): Literal => {
		const tok = tokens[p++];
		if (!tok) throw new QueryParseError('Expected a value');
		if (tok.t === 'str') return tok.v;
		if (tok.t === 'num') return Number(tok.v);
		if (tok.t === 'word' && /^(true|false)$/i.test(tok.v)) return tok.v.toLowerCase() === 'true';
		throw new QueryParseError(`Expected a value near ${tok.v}`);
	};
	word('SELECT');
	const what = word();
	const count = what.toUpperCase() === 'COUNT(*)';
	if (!count && what !== '*')
		throw new QueryParseError('Only SELECT * and SELECT COUNT(*) are supported');
	word('FROM');
	const entity = word();
	const where: Condition[] = [];
	if (isWord('WHERE')) {
		p++;
		for (;;) {
			const field = word();
			let op: Condition['op'];
			const tok = tokens[p++];
			if (tok?.t === 'sym' && ['=', '<', '>', '<=', '>='].includes(tok.v))
				op = tok.v as Condition['op'];
			else if (tok?.t === 'word' && /^(IN|LIKE)$/i.test(tok.v))
				op = tok.v.toUpperCase() as Condition['op'];
			else throw new QueryParseError(`Expected an operator after ${field}`);
			let value: Literal | Literal[];
			if (op === 'IN') {
				if (tokens[p++]?.v !== '(') throw new QueryParseError('Expected ( after IN');
				const list: Literal[] = [literal()];
				while (peek()?.v === ',') {
					p++;
					list.push(literal());
				}
				if (tokens[p++]?.v !== ')') throw new QueryParseError('Expected ) to close IN');
				value = list;
			} else {
				value = literal();
			}
			where.push({ field, op, value });
			if (isWord('AND')) {
				p++;
				continue;
			}
			if (isWord('OR'))
				throw new QueryParseError('OR is not supported by the QuickBooks query language');
			break;
		}
	}
	let orderBy: ParsedQuery['orderBy'];
	if (isWord('ORDERBY') || isWord('ORDER')) {
		if (word().toUpperCase() === 'ORDER') word('BY');
		orderBy = { field: word(), desc: false };
		if (isWord('DESC') || isWord('ASC')) orderBy.desc = word().toUpperCase() === 'DESC';
	}
	let startPosition = 1;
	let maxResults = 100;
	while (p < tokens.length) {
		const kw = word().toUpperCase();
		const n = literal();
		if (typeof n !== 'number' || !Number.isInteger(n))
			throw new QueryParseError(`${kw} needs an integer`);
		if (kw === 'STARTPOSITION') startPosition = n;
		else if (kw === 'MAXRESULTS') maxResults = n;
		else throw new QueryParseError(`Unexpected ${kw}`);
	}
	if (maxResults > 1000) throw new QueryParseError('MAXRESULTS may not exceed 1000');
	if (startPosition < 1) throw new QueryParseError('STARTPOSITION must be at least 1');
	return { entity, count, where, orderBy, startPosition, maxResults };
}

export function fieldValue(record: Record<string, any>, field: string): unknown {
	let v: any = record;
	for (const part of field.split('.')) v = v?.[part];
	// A reference compares by its id, as in `VendorRef = '56'`.
	if (v && typeof v === 'object' && 'value' in v) return v.value;
	return v;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T/;

function cmp(a: unknown, b: Literal): number {
	if (typeof b === 'number') return Number(a) - b;
	if (typeof b === 'boolean') return a === b || String(a) === String(b) ? 0 : 1;
	// Record times (MetaData.LastUpdatedTime) compare as instants, whatever offset each is written in.
	if (typeof a === 'string' && INSTANT.test(a) && INSTANT.test(b)) {
		const [x, y] = [Date.parse(a), Date.parse(b)];
		if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
	}
	return String(a ?? '')
		.toLowerCase()
		.localeCompare(b.toLowerCase());
}

export function matches(record: Record<string, any>, where: Condition[]): boolean {
	return where.every((c) => {
		const v = fieldValue(record, c.field);
		switch (c.op) {
			case '=':
				return cmp(v, c.value as Literal) === 0;
			case 'IN':
				return (c.value as Literal[]).some((x) => cmp(v, x) === 0);
			case 'LIKE': {
				const pattern = String(c.value)
					.toLowerCase()
					.split('%')
					.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
					.join('.*');
				return new RegExp(`^${pattern}$`, 's').test(String(v ?? '').toLowerCase());
			}
			case '<':
				return cmp(v, c.value as Literal) < 0;
			case '>':
				return cmp(v, c.value as Literal) > 0;
			case '<=':
				return cmp(v, c.value as Literal) <= 0;
			case '>=':
				return cmp(v, c.value as Literal) >= 0;
		}
		return false;
	});
}
