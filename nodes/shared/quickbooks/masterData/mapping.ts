/**
 * QuickBooks entities → canonical records. Amounts arrive as JSON numbers and leave as decimal
 * strings; a masked tax id (QuickBooks answers `XXXXX6789`) is not a tax id and is left out.
 */
import Decimal from 'decimal.js';

import type { Address, PurchaseOrderLine } from '../../records/types';
import { stampliVendorIdOf } from '../vendorLink';
import type {
	DimensionRecord,
	QboGlAccountRecord,
	QboPurchaseOrderRecord,
	QboVendorRecord,
	TermRecord,
} from './types';

type Row = Record<string, any>;

/** A QuickBooks number → decimal string (10 places strip binary noise, QuickBooks keeps fewer). */
export function qboNumber(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) {
		const text = new Decimal(value).toDecimalPlaces(10).toFixed();
		return text === '-0' ? '0' : text;
	}
	if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return value.trim();
	return undefined;
}

const text = (value: unknown): string | undefined =>
	typeof value === 'string' && value.trim() !== '' ? value : undefined;

const integer = (value: unknown): number | undefined =>
	typeof value === 'number' && Number.isInteger(value) ? value : undefined;

/** Only keys with a value: canonical records carry no `undefined` fields. */
function compact<T extends object>(record: T): T {
	for (const key of Object.keys(record) as Array<keyof T>)
		if (record[key] === undefined) delete record[key];
	return record;
}

function address(a: Row | undefined): Address | undefined {
	if (!a || typeof a !== 'object') return undefined;
	const out = compact<Address>({
		line1: text(a.Line1),
		line2: text(a.Line2),
		city: text(a.City),
		region: text(a.CountrySubDivisionCode),
		postalCode: text(a.PostalCode),
		country: text(a.Country),
	});
	return Object.keys(out).length ? out : undefined;
}

export function mapVendor(v: Row): QboVendorRecord {
	const taxId = text(v.TaxIdentifier);
	return compact<QboVendorRecord>({
		vendorId: String(v.Id),
		name: String(v.DisplayName ?? v.CompanyName ?? ''),
		taxId: taxId && !taxId.startsWith('XXXXX') ? taxId : undefined,
		email: text(v.PrimaryEmailAddr?.Address),
		phone: text(v.PrimaryPhone?.FreeFormNumber),
		address: address(v.BillAddr),
		currency: text(v.CurrencyRef?.value),
		paymentTerms: text(v.TermRef?.name) ?? text(v.TermRef?.value),
		active: v.Active !== false,
		stampliVendorId: stampliVendorIdOf(v.Notes),
	});
}

/** QuickBooks' AccountType → the normalised type the GL feeds share (Odoo's `account_type` words). */
const ACCOUNT_TYPES: Record<string, string> = {
	Bank: 'asset_cash',
	'Accounts Receivable': 'asset_receivable',
	'Other Current Asset': 'asset_current',
	'Fixed Asset': 'asset_fixed',
	'Other Asset': 'asset_non_current',
	'Accounts Payable': 'liability_payable',
	'Credit Card': 'liability_credit_card',
	'Other Current Liability': 'liability_current',
	'Long Term Liability': 'liability_non_current',
	Equity: 'equity',
	Income: 'income',
	'Other Income': 'income_other',
	'Cost of Goods Sold': 'expense_direct_cost',
	Expense: 'expense',
	'Other Expense': 'expense',
};

export function normaliseQboAccountType(accountType: unknown): string {
	const type = typeof accountType === 'string' ? accountType : '';
	return ACCOUNT_TYPES[type] ?? (type.toLowerCase().replace(/\s+/g, '_') || 'unknown');
}

/**
 * `code` is the account number when the company uses them, else the fully-qualified name: both are
 * what a person types, and a sub-account's plain name may repeat under another parent.
 */
