/**
 * Upsert of Stampli invoices as Odoo vendor bills (`in_invoice`) and credits (`in_refund`).
 * A batch costs a constant number of round trips: one `ir.model.data` read (our external ids,
 * currencies, note subtype), a partner read, an account read and a PO line read (only when an
 * invoice names a PO or PO line) when needed, one read of
 * existing bills and one of their lines when some exist, one `create` of all new bills, one
 * `ir.model.data` create, one read of the totals Odoo computed for the bills written (checked
 * against Stampli's; unchanged bills reuse the read of existing bills), one `mail.message` create
 * for the chatter notes. Only bills that really changed cost a `write` each (Odoo's write takes
 * the same values for all ids).
 */
import {
	ErpInputError,
	failed,
	invoiceWhere as where,
	matchVendors,
	validateInvoice,
	vendorNotFound,
	type ErpFailure,
	type ErpOutcome,
} from '../erp';
import { abs, compare, equals, multiply, round } from '../records/decimal';
import type { ErpResult, Invoice, InvoiceLine, LineMapping } from '../records/types';
import {
	callIsolated,
	createIsolated,
	isNoneMarshalFault,
	runIsolated,
	type Isolated,
} from './faultIsolation';
import type { OdooClient } from './client';
import { OdooError, OdooUserError } from './errors';
import { attempt } from './transport';
import {
	EXTERNAL_ID_MODULE,
	externalName,
	fullExternalId,
	lookupXmlIds,
	type XmlIdRow,
} from './externalIds';
import { supportsAnalyticDistribution } from './accountFields';
import { OdooAccountDirectory, OdooVendorDirectory } from './directories';
import { billNoteHtml } from './audit';
import { OdooFloat, many2oneId, type OdooRecord, type OdooValue } from './values';
import { readPoLines, resolvePoLines, type PoLineNotFoundPolicy } from './purchaseLines';
import { TOTAL_FIELDS, checkBillTotals, type TotalCheck, type TotalMismatchPolicy } from './totals';

export type PostedBillPolicy = 'skip' | 'resetUpdateRepost';

export interface BillAttachment {
	fileName: string;
	mimeType: string;
	/** File content, base64. */
	base64: string;
}

export interface BillUpsertOptions {
	/** Purchase journal; Odoo's default purchase journal when absent. */
	journalId?: number;
	/** What to do with a bill that is already posted and differs: leave it (default) or reset, update, re-post. */
	postedPolicy?: PostedBillPolicy;
	/** Post created and updated bills (`action_post`). */
	autoPost?: boolean;
	/** Write a chatter note on created and updated bills (default true). */
	chatterNote?: boolean;
	/** Source file per invoice (same index), attached to created and updated bills. */
	attachments?: Array<BillAttachment | undefined>;
	/**
	 * A line's PO line reference (invoice `poNumber` + line `poLine`) that cannot be honoured: PO or
	 * line not in Odoo, PO of another vendor, PO not confirmed. `unlinkAndWarn` (default) creates the
	 * bill with that line unlinked and says so in `erp.reason`, `erp.warnings` and the chatter note;
	 * `fail` fails the invoice.
	 */
	poLineNotFound?: PoLineNotFoundPolicy;
	/**
	 * Odoo's computed total (taxes included) differs from the Stampli total: `warn` (default) keeps
	 * the bill as written and says so in `erp.reason`, `erp.warnings` and the chatter note; `fail`
	 * fails the invoice and leaves its bill in draft (never auto-posted) for a person to fix.
	 * `notChecked` skips the read-back: for measuring what the check costs, not offered in the node.
	 */
	totalMismatch?: TotalMismatchPolicy;
}

export type BillOutcome = ErpOutcome<{ moveName?: string }>;

/** Odoo computed a bill whose total differs from what Stampli approved (policy `fail`). */
export class BillTotalMismatchError extends Error {
	constructor(
		message: string,
		readonly moveId: number,
		readonly amountTotal: string | undefined,
	) {
		super(message);
		this.name = 'BillTotalMismatchError';
	}
}

interface DesiredLine {
	name: string;
	quantity: string;
	priceUnit: string;
	accountId: number;
	taxIds: number[];
	analytic?: Record<string, number>;
	purchaseLineId?: number;
}

