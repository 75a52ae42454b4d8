/**
 * Cell text ↔ canonical values for the template settings: date layouts and decimal separators.
 * Decimal parsing has a textual fast path (the common `1234.50` shape) so a 100,000-row file does
 * not pay for a decimal.js object per cell; anything unusual falls back to records/decimal.ts.
 */
import { DecimalParseError, parseDecimal } from '../../records/decimal';
import { quoted } from '../errors';

export interface CompiledDateFormat {
	layout: string;
	/** Returns `YYYY-MM-DD` or a reason the text is not a valid date in this layout. */
	parse(text: string): { iso: string } | { error: string };
	/** Formats an ISO `YYYY-MM-DD` date in this layout. */
	format(iso: string): string;
}

const TOKEN = /YYYY|MM|DD|M|D/g;
const compiledDates = new Map<string, CompiledDateFormat>();

function escapeRegex(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function daysInMonth(year: number, month: number): number {
	if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
	return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Validates and compiles a layout such as `YYYY-MM-DD`, `MM/DD/YYYY`, `DD.MM.YYYY`, `M/D/YYYY`, `YYYYMMDD`. */
export function compileDateFormat(format: string): CompiledDateFormat {
	const cached = compiledDates.get(format);
	if (cached) return cached;
	const tokens = format.match(TOKEN) ?? [];
	const kinds = tokens.map((t) => t[0]);
	if (
		kinds.filter((k) => k === 'Y').length !== 1 ||
		kinds.filter((k) => k === 'M').length !== 1 ||
		kinds.filter((k) => k === 'D').length !== 1
	) {
		throw new Error(
			`date format "${format}" must contain YYYY, MM (or M) and DD (or D) exactly once each`,
		);
	}
	const literals = format.split(TOKEN);
	if (literals.some((l) => /[A-Za-z0-9]/.test(l))) {
		throw new Error(`date format "${format}" may only contain YYYY, MM, M, DD, D and separators`);
	}
	let pattern = '^';
	literals.forEach((literal, i) => {
		pattern += escapeRegex(literal);
		const token = tokens[i];
		if (token === undefined) return;
		pattern += token === 'YYYY' ? '(\\d{4})' : token.length === 2 ? '(\\d{2})' : '(\\d{1,2})';
	});
	const regex = new RegExp(pattern + '$');
	const yearAt = kinds.indexOf('Y') + 1;
	const monthAt = kinds.indexOf('M') + 1;
	const dayAt = kinds.indexOf('D') + 1;
	const pad = (n: number, width: number) => String(n).padStart(width, '0');
	const compiled: CompiledDateFormat = {
		layout: format,
		parse(text) {
			const m = regex.exec(text);
			if (!m) return { error: `${quoted(text)} does not match the date format ${format}` };
			const year = Number(m[yearAt]);
			const month = Number(m[monthAt]);
			const day = Number(m[dayAt]);
			if (month < 1 || month > 12)
				return { error: `"${text}" has month ${month}, not 1–12 (date format ${format})` };
			if (day < 1 || day > daysInMonth(year, month))
				return {
					error: `"${text}" is not a calendar date (${year}-${pad(month, 2)} has no day ${day})`,
				};
			return { iso: `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` };
		},
		format(iso) {
			const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
			if (!m) throw new Error(`"${iso}" is not an ISO date (YYYY-MM-DD)`);
			const values: Record<string, string> = {
				YYYY: m[1],
				MM: m[2],
				DD: m[3],
				M: String(Number(m[2])),
				D: String(Number(m[3])),
			};
			return format.replace(TOKEN, (t) => values[t]);
		},
	};
	compiledDates.set(format, compiled);
	return compiled;
}

/** Formats an ISO date in a template's date layout (for writers). */
export function formatDate(iso: string, format: string): string {
	return compileDateFormat(format).format(iso);
}

const ISO_INSTANT =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * ISO-8601 instant → UTC `...Z`. A value without an offset is taken as UTC (Stampli exports carry
 * UTC timestamps); a date alone means midnight UTC.
 */
const PLAIN_UTC_SECONDS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

export function parseInstant(text: string): { iso: string } | { error: string } {
	// Fast path for the common `2026-03-05T14:22:10Z`: validated field by field, no Date round trip.
	const plain = PLAIN_UTC_SECONDS.exec(text);
	if (plain) {
		const month = Number(plain[2]);
		const day = Number(plain[3]);
		if (
			month >= 1 &&
			month <= 12 &&
			day >= 1 &&
			day <= daysInMonth(Number(plain[1]), month) &&
			Number(plain[4]) <= 23 &&
			Number(plain[5]) <= 59 &&
			Number(plain[6]) <= 59
		) {
			return { iso: `${text.slice(0, 19)}.000Z` };
		}
	}
	const m = ISO_INSTANT.exec(text);
	if (!m) return { error: `${quoted(text)} is not an ISO-8601 date-time` };
	const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
	const month = Number(mo);
	const day = Number(d);
	if (
		month < 1 ||
		month > 12 ||
		day < 1 ||
		day > daysInMonth(Number(y), month) ||
		Number(h) > 23 ||
		Number(mi) > 59 ||
		Number(s) > 59
	) {
		return { error: `${quoted(text)} is not a valid date-time` };
	}
	const offset =
		zone.toUpperCase() === 'Z'
			? 'Z'
			: zone.length === 5
				? `${zone.slice(0, 3)}:${zone.slice(3)}`
				: zone;
	const millis = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac.slice(0, 4)}${offset}`);
	if (Number.isNaN(millis)) return { error: `${quoted(text)} is not a valid date-time` };
	return { iso: new Date(millis).toISOString() };
}

const SIMPLE_DOT = /^-?\d+(?:\.\d+)?$/;

/** Canonical decimal text: no leading zeros, no trailing fractional zeros, no "-0" (same as decimal.ts). */
function canonicalPlain(text: string): string {
	let start = text.charCodeAt(0) === 45 /* - */ ? 1 : 0;
	let end = text.length;
	const dot = text.indexOf('.');
	if (dot >= 0) {
		while (text.charCodeAt(end - 1) === 48 /* 0 */) end--;
		if (end - 1 === dot) end--;
	}
	const intEnd = dot >= 0 ? dot : text.length;
	while (start < intEnd - 1 && text.charCodeAt(start) === 48) start++;
	const negative = text.charCodeAt(0) === 45;
	const body = text.slice(negative && start === 1 ? 1 : start, end);
	if (body === '0') return '0';
	return negative ? `-${body}` : body;
}

export interface DecimalSettings {
	decimalSeparator: '.' | ',';
	groupSeparator?: string;
}

/** Longer amount texts are refused before any arithmetic: no money needs 50 characters. */
const MAX_DECIMAL_CHARS = 50;

/** Cell text → canonical decimal string; throws DecimalParseError with a reason. */
export function readDecimal(text: string, settings: DecimalSettings): string {
	if (text.length > MAX_DECIMAL_CHARS)
		throw new DecimalParseError(text, `longer than ${MAX_DECIMAL_CHARS} characters`);
	if (settings.decimalSeparator === '.' && !settings.groupSeparator && SIMPLE_DOT.test(text))
		return canonicalPlain(text);
	if (
		settings.decimalSeparator === ',' &&
		!settings.groupSeparator &&
		/^-?\d+(?:,\d+)?$/.test(text)
	) {
		return canonicalPlain(text.replace(',', '.'));
	}
	return parseDecimal(text, settings);
}

/** Canonical decimal string → cell text with the template's decimal separator (for writers). */
export function formatDecimal(value: string, decimalSeparator: '.' | ','): string {
	return decimalSeparator === ',' ? value.replace('.', ',') : value;
}

const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', '1', 'active', 'x']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', '0', 'inactive']);

export function readBoolean(text: string): boolean | undefined {
	const word = text.toLowerCase();
	if (TRUE_WORDS.has(word)) return true;
	if (FALSE_WORDS.has(word)) return false;
	return undefined;
}
