/**
 * Payment writes: keys of adopted payments, then each payment through Odoo's wizard (two calls:
 * the wizard is bound to its bill by context, and Odoo has no batched form that keeps per-bill
 * partial amounts), then the keys of the new payments in one call, then the chatter notes.
 */
import { ErpInputError, failed as failure, paymentWhere as where } from '../../erp';
import type { ErpResult, Payment } from '../../records/types';
import { paymentNoteHtml } from '../audit';
import type { OdooClient } from '../client';
import { OdooError } from '../errors';
import { EXTERNAL_ID_MODULE, fullExternalId } from '../externalIds';
import { createIsolated } from '../faultIsolation';
import { attempt } from '../transport';
import { OdooFloat, many2oneId, type OdooValue } from '../values';
import { paymentName } from './load';
import type { PaymentAction } from './plan';
import type { PaymentOutcome, PaymentRegisterOptions } from './types';

type Pay = Extract<PaymentAction, { kind: 'pay' }>;

function erpOf(
	payment: Payment,
	id: number | null,
	action: ErpResult['action'],
	reason?: string,
): ErpResult {
	return {
		system: 'odoo',
		id,
		externalId: fullExternalId(paymentName(payment)),
		action,
		...(reason ? { reason } : {}),
	};
}

/** The wizard: create it bound to the bill, run it; the id of the payment Odoo made. */
async function payOne(
	client: OdooClient,
	payment: Payment,
	action: Pay,
	journalId: number | undefined,
): Promise<number> {
	const context = { active_model: 'account.move', active_ids: [action.billId] };
	const vals: Record<string, OdooValue> = {
		amount: new OdooFloat(payment.amount),
		// Always said: without it Odoo pays in the bill's currency whatever the amount was meant in.
		currency_id: action.currencyId,
		payment_date: payment.paymentDate,
		communication: action.memo,
	};
	if (journalId) vals.journal_id = journalId;
	const [wizardId] = await client.create('account.payment.register', [vals], context);
	const result = await client.call<Record<string, unknown>>(
		'account.payment.register',
		'action_create_payments',
		[[wizardId]],
		{ context },
	);
	const paymentId = many2oneId(result?.res_id);
	if (paymentId === null)
		throw new OdooError(
			`Odoo registered the payment but did not say which record it created (got ${JSON.stringify(result)})`,
		);
	return paymentId;
}

interface Registered {
	index: number;
	billId: number;
	paymentId: number;
	action: 'created' | 'adopted';
}

/** Runs the plan; returns the payments now in Odoo under our keys (for the chatter). */
export async function applyPayments(
	client: OdooClient,
	payments: Payment[],
	actions: PaymentAction[],
	outcomes: Array<PaymentOutcome | undefined>,
	options: PaymentRegisterOptions,
): Promise<Registered[]> {
	const registered: Registered[] = [];
	for (const action of actions) {
		const payment = payments[action.index];
		if (action.kind === 'unchanged')
			outcomes[action.index] = { ok: true, erp: erpOf(payment, action.paymentId, 'unchanged') };
		else if (action.kind === 'skip')
			outcomes[action.index] = { ok: true, erp: erpOf(payment, null, 'skipped', action.reason) };
		else if (action.kind === 'fail') outcomes[action.index] = failure(action.error);
		else if (action.kind === 'adopt')
			registered.push({
				index: action.index,
				billId: action.billId,
				paymentId: action.paymentId,
				action: 'adopted',
			});
		else {
			const paid = await attempt(() => payOne(client, payment, action, options.journalId));
			if (paid.ok)
				registered.push({
					index: action.index,
					billId: action.billId,
					paymentId: paid.value,
					action: 'created',
				});
			else outcomes[action.index] = failure(paid.error);
		}
	}
	await recordKeys(client, payments, registered, outcomes);
	return registered.filter((r) => r.action === 'created' && outcomes[r.index]?.ok);
}

/**
 * One `ir.model.data` create for every payment registered or adopted. A key that could not be
 * written fails the item: the payment is in Odoo, and the next run finds it (same bill, amount,
 * date, currency and memo) and records its key instead of paying again.
 */
async function recordKeys(
	client: OdooClient,
	payments: Payment[],
	registered: Registered[],
	outcomes: Array<PaymentOutcome | undefined>,
): Promise<void> {
	const keys = await createIsolated(
		client,
		'ir.model.data',
		registered.map((r) => ({
			module: EXTERNAL_ID_MODULE,
			name: paymentName(payments[r.index]),
			model: 'account.payment',
			res_id: r.paymentId,
			noupdate: true,
		})),
	);
	registered.forEach((r, k) => {
		const payment = payments[r.index];
		const key = keys[k];
		if (!key.ok) {
			outcomes[r.index] = failure(
				new OdooError(
					`${where(payment)}: payment ${r.paymentId} is in Odoo but its Stampli key could not be recorded (${key.error.message}); the next run finds it and records the key, it does not pay again`,
				),
			);
			return;
		}
		const erp =
			r.action === 'adopted'
				? {
						...erpOf(
							payment,
							r.paymentId,
							'unchanged',
							'adopted: the payment was in Odoo without its Stampli key (an earlier run did not finish)',
						),
						adopted: true,
					}
				: erpOf(payment, r.paymentId, 'created');
		outcomes[r.index] = { ok: true, erp };
	});
}

/** Chatter notes on the bills paid; a note Odoo refuses is a warning on the item, or its failure. */
export async function writePaymentNotes(
	client: OdooClient,
	payments: Payment[],
	paid: Registered[],
	outcomes: Array<PaymentOutcome | undefined>,
	options: PaymentRegisterOptions & { noteSubtypeId?: number },
): Promise<void> {
	if (options.chatterNote === false || paid.length === 0) return;
	const notes = await createIsolated(
		client,
		'mail.message',
		paid.map((p) => ({
			model: 'account.move',
			res_id: p.billId,
			message_type: 'comment',
			subtype_id: options.noteSubtypeId ?? false,
			body: paymentNoteHtml(payments[p.index], p.paymentId),
		})),
	);
	paid.forEach((p, k) => {
		const note = notes[k];
		const outcome = outcomes[p.index];
		if (note.ok || !outcome?.ok) return;
		const text = `chatter note could not be written in Odoo: ${note.error.message}`;
		outcomes[p.index] =
			options.auditFailure === 'fail'
				? failure(
						new ErpInputError(
							`${where(payments[p.index])}: payment ${p.paymentId} was registered, but its ${text}`,
							'AUDIT_NOT_WRITTEN',
						),
					)
				: {
						ok: true,
						erp: {
							...outcome.erp,
							reason: [outcome.erp.reason, text].filter(Boolean).join('; '),
							warnings: [...(outcome.erp.warnings ?? []), text],
						},
					};
	});
}
