/**
 * Decimal money arithmetic on decimal strings. Amounts never pass through JS floats:
 * parsing is textual, arithmetic is decimal.js, output is a plain decimal string.
 */
import Decimal from 'decimal.js';

const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

const PLAIN_DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** The input for a message: quoted, and cut at 40 characters so a hostile cell cannot flood a log. */
function quoteShort(input: string): string {
	return JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input);
}

export class DecimalParseError extends Error {
	constructor(
		readonly input: string,
		reason: string,
	) {
		super(`${quoteShort(input)} is not a decimal number: ${reason}`);
		this.name = 'DecimalParseError';
	}
}

export interface ParseDecimalOptions {
	/** Character used as the decimal separator in the input, default '.'. */
	decimalSeparator?: '.' | ',';
	/** Thousands grouping character to strip (e.g. ',' or '.' or ' '), default none. */
	groupSeparator?: string;
}

/**
 * Parse a human/decimal string into a canonical decimal string.
 * Accepts `1234.50`, `-3`, `(12.00)` (accounting negative), with optional separators.
 * Rejects exponents, NaN, Infinity, empty strings, a sign inside parentheses (`(-5)`) and anything
 * with stray characters.
 */
export function parseDecimal(input: string, options: ParseDecimalOptions = {}): string {
	const decimalSeparator = options.decimalSeparator ?? '.';
	let text = input.trim();
	if (text === '') throw new DecimalParseError(input, 'empty');
	let negative = false;
	if (text.startsWith('(') && text.endsWith(')')) {
		negative = true;
		text = text.slice(1, -1).trim();
		// Parentheses already mean negative: "(-5)" is a double negative, not 5.
		if (/^[+-]/.test(text))
			throw new DecimalParseError(input, 'a sign inside accounting parentheses is ambiguous');
	}
	if (options.groupSeparator) text = text.split(options.groupSeparator).join('');
	if (decimalSeparator === ',') {
		if (text.includes('.') && options.groupSeparator !== '.') {
			throw new DecimalParseError(input, 'a "." is not allowed when the decimal separator is ","');
		}
		text = text.replace(',', '.');
	} else if (text.includes(',')) {
		throw new DecimalParseError(input, 'a "," is not allowed when the decimal separator is "."');
	}
	if (!PLAIN_DECIMAL.test(text)) throw new DecimalParseError(input, 'unexpected characters');
	const value = new Dec(text);
	return toDecimalString(negative ? value.negated() : value);
}

/** Digits after the decimal point of a canonical decimal string (`"12.345"` → 3). */
export function fractionDigits(value: string): number {
	const dot = value.indexOf('.');
	return dot < 0 ? 0 : value.length - dot - 1;
}

export function isDecimalString(value: unknown): value is string {
	return typeof value === 'string' && PLAIN_DECIMAL.test(value);
}

function dec(value: string): Decimal {
	if (!isDecimalString(value)) throw new DecimalParseError(String(value), 'not a decimal string');
	return new Dec(value);
}

/** Canonical form: no exponent, no trailing zeros beyond what the scale asks for, "-0" becomes "0". */
function toDecimalString(value: Decimal, scale?: number): string {
	const fixed = scale === undefined ? value.toFixed() : value.toFixed(scale);
	return /^-0(\.0*)?$/.test(fixed) ? fixed.slice(1) : fixed;
}

export function add(...values: string[]): string {
	return toDecimalString(values.reduce((sum, v) => sum.plus(dec(v)), new Dec(0)));
}

export function subtract(a: string, b: string): string {
	return toDecimalString(dec(a).minus(dec(b)));
}

export function multiply(a: string, b: string): string {
	return toDecimalString(dec(a).times(dec(b)));
}

export function negate(a: string): string {
	return toDecimalString(dec(a).negated());
}

export function abs(a: string): string {
	return toDecimalString(dec(a).abs());
}

/** -1, 0 or 1. */
export function compare(a: string, b: string): number {
	return dec(a).comparedTo(dec(b));
}

export function equals(a: string, b: string): boolean {
	return compare(a, b) === 0;
}

export function isZero(a: string): boolean {
	return dec(a).isZero();
}

/** True when |a - b| <= tolerance. */
export function withinTolerance(a: string, b: string, tolerance = '0'): boolean {
	return dec(a).minus(dec(b)).abs().lte(dec(tolerance));
}

/** Round half-up to `scale` decimals and always show them: `round("1.005", 2)` → "1.01". */
export function round(a: string, scale = 2): string {
	return toDecimalString(dec(a).toDecimalPlaces(scale, Decimal.ROUND_HALF_UP), scale);
}

/** Format with a fixed scale without rounding surprises (pads with zeros). */
export function toFixed(a: string, scale: number): string {
	return round(a, scale);
}

/** Integer minor units (cents for scale 2) as a bigint, for exact sums over many records. */
export function toMinorUnits(a: string, scale = 2): bigint {
	const rounded = dec(a).times(new Dec(10).pow(scale));
	if (!rounded.isInteger()) throw new DecimalParseError(a, `has more than ${scale} decimals`);
	return BigInt(rounded.toFixed(0));
}

export function fromMinorUnits(units: bigint, scale = 2): string {
	return toDecimalString(new Dec(units.toString()).dividedBy(new Dec(10).pow(scale)), scale);
}

/**
 * Converts a decimal string to a JS number only at a protocol boundary that demands one
 * (e.g. Odoo's `price_unit` float field). Refuses values a double cannot hold exactly enough.
 */
export function toWireNumber(a: string): number {
	const value = dec(a);
	if (value.abs().gte(new Dec('1e15')))
		throw new DecimalParseError(a, 'too large to send as a number');
	return Number(value.toFixed());
}
