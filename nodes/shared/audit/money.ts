import { add, isDecimalString, toFixed } from '../records/decimal';

/** Exact sum shown with the largest scale among its terms, at least two decimals: "10.5" + "2" → "12.50". */
export function sumMoney(values: string[]): string {
	const scale = Math.max(
		2,
		...values.map((value) => (value.includes('.') ? value.length - value.indexOf('.') - 1 : 0)),
	);
	return toFixed(add('0', ...values), scale);
}

/** A decimal amount with at least two decimals ("-50" → "-50.00"); anything else → "". */
export const money = (value: unknown): string => (isDecimalString(value) ? sumMoney([value]) : '');
