/**
 * Odoo records a person picks an id from in the editor: GL accounts, purchase taxes, journals and
 * analytic accounts. One `search_read` per page, in the company of the credential when it names one,
 * usable records only, filtered by code or name as typed.
 */
import {
	PICKER_PAGE_SIZE,
	pickerFilter,
	pickerOffset,
	pickerPage,
	type PickerEntry,
	type PickerPage,
	type PickerQuery,
} from '../erp';
import { accountCompanyDomain, accountFields, normaliseAccount } from './accountFields';
import type { OdooClient } from './client';
import { many2oneName } from './masterData/convert';
import type { OdooDomain, OdooRecord } from './values';

type Client = Pick<OdooClient, 'searchRead' | 'serverVersion' | 'config'>;

/** Which journals a parameter asks for: where bills are booked, or what payments are made from. */
export type OdooJournalUse = 'purchase' | 'payment';

const JOURNAL_TYPES: Record<OdooJournalUse, string[]> = {
	purchase: ['purchase'],
	payment: ['bank', 'cash'],
};

/** The record's form in Odoo's web client (Odoo 17 to 19 all open this address). */
export function odooRecordUrl(baseUrl: string, model: string, id: number): string {
	return `${baseUrl.replace(/\/+$/, '')}/web#id=${id}&model=${model}&view_type=form`;
}

/** `field ilike filter` over several fields, as one Odoo domain (OR-ed); empty without a filter. */
function matchAny(fields: string[], filter: string): OdooDomain {
	if (!filter) return [];
	const leaves: OdooDomain = fields.map((field) => [field, 'ilike', filter]);
	return [...Array(leaves.length - 1).fill('|'), ...leaves];
}

const companyLeaf = (client: Client): OdooDomain =>
	client.config.companyId !== undefined ? [['company_id', '=', client.config.companyId]] : [];

async function page(
	client: Client,
	model: string,
	domain: OdooDomain,
	fields: string[],
	order: string,
	query: PickerQuery,
	entry: (record: OdooRecord) => Omit<PickerEntry, 'url'>,
): Promise<PickerPage> {
	const offset = pickerOffset(query);
	const size = query.pageSize ?? PICKER_PAGE_SIZE;
	const rows = await client.searchRead(model, domain, {
		fields,
		offset,
		limit: size + 1,
		order,
	});
	return pickerPage(
		rows.map((record) => ({
			...entry(record),
			url: odooRecordUrl(client.config.url, model, record.id),
		})),
		offset,
		size,
	);
}

/** Usable GL accounts of the credential's company, "code name", by code. */
export async function pickOdooAccounts(client: Client, query: PickerQuery): Promise<PickerPage> {
	const major = await client.serverVersion();
	const names = accountFields(major);
	const usable: OdooDomain =
		names.usable === 'active' ? [['active', '=', true]] : [['deprecated', '=', false]];
	const domain = [
		...usable,
		...accountCompanyDomain(major, client.config.companyId),
		...matchAny(['code', 'name'], pickerFilter(query)),
	];
	return await page(client, 'account.account', domain, names.fields, 'code, id', query, (r) => {
		const account = normaliseAccount(major, r);
		return { name: `${account.code} ${account.name}`.trim(), value: String(account.id) };
	});
}

const percent = (amount: unknown, type: unknown) =>
	type === 'percent' && typeof amount === 'number' ? ` (${amount}%)` : '';

/** Active purchase taxes (taxes a vendor bill line can carry). */
export async function pickOdooTaxes(client: Client, query: PickerQuery): Promise<PickerPage> {
	const domain: OdooDomain = [
		['type_tax_use', '=', 'purchase'],
		...companyLeaf(client),
		...matchAny(['name'], pickerFilter(query)),
	];
	return await page(
		client,
		'account.tax',
		domain,
		['id', 'name', 'amount', 'amount_type'],
		'name, id',
		query,
		(r) => ({
			name: `${String(r.name)}${String(r.name).includes('%') ? '' : percent(r.amount, r.amount_type)}`,
			value: String(r.id),
		}),
	);
}

/** Purchase journals (bills) or bank and cash journals (payments), "name (code)". */
export async function pickOdooJournals(
	client: Client,
	use: OdooJournalUse,
	query: PickerQuery,
): Promise<PickerPage> {
	const domain: OdooDomain = [
		['type', 'in', JOURNAL_TYPES[use]],
		...companyLeaf(client),
		...matchAny(['code', 'name'], pickerFilter(query)),
	];
	return await page(
		client,
		'account.journal',
		domain,
		['id', 'name', 'code'],
		'name, id',
		query,
		(r) => ({ name: `${String(r.name)} (${String(r.code)})`, value: String(r.id) }),
	);
}

/**
 * Active analytic accounts of the credential's company or shared by all companies (no company),
 * "[code] name · plan · company". Odoo 17 and 19 name these fields alike; an archived account
 * cannot be chosen on a bill line, so it is not offered.
 */
export async function pickOdooAnalyticAccounts(
	client: Client,
	query: PickerQuery,
): Promise<PickerPage> {
	const companyId = client.config.companyId;
	const company: OdooDomain =
		companyId !== undefined ? [['company_id', 'in', [companyId, false]]] : [];
	const domain: OdooDomain = [
		['active', '=', true],
		...company,
		...matchAny(['code', 'name'], pickerFilter(query)),
	];
	return await page(
		client,
		'account.analytic.account',
		domain,
		['id', 'name', 'code', 'plan_id', 'company_id'],
		'name, id',
		query,
		(r) => {
			const code = typeof r.code === 'string' && r.code ? `[${r.code}] ` : '';
			const parts = [
				`${code}${String(r.name)}`,
				many2oneName(r.plan_id),
				many2oneName(r.company_id),
			];
			return { name: parts.filter(Boolean).join(' · '), value: String(r.id) };
		},
	);
}
