/**
 * Currencies as Odoo can book them. A fresh Odoo database has EUR, GBP and the rest inactive, yet
 * `base.EUR` resolves; a bill in an inactive currency is created with its lines converted 1:1 and
 * cannot be posted, and an active currency without any rate converts 1:1 too. So a currency is
 * checked before anything is written in it.
 */
import { ErpInputError } from '../erp';
import type { OdooClient } from './client';
import { many2oneId } from './values';

export interface CurrencyInfo {
	id: number;
	code: string;
	active: boolean;
	/** Whether Odoo holds at least one rate for it. */
	hasRate: boolean;
	/** The working company's own currency (needs no rate). */
	companyCurrency: boolean;
}

const companyCurrencies = new WeakMap<OdooClient, Promise<number | undefined>>();

/** The working company's currency: the credential's company, else the user's; read once per client. */
export function companyCurrencyId(client: OdooClient): Promise<number | undefined> {
	let known = companyCurrencies.get(client);
	if (!known) {
		known = (async () => {
			let companyId = client.config.companyId;
			if (companyId === undefined) {
				const [user] = await client.read('res.users', [await client.uid()], ['company_id']);
				companyId = many2oneId(user?.company_id) ?? undefined;
			}
			if (companyId === undefined) return undefined;
			const [company] = await client.read('res.company', [companyId], ['currency_id']);
			return many2oneId(company?.currency_id) ?? undefined;
		})();
		// A failed read is not remembered: the next batch asks again.
		known.catch(() => companyCurrencies.delete(client));
		companyCurrencies.set(client, known);
	}
	return known;
}

/** Reads, for currency codes already resolved to ids (`base.<CODE>`), whether each can be booked. */
export async function loadCurrencies(
	client: OdooClient,
	idsByCode: Map<string, number>,
): Promise<Map<string, CurrencyInfo>> {
	const result = new Map<string, CurrencyInfo>();
	if (idsByCode.size === 0) return result;
	const [companyCurrency, rows] = await Promise.all([
		companyCurrencyId(client),
		client.read('res.currency', [...new Set(idsByCode.values())], ['name', 'active', 'rate_ids'], {
			active_test: false,
		}),
	]);
	const byId = new Map(rows.map((row) => [row.id, row]));
	for (const [code, id] of idsByCode) {
		const row = byId.get(id);
		if (!row) continue;
		result.set(code, {
			id,
			code,
			active: row.active !== false,
			hasRate: Array.isArray(row.rate_ids) && row.rate_ids.length > 0,
			companyCurrency: id === companyCurrency,
		});
	}
	return result;
}

/** The currency's id if Odoo can book in it; otherwise an error saying what to change in Odoo. */
export function bookableCurrency(
	code: string,
	currencies: Map<string, CurrencyInfo>,
	where: string,
): number {
	const info = currencies.get(code);
	if (!info) throw new ErpInputError(`${where}: currency ${code} is not known to Odoo`);
	if (!info.active)
		throw new ErpInputError(
			`${where}: currency ${code} is not active in Odoo (Accounting > Settings > Currencies); nothing was written`,
			'CURRENCY_INACTIVE',
		);
	if (!info.companyCurrency && !info.hasRate)
		throw new ErpInputError(
			`${where}: currency ${code} has no exchange rate in Odoo, which would book it 1:1; add a rate first`,
			'CURRENCY_NO_RATE',
		);
	return info.id;
}
