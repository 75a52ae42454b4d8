/**
 * Every read the bill writer needs, batched: a batch costs the same number of reads whatever its
 * size. First what the desired bills are made of (external ids, currencies, vendors, accounts, PO
 * lines), then what Odoo already holds for them (bills under our external ids, and bills without
 * one that a run which did not finish left behind).
 */
import {
	ErpInputError,
	invoiceWhere as where,
	matchVendors,
	vendorNotFound,
	type ResolvedAccount,
} from '../../erp';
import type { Invoice, LineMapping } from '../../records/types';
import { supportsAnalyticDistribution } from '../accountFields';
import type { OdooClient } from '../client';
import { loadCurrencies, type CurrencyInfo } from '../currencies';
import { OdooAccountDirectory, OdooVendorDirectory } from '../directories';
import { EXTERNAL_ID_MODULE, externalName, lookupXmlIds, type XmlIdRow } from '../externalIds';
import { readPoLines, type PoLineIndex } from '../purchaseLines';
import { TOTAL_FIELDS } from '../totals';
import { many2oneId, type OdooRecord } from '../values';
import type { BillHeader, DesiredBill } from './types';

/** What the desired bills are made of. */
export interface BillLookups {
	major: number;
	/** Our external ids (module `stampli`) by name: bills and vendors. */
	xmlIds: Map<string, XmlIdRow>;
	currencies: Map<string, CurrencyInfo>;
	noteSubtypeId?: number;
	/** Per invoice index: the Odoo partner, or why none could be chosen. */
	partners: Map<number, number | ErpInputError>;
	/** Vendors found by VAT or reference, to be remembered under an external id. */
	newVendorXmlIds: Map<number, { name: string; partnerId: number }>;
	accountsByCode: Map<string, ResolvedAccount>;
	/** Accounts a mapping named by id, as Odoo has them (absent: no such account). */
	accountsById: Map<number, ResolvedAccount>;
	poIndex: PoLineIndex;
}

export function lineMapping(invoice: Invoice, lineNumber: number): LineMapping | undefined {
	return invoice.mapping?.target === 'odoo' || invoice.mapping?.target === undefined
		? invoice.mapping?.lines?.find((m) => m.lineNumber === lineNumber)
		: undefined;
}

export function partnerIdFromInput(invoice: Invoice): number | undefined {
	const raw = invoice.mapping?.vendor?.erpVendorId ?? invoice.vendor?.erpVendorId;
	if (raw === undefined || raw === '') return undefined;
	const id = Number(raw);
	if (!Number.isInteger(id) || id <= 0)
		throw new ErpInputError(
			`${where(invoice)}: vendor erpVendorId "${raw}" is not an Odoo partner id`,
		);
	return id;
}

export function billExternalName(invoice: Invoice): string {
	return externalName('invoice', invoice.stampliInvoiceId);
}

function vendorExternalName(invoice: Invoice): string | undefined {
	const id = invoice.vendor?.stampliVendorId;
	return id ? externalName('vendor', id) : undefined;
}

