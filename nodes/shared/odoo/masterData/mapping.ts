/**
 * Odoo rows → canonical records. Which fields are asked for depends on what the server has
 * (fields_get): `account_type` (16+) or `user_type_id` (≤ 15), `company_ids` (18+) or `company_id`,
 * `active` (19+) or `deprecated`, and optional partner fields that need modules (purchase, contacts).
 */
import type {
	Address,
	GlAccount,
	PurchaseOrder,
	PurchaseOrderLine,
	Vendor,
} from '../../records/types';
import type { OdooRecord } from '../values';
import { many2oneIdText, many2oneName, odooDateInZone, odooNumber, odooText } from './convert';
import type { AnalyticAccount } from './types';

/** Fields a model has on this server (from fields_get), plus the ones every model has. */
export type FieldSet = ReadonlySet<string>;

const MAGIC = ['id', 'display_name', 'write_date', 'create_date'];

export function withMagic(names: Iterable<string>): Set<string> {
	return new Set([...names, ...MAGIC]);
}

function pick(available: FieldSet, wanted: string[]): string[] {
	return wanted.filter((name) => available.has(name));
}

// ---------- vendors ----------

const PARTNER_FIELDS = [
	'id',
	'name',
	'vat',
	'ref',
	'email',
	'phone',
	'mobile',
	'street',
	'street2',
	'city',
	'state_id',
	'zip',
	'country_id',
	'country_code',
	'property_purchase_currency_id',
	'property_supplier_payment_term_id',
	'active',
	'write_date',
];

export function partnerFields(available: FieldSet): string[] {
	return pick(available, PARTNER_FIELDS);
}

export function mapVendor(row: OdooRecord): Vendor {
	const address: Address = {};
	const set = (key: keyof Address, value: string | undefined) => {
		if (value !== undefined) address[key] = value;
	};
	set('line1', odooText(row.street));
	set('line2', odooText(row.street2));
	set('city', odooText(row.city));
	set('region', many2oneName(row.state_id));
	set('postalCode', odooText(row.zip));
	set('country', odooText(row.country_code) ?? many2oneName(row.country_id));
	const vendor: Vendor = {
		vendorId: String(row.id),
		name: odooText(row.name) ?? '',
		active: row.active !== false,
	};
	const optional: Array<[keyof Vendor, string | undefined]> = [
		['taxId', odooText(row.vat)],
		['email', odooText(row.email)],
		['phone', odooText(row.phone) ?? odooText(row.mobile)],
		['currency', many2oneName(row.property_purchase_currency_id)],
		['paymentTerms', many2oneName(row.property_supplier_payment_term_id)],
	];
	for (const [key, value] of optional)
		if (value !== undefined) (vendor as unknown as Record<string, unknown>)[key] = value;
	if (Object.keys(address).length > 0) vendor.address = address;
	return vendor;
}

// ---------- purchase orders ----------

const ORDER_FIELDS = [
	'id',
	'name',
	'partner_id',
	'date_order',
	'date_approve',
	'currency_id',
	'amount_total',
	'state',
	'write_date',
];
const LINE_FIELDS = [
	'id',
	'order_id',
	'sequence',
	'name',
	'product_id',
	'product_qty',
	'qty_received',
	'qty_invoiced',
	'price_unit',
	'price_subtotal',
	'display_type',
	'write_date',
];

export function orderFields(available: FieldSet): string[] {
	return pick(available, ORDER_FIELDS);
}

export function orderLineFields(available: FieldSet): string[] {
	return pick(available, LINE_FIELDS);
}

/** `[CODE] Name` is how Odoo displays a product with an internal reference. */
function productCode(product: unknown): string | undefined {
	const name = many2oneName(product);
	const match = name ? /^\[([^\]]+)\]/.exec(name) : null;
	return match ? match[1] : undefined;
}

/** Section and note lines carry no quantity or amount; they are layout, not order lines. */
export function isLayoutLine(row: OdooRecord): boolean {
	return (
		typeof row.display_type === 'string' &&
		row.display_type !== '' &&
		row.display_type !== 'product'
	);
}

/**
 * An order's product lines in the order Odoo shows them (sequence, then id). The feed numbers them
 * 1, 2, 3… as `lineNumber`; the bill side resolves Stampli's line numbers with the same function.
 */
export function orderedProductLines<T extends OdooRecord>(lines: T[]): T[] {
	return lines
		.filter((l) => !isLayoutLine(l))
		.sort((a, b) => (Number(a.sequence) || 0) - (Number(b.sequence) || 0) || a.id - b.id);
}