interface DesiredBill {
	index: number;
	invoice: Invoice;
	externalName: string;
	header: {
		move_type: 'in_invoice' | 'in_refund';
		partner_id: number;
		ref: string;
		invoice_date: string;
		invoice_date_due?: string;
		currency_id: number;
		journal_id?: number;
	};
	lines: DesiredLine[];
	/** Per line, the PO line it is linked to, in words (chatter note). */
	poLinks: Array<string | undefined>;
	/** PO references not honoured, and other things the user should know; reported on every run. */
	warnings: string[];
	/** The vendor was found by VAT or ref: remember it under an external id for next time. */
	newVendorXmlId?: { name: string; partnerId: number };
}

function lineMapping(invoice: Invoice, line: InvoiceLine): LineMapping | undefined {
	return invoice.mapping?.target === 'odoo' || invoice.mapping?.target === undefined
		? invoice.mapping?.lines?.find((m) => m.lineNumber === line.lineNumber)
		: undefined;
}

function partnerIdFromInput(invoice: Invoice): number | undefined {
	const raw = invoice.mapping?.vendor?.erpVendorId ?? invoice.vendor?.erpVendorId;
	if (raw === undefined || raw === '') return undefined;
	const id = Number(raw);
	if (!Number.isInteger(id) || id <= 0)
		throw new ErpInputError(
			`${where(invoice)}: vendor erpVendorId "${raw}" is not an Odoo partner id`,
		);
	return id;
}

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

function billVals(bill: DesiredBill, major: number): Record<string, OdooValue> {
	return {
		...bill.header,
		invoice_line_ids: bill.lines.map((line) => [0, 0, lineVals(line, major)]),
	};
}

function sameLines(desired: DesiredLine[], existing: OdooRecord[]): boolean {
	if (desired.length !== existing.length) return false;
	return desired.every((line, i) => {
		const old = existing[i];
		const oldAnalytic = old.analytic_distribution
			? Object.fromEntries(
					Object.keys(old.analytic_distribution)
						.sort()
						.map((k) => [k, Number(old.analytic_distribution[k])]),
				)
			: undefined;
		return (
			line.name === (old.name || '') &&
			compare(line.quantity, String(old.quantity)) === 0 &&
			compare(line.priceUnit, String(old.price_unit)) === 0 &&
			line.accountId === many2oneId(old.account_id) &&
			JSON.stringify([...line.taxIds].sort()) === JSON.stringify([...(old.tax_ids ?? [])].sort()) &&
			JSON.stringify(line.analytic ?? null) === JSON.stringify(oldAnalytic ?? null) &&
			(line.purchaseLineId ?? null) === many2oneId(old.purchase_line_id)
		);
	});
}

function sameHeader(bill: DesiredBill, move: OdooRecord): boolean {
	const h = bill.header;
	return (
		h.move_type === move.move_type &&
		h.partner_id === many2oneId(move.partner_id) &&
		h.ref === (move.ref || '') &&
		h.invoice_date === (move.invoice_date || undefined) &&
		(h.invoice_date_due === undefined ||
			h.invoice_date_due === (move.invoice_date_due || undefined)) &&
		h.currency_id === many2oneId(move.currency_id)
	);
}

/** Odoo's own figures on the result, so a reconciliation can count what was really booked. */
function withTotals(erp: ErpResult, check: TotalCheck | undefined): ErpResult {
	if (!check) return erp;
	return {
		...erp,
		...(check.amountTotal !== undefined ? { amountTotal: check.amountTotal } : {}),
		...(check.amountTax !== undefined ? { amountTax: check.amountTax } : {}),
	};
}

/** Puts what the total check found among the bill's warnings (erp.reason, erp.warnings, chatter note). */
function noteTotals(bill: DesiredBill, check: TotalCheck): void {
	if (check.mismatch) bill.warnings.push(check.mismatch);
	bill.warnings.push(...check.notes);
}

function totalMismatchError(
	bill: DesiredBill,
	moveId: number,
	check: TotalCheck,
	state: string,
): BillTotalMismatchError {
	const fate =
		state === 'draft'
			? 'left in draft, not posted, for a person to fix'
			: `already ${state} in Odoo`;
	return new BillTotalMismatchError(
		`${where(bill.invoice)}: the bill Odoo computed does not carry the approved total (${check.mismatch}); bill ${moveId} ${fate} (check the taxes of the GL mapping)`,
		moveId,
		check.amountTotal,
	);
}

