/**
 * From an invoice and what was read from Odoo to the bill Odoo must hold: header, lines, accounts,
 * PO links. Pure: every check that can refuse an invoice before anything is written happens here
 * (vendor, currency active and rated, accounts existing and usable, PO lines under `fail`).
 */
import { ErpInputError, invoiceWhere as where } from '../../erp';
import { abs, equals, multiply, round } from '../../records/decimal';
import type { Invoice, InvoiceLine, LineMapping } from '../../records/types';
import { supportsAnalyticDistribution } from '../accountFields';
import { bookableCurrency } from '../currencies';
import { resolvePoLines, type PoLineNotFoundPolicy } from '../purchaseLines';
import { OdooFloat, type OdooValue } from '../values';
import { billExternalName, lineMapping, type BillLookups } from './load';
import type { DesiredBill, DesiredLine } from './types';

/** quantity × unit price must give the line amount to the cent; otherwise send the amount as one unit. */
function lineQuantities(
	line: InvoiceLine,
	credit: boolean,
): { quantity: string; priceUnit: string } {
	const sign = (value: string) => (credit ? abs(value) : value);
	const quantity = sign(line.quantity);
	const priceUnit = sign(line.unitPrice);
	if (equals(round(multiply(quantity, priceUnit), 2), round(sign(line.amount), 2)))
		return { quantity, priceUnit };
	return { quantity: '1', priceUnit: round(sign(line.amount), 2) };
}

function analyticFrom(mapping: LineMapping | undefined): Record<string, number> | undefined {
	const distribution = mapping?.odoo?.analyticDistribution;
	if (!distribution || Object.keys(distribution).length === 0) return undefined;
	const out: Record<string, number> = {};
	for (const key of Object.keys(distribution).sort()) out[key] = Number(distribution[key]);
	return out;
}

/** The Odoo account of one line, refused when missing or retired. */
function accountOf(invoice: Invoice, line: InvoiceLine, lookups: BillLookups): number {
	const m = lineMapping(invoice, line.lineNumber);
	const given = m?.odoo?.accountId;
	const code = m?.odoo?.accountCode ?? line.glAccount;
	const account =
		given !== undefined ? lookups.accountsById.get(given) : lookups.accountsByCode.get(code);
	const named = given !== undefined ? `account id ${given}` : `GL account "${code}"`;
	if (!account)
		throw new ErpInputError(
			`${where(invoice)}: line ${line.lineNumber} ${named} does not exist in Odoo`,
		);
	if (!account.active)
		throw new ErpInputError(
			`${where(invoice)}: line ${line.lineNumber} ${named} (${account.name}) is deprecated (archived) in Odoo`,
		);
	return Number(account.id);
}

/** The bill one invoice asks for; throws an ErpInputError naming file, rows and field otherwise. */
export function desiredBill(
	invoice: Invoice,
	index: number,
	lookups: BillLookups,
	options: { journalId?: number; poLineNotFound?: PoLineNotFoundPolicy },
): DesiredBill {
	const partner = lookups.partners.get(index);
	if (partner instanceof Error) throw partner;
	if (partner === undefined) throw new ErpInputError(`${where(invoice)}: no Odoo vendor`);
	const currencyId = bookableCurrency(invoice.currency, lookups.currencies, where(invoice));
	const credit = invoice.documentType === 'credit';
	const po = resolvePoLines(invoice, partner, lookups.poIndex);
	if (po.problems.length > 0 && options.poLineNotFound === 'fail')
		throw new ErpInputError(`${where(invoice)}: ${po.problems.join('; ')}`);
	const lines = invoice.lines.map((line, k): DesiredLine => {
		const m = lineMapping(invoice, line.lineNumber);
		return {
			name: line.description || invoice.invoiceNumber,
			...lineQuantities(line, credit),
			accountId: accountOf(invoice, line, lookups),
			taxIds: m?.odoo?.taxIds ?? [],
			analytic: analyticFrom(m),
			purchaseLineId: po.lineIds[k],
		};
	});
	return {
		index,
		invoice,
		externalName: billExternalName(invoice),
		header: {
			move_type: credit ? 'in_refund' : 'in_invoice',
			partner_id: partner,
			ref: invoice.invoiceNumber,
			invoice_date: invoice.invoiceDate,
			invoice_date_due: invoice.dueDate,
			currency_id: currencyId,
			journal_id: options.journalId,
		},
		lines,
		poLinks: po.links,
		warnings: [...po.warnings],
		newVendorXmlId: lookups.newVendorXmlIds.get(index),
	};
}

function lineVals(line: DesiredLine, major: number): Record<string, OdooValue> {
	const vals: Record<string, OdooValue> = {
		name: line.name,
		quantity: new OdooFloat(line.quantity),
		price_unit: new OdooFloat(line.priceUnit),
		account_id: line.accountId,
		tax_ids: [[6, 0, line.taxIds]],
	};
	if (line.analytic) {
		if (supportsAnalyticDistribution(major)) vals.analytic_distribution = line.analytic;
		else vals.analytic_account_id = Number(Object.keys(line.analytic)[0]);
	}
	if (line.purchaseLineId) vals.purchase_line_id = line.purchaseLineId;
	return vals;
}

/** `create` values of a bill; `replaceLines` for a `write` that swaps the whole line set. */
export function billVals(
	bill: DesiredBill,
	major: number,
	replaceLines = false,
): Record<string, OdooValue> {
	const header: Record<string, OdooValue> = {};
	for (const [key, value] of Object.entries(bill.header))
		if (value !== undefined) header[key] = value;
	const lines = bill.lines.map((line) => [0, 0, lineVals(line, major)]);
	return { ...header, invoice_line_ids: replaceLines ? [[5, 0, 0], ...lines] : lines };
}
