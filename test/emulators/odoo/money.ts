/**
 * The emulator's decimal arithmetic, on decimal.js directly and apart from the product's own
 * decimal module, so a rounding bug in one cannot hide the same bug in the other.
 */
import Decimal from 'decimal.js';

type Num = string | number;

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

export const add = (a: Num, b: Num): string => new D(a).plus(b).toFixed();
export const subtract = (a: Num, b: Num): string => new D(a).minus(b).toFixed();
export const multiply = (a: Num, b: Num): string => new D(a).times(b).toFixed();
/** Half-up to `places`, as Odoo's float_round does for currencies. */
export const round = (a: Num, places: number): string =>
	new D(a).toDecimalPlaces(places, Decimal.ROUND_HALF_UP).toFixed();
export const compare = (a: Num, b: Num): number => new D(a).comparedTo(b);
export const isZero = (a: Num): boolean => new D(a).isZero();
export const divide = (a: Num, b: Num): string => new D(a).dividedBy(b).toFixed();