export function mapPurchaseOrder(
	order: OdooRecord,
	lines: OdooRecord[],
	timeZone = 'UTC',
): PurchaseOrder {
	const sorted = orderedProductLines(lines);
	const mappedLines = sorted.map((line, i): PurchaseOrderLine => {
		const mapped: PurchaseOrderLine = {
			lineId: String(line.id),
			lineNumber: i + 1,
			description: odooText(line.name) ?? '',
			quantity: odooNumber(line.product_qty) ?? '0',
			unitPrice: odooNumber(line.price_unit) ?? '0',
			amount: odooNumber(line.price_subtotal) ?? '0',
		};
		const received = odooNumber(line.qty_received);
		const billed = odooNumber(line.qty_invoiced);
		const code = productCode(line.product_id);
		if (received !== undefined) mapped.quantityReceived = received;
		if (billed !== undefined) mapped.quantityBilled = billed;
		if (code !== undefined) mapped.productCode = code;
		return mapped;
	});
	return {
		poId: String(order.id),
		poNumber: odooText(order.name) ?? '',
		vendorId: many2oneIdText(order.partner_id) ?? '',
		vendorName: many2oneName(order.partner_id) ?? '',
		orderDate:
			odooDateInZone(order.date_order, timeZone) ??
			odooDateInZone(order.date_approve, timeZone) ??
			'',
		currency: many2oneName(order.currency_id) ?? '',
		total: odooNumber(order.amount_total) ?? '0',
		status: odooText(order.state) ?? '',
		lines: mappedLines,
	};
}

// ---------- GL accounts ----------

export interface AccountFieldChoice {
	type: 'account_type' | 'user_type_id';
	company: 'company_ids' | 'company_id' | undefined;
	usable: 'active' | 'deprecated' | undefined;
	fields: string[];
}

/** Picks the version's field names from what the server has (not from a version number). */
export function accountFieldChoice(available: FieldSet): AccountFieldChoice {
	const type = available.has('account_type') ? 'account_type' : 'user_type_id';
	const company = available.has('company_ids')
		? 'company_ids'
		: available.has('company_id')
			? 'company_id'
			: undefined;
	const usable = available.has('active')
		? 'active'
		: available.has('deprecated')
			? 'deprecated'
			: undefined;
	const fields = ['id', 'code', 'name', type, 'write_date'];
	if (company) fields.push(company);
	if (usable) fields.push(usable);
	return { type, company, usable, fields };
}

/**
 * Odoo ≤ 15 user types (`account.account.type`, by name) → the Odoo 16+ `account_type` vocabulary,
 * as Odoo's own 16.0 migration maps them, so feeds carry one vocabulary whatever the server.
 */
const USER_TYPE_TO_ACCOUNT_TYPE: Record<string, string> = {
	receivable: 'asset_receivable',
	'bank and cash': 'asset_cash',
	'current assets': 'asset_current',
	'non-current assets': 'asset_non_current',
	prepayments: 'asset_prepayments',
	'fixed assets': 'asset_fixed',
	payable: 'liability_payable',
	'credit card': 'liability_credit_card',
	'current liabilities': 'liability_current',
	'non-current liabilities': 'liability_non_current',
	equity: 'equity',
	'current year earnings': 'equity_unaffected',
	income: 'income',
	'other income': 'income_other',
	expenses: 'expense',
	depreciation: 'expense_depreciation',
	'cost of revenue': 'expense_direct_cost',
	'off-balance sheet': 'off_balance',
};

export function normaliseAccountType(raw: unknown): string {
	if (typeof raw === 'string') return raw;
	const name = many2oneName(raw);
	if (!name) return '';
	return (
		USER_TYPE_TO_ACCOUNT_TYPE[name.toLowerCase()] ??
		name
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '_')
			.replace(/^_|_$/g, '')
	);
}

function companyIdsOf(raw: unknown, field: AccountFieldChoice['company']): string[] | undefined {
	if (field === 'company_ids' && Array.isArray(raw)) return raw.map(String);
	const single = many2oneIdText(raw);
	return single === undefined ? undefined : [single];
}

export function mapGlAccount(row: OdooRecord, choice: AccountFieldChoice): GlAccount {
	const account: GlAccount = {
		accountId: String(row.id),
		code: odooText(row.code) ?? '',
		name: odooText(row.name) ?? '',
		type: normaliseAccountType(row[choice.type]),
		active:
			choice.usable === 'active'
				? row.active !== false
				: choice.usable === 'deprecated'
					? row.deprecated !== true
					: true,
	};
	const companyIds = choice.company ? companyIdsOf(row[choice.company], choice.company) : undefined;
	if (companyIds) account.companyIds = companyIds;
	return account;
}

// ---------- analytic accounts ----------

const ANALYTIC_FIELDS = ['id', 'name', 'code', 'plan_id', 'active', 'company_id', 'write_date'];

export function analyticFields(available: FieldSet): string[] {
	return pick(available, ANALYTIC_FIELDS);
}

export function mapAnalyticAccount(row: OdooRecord): AnalyticAccount {
	const analytic: AnalyticAccount = {
		analyticId: String(row.id),
		name: odooText(row.name) ?? '',
		active: row.active !== false,
	};
	const code = odooText(row.code);
	const plan = many2oneName(row.plan_id);
	const company = many2oneIdText(row.company_id);
	if (code !== undefined) analytic.code = code;
	if (plan !== undefined) analytic.plan = plan;
	if (company !== undefined) analytic.companyIds = [company];
	return analytic;
}
