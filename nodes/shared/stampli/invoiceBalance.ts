/**
 * The invoice balance check `sum(lines.amount) == total − taxTotal` and the quantity × unit price
 * check, in exact integer arithmetic: plain JS integers in the common case, BigInt for huge or
 * finely scaled amounts. Loops only: an invoice may have a hundred thousand lines, so nothing here
 * spreads the lines into a call's arguments.
 */
import { fractionDigits } from '../records/decimal';

/** A canonical decimal string as a BigInt count of 10^-scale units. */
function toUnits(value: string, scale: number): bigint {
	const negative = value.startsWith('-');
	const [int, frac = ''] = (negative ? value.slice(1) : value).split('.');
	const n = BigInt(int + frac.padEnd(scale, '0'));
	return negative ? -n : n;
}

function largestScale(values: readonly string[], start = 0): number {
	let scale = start;
	for (const value of values) scale = Math.max(scale, fractionDigits(value));
	return scale;
}

export function formatUnits(n: bigint, scale: number): string {
	const negative = n < 0n;
	const digits = (negative ? -n : n).toString().padStart(scale + 1, '0');
	const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
	return negative ? `-${text}` : text;
}

/** Largest scaled magnitude the fast path takes, so a sum of up to FAST_SUM_TERMS of them stays an exact JS integer. */
const FAST_LIMIT = 1e12;
const FAST_SUM_TERMS = 9000;

/** A canonical decimal string as an integer count of 10^-scale units, or undefined when beyond the exact fast path. */
function fastUnits(v: string, scale: number): number | undefined {
	const negative = v.charCodeAt(0) === 45;
	let n = 0;
	let fraction = -1;
	for (let i = negative ? 1 : 0; i < v.length; i++) {
		const code = v.charCodeAt(i);
		if (code === 46) fraction = 0;
		else {
			n = n * 10 + (code - 48);
			if (fraction >= 0) fraction++;
		}
	}
	for (let i = Math.max(fraction, 0); i < scale; i++) n *= 10;
	if (n > FAST_LIMIT) return undefined;
	return negative ? -n : n;
}

/**
 * The common case in exact integer arithmetic (integers well inside 2^53, no BigInt): true when
 * balanced, false when not, undefined when the values are too large for the fast path.
 */
function balancesFast(
	total: string,
	tax: string,
	tolerance: string,
	amounts: readonly string[],
): boolean | undefined {
	if (amounts.length > FAST_SUM_TERMS) return undefined;
	const scale = largestScale(amounts, largestScale([total, tax, tolerance]));
	if (scale > 6) return undefined;
	const totalUnits = fastUnits(total, scale);
	const taxUnits = fastUnits(tax, scale);
	const toleranceUnits = fastUnits(tolerance, scale);
	if (totalUnits === undefined || taxUnits === undefined || toleranceUnits === undefined)
		return undefined;
	let sum = 0;
	for (const amount of amounts) {
		const units = fastUnits(amount, scale);
		if (units === undefined) return undefined;
		sum += units;
	}
	return Math.abs(sum - (totalUnits - taxUnits)) <= toleranceUnits;
}

/**
 * Undefined when `sum(amounts) == total − tax` within `tolerance`, else the explanation. Exact
 * BigInt arithmetic (with the explaining message) only when the fast path cannot decide or finds a gap.
 */
export function balanceGap(
	total: string,
	tax: string,
	tolerance: string,
	amounts: readonly string[],
): string | undefined {
	if (balancesFast(total, tax, tolerance, amounts) === true) return undefined;
	// '0.00' keeps the message at cent precision or finer.
	const scale = largestScale(amounts, largestScale([total, tax, tolerance, '0.00']));
	let sum = 0n;
	for (const amount of amounts) sum += toUnits(amount, scale);
	const expected = toUnits(total, scale) - toUnits(tax, scale);
	const difference = sum - expected;
	if ((difference < 0n ? -difference : difference) <= toUnits(tolerance, scale)) return undefined;
	return `line amounts sum to ${formatUnits(sum, scale)} but total ${total} − tax ${tax} = ${formatUnits(expected, scale)} (difference ${formatUnits(difference, scale)}, tolerance ${tolerance})`;
}

const trimZeros = (v: string): string => (v.includes('.') ? v.replace(/\.?0+$/, '') : v);

/** The exact product `quantity × unitPrice` when it differs from `amount` by more than `limit`, else undefined. */
export function productGap(
	quantity: string,
	unitPrice: string,
	amount: string,
	limit: string,
): string | undefined {
	const scale = largestScale([quantity, unitPrice, amount, limit]);
	const lift = 10n ** BigInt(scale);
	const product = toUnits(quantity, scale) * toUnits(unitPrice, scale);
	const gap = product - toUnits(amount, scale) * lift;
	if ((gap < 0n ? -gap : gap) <= toUnits(limit, scale) * lift) return undefined;
	return trimZeros(formatUnits(product, scale * 2));
}