/** Reads external ids, currencies, vendors, accounts and PO lines for the invoices at `valid`. */
export async function loadLookups(
	client: OdooClient,
	invoices: Invoice[],
	valid: number[],
	chatter: boolean,
): Promise<BillLookups> {
	const [major, rows] = await Promise.all([
		client.serverVersion(),
		lookupXmlIds(client, {
			stampliNames: valid.flatMap((i) =>
				[billExternalName(invoices[i]), vendorExternalName(invoices[i])].filter(
					(n): n is string => !!n,
				),
			),
			currencies: valid.map((i) => invoices[i].currency),
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
	const codes = new Set<string>();
	const ids = new Set<number>();
	for (const i of valid)
		for (const line of invoices[i].lines) {
			const m = lineMapping(invoices[i], line.lineNumber);
			if (m?.odoo?.accountId !== undefined) ids.add(m.odoo.accountId);
			else codes.add(m?.odoo?.accountCode ?? line.glAccount);
		}
	// None of these depend on each other: they travel at once.
	const [currencies, vendors, accounts, poIndex] = await Promise.all([
		loadCurrencies(client, currencyIds),
		resolvePartners(client, invoices, valid, xmlIds),
		new OdooAccountDirectory(client).resolve([...codes], [...ids]),
		readPoLines(
			client,
			valid.map((i) => invoices[i]),
		),
	]);
	return {
		major,
		xmlIds,
		currencies,
		noteSubtypeId,
		...vendors,
		accountsByCode: accounts.byCode,
		accountsById: accounts.byId,
		poIndex,
	};
}

/** Vendors: mapping / erpVendorId, else our external id, else the one vendor resolver (tax id, then reference). */
async function resolvePartners(
	client: OdooClient,
	invoices: Invoice[],
	valid: number[],
	xmlIds: Map<string, XmlIdRow>,
): Promise<Pick<BillLookups, 'partners' | 'newVendorXmlIds'>> {
	const partners = new Map<number, number | ErpInputError>();
	const newVendorXmlIds = new Map<number, { name: string; partnerId: number }>();
	const lookup: number[] = [];
	for (const i of valid) {
		const given = partnerIdFromInput(invoices[i]);
		const name = vendorExternalName(invoices[i]);
		const known = name ? xmlIds.get(name) : undefined;
		if (given !== undefined) partners.set(i, given);
		else if (known && known.model === 'res.partner') partners.set(i, known.res_id);
		else lookup.push(i);
	}
	if (lookup.length === 0) return { partners, newVendorXmlIds };
	const matches = await matchVendors(
		lookup.map((i) => invoices[i].vendor),
		{ directory: new OdooVendorDirectory(client), steps: ['taxId', 'reference'] },
	);
	const remembered = new Set<string>();
	lookup.forEach((i, k) => {
		const match = matches[k];
		const vendor = invoices[i].vendor;
		if (match.status !== 'matched') {
			const who = `${where(invoices[i])}: vendor "${vendor.name}" (Stampli id ${vendor.stampliVendorId}${vendor.taxId ? `, tax id ${vendor.taxId}` : ''})`;
			partners.set(
				i,
				new ErpInputError(
					vendorNotFound(match)
						? `${who} is not in Odoo: map it in the GL Mapper or create the partner`
						: `${who}: ${match.reason}`,
				),
			);
			return;
		}
		const partnerId = Number(match.erpVendorId);
		partners.set(i, partnerId);
		const name = vendorExternalName(invoices[i]);
		if (name && !remembered.has(name)) {
			remembered.add(name);
			newVendorXmlIds.set(i, { name, partnerId });
		}
	});
	return { partners, newVendorXmlIds };
}

/** What Odoo holds already for the desired bills. */
export interface ExistingBills {
	/** account.move rows by id: bills under our external ids, and orphans that may be adopted. */
	moves: Map<number, OdooRecord>;
	/** Their product lines, by move id, in Odoo's order. */
	lines: Map<number, OdooRecord[]>;
	/** Bills without our external id that match a desired bill's vendor, number, type and company, by orphanKey. */
	orphans: Map<string, number[]>;
}

/** The fields a bill without our key is matched on: what Odoo shows a person as "the same bill". */
export function orphanKey(header: Pick<BillHeader, 'move_type' | 'partner_id' | 'ref'>): string {
	return `${header.move_type}|${header.partner_id}|${header.ref}`;
}

export const MOVE_FIELDS = [
	'name',
	'state',
	'payment_state',
	'move_type',
	'partner_id',
	'ref',
	'invoice_date',
	'invoice_date_due',
	'date',
	'currency_id',
	'invoice_line_ids',
];

/**
 * Reads the bills under our external ids and looks for bills a run that did not finish left without
 * one (Odoo committed them, the external id never came): same partner, vendor number, move type and
 * company, not cancelled, and no external id of ours. Three reads at most for the whole batch.
 */
export async function loadExisting(
	client: OdooClient,
	bills: DesiredBill[],
	lookups: Pick<BillLookups, 'xmlIds' | 'major'>,
	checkTotals: boolean,
	/** Bills of invoices refused before writing: read so their items can say the bill was left as it is. */
	alsoRead: number[] = [],
): Promise<ExistingBills> {
	const keyed = new Set<number>(alsoRead);
	const unkeyed: DesiredBill[] = [];
	for (const bill of bills) {
		const row = lookups.xmlIds.get(bill.externalName);
		if (row && row.model === 'account.move') keyed.add(row.res_id);
		else unkeyed.push(bill);
	}
	const fields = [
		...MOVE_FIELDS,
		...(checkTotals ? TOTAL_FIELDS.filter((f) => f !== 'currency_id') : []),
	];
	const [keyedRows, candidates] = await Promise.all([
		keyed.size > 0
			? client.read('account.move', [...keyed], fields)
			: Promise.resolve([] as OdooRecord[]),
		findOrphans(client, unkeyed, fields),
	]);
	const moves = new Map<number, OdooRecord>();
	for (const move of keyedRows) moves.set(move.id, move);
	for (const move of candidates.values()) moves.set(move.id, move);
	const orphans = new Map<string, number[]>();
	for (const move of candidates.values()) {
		const key = orphanKey({
			move_type: move.move_type,
			partner_id: many2oneId(move.partner_id) ?? 0,
			ref: move.ref || '',
		});
		orphans.set(key, [...(orphans.get(key) ?? []), move.id]);
	}
	return { moves, orphans, lines: await readLines(client, [...moves.values()], lookups.major) };
}

/** Bills matching the unkeyed desired bills that carry no external id of ours, by id. */
async function findOrphans(
	client: OdooClient,
	bills: DesiredBill[],
	fields: string[],
): Promise<Map<number, OdooRecord>> {
	const found = new Map<number, OdooRecord>();
	if (bills.length === 0) return found;
	const companyId = client.config.companyId;
	const rows = await client.searchRead(
		'account.move',
		[
			['move_type', 'in', [...new Set(bills.map((b) => b.header.move_type))]],
			['partner_id', 'in', [...new Set(bills.map((b) => b.header.partner_id))]],
			['ref', 'in', [...new Set(bills.map((b) => b.header.ref))]],
			['state', '!=', 'cancel'],
			...(companyId !== undefined
				? [['company_id', '=', companyId] as [string, string, number]]
				: []),
		],
		{ fields },
	);
	const wanted = new Set(bills.map((b) => orphanKey(b.header)));
	const matching = rows.filter((move) =>
		wanted.has(
			orphanKey({
				move_type: move.move_type,
				partner_id: many2oneId(move.partner_id) ?? 0,
				ref: move.ref || '',
			}),
		),
	);
	if (matching.length === 0) return found;
	// A bill that already carries an external id of ours belongs to another Stampli invoice.
	const owned = await client.searchRead(
		'ir.model.data',
		[
			['module', '=', EXTERNAL_ID_MODULE],
			['model', '=', 'account.move'],
			['res_id', 'in', matching.map((m) => m.id)],
		],
		{ fields: ['res_id'] },
	);
	const taken = new Set(owned.map((row) => Number(row.res_id)));
	for (const move of matching) if (!taken.has(move.id)) found.set(move.id, move);
	return found;
}

/** The product lines of the given bills (sections and notes left out), in Odoo's order. */
async function readLines(
	client: OdooClient,
	moves: OdooRecord[],
	major: number,
): Promise<Map<number, OdooRecord[]>> {
	const result = new Map<number, OdooRecord[]>();
	const ids = moves.flatMap((m) => (m.invoice_line_ids as number[]) ?? []);
	if (ids.length === 0) return result;
	const rows = await client.read('account.move.line', ids, [
		'name',
		'quantity',
		'price_unit',
		'account_id',
		'tax_ids',
		supportsAnalyticDistribution(major) ? 'analytic_distribution' : 'analytic_account_id',
		'purchase_line_id',
		'display_type',
		'sequence',
	]);
	const byId = new Map(rows.map((line) => [line.id, line]));
	for (const move of moves) {
		result.set(
			move.id,
			((move.invoice_line_ids as number[]) ?? [])
				.map((id) => byId.get(id))
				.filter((l): l is OdooRecord => !!l && (!l.display_type || l.display_type === 'product'))
				.sort((a, b) => (a.sequence ?? 0) - (b.sequence ?? 0) || a.id - b.id),
		);
	}
	return result;
}
