/**
 * Stampli payments registered on Odoo bills through the `account.payment.register` wizard, as the
 * Odoo UI does, in three steps: load (batched reads), plan (pure decisions) and apply (the wizard
 * per payment, the keys in one call, the chatter notes in one call). Idempotent by an external id on
 * the payment; a payment registered by a run that did not record its key is found and adopted.
 */
import {
	ErpInputError,
	failed as failure,
	paymentWhere as where,
	validatePayment,
} from '../../erp';
import type { Payment } from '../../records/types';
import type { OdooClient } from '../client';
import { applyPayments, writePaymentNotes } from './apply';
import { loadPaymentLookups } from './load';
import { planPayments } from './plan';
import type { PaymentOutcome, PaymentRegisterOptions } from './types';

export * from './types';
export { planPayments, paymentMemo, type PaymentAction, type PaymentCurrencyPolicy } from './plan';

function validIndexes(payments: Payment[], outcomes: Array<PaymentOutcome | undefined>): number[] {
	const valid: number[] = [];
	const seen = new Set<string>();
	payments.forEach((payment, index) => {
		try {
			validatePayment(payment);
			if (seen.has(payment.stampliPaymentId))
				throw new ErpInputError(`${where(payment)}: appears twice in this batch`);
			seen.add(payment.stampliPaymentId);
			valid.push(index);
		} catch (error) {
			outcomes[index] = failure(error);
		}
	});
	return valid;
}

/** Registers each payment on the bill imported for its Stampli invoice. One outcome per payment, same order. */
export async function registerPayments(
	client: OdooClient,
	payments: Payment[],
	options: PaymentRegisterOptions = {},
): Promise<PaymentOutcome[]> {
	const outcomes: Array<PaymentOutcome | undefined> = new Array(payments.length);
	const valid = validIndexes(payments, outcomes);
	if (valid.length > 0) {
		const lookups = await loadPaymentLookups(
			client,
			valid.map((i) => payments[i]),
			options.chatterNote !== false,
		);
		const actions = planPayments(payments, valid, lookups, options.currencyPolicy);
		const paid = await applyPayments(client, payments, actions, outcomes, options);
		await writePaymentNotes(client, payments, paid, outcomes, {
			...options,
			noteSubtypeId: lookups.noteSubtypeId,
		});
	}
	return outcomes.map((o) => o ?? failure(new Error('internal: no outcome recorded')));
}
