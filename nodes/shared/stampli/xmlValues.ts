/**
 * Values out of one record element's text and parse tree: entity decoding (the five predefined
 * entities and character references only), CDATA kept literal, characters XML 1.0 forbids found
 * and located (element path, line, column), and the record key found by a plain text search when
 * the record cannot be parsed at all.
 */
import { codePointName, isXmlChar, XML_FORBIDDEN } from './xmlCharacters';

export class XmlValueProblem {
	constructor(readonly reason: string) {}
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ENTITY = /&(#x[0-9a-fA-F]+|#\d+|[A-Za-z_][\w.-]*);/g;
const CHARACTER_REFERENCE = /&#(x[0-9a-fA-F]+|\d+);/g;
/** Every character XML_FORBIDDEN can match, surrogate pairs included: a cheap first test. */
const MAYBE_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

function referencedCode(name: string): number {
	const hex = name[0] === 'x' || name[0] === 'X';
	const digits = hex ? name.slice(1) : name;
	// Beyond 8 digits no code point can be meant; parseInt would lose precision.
	return digits.length > 8 ? -1 : parseInt(digits, hex ? 16 : 10);
}

/** Predefined entities and character references only; anything else is an undeclared entity. */
export function decodeEntities(text: string): string | XmlValueProblem {
	if (!text.includes('&')) return text;
	let problem: XmlValueProblem | undefined;
	const decoded = text.replace(ENTITY, (whole, name: string) => {
		if (name[0] === '#') {
			const code = referencedCode(name.slice(1));
			if (isXmlChar(code)) return String.fromCodePoint(code);
			problem ??= new XmlValueProblem(
				`the character reference ${whole} names ${code < 0 ? 'no character' : codePointName(code)}, which XML 1.0 does not allow; the document is not well-formed`,
			);
		} else if (PREDEFINED[name] !== undefined) return PREDEFINED[name];
		problem ??= new XmlValueProblem(`contains the undeclared entity ${whole}`);
		return whole;
	});
	return problem ?? decoded;
}

/** Markup a CDATA scan skips whole: comments and processing instructions. */
const SKIPPED = [
	['<!--', '-->'],
	['<?', '?>'],
] as const;

/**
 * CDATA sections rewritten as escaped text (`<![CDATA[AT&T]]>` → `AT&amp;T`), so that decoding the
 * entities afterwards gives back their content literally. Comments and PIs are left alone.
 */
export function cdataAsText(text: string): string {
	const escape = (s: string) =>
		s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
	const parts: string[] = [];
	let copied = 0;
	let at = 0;
	for (let lt = text.indexOf('<', at); lt >= 0; lt = text.indexOf('<', at)) {
		const skipped = SKIPPED.find(([open]) => text.startsWith(open, lt));
		if (skipped) {
			const end = text.indexOf(skipped[1], lt + skipped[0].length);
			at = end < 0 ? text.length : end + skipped[1].length;
			continue;
		}
		at = lt + 1;
		if (!text.startsWith('<![CDATA[', lt)) continue;
		const end = text.indexOf(']]>', lt + 9);
		if (end < 0) break;
		parts.push(text.slice(copied, lt), escape(text.slice(lt + 9, end)));
		copied = at = end + 3;
	}
	if (copied === 0) return text;
	parts.push(text.slice(copied));
	return parts.join('');
}

/** Where the first character XML 1.0 forbids is, literal or referenced, with its description. */
export function findForbiddenCharacter(text: string): { offset: number; what: string } | undefined {
	// The full pattern looks around surrogates; most text has no candidate at all.
	const literal = MAYBE_FORBIDDEN.test(text) ? XML_FORBIDDEN.exec(text) : null;
	let found = literal
		? { offset: literal.index, what: `the character ${codePointName(literal[0].charCodeAt(0))}` }
		: undefined;
	if (!text.includes('&#')) return found;
	CHARACTER_REFERENCE.lastIndex = 0;
	for (let m = CHARACTER_REFERENCE.exec(text); m; m = CHARACTER_REFERENCE.exec(text)) {
		if (found && m.index > found.offset) break;
		const code = referencedCode(m[1]);
		if (isXmlChar(code)) continue;
		const name = code < 0 ? 'no character' : codePointName(code);
		found = { offset: m.index, what: `the character reference ${m[0]} (${name})` };
		break;
	}
	return found;
}

/**
 * The element path (relative to the record element, `Vendor/Name`) enclosing `offset` in a record's
 * text; a plain tag scan, used only to name the field of an error.
 */
export function elementPathAt(text: string, offset: number): string {
	const stack: string[] = [];
	const tag =
		/<(\/?)([^\s/>!?]+)[^>]*?(\/?)>|<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>/g;
	for (let m = tag.exec(text); m && m.index < offset; m = tag.exec(text)) {
		if (!m[2]) continue;
		if (m[1]) stack.pop();
		else if (!m[3]) stack.push(m[2]);
	}
	return stack.slice(1).join('/');
}

/** 1-based line and column of `offset` in a record that starts at `line`/`column` of the file. */
export function positionIn(
	text: string,
	offset: number,
	line: number,
	column: number,
): { line: number; column: number } {
	let lines = 0;
	let lineStart = -1;
	for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) {
		lines++;
		lineStart = at;
	}
	return lines
		? { line: line + lines, column: offset - lineStart }
		: { line, column: column + offset };
}

/** The record key found by a text search (for a record that cannot be parsed), or undefined. */
export function sniffKey(text: string, xmlPath: string | undefined): string | undefined {
	const last = xmlPath?.split('/').pop();
	if (!last) return undefined;
	const pattern = last.startsWith('@')
		? new RegExp(`\\s${escapeRegex(last.slice(1))}\\s*=\\s*["']([^"'<]{1,200})["']`)
		: new RegExp(`<${escapeRegex(last)}(?:\\s[^>]*)?>([^<]{1,200})</${escapeRegex(last)}\\s*>`);
	const value = pattern.exec(text)?.[1].trim();
	if (!value) return undefined;
	const decoded = decodeEntities(value);
	return typeof decoded === 'string' ? decoded : undefined;
}

function escapeRegex(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const asArray = (value: unknown): unknown[] =>
	value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The text at an element path, or a problem (repeated element, element with children where text was expected). */
export function textAt(node: unknown, segments: string[]): string | undefined | XmlValueProblem {
	let current: unknown = node;
	for (const segment of segments) {
		if (current === undefined || current === null || typeof current !== 'object') return undefined;
		let next = (current as Record<string, unknown>)[segment];
		if (Array.isArray(next)) {
			if (next.length > 1)
				return new XmlValueProblem(
					`<${segment}> appears ${next.length} times where one value is expected`,
				);
			next = next[0];
		}
		current = next;
	}
	if (current === undefined || current === null) return undefined;
	if (typeof current === 'object') {
		const text = (current as Record<string, unknown>)['#text'];
		const children = Object.keys(current).filter((k) => k !== '#text' && !k.startsWith('@'));
		if (children.length)
			return new XmlValueProblem(
				`expected text but found child elements <${children.join('>, <')}>`,
			);
		return text === undefined ? '' : String(text).trim();
	}
	return String(current).trim();
}

export function elementsAt(node: unknown, segments: string[]): unknown[] {
	let current: unknown[] = [node];
	for (const segment of segments) {
		const next: unknown[] = [];
		for (const n of current)
			if (n && typeof n === 'object')
				for (const child of asArray((n as Record<string, unknown>)[segment])) next.push(child);
		current = next;
	}
	return current;
}
