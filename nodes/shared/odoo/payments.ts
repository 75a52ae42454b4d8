/**
 * Stampli payments registered on Odoo bills through the `account.payment.register` wizard, as the
 * Odoo UI does. Idempotent by an external id on the created payment. The lookups are batched;
 * the wizard is bound to its bill by context, so each payment costs two calls (create the wizard,
 * run it) — Odoo offers no batched form that keeps per-bill partial amounts.
 */
import {
	ErpInputError,
	failed as failure,
	paymentWhere as where,
	validatePayment,
	type ErpOutcome,
} from '../erp';
import { compare, subtract } from '../records/decimal';
import type { ErpResult, Payment } from '../records/types';
import { createIsolated } from './faultIsolation';
import type { OdooClient } from './client';
import { OdooError } from './errors';
import {
	EXTERNAL_ID_MODULE,
	externalName,
	fullExternalId,
	lookupXmlIds,
	type XmlIdRow,
} from './externalIds';
import { paymentNoteHtml } from './audit';
import { OdooFloat, many2oneId, type OdooRecord, type OdooValue } from './values';
import { attempt } from './transport';

export interface PaymentRegisterOptions {
	/** Bank or cash journal to pay from; Odoo's default when absent. */
	journalId?: number;
	/** Write a chatter note on the bill (default true). */
	chatterNote?: boolean;
}

export type PaymentOutcome = ErpOutcome;

/** Registers each payment on the bill imported for its Stampli invoice. One outcome per payment, same order. */
export async function registerPayments(
	client: OdooClient,
	payments: Payment[],
	options: PaymentRegisterOptions = {},
): Promise<PaymentOutcome[]> {
	const outcomes: Array<PaymentOutcome | undefined> = new Array(payments.length);
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
	if (valid.length === 0) return outcomes as PaymentOutcome[];

	const billName = (i: number) => externalName('invoice', payments[i].stampliInvoiceId);
	const paymentName = (i: number) => externalName('payment', payments[i].stampliPaymentId);
	const rows = await lookupXmlIds(client, {
		stampliNames: valid.flatMap((i) => [billName(i), paymentName(i)]),
		noteSubtype: options.chatterNote !== false,
	});
	const byName = new Map<string, XmlIdRow>(
		rows.filter((r) => r.module === EXTERNAL_ID_MODULE).map((r) => [r.name, r]),
	);
	const noteSubtypeId = rows.find((r) => r.module === 'mail')?.res_id;

	const toPay: number[] = [];
	for (const i of valid) {
		const done = byName.get(paymentName(i));
		if (done) {
			outcomes[i] = {
				ok: true,
				erp: {
					system: 'odoo',
					id: done.res_id,
					externalId: fullExternalId(paymentName(i)),
					action: 'unchanged',
				},
			};
			continue;
		}
		if (!byName.get(billName(i))) {
			outcomes[i] = failure(
				new ErpInputError(
					`${where(payments[i])}: no Odoo bill for Stampli invoice ${payments[i].stampliInvoiceId} (${payments[i].invoiceNumber}); import the invoice first`,
				),
			);
			continue;
		}
		toPay.push(i);
	}
	if (toPay.length === 0) return outcomes as PaymentOutcome[];

	const billIds = [...new Set(toPay.map((i) => byName.get(billName(i))!.res_id))];
	const bills = new Map<number, OdooRecord>(
		(
			await client.read('account.move', billIds, [
				'name',
				'state',
				'payment_state',
				'amount_residual',
				'currency_id',
			])
		).map((b) => [b.id, b]),
	);
	// Open amount per bill, tracked locally so two payments of one bill in a batch see each other.
	const residual = new Map<number, string>(
		[...bills.values()].map((b) => [b.id, String(b.amount_residual)]),
	);

	const paid: Array<{ index: number; billId: number; paymentId: number }> = [];
	for (const i of toPay) {
		const payment = payments[i];
		const billId = byName.get(billName(i))!.res_id;
		const bill = bills.get(billId);
		if (!bill) {
			outcomes[i] = failure(
				new ErpInputError(
					`${where(payment)}: the Odoo bill of Stampli invoice ${payment.stampliInvoiceId} was deleted`,
				),
			);
			continue;
		}
		if (bill.state !== 'posted') {
			outcomes[i] = failure(
				new ErpInputError(
					`${where(payment)}: Odoo bill ${bill.name} (id ${billId}) is ${bill.state}; post it before registering payments`,
				),
			);
			continue;
		}
		const open = residual.get(billId)!;
		if (compare(open, '0') <= 0) {
			outcomes[i] = {
				ok: true,
				erp: {
					system: 'odoo',
					id: null,
					externalId: fullExternalId(paymentName(i)),
					action: 'skipped',
					reason: `bill ${bill.name} is already paid`,
				},
			};
			continue;
		}
		if (compare(payment.amount, open) > 0) {
			outcomes[i] = failure(
				new ErpInputError(
					`${where(payment)}: amount ${payment.amount} exceeds the open amount ${open} of Odoo bill ${bill.name}`,
				),
			);
			continue;
		}
		const context = { active_model: 'account.move', active_ids: [billId] };
		const wizardVals: Record<string, OdooValue> = {
			amount: new OdooFloat(payment.amount),
			payment_date: payment.paymentDate,
			communication: payment.reference || payment.invoiceNumber || bill.name,
		};
		if (options.journalId) wizardVals.journal_id = options.journalId;
		const outcome = await attempt(async () => {
			const [wizardId] = await client.create('account.payment.register', [wizardVals], context);
			const action = await client.call<Record<string, unknown>>(
				'account.payment.register',
				'action_create_payments',
				[[wizardId]],
				{ context },
			);
			const paymentId = many2oneId(action?.res_id);
			if (paymentId === null)
				throw new OdooError(
					`Odoo registered the payment but did not say which record it created (got ${JSON.stringify(action)})`,
				);
			return paymentId;
		});
		if (!outcome.ok) {
			outcomes[i] = failure(outcome.error);
			continue;
		}
		residual.set(billId, subtract(open, payment.amount));
		paid.push({ index: i, billId, paymentId: outcome.value });
	}

	const xmlIds = await createIsolated(
		client,
		'ir.model.data',
		paid.map((p) => ({
			module: EXTERNAL_ID_MODULE,
			name: paymentName(p.index),
			model: 'account.payment',
			res_id: p.paymentId,
			noupdate: true,
		})),
	);
	paid.forEach((p, k) => {
		const erp: ErpResult = {
			system: 'odoo',
			id: p.paymentId,
			externalId: fullExternalId(paymentName(p.index)),
			action: 'created',
		};
		// The payment exists even if its external id could not be written; a re-run then sees the bill paid and skips.
		outcomes[p.index] = xmlIds[k].ok
			? { ok: true, erp }
			: {
					ok: true,
					erp: {
						...erp,
						reason: `external id not recorded: ${(xmlIds[k] as { error: Error }).error.message}`,
					},
				};
	});
	if (options.chatterNote !== false && paid.length > 0) {
		await createIsolated(
			client,
			'mail.message',
			paid.map((p) => ({
				model: 'account.move',
				res_id: p.billId,
				message_type: 'comment',
				subtype_id: noteSubtypeId ?? false,
				body: paymentNoteHtml(payments[p.index], p.paymentId),
			})),
		);
	}
	return outcomes as PaymentOutcome[];
}
