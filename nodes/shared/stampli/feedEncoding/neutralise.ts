/**
 * Formula neutralisation for cells a spreadsheet might open (OWASP "CSV injection").
 * A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`,
 * which spreadsheets treat as "this is text". Numbers stay numbers: a cell of a decimal-typed
 * column is never touched, and neither is text that is a plain number such as `-12.50`.
 */

const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/** A signed plain number, `.` or `,` as decimal separator: `-12.50`, `+3`, `1,5`. No exponent, no operators. */
const PLAIN_NUMBER = /^[+-]?(\d+([.,]\d+)?|[.,]\d+)$/;

export function isPlainNumber(text: string): boolean {
	return PLAIN_NUMBER.test(text);
}

export function startsLikeFormula(text: string): boolean {
	return text.length > 0 && FORMULA_TRIGGERS.has(text[0]) && !isPlainNumber(text);
}

/** Returns the cell text, prefixed with `'` when a spreadsheet would read it as a formula. */
export function neutraliseFormula(text: string): string {
	return startsLikeFormula(text) ? `'${text}` : text;
}
