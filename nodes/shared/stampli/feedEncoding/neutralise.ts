/**
 * Formula neutralisation for CSV cells a spreadsheet might open (OWASP "CSV injection").
 *
 * A spreadsheet evaluates a cell whose first character, after any leading whitespace, is `=`, `+`,
 * `-` or `@` — or their fullwidth forms `＝ ＋ － ＠`, which some spreadsheets read as the same.
 * Such a text cell gets a leading `'`, which spreadsheets show as "this is text". Leading whitespace
 * (spaces, tab, CR, LF, no-break and other Unicode spaces) is looked past, not trusted: OWASP lists
 * tab and CR because importers strip them before evaluating, so `\t=1+2` is neutralised while
 * `\tNote` is left as it is.
 *
 * Numbers stay numbers: only text columns are considered, and text that is a plain number
 * (`-12.50`, `+3`) is left alone. Columns holding phone numbers, e-mail addresses and ids keep
 * values of their shape intact (`+1 555 0100`, `-ap@acme.example`, `-1042`): those shapes have no
 * parentheses, quotes, `|` or `!`, so they can call no function and reach no other program; a value
 * of another shape in such a column is neutralised like any text.
 */

import type { CellKind } from '../templates/types';

export { CELL_KINDS } from '../templates/types';
export type { CellKind } from '../templates/types';

const TRIGGERS = new Set(['=', '+', '-', '@', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

/** Leading whitespace a spreadsheet may drop before it decides whether a cell is a formula. */
const LEADING_SPACE = /^[\s\u00A0\u1680\u2000-\u200B\u2028\u2029\u202F\u205F\u3000\uFEFF]+/;

/** A signed plain number, `.` or `,` as decimal separator: `-12.50`, `+3`, `1,5`. No exponent, no operators. */
const PLAIN_NUMBER = /^[+-]?(\d+([.,]\d+)?|[.,]\d+)$/;

/** `+1 555 0100`, `(217) 555-0100 x12`, `+44 20 7946 0958`: digits and separators only. */
const PHONE = /^\+?[\d\s().\-/]*\d[\d\s().\-/]*(\s*(x|ext\.?)\s*\d+)?$/i;
const EMAIL = /^[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}$/;
/** Letters, digits and `. _ - + / # :` only: no space, parenthesis, quote, `|`, `!`, `,`, `;` or `&`. */
const ID = /^[\p{L}\p{N}._\-+/#:=@]+$/u;

const SAFE_SHAPES: Partial<Record<CellKind, RegExp>> = { phone: PHONE, email: EMAIL, id: ID };

export function isPlainNumber(text: string): boolean {
	return PLAIN_NUMBER.test(text);
}

/** True when a spreadsheet would evaluate the text as a formula. */
export function startsLikeFormula(text: string): boolean {
	const body = text.replace(LEADING_SPACE, '');
	return body.length > 0 && TRIGGERS.has(body[0]) && !isPlainNumber(body);
}

/** The cell text for a column of this kind, prefixed with `'` when a spreadsheet would evaluate it. */
export function neutraliseCell(text: string, kind: CellKind = 'text'): string {
	if (kind === 'none' || !startsLikeFormula(text)) return text;
	if (SAFE_SHAPES[kind]?.test(text)) return text;
	return `'${text}`;
}

/** A text cell (kind `text`). */
export function neutraliseFormula(text: string): string {
	return neutraliseCell(text, 'text');
}

/** Canonical fields whose values are phone numbers, e-mail addresses or ids, by the last segment of their path. */
const KIND_BY_FIELD: Record<string, CellKind> = {
	phone: 'phone',
	email: 'email',
	vendorId: 'id',
	stampliVendorId: 'id',
	erpVendorId: 'id',
	taxId: 'id',
	accountId: 'id',
	code: 'id',
	poId: 'id',
	poNumber: 'id',
	lineId: 'id',
	productCode: 'id',
	glAccount: 'id',
	postalCode: 'id',
};

/** The default kind of a canonical path (`vendor.phone` → phone), `text` for anything else. */
export function defaultCellKind(path: string): CellKind {
	return KIND_BY_FIELD[path.split('.').pop() ?? ''] ?? 'text';
}
