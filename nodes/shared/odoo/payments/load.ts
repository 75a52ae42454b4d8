/**
 * Every read the payment writer needs, batched: our external ids (bills and payments), currencies,
 * the bills to pay, and payments a run that did not finish registered without recording their key.
 */
import type { Payment } from '../../records/types';
import type { OdooClient } from '../client';
import { loadCurrencies, type CurrencyInfo } from '../currencies';
import { EXTERNAL_ID_MODULE, externalName, lookupXmlIds, type XmlIdRow } from '../externalIds';
import { many2oneId, type OdooRecord } from '../values';

export interface PaymentLookups {
	major: number;
	xmlIds: Map<string, XmlIdRow>;
	currencies: Map<string, CurrencyInfo>;
	noteSubtypeId?: number;
	bills: Map<number, OdooRecord>;
	/** Payments without our external id on the bills to pay (candidates for adoption). */
	unkeyedPayments: OdooRecord[];
}

export const billName = (p: Payment) => externalName('invoice', p.stampliInvoiceId);
export const paymentName = (p: Payment) => externalName('payment', p.stampliPaymentId);

/** The payment's memo field: `ref` up to 17, `memo` from 18. */
export function memoField(major: number): 'ref' | 'memo' {
	return major >= 18 ? 'memo' : 'ref';
}

export async function loadPaymentLookups(
	client: OdooClient,
	payments: Payment[],
	chatter: boolean,
): Promise<PaymentLookups> {
	const [major, rows] = await Promise.all([
		client.serverVersion(),
		lookupXmlIds(client, {
			stampliNames: payments.flatMap((p) => [billName(p), paymentName(p)]),
			currencies: payments.map((p) => p.currency),
			noteSubtype: chatter,
		}),
	]);
	const xmlIds = new Map<string, XmlIdRow>();
	const currencyIds = new Map<string, number>();
	let noteSubtypeId: number | undefined;
	for (const row of rows) {
		if (row.module === EXTERNAL_ID_MODULE) xmlIds.set(row.name, row);
		else if (row.module === 'base') currencyIds.set(row.name, row.res_id);
		else if (row.module === 'mail') noteSubtypeId = row.res_id;
	}
	const billIds = [
		...new Set(
			payments
				.filter((p) => !xmlIds.has(paymentName(p)))
				.map((p) => xmlIds.get(billName(p))?.res_id)
				.filter((id): id is number => id !== undefined),
		),
	];
	const [currencies, bills] = await Promise.all([
		loadCurrencies(client, currencyIds),
		billIds.length === 0
			? Promise.resolve([] as OdooRecord[])
			: client.read('account.move', billIds, [
					'name',
					'state',
					'payment_state',
					'amount_residual',
					'currency_id',
					'partner_id',
				]),
	]);
	const billMap = new Map(bills.map((b) => [b.id, b]));
	const unkeyedPayments = await findUnkeyedPayments(client, major, [...billMap.values()], payments);
	return { major, xmlIds, currencies, noteSubtypeId, bills: billMap, unkeyedPayments };
}

/**
 * Payments to these bills' vendors on the payments' dates, with no external id of ours: what a run
 * that was cut off after paying left behind. Two reads at most for the whole batch.
 */
async function findUnkeyedPayments(
	client: OdooClient,
	major: number,
	bills: OdooRecord[],
	payments: Payment[],
): Promise<OdooRecord[]> {
	const partners = [
		...new Set(bills.map((b) => many2oneId(b.partner_id)).filter((id) => id !== null)),
	];
	if (partners.length === 0) return [];
	const found = await client.searchRead(
		'account.payment',
		[
			['partner_id', 'in', partners],
			['date', 'in', [...new Set(payments.map((p) => p.paymentDate))]],
		],
		{
			fields: [
				'amount',
				'date',
				'state',
				'currency_id',
				'partner_id',
				memoField(major),
				'reconciled_bill_ids',
			],
		},
	);
	// Cancelled payments paid nothing (the state's spelling differs between versions).
	const live = found.filter((p) => !/^cancel/.test(String(p.state)));
	if (live.length === 0) return [];
	const keyed = await client.searchRead(
		'ir.model.data',
		[
			['module', '=', EXTERNAL_ID_MODULE],
			['model', '=', 'account.payment'],
			['res_id', 'in', live.map((p) => p.id)],
		],
		{ fields: ['res_id'] },
	);
	const taken = new Set(keyed.map((row) => Number(row.res_id)));
	return live.filter((p) => !taken.has(p.id));
}
