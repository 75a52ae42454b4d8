/**
 * The check an AP integration owes its users: does the bill Odoo computed (its `amount_total`,
 * taxes included) carry the total Stampli approved? A GL rule without the tax, a tax of the wrong
 * rate, a line whose quantity × price Odoo rounds differently: each writes a bill that differs from
 * the approved invoice, and only Odoo's own figure shows it. Exact decimal comparison at the
 * currency's precision; nothing here calls Odoo.
 */
import { abs, add, compare, isDecimalString, round } from '../records/decimal';
import type { Invoice } from '../records/types';
import type { OdooRecord } from './values';

/** What to do when Odoo's total differs from Stampli's. `notChecked` skips the read-back (measurement only; the node always checks). */
export type TotalMismatchPolicy = 'warn' | 'fail' | 'notChecked';

/** The account.move fields the check reads. */
export const TOTAL_FIELDS = ['amount_total', 'amount_tax', 'currency_id'];

/** ISO 4217 currencies whose minor unit is not 2 digits (the rest, and unknown codes, have 2). */
const MINOR_UNITS: Record<string, number> = {
	BIF: 0,
	CLP: 0,
	DJF: 0,
	GNF: 0,
	ISK: 0,
	JPY: 0,
	KMF: 0,
	KRW: 0,
	PYG: 0,
	RWF: 0,
	UGX: 0,
	UYI: 0,
	VND: 0,
	VUV: 0,
	XAF: 0,
	XOF: 0,
	XPF: 0,
	BHD: 3,
	IQD: 3,
	JOD: 3,
	KWD: 3,
	LYD: 3,
	OMR: 3,
	TND: 3,
	CLF: 4,
	UYW: 4,
};

export function currencyScale(code: string): number {
	return MINOR_UNITS[code] ?? 2;
}

/** Odoo returns monetary fields as doubles already rounded to the currency; shortest text, then fixed scale. */
export function odooMoney(value: unknown, scale: number): string | undefined {
	if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
	// String() gives the shortest text that reads back as the same double: 1149.99 → "1149.99".
	const text = String(value);
	if (!isDecimalString(text)) return undefined; // exponent forms (1e21) are not amounts Odoo books
	return round(text, scale);
}

export interface TotalCheck {
	/** Odoo's total, unsigned, at the currency's scale. */
	amountTotal?: string;
	amountTax?: string;
	/** Set when Odoo's total (or currency) differs from what Stampli approved: the item warns or fails on it. */
	mismatch?: string;
	/** Other things worth a warning (tax split differs while the total agrees, Stampli total unreadable). */
	notes: string[];
}

/**
 * What Odoo should show for this item: the invoice total and tax, unsigned. A GL Mapper split sends
 * only the mapped lines; that part carries its lines plus the whole tax (the needs-attention part
 * carries the rest), as the reconciliation counts it.
 */
export function expectedTotals(invoice: Invoice): { total?: string; tax?: string } {
	const tax = isDecimalString(invoice.taxTotal) ? abs(invoice.taxTotal) : undefined;
	if (invoice.mapping?.partial?.part === 'mapped') {
		const amounts = invoice.lines.map((line) => line.amount);
		if (!amounts.every(isDecimalString)) return { tax };
		return {
			total: abs(
				add(add('0', ...amounts), isDecimalString(invoice.taxTotal) ? invoice.taxTotal : '0'),
			),
			tax,
		};
	}
	return { total: isDecimalString(invoice.total) ? abs(invoice.total) : undefined, tax };
}

/** Compares a bill as Odoo read it (`amount_total`, `amount_tax`, `currency_id`) with the invoice. */
export function checkBillTotals(invoice: Invoice, move: OdooRecord): TotalCheck {
	const odooCurrency = Array.isArray(move.currency_id)
		? String(move.currency_id[1] ?? '')
		: undefined;
	const scale = currencyScale(odooCurrency || invoice.currency);
	const amountTotal = odooMoney(move.amount_total, scale);
	const amountTax = odooMoney(move.amount_tax, scale);
	const check: TotalCheck = {
		...(amountTotal !== undefined ? { amountTotal } : {}),
		...(amountTax !== undefined ? { amountTax } : {}),
		notes: [],
	};
	if (amountTotal === undefined) {
		check.notes.push('Odoo did not return the bill total: not checked against Stampli');
		return check;
	}
	if (odooCurrency && odooCurrency !== invoice.currency) {
		check.mismatch = `currency mismatch: Odoo bill in ${odooCurrency} (total ${amountTotal}), Stampli invoice in ${invoice.currency}`;
		return check;
	}
	const expected = expectedTotals(invoice);
	const fixed = (value: string) => round(value, scale);
	const taxText =
		expected.tax !== undefined && amountTax !== undefined
			? ` (tax: Odoo ${amountTax} vs Stampli ${fixed(expected.tax)})`
			: '';
	if (expected.total === undefined) {
		check.notes.push(
			`Stampli total ${JSON.stringify(invoice.total)} is not a decimal: Odoo total ${amountTotal} ${invoice.currency} not checked`,
		);
	} else if (compare(fixed(expected.total), amountTotal) !== 0) {
		check.mismatch = `total mismatch: Odoo ${amountTotal} vs Stampli ${fixed(expected.total)} ${invoice.currency}${taxText}`;
	} else if (
		expected.tax !== undefined &&
		amountTax !== undefined &&
		compare(fixed(expected.tax), amountTax) !== 0
	) {
		// Same payable, different split between tax and expense: the VAT return will differ.
		check.notes.push(
			`tax mismatch: Odoo ${amountTax} vs Stampli ${fixed(expected.tax)} ${invoice.currency} (totals agree at ${amountTotal})`,
		);
	}
	return check;
}