/** The bill's warnings go into `reason` (after any reason of its own) and, as a list, into `warnings`. */
function withWarnings(erp: ErpResult, bill: DesiredBill): ErpResult {
	if (bill.warnings.length === 0) return erp;
	return {
		...erp,
		reason: [erp.reason, ...bill.warnings].filter(Boolean).join('; '),
		warnings: [...bill.warnings],
	};
}

function failure(error: unknown, fallbackReason: string): ErpFailure {
	const known =
		error instanceof OdooError ||
		error instanceof ErpInputError ||
		error instanceof BillTotalMismatchError;
	return failed(error, known ? undefined : fallbackReason);
}

/**
 * Creates or updates one vendor bill per invoice. Returns one outcome per invoice, same order.
 * Never throws for a record-level problem; throws only when Odoo cannot be used at all
 * (unreachable, wrong key), since then no invoice can succeed.
 */
export async function upsertBills(
	client: OdooClient,
	invoices: Invoice[],
	options: BillUpsertOptions = {},
): Promise<BillOutcome[]> {
	const outcomes: Array<BillOutcome | undefined> = new Array(invoices.length);
	const postedPolicy = options.postedPolicy ?? 'skip';
	const chatter = options.chatterNote !== false;
	const checkTotals = options.totalMismatch !== 'notChecked';
	const failOnMismatch = options.totalMismatch === 'fail';
	/** What the total check found, by move id. */
	const totals = new Map<number, TotalCheck>();

	const valid: number[] = [];
	invoices.forEach((invoice, index) => {
		try {
			validateInvoice(invoice);
			partnerIdFromInput(invoice);
			valid.push(index);
		} catch (error) {
			outcomes[index] = failure(error, 'invalid invoice');
		}
	});
	// The same Stampli invoice twice in one batch: the first wins, the others are reported.
	const seen = new Map<string, number>();
	for (const index of [...valid]) {
		const id = invoices[index].stampliInvoiceId;
		if (seen.has(id)) {
			outcomes[index] = failure(
				new ErpInputError(
					`${where(invoices[index])}: appears twice in this batch (first at item ${seen.get(id)! + 1})`,
				),
				'duplicate',
			);
			valid.splice(valid.indexOf(index), 1);
		} else seen.set(id, index);
	}
	if (valid.length === 0) return outcomes as BillOutcome[];

	const major = await client.serverVersion();

	// 1. External ids of bills and vendors, currency ids, note subtype: one read.
	const billNames = new Map(
		valid.map((i) => [i, externalName('invoice', invoices[i].stampliInvoiceId)]),
	);
	const vendorNames = new Map(
		valid
			.filter((i) => invoices[i].vendor?.stampliVendorId)
			.map((i) => [i, externalName('vendor', invoices[i].vendor.stampliVendorId)]),
	);
	const xmlIds = await lookupXmlIds(client, {
		stampliNames: [...billNames.values(), ...vendorNames.values()],
		currencies: valid.map((i) => invoices[i].currency),
		noteSubtype: chatter,
	});
	const byStampliName = new Map<string, XmlIdRow>();
	const currencyIds = new Map<string, number>();
	let noteSubtypeId: number | undefined;
	for (const row of xmlIds) {
		if (row.module === EXTERNAL_ID_MODULE) byStampliName.set(row.name, row);
		else if (row.module === 'base') currencyIds.set(row.name, row.res_id);
		else if (row.module === 'mail') noteSubtypeId = row.res_id;
	}

	// 2. Vendors: mapping / erpVendorId, else our external id, else the shared vendor resolver.
	const partnerOf = new Map<number, number>();
	const needPartnerLookup: number[] = [];
	for (const i of valid) {
		const given = partnerIdFromInput(invoices[i]);
		const known = vendorNames.has(i) ? byStampliName.get(vendorNames.get(i)!) : undefined;
		if (given !== undefined) partnerOf.set(i, given);
		else if (known && known.model === 'res.partner') partnerOf.set(i, known.res_id);
		else needPartnerLookup.push(i);
	}
	const newVendorXmlIds = new Map<number, { name: string; partnerId: number }>();
	if (needPartnerLookup.length > 0) {
		// The shared vendor resolver: tax id (normalised), then the partner's reference; one read for both.
		const matches = await matchVendors(
			needPartnerLookup.map((i) => invoices[i].vendor),
			{ directory: new OdooVendorDirectory(client), steps: ['taxId', 'reference'] },
		);
		needPartnerLookup.forEach((i, k) => {
			const match = matches[k];
			const vendor = invoices[i].vendor;
			if (match.status !== 'matched') {
				const who = `${where(invoices[i])}: vendor "${vendor.name}" (Stampli id ${vendor.stampliVendorId}${vendor.taxId ? `, tax id ${vendor.taxId}` : ''})`;
				outcomes[i] = failure(
					new ErpInputError(
						vendorNotFound(match)
							? `${who} is not in Odoo: map it in the GL Mapper or create the partner`
							: `${who}: ${match.reason}`,
					),
					'unknown vendor',
				);
				return;
			}
			const found = Number(match.erpVendorId);
			partnerOf.set(i, found);
			const name = vendorNames.get(i)!;
			if (![...newVendorXmlIds.values()].some((v) => v.name === name))
				newVendorXmlIds.set(i, { name, partnerId: found });
		});
	}

	// 3. Accounts by code, for lines the GL Mapper did not resolve to an id, and the PO lines the
	//    invoices refer to (one read each, for all).
	const codesNeeded = new Set<string>();
	const pending = () => valid.filter((i) => outcomes[i] === undefined);
	for (const i of pending()) {
		for (const line of invoices[i].lines) {
			const m = lineMapping(invoices[i], line);
			if (m?.odoo?.accountId === undefined) codesNeeded.add(m?.odoo?.accountCode ?? line.glAccount);
		}
	}
	// Accounts and PO lines do not depend on each other: both reads travel at once.
	const [accountByCode, poIndex] = await Promise.all([
		new OdooAccountDirectory(client).resolveCodes([...codesNeeded]),
		readPoLines(
			client,
			pending().map((i) => invoices[i]),
		),
	]);

	// 4. Desired state of every bill.
	const desired = new Map<number, DesiredBill>();
	for (const i of pending()) {
		const invoice = invoices[i];
		try {
			const currencyId = currencyIds.get(invoice.currency);
			if (currencyId === undefined)
				throw new ErpInputError(
					`${where(invoice)}: currency ${invoice.currency} is not known to Odoo`,
				);
			const credit = invoice.documentType === 'credit';
			const po = resolvePoLines(invoice, partnerOf.get(i)!, poIndex);
			if (po.problems.length > 0 && options.poLineNotFound === 'fail')
				throw new ErpInputError(`${where(invoice)}: ${po.problems.join('; ')}`);
			const lines = invoice.lines.map((line, k): DesiredLine => {
				const m = lineMapping(invoice, line);
				let accountId = m?.odoo?.accountId;
				if (accountId === undefined) {
					const code = m?.odoo?.accountCode ?? line.glAccount;
					const account = accountByCode.get(code);
					if (!account)
						throw new ErpInputError(
							`${where(invoice)}: line ${line.lineNumber} GL account "${code}" does not exist in Odoo`,
						);
					if (!account.active)
						throw new ErpInputError(
							`${where(invoice)}: line ${line.lineNumber} GL account "${code}" (${account.name}) is deprecated in Odoo`,
						);
					accountId = Number(account.id);
				}
				return {
					name: line.description || invoice.invoiceNumber,
					...lineQuantities(line, credit),
					accountId,
					taxIds: m?.odoo?.taxIds ?? [],
					analytic: analyticFrom(m),
					purchaseLineId: po.lineIds[k],
				};
			});
			desired.set(i, {
				index: i,
				invoice,
				externalName: billNames.get(i)!,
				header: {
					move_type: credit ? 'in_refund' : 'in_invoice',
					partner_id: partnerOf.get(i)!,
					ref: invoice.invoiceNumber,
					invoice_date: invoice.invoiceDate,
					invoice_date_due: invoice.dueDate,
					currency_id: currencyId,
					journal_id: options.journalId,
				},
				lines,
				poLinks: po.links,
				warnings: po.warnings,
				newVendorXmlId: newVendorXmlIds.get(i),
			});
		} catch (error) {
			outcomes[i] = failure(error, 'invalid invoice');
		}
	}

	// 5. Existing bills: state and lines (two reads, only when some exist).
	const existingIds = new Map<number, number>();
	for (const bill of desired.values()) {
		const row = byStampliName.get(bill.externalName);
		if (row && row.model === 'account.move') existingIds.set(bill.index, row.res_id);
	}
	const moves = new Map<number, OdooRecord>();
	const linesById = new Map<number, OdooRecord>();
	if (existingIds.size > 0) {
		// Odoo's totals ride along: an unchanged bill is checked without another call.
		const moveFields = [
			'name',
			'state',
			'payment_state',
			'move_type',
			'partner_id',
			'ref',
			'invoice_date',
			'invoice_date_due',
			'currency_id',
			'invoice_line_ids',
			...(checkTotals ? TOTAL_FIELDS.filter((f) => f !== 'currency_id') : []),
		];
		const moveRows = await client.read(
			'account.move',
			[...new Set(existingIds.values())],
			moveFields,
		);
		for (const move of moveRows) moves.set(move.id, move);
		const lineIds = moveRows.flatMap((m) => m.invoice_line_ids as number[]);
		if (lineIds.length > 0) {
			const lineFields = [
				'name',
				'quantity',
				'price_unit',
				'account_id',
				'tax_ids',
				supportsAnalyticDistribution(major) ? 'analytic_distribution' : 'analytic_account_id',
				'purchase_line_id',
				'display_type',
				'sequence',
			];
			for (const line of await client.read('account.move.line', lineIds, lineFields))
				linesById.set(line.id, line);
		}
	}

	const toCreate: DesiredBill[] = [];
	const toUpdateDraft: Array<{ bill: DesiredBill; moveId: number }> = [];
	const toRepost: Array<{ bill: DesiredBill; moveId: number }> = [];
	const draftsToPost: Array<{ bill: DesiredBill; moveId: number }> = [];
	const staleXmlIds: number[] = [];
	for (const bill of desired.values()) {
		const moveId = existingIds.get(bill.index);
		const move = moveId === undefined ? undefined : moves.get(moveId);
		if (!move) {
			// Never created, or deleted in Odoo since: (re)create, dropping a dangling external id.
			const stale = byStampliName.get(bill.externalName);
			if (stale) staleXmlIds.push(stale.id);
			toCreate.push(bill);
			continue;
		}
		const existingLines = (move.invoice_line_ids as number[])
			.map((id) => linesById.get(id))
			.filter((l): l is OdooRecord => !!l && (!l.display_type || l.display_type === 'product'))
			.sort((a, b) => (a.sequence ?? 0) - (b.sequence ?? 0) || a.id - b.id);
		const unchanged = sameHeader(bill, move) && sameLines(bill.lines, existingLines);
		const erpBase = {
			system: 'odoo' as const,
			id: move.id,
			externalId: fullExternalId(bill.externalName),
		};
		if (unchanged) {
			// Unchanged is still written: checked on every run, so a mismatch never goes quiet on a re-run.
			const check = checkTotals ? checkBillTotals(bill.invoice, move) : undefined;
			if (check) {
				totals.set(move.id, check);
				noteTotals(bill, check);
			}
			if (check?.mismatch && failOnMismatch)
				outcomes[bill.index] = failure(
					totalMismatchError(bill, move.id, check, move.state),
					'total mismatch',
				);
			else if (move.state === 'draft' && options.autoPost)
				draftsToPost.push({ bill, moveId: move.id });
			else
				outcomes[bill.index] = {
					ok: true,
					erp: withTotals(withWarnings({ ...erpBase, action: 'unchanged' }, bill), check),
					moveName: move.name,
				};
		} else if (move.state === 'draft') {
			toUpdateDraft.push({ bill, moveId: move.id });
		} else if (
			move.state === 'posted' &&
			postedPolicy === 'resetUpdateRepost' &&
			(move.payment_state === 'not_paid' || !move.payment_state)
		) {
			toRepost.push({ bill, moveId: move.id });
		} else {
			const reason =
				move.state === 'posted'
					? move.payment_state && move.payment_state !== 'not_paid'
						? `posted and ${move.payment_state}`
						: 'posted'
					: move.state;
			// Odoo's figures of the bill left alone, for information (it was not written from this invoice).
			outcomes[bill.index] = {
				ok: true,
				erp: withTotals(
					{ ...erpBase, action: 'skipped', reason },
					checkTotals ? checkBillTotals(bill.invoice, move) : undefined,
				),
				moveName: move.name,
			};
		}
	}

	if (staleXmlIds.length > 0) await client.unlink('ir.model.data', staleXmlIds);

	const touched: Array<{ bill: DesiredBill; moveId: number; action: 'created' | 'updated' }> = [];

	// 6. New bills: one create, then their external ids (and new vendor external ids) in one create.
	if (toCreate.length > 0) {
		const created = await createIsolated(
			client,
			'account.move',
			toCreate.map((bill) => billVals(bill, major)),
		);
		const createdBills: Array<{ bill: DesiredBill; moveId: number }> = [];
		created.forEach((result, k) => {
			if (result.ok) createdBills.push({ bill: toCreate[k], moveId: result.value });
			else outcomes[toCreate[k].index] = failure(result.error, 'Odoo refused the bill');
		});
		const xmlIdVals = createdBills.map(({ bill, moveId }) => ({
			module: EXTERNAL_ID_MODULE,
			name: bill.externalName,
			model: 'account.move',
			res_id: moveId,
			noupdate: true,
		}));
		const vendorVals = [
			...new Map(
				createdBills
					.filter(({ bill }) => bill.newVendorXmlId)
					.map(({ bill }) => [bill.newVendorXmlId!.name, bill.newVendorXmlId!]),
			).values(),
		].map((v) => ({
			module: EXTERNAL_ID_MODULE,
			name: v.name,
			model: 'res.partner',
			res_id: v.partnerId,
			noupdate: true,
		}));
		const xmlIdResults = await createIsolated(client, 'ir.model.data', [
			...xmlIdVals,
			...vendorVals,
		]);
		const orphans: number[] = [];
		createdBills.forEach(({ bill, moveId }, k) => {
			const result = xmlIdResults[k];
			if (result.ok) touched.push({ bill, moveId, action: 'created' });
			else {
				// Without its external id a re-run would duplicate the bill: take the draft back.
				orphans.push(moveId);
				outcomes[bill.index] = failure(result.error, 'could not record the external id');
			}
		});
		if (orphans.length > 0) await client.unlink('account.move', orphans).catch(() => undefined);
	}

	// 7. Changed drafts: one write each (line set replaced).
	const replaceVals = (bill: DesiredBill) => {
		const vals = billVals(bill, major);
		vals.invoice_line_ids = [[5, 0, 0], ...(vals.invoice_line_ids as OdooValue[])];
		return vals;
	};
	for (const { bill, moveId } of toUpdateDraft) {
		const [result] = await runIsolated([bill], async () => [
			await client.write('account.move', [moveId], replaceVals(bill)),
		]);
		if (result.ok) touched.push({ bill, moveId, action: 'updated' });
		else outcomes[bill.index] = failure(result.error, 'Odoo refused the update');
	}

	// 8. Posted bills under reset-update-repost: draft (batched), write each, post again below.
	if (toRepost.length > 0) {
		const drafted = await callIsolated(
			client,
			'account.move',
			'button_draft',
			toRepost.map((r) => r.moveId),
			isNoneMarshalFault,
		);
		for (const [k, { bill, moveId }] of toRepost.entries()) {
			if (!drafted[k].ok) {
				outcomes[bill.index] = failure(
					(drafted[k] as { error: OdooError }).error,
					'could not reset the bill to draft',
				);
				continue;
			}
			const [result] = await runIsolated([bill], async () => [
				await client.write('account.move', [moveId], replaceVals(bill)),
			]);
			if (result.ok) touched.push({ bill, moveId, action: 'updated' });
			else outcomes[bill.index] = failure(result.error, 'Odoo refused the update');
		}
	}

	// 9. Odoo's totals of every bill written, in one read, checked against Stampli before anything is
	//    posted: under `fail` a bill that does not carry the approved total stays in draft.
	const repostIds = new Set(toRepost.map((r) => r.moveId));
	const heldInDraft = new Set<number>();
	if (checkTotals && touched.length > 0) {
		const read = await attempt(() =>
			client.read(
				'account.move',
				touched.map((t) => t.moveId),
				TOTAL_FIELDS,
			),
		);
		const rows = new Map((read.ok ? read.value : []).map((row) => [row.id as number, row]));
		for (const { bill, moveId } of touched) {
			const row = rows.get(moveId);
			const check: TotalCheck = row
				? checkBillTotals(bill.invoice, row)
				: {
						notes: [
							`Odoo's total could not be read back (${read.ok ? 'bill not returned' : (read.error as Error).message}): not checked against Stampli`,
						],
					};
			totals.set(moveId, check);
			noteTotals(bill, check);
			if (check.mismatch && failOnMismatch) {
				heldInDraft.add(moveId);
				outcomes[bill.index] = failure(
					totalMismatchError(bill, moveId, check, 'draft'),
					'total mismatch',
				);
			}
		}
	}

	// 10. Post: everything touched when auto-post is on, plus bills that were posted before a reset.
	const toPost = [
		...touched.filter(
			(t) => (options.autoPost || repostIds.has(t.moveId)) && !heldInDraft.has(t.moveId),
		),
		...draftsToPost.map((d) => ({ ...d, action: 'updated' as const })),
	];
	const postReasons = new Map<number, string>();
	if (toPost.length > 0) {
		const posted = await callIsolated(
			client,
			'account.move',
			'action_post',
			toPost.map((t) => t.moveId),
		);
		posted.forEach((result, k) => {
			if (!result.ok)
				postReasons.set(toPost[k].moveId, `saved as draft, not posted: ${result.error.message}`);
		});
		for (const drafted of draftsToPost) {
			if (!postReasons.has(drafted.moveId)) touched.push({ ...drafted, action: 'updated' });
			else
				outcomes[drafted.bill.index] = {
					ok: true,
					erp: withTotals(
						withWarnings(
							{
								system: 'odoo',
								id: drafted.moveId,
								externalId: fullExternalId(drafted.bill.externalName),
								action: 'unchanged',
								reason: postReasons.get(drafted.moveId),
							},
							drafted.bill,
						),
						totals.get(drafted.moveId),
					),
				};
		}
	}

	// 11. Audit in Odoo: chatter notes (a held bill's note says why) and source files, one create each for the whole batch.
	if (chatter && touched.length > 0) {
		await createIsolated(
			client,
			'mail.message',
			touched.map(({ bill, moveId, action }) => ({
				model: 'account.move',
				res_id: moveId,
				message_type: 'comment',
				subtype_id: noteSubtypeId ?? false,
				body: billNoteHtml(
					bill.invoice,
					action,
					bill.lines.map((l) => l.accountId),
					{ poLinks: bill.poLinks, warnings: bill.warnings },
				),
			})),
		);
	}
	const attachmentFor = (t: { bill: DesiredBill }) => options.attachments?.[t.bill.index];
	const withFiles = touched.filter((t) => attachmentFor(t));
	if (withFiles.length > 0) {
		await createIsolated(
			client,
			'ir.attachment',
			withFiles.map((t) => {
				const file = attachmentFor(t)!;
				return {
					name: file.fileName,
					mimetype: file.mimeType,
					datas: file.base64,
					res_model: 'account.move',
					res_id: t.moveId,
					type: 'binary',
				};
			}),
		);
	}

	for (const { bill, moveId, action } of touched) {
		if (outcomes[bill.index]) continue;
		const reason =
			postReasons.get(moveId) ??
			(repostIds.has(moveId) ? 'reset to draft, updated and re-posted' : undefined);
		outcomes[bill.index] = {
			ok: true,
			erp: withTotals(
				withWarnings(
					{
						system: 'odoo',
						id: moveId,
						externalId: fullExternalId(bill.externalName),
						action,
						...(reason ? { reason } : {}),
					},
					bill,
				),
				totals.get(moveId),
			),
		};
	}
	for (let i = 0; i < outcomes.length; i++) {
		if (!outcomes[i])
			outcomes[i] = failure(new OdooUserError('internal: no outcome recorded'), 'internal');
	}
	return outcomes as BillOutcome[];
}

export type { Isolated };