export function mapAccount(a: Row): QboGlAccountRecord {
	const fullyQualifiedName = String(a.FullyQualifiedName ?? a.Name ?? '');
	return compact<QboGlAccountRecord>({
		accountId: String(a.Id),
		code: text(a.AcctNum) ?? fullyQualifiedName,
		name: String(a.Name ?? ''),
		fullyQualifiedName,
		type: normaliseQboAccountType(a.AccountType),
		quickbooksType: text(a.AccountType),
		quickbooksSubType: text(a.AccountSubType),
		parentId: a.ParentRef?.value !== undefined ? String(a.ParentRef.value) : undefined,
		currency: text(a.CurrencyRef?.value),
		active: a.Active !== false,
	});
}

export function mapDimension(d: Row, dimension: DimensionRecord['dimension']): DimensionRecord {
	return compact<DimensionRecord>({
		dimensionId: String(d.Id),
		dimension,
		name: String(d.Name ?? ''),
		fullyQualifiedName: String(d.FullyQualifiedName ?? d.Name ?? ''),
		parentId: d.ParentRef?.value !== undefined ? String(d.ParentRef.value) : undefined,
		active: d.Active !== false,
	});
}

export function mapTerm(t: Row): TermRecord {
	return compact<TermRecord>({
		termId: String(t.Id),
		name: String(t.Name ?? ''),
		type: text(t.Type),
		dueDays: integer(t.DueDays),
		discountDays: integer(t.DiscountDays),
		discountPercent: qboNumber(t.DiscountPercent),
		dayOfMonthDue: integer(t.DayOfMonthDue),
		active: t.Active !== false,
	});
}

function mapPurchaseLine(line: Row, index: number): PurchaseOrderLine | undefined {
	const type = line.DetailType;
	if (type !== 'AccountBasedExpenseLineDetail' && type !== 'ItemBasedExpenseLineDetail')
		return undefined;
	const detail: Row = line[type] ?? {};
	const amount = qboNumber(line.Amount) ?? '0';
	const itemBased = type === 'ItemBasedExpenseLineDetail';
	const quantity = (itemBased && qboNumber(detail.Qty)) || '1';
	const unitPrice = (itemBased && qboNumber(detail.UnitPrice)) || amount;
	return compact<PurchaseOrderLine>({
		lineId: String(line.Id ?? index + 1),
		lineNumber: integer(line.LineNum) ?? index + 1,
		description: typeof line.Description === 'string' ? line.Description : '',
		quantity,
		unitPrice,
		amount,
		glAccount: detail.AccountRef?.value !== undefined ? String(detail.AccountRef.value) : undefined,
		productCode: itemBased ? text(detail.ItemRef?.name) : undefined,
	});
}

export function mapPurchaseOrder(po: Row): QboPurchaseOrderRecord {
	const lines = (Array.isArray(po.Line) ? po.Line : [])
		.map((line: Row, i: number) => mapPurchaseLine(line, i))
		.filter((line: PurchaseOrderLine | undefined): line is PurchaseOrderLine => !!line);
	return compact<QboPurchaseOrderRecord>({
		poId: String(po.Id),
		poNumber: text(po.DocNumber) ?? String(po.Id),
		vendorId: po.VendorRef?.value !== undefined ? String(po.VendorRef.value) : undefined,
		vendorName: text(po.VendorRef?.name),
		orderDate: String(po.TxnDate ?? ''),
		currency: String(po.CurrencyRef?.value ?? ''),
		total: qboNumber(po.TotalAmt) ?? '',
		status: String(po.POStatus ?? 'Open'),
		lines,
	});
}

/**
 * A record change data capture reported deleted (`status: "Deleted"`, only the Id left): what the
 * feed can still say about it. Name lists are never deleted in QuickBooks, only made inactive.
 */
export function deletedRecord(resource: string, id: string) {
	switch (resource) {
		case 'purchaseOrders':
			return { poId: id, poNumber: id, status: 'Deleted', lines: [], deleted: true as const };
		case 'glAccounts':
			return { accountId: id, active: false, deleted: true as const };
		case 'classes':
		case 'departments':
			return { dimensionId: id, active: false, deleted: true as const };
		case 'terms':
			return { termId: id, active: false, deleted: true as const };
		default:
			return { vendorId: id, active: false, deleted: true as const };
	}
}
