/**
 * The payment writer's decisions, as data (no Odoo call): per payment `unchanged` (already keyed),
 * `adopt` (a payment registered by a run that did not record its key), `pay`, `skip` (bill already
 * paid) or `fail`, each with its reason.
 */
import { ErpInputError, paymentWhere as where } from '../../erp';
import { compare, subtract } from '../../records/decimal';
import type { Payment } from '../../records/types';
import { bookableCurrency } from '../currencies';
import { many2oneId, type OdooRecord } from '../values';
import { billName, memoField, paymentName, type PaymentLookups } from './load';

/** A payment in another currency than its bill: Odoo converts it (default), or the payment is refused. */
export type PaymentCurrencyPolicy = 'convert' | 'refuse';

export interface PayDetails {
	billId: number;
	bill: OdooRecord;
	currencyId: number;
	/** The memo Odoo stores on the payment (also how an unkeyed payment is recognised). */
	memo: string;
}

export type PaymentAction =
	| { kind: 'unchanged'; index: number; paymentId: number }
	| { kind: 'adopt'; index: number; paymentId: number; billId: number }
	| ({ kind: 'pay'; index: number } & PayDetails)
	| { kind: 'skip'; index: number; reason: string }
	| { kind: 'fail'; index: number; error: Error };

export function paymentMemo(payment: Payment, bill: OdooRecord): string {
	return payment.reference || payment.invoiceNumber || String(bill.name);
}

/** An unkeyed payment that is this one: same bill, amount, date, currency and memo; each taken once. */
function findOrphan(
	payment: Payment,
	details: PayDetails,
	lookups: PaymentLookups,
	claimed: Set<number>,
): number | undefined {
	const memo = memoField(lookups.major);
	return lookups.unkeyedPayments.find(
		(p) =>
			!claimed.has(p.id) &&
			((p.reconciled_bill_ids as number[]) ?? []).includes(details.billId) &&
			compare(String(p.amount), payment.amount) === 0 &&
			p.date === payment.paymentDate &&
			many2oneId(p.currency_id) === details.currencyId &&
			(p[memo] || '') === details.memo,
	)?.id;
}

/** The bill and currency of a payment, or why it cannot be paid. */
function payDetails(
	payment: Payment,
	lookups: PaymentLookups,
	policy: PaymentCurrencyPolicy,
): PayDetails {
	const billRow = lookups.xmlIds.get(billName(payment));
	if (!billRow)
		throw new ErpInputError(
			`${where(payment)}: no Odoo bill for Stampli invoice ${payment.stampliInvoiceId} (${payment.invoiceNumber}); import the invoice first`,
		);
	const bill = lookups.bills.get(billRow.res_id);
	if (!bill)
		throw new ErpInputError(
			`${where(payment)}: the Odoo bill of Stampli invoice ${payment.stampliInvoiceId} was deleted`,
		);
	if (bill.state !== 'posted')
		throw new ErpInputError(
			`${where(payment)}: Odoo bill ${bill.name} (id ${bill.id}) is ${bill.state}; post it before registering payments`,
		);
	const currencyId = bookableCurrency(payment.currency, lookups.currencies, where(payment));
	const billCurrency = Array.isArray(bill.currency_id) ? String(bill.currency_id[1]) : undefined;
	if (currencyId !== many2oneId(bill.currency_id) && policy === 'refuse')
		throw new ErpInputError(
			`${where(payment)}: payment in ${payment.currency} against Odoo bill ${bill.name} in ${billCurrency ?? 'another currency'}; conversion is turned off (payment currency option)`,
			'CURRENCY_MISMATCH',
		);
	return { billId: bill.id, bill, currencyId, memo: paymentMemo(payment, bill) };
}

/** One action per payment (same order as `indexes`). Open amounts are tracked so two payments of a bill see each other. */
export function planPayments(
	payments: Payment[],
	indexes: number[],
	lookups: PaymentLookups,
	policy: PaymentCurrencyPolicy = 'convert',
): PaymentAction[] {
	const residual = new Map<number, string>(
		[...lookups.bills.values()].map((b) => [b.id, String(b.amount_residual)]),
	);
	const claimed = new Set<number>();
	return indexes.map((index): PaymentAction => {
		const payment = payments[index];
		const done = lookups.xmlIds.get(paymentName(payment));
		if (done) return { kind: 'unchanged', index, paymentId: done.res_id };
		let details: PayDetails;
		try {
			details = payDetails(payment, lookups, policy);
		} catch (error) {
			return { kind: 'fail', index, error: error as Error };
		}
		const orphan = findOrphan(payment, details, lookups, claimed);
		if (orphan !== undefined) {
			claimed.add(orphan);
			return { kind: 'adopt', index, paymentId: orphan, billId: details.billId };
		}
		const open = residual.get(details.billId)!;
		if (compare(open, '0') <= 0)
			return { kind: 'skip', index, reason: `bill ${details.bill.name} is already paid` };
		const sameCurrency = details.currencyId === many2oneId(details.bill.currency_id);
		// In another currency Odoo converts at its own rate: the open amount is compared by Odoo, not here.
		if (sameCurrency && compare(payment.amount, open) > 0)
			return {
				kind: 'fail',
				index,
				error: new ErpInputError(
					`${where(payment)}: amount ${payment.amount} exceeds the open amount ${open} of Odoo bill ${details.bill.name}`,
				),
			};
		if (sameCurrency) residual.set(details.billId, subtract(open, payment.amount));
		return { kind: 'pay', index, ...details };
	});
}
