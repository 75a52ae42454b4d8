/**
 * Approved Stampli invoices → QuickBooks Bills (and credits → VendorCredits), idempotently and in
 * a constant-ish number of round trips:
 *   1. vendors resolved: `erpVendorId` / GL Mapper vendor mapping, else by DisplayName (one query
 *      per group of names), created when missing (batch); a vendor another run created meanwhile
 *      (6240 on create) is found again with one more query and used;
 *   2. existing documents found with one query per group of DocNumbers, matched on DocNumber +
 *      vendor; their SyncToken comes from that query (no GET per bill);
 *   3. creates and updates sent through `/batch` (30 per request); a document whose fingerprint
 *      (stored in PrivateNote) is unchanged is left alone;
 *   4. 5010 stale SyncToken → re-read and retry once; 6140 duplicate DocNumber on create (a
 *      concurrent run got there first) → re-read and treat as existing.
 *
 * DocNumbers are matched as QuickBooks compares them, ignoring case: with "Warn if duplicate bill
 * number is used" on, QuickBooks refuses `CASE-1` beside a bill `case-1` of the same vendor, so
 * that bill is the one to update. A document found that way but written for another Stampli
 * invoice (its PrivateNote says which) is never taken over: that invoice fails instead.
 * Whatever goes wrong, every invoice gets its own outcome; nothing thrown escapes.
 *
 * DocNumber rule: QuickBooks allows 21 characters. A longer invoice number is, by default,
 * shortened deterministically to its first 14 characters + "~" + 6 hex characters of the SHA-256
 * of the full number (so re-runs find the same bill, and two long numbers sharing a prefix stay
 * distinct); the full number is kept in PrivateNote. Option `longDocNumber: 'reject'` fails the
 * item instead.
 */
import { createHash } from 'node:crypto';

import {
	ErpInputError,
	failed,
	type ErpFailure,
	inputFailure,
	invoiceWhere,
	matchVendors,
	validateInvoice,
	type ErpOutcome,
	type VendorMatch,
} from '../erp';
import { abs, add, compare, equals, isZero, parseDecimal, toWireNumber } from '../records/decimal';
import type { ErpResult, Invoice, LineMapping } from '../records';
import { isUnrecoverable, type QboClient } from './client';
import { QuickBooksVendorDirectory } from './directories';
import { QboError, QboErrorCode } from './errors';
import { chunkForIn, inClause } from './query';
import { syncVendors, type VendorOutcome, type VendorSyncOptions } from './vendors';

export const MAX_DOC_NUMBER = 21;
export const MAX_PRIVATE_NOTE = 4000;

export interface UpsertBillsOptions {
	/** Create a vendor that is not found by name (default true). */
	createMissingVendors?: boolean;
	/** Retry a 6240 vendor name clash as `name + suffix`. */
	duplicateNameSuffix?: string;
	/** Update a document that exists and differs (default true); otherwise it is `skipped`. */
	updateExisting?: boolean;
	/** What to do with an invoice number longer than 21 characters (default `shorten`). */
	longDocNumber?: 'shorten' | 'reject';
	/** Expense account for `taxTotal`, posted as its own line. Without it a taxed invoice is refused. */
	taxAccountId?: string;
}

export type BillOutcome = ErpOutcome<{
	entity: 'Bill' | 'VendorCredit';
	docNumber: string;
	vendorId: string;
}>;

export function qboDocNumber(
	invoiceNumber: string,
	rule: 'shorten' | 'reject' = 'shorten',
): string {
	const trimmed = invoiceNumber.trim();
	if (!trimmed) throw new ErpInputError('invoiceNumber is empty');
	if (trimmed.length <= MAX_DOC_NUMBER) return trimmed;
	if (rule === 'reject') {
		throw new ErpInputError(
			`invoiceNumber "${trimmed}" has ${trimmed.length} characters; QuickBooks DocNumber allows ${MAX_DOC_NUMBER} (option "Long Invoice Numbers" is set to reject)`,
			'DOC_NUMBER_TOO_LONG',
		);
	}
	const hash = createHash('sha256').update(trimmed).digest('hex').slice(0, 6);
	return `${trimmed.slice(0, MAX_DOC_NUMBER - 7)}~${hash}`;
}

export interface BillPayload {
	entity: 'Bill' | 'VendorCredit';
	docNumber: string;
	/** Hash of the fields we own; stored in PrivateNote as `fp:<hex>`. */
	fingerprint: string;
	body: Record<string, unknown>;
}

function ref(
	value: { value: string; name?: string } | undefined,
): Record<string, string> | undefined {
	if (!value?.value) return undefined;
	return { value: String(value.value) };
}

function money(value: string, field: string): string {
	try {
		return parseDecimal(value);
	} catch {
		throw new ErpInputError(`${field} "${value}" is not a decimal amount`);
	}
}

export function privateNote(
	invoice: Invoice,
	docNumber: string,
	fingerprint: string,
	lineMappings: LineMapping[],
): string {
	const head = [
		`Stampli invoice ${invoice.stampliInvoiceId}`,
		`file ${invoice.source?.file ?? '?'}`,
		`sha256 ${invoice.source?.sha256 ?? '?'}`,
	];
	if (docNumber !== invoice.invoiceNumber.trim())
		head.push(`invoice number ${invoice.invoiceNumber.trim()}`);
	const tail = `fp:${fingerprint}`;
	let rules = lineMappings.map((m) => `L${m.lineNumber}:${m.rule.id}`).join(',');
	const room = MAX_PRIVATE_NOTE - head.join(' | ').length - tail.length - 20;
	if (rules.length > room) rules = `${rules.slice(0, Math.max(0, room - 1))}…`;
	return [...head, `rules ${rules || 'none'}`, tail].join(' | ');
}

type ExpenseLine = {
	DetailType: 'AccountBasedExpenseLineDetail';
	Amount: number;
	Description: string;
	AccountBasedExpenseLineDetail: Record<string, unknown>;
};

/** The expense lines of the mapped invoice lines, their sum, and the one department they name. */
function expenseLines(
	invoice: Invoice,
	mappings: Map<number, LineMapping>,
	entity: string,
): { lines: ExpenseLine[]; sum: string; department?: Record<string, string> } {
	const departments = new Set<string>();
	let department: Record<string, string> | undefined;
	let sum = '0';
	const lines = invoice.lines.map((line): ExpenseLine => {
		const qb = mappings.get(line.lineNumber)?.quickbooks;
		if (!qb?.accountRef?.value) {
			throw new ErpInputError(
				`line ${line.lineNumber}: no QuickBooks account mapped for GL code "${line.glAccount}" (run the GL Mapper with target QuickBooks)`,
				'UNMAPPED_LINE',
			);
		}
		const amount = abs(money(line.amount, `line ${line.lineNumber} amount`));
		sum = add(sum, amount);
		if (qb.departmentRef?.value) {
			departments.add(qb.departmentRef.value);
			department = ref(qb.departmentRef);
		}
		const detail: Record<string, unknown> = { AccountRef: ref(qb.accountRef) };
		if (qb.classRef?.value) detail.ClassRef = ref(qb.classRef);
		return {
			DetailType: 'AccountBasedExpenseLineDetail',
			Amount: toWireNumber(amount),
			Description: (line.description ?? '').slice(0, 4000),
			AccountBasedExpenseLineDetail: detail,
		};
	});
	if (departments.size > 1) {
		throw new ErpInputError(
			`lines map to ${departments.size} QuickBooks departments (${[...departments].join(', ')}); a ${entity} carries one DepartmentRef on its header`,
			'MIXED_DEPARTMENTS',
		);
	}
	return { lines, sum, department };
}

/** The tax total as its own line (QuickBooks would otherwise post the bill without it); the new sum. */
function addTaxLine(
	invoice: Invoice,
	lines: ExpenseLine[],
	sum: string,
	options: UpsertBillsOptions,
): { sum: string; tax: string } {
	const tax = invoice.taxTotal ? abs(money(invoice.taxTotal, 'taxTotal')) : '0';
	if (isZero(tax)) return { sum, tax };
	if (!options.taxAccountId)
		throw new ErpInputError(
			`taxTotal is ${tax} but no Tax Account is set in the node options; QuickBooks would post the bill without its tax`,
			'TAX_ACCOUNT_MISSING',
		);
	lines.push({
		DetailType: 'AccountBasedExpenseLineDetail',
		Amount: toWireNumber(tax),
		Description: 'Tax',
		AccountBasedExpenseLineDetail: { AccountRef: { value: options.taxAccountId } },
	});
	return { sum: add(sum, tax), tax };
}

/** Builds the Bill / VendorCredit for an invoice. Throws ErpInputError naming the field. */
export function buildBillPayload(
	invoice: Invoice,
	vendorId: string,
	options: UpsertBillsOptions = {},
): BillPayload {
	const entity = invoice.documentType === 'credit' ? 'VendorCredit' : 'Bill';
	const docNumber = qboDocNumber(String(invoice.invoiceNumber ?? ''), options.longDocNumber);
	if (!/^\d{4}-\d{2}-\d{2}$/.test(invoice.invoiceDate ?? ''))
		throw new ErpInputError(`invoiceDate "${invoice.invoiceDate}" is not YYYY-MM-DD`);
	if (invoice.dueDate && !/^\d{4}-\d{2}-\d{2}$/.test(invoice.dueDate))
		throw new ErpInputError(`dueDate "${invoice.dueDate}" is not YYYY-MM-DD`);
	if (!Array.isArray(invoice.lines) || invoice.lines.length === 0)
		throw new ErpInputError('invoice has no lines');
	if (invoice.mapping && invoice.mapping.target !== 'quickbooks')
		throw new ErpInputError(
			`mapping.target is "${invoice.mapping.target}", not "quickbooks"; map this invoice for QuickBooks`,
		);
	const mappings = new Map((invoice.mapping?.lines ?? []).map((m) => [m.lineNumber, m]));
	const { lines, sum: linesSum, department } = expenseLines(invoice, mappings, entity);
	const { sum, tax } = addTaxLine(invoice, lines, linesSum, options);
	const total = abs(money(invoice.total, 'total'));
	if (!equals(sum, total)) {
		throw new ErpInputError(
			`lines${isZero(tax) ? '' : ' + tax'} add up to ${sum} but total is ${total} (${compare(sum, total) > 0 ? 'over' : 'under'} by ${abs(add(sum, `-${total}`))})`,
			'TOTAL_MISMATCH',
		);
	}
	const body: Record<string, unknown> = {
		VendorRef: { value: vendorId },
		DocNumber: docNumber,
		TxnDate: invoice.invoiceDate,
		Line: lines,
	};
	if (entity === 'Bill' && invoice.dueDate) body.DueDate = invoice.dueDate;
	if (invoice.currency) body.CurrencyRef = { value: invoice.currency.toUpperCase() };
	if (department) body.DepartmentRef = department;
	const fingerprint = createHash('sha256')
		.update(JSON.stringify([entity, body]))
		.digest('hex')
		.slice(0, 16);
	body.PrivateNote = privateNote(invoice, docNumber, fingerprint, [...mappings.values()]);
	return { entity, docNumber, fingerprint, body };
}

interface ExistingDoc {
	Id: string;
	SyncToken: string;
	DocNumber?: string;
	VendorRef?: { value: string };
	PrivateNote?: string;
	TotalAmt?: number;
}

/** QuickBooks' own total as a decimal string, so the reconciliation counts what QuickBooks booked. */
function bookedTotal(doc: { TotalAmt?: unknown } | undefined): string | undefined {
	const value = doc?.TotalAmt;
	// JSON numbers with two decimals print exactly (shortest round-trip form), so String() loses nothing here.
	return typeof value === 'number' && Number.isFinite(value)
		? parseDecimal(String(value))
		: undefined;
}

/** QuickBooks compares DocNumbers without regard to case; so does this key. */
const docKey = (entity: string, docNumber: string, vendorId: string) =>
	`${entity}|${docNumber.toLowerCase()}|${vendorId}`;

/** The Stampli invoice a document was written for, from the PrivateNote this package writes. */
function stampliInvoiceOf(doc: ExistingDoc): string | undefined {
	return /^Stampli invoice (.+?) \| file /.exec(doc.PrivateNote ?? '')?.[1];
}

/**
 * A failure of one step for the records it concerns. The step is named in the reason, except for
 * an error after which nothing can be sent (a credential to reconnect): its own message stays.
 */
function stepFailure(error: unknown, step: string): ErpFailure {
	if (isUnrecoverable(error)) return failed(error);
	return failed(error, `${step}: ${(error as Error)?.message ?? String(error)}`);
}

/** Existing-document queries in flight at once per lookup. */
const LOOKUP_POOL = 3;

/** Runs `work` over `items`, at most `size` at a time; results in input order. */
async function inPool<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	const lane = async () => {
		while (next < items.length) {
			const i = next++;
			results[i] = await work(items[i]);
		}
	};
	await Promise.all(Array.from({ length: Math.min(size, items.length) }, lane));
	return results;
}

async function findExisting(
	client: QboClient,
	entity: 'Bill' | 'VendorCredit',
	docNumbers: string[],
): Promise<Map<string, ExistingDoc>> {
	const found = new Map<string, ExistingDoc>();
	// A few groups' queries at a time (a file of 2,500 invoices is 25 queries: one after another they
	// would cost 25 round trips before the first bill is sent); a few, not all, so they leave the
	// realm's 10 slots in flight to the batch requests of other executions.
	const answers = await inPool(chunkForIn(docNumbers), LOOKUP_POOL, async (group) =>
		client.queryAll<ExistingDoc>(entity, [inClause('DocNumber', group)]),
	);
	for (const rows of answers) {
		for (const row of rows) {
			if (!row.DocNumber || !row.VendorRef?.value) continue;
			const key = docKey(entity, row.DocNumber, row.VendorRef.value);
			// Several already? Keep the oldest; it is the one earlier runs reported.
			if (!found.has(key) || Number(row.Id) < Number(found.get(key)!.Id)) found.set(key, row);
		}
	}
	return found;
}

const hasFingerprint = (doc: ExistingDoc, fingerprint: string) =>
	(doc.PrivateNote ?? '').includes(`fp:${fingerprint}`);

interface Work {
	index: number;
	stampliInvoiceId: string;
	payload: BillPayload;
	vendorId: string;
	/** E.g. "vendor created concurrently, reused": reported in the document's erp.reason. */
	vendorNote?: string;
	existing?: ExistingDoc;
}

/**
 * One Bill (credits: a VendorCredit) per approved invoice, never twice. One outcome per invoice, in
 * input order; only a QuickBooks that cannot be used at all makes it throw.
 */
export async function upsertBills(
	client: QboClient,
	invoices: Invoice[],
	options: UpsertBillsOptions = {},
): Promise<BillOutcome[]> {
	const outcomes: BillOutcome[] = new Array(invoices.length);
	invoices.forEach((invoice, i) => {
		try {
			validateInvoice(invoice);
		} catch (error) {
			outcomes[i] = failed(error);
		}
	});
	try {
		const vendors = await resolveVendors(client, invoices, options, outcomes);
		const work = plan(invoices, vendors, options, outcomes);
		await findExistingFor(client, work, outcomes);
		await writeDocuments(
			client,
			work.filter((w) => !outcomes[w.index]),
			options,
			outcomes,
		);
	} catch (error) {
		// A step failed in a way it did not handle: the invoices it left open fail with it, the
		// outcomes of those already written stay.
		const failure = stepFailure(error, 'Writing to QuickBooks failed');
		invoices.forEach((_, i) => (outcomes[i] ??= failure));
	}
	return outcomes;
}

/**
 * The QuickBooks vendor of each invoice: given on the invoice or by the GL Mapper, else found by
 * the shared vendor resolver (by name: QuickBooks keeps no tax id it will answer unmasked), else
 * created, with the address and tax id from Stampli, when that is allowed.
 */
async function resolveVendors(
	client: QboClient,
	invoices: Invoice[],
	options: UpsertBillsOptions,
	outcomes: BillOutcome[],
): Promise<Array<{ id: string; note?: string } | undefined>> {
	const vendors: Array<{ id: string; note?: string } | undefined> = new Array(invoices.length);
	const open = invoices.map((_, i) => i).filter((i) => !outcomes[i]);
	const given = (inv: Invoice) => inv.vendor?.erpVendorId ?? inv.mapping?.vendor?.erpVendorId;
	for (const i of open) if (given(invoices[i])) vendors[i] = { id: String(given(invoices[i])) };
	const byName = open.filter((i) => !vendors[i]);
	for (const i of byName.filter((i) => !invoices[i].vendor?.name))
		outcomes[i] = inputFailure(
			`${invoiceWhere(invoices[i])}: vendor.name is empty and no QuickBooks vendor id is known (vendor.erpVendorId or mapping.vendor)`,
		);
	const named = byName.filter((i) => !outcomes[i]);
	if (named.length === 0) return vendors;
	const directory = new QuickBooksVendorDirectory(client, {
		nameHints: named.map((i) => invoices[i].vendor.name),
	});
	let matches: VendorMatch[];
	try {
		matches = await matchVendors(
			named.map((i) => ({ ...invoices[i].vendor, erpVendorId: undefined })),
			{ directory, steps: ['name'] },
		);
	} catch (error) {
		const failure = stepFailure(error, 'Vendor lookup failed');
		for (const i of named) outcomes[i] = failure;
		return vendors;
	}
	const missing: number[] = [];
	named.forEach((i, k) => {
		const match = matches[k];
		if (match.status === 'matched') vendors[i] = { id: match.erpVendorId };
		else if (match.status === 'ambiguous')
			outcomes[i] = inputFailure(
				`${invoiceWhere(invoices[i])}: ${match.reason}`,
				'AMBIGUOUS_VENDOR',
			);
		// Not found, or only inactive: the vendor sync creates it, or reactivates the inactive one.
		else missing.push(i);
	});
	if (missing.length)
		await createVendors(
			client,
			invoices,
			missing,
			{ ...options, lookedUp: directory.seen },
			vendors,
			outcomes,
		);
	return vendors;
}

async function createVendors(
	client: QboClient,
	invoices: Invoice[],
	missing: number[],
	options: UpsertBillsOptions & Pick<VendorSyncOptions, 'lookedUp'>,
	vendors: Array<{ id: string; note?: string } | undefined>,
	outcomes: BillOutcome[],
): Promise<void> {
	let resolved: VendorOutcome[];
	try {
		resolved = await syncVendors(
			client,
			missing.map((i) => ({ ...invoices[i].vendor })),
			{
				createMissing: options.createMissingVendors ?? true,
				updateExisting: false,
				reactivateInactive: true,
				duplicateNameSuffix: options.duplicateNameSuffix,
				lookedUp: options.lookedUp,
			},
		);
	} catch (error) {
		resolved = missing.map(() => stepFailure(error, 'Vendor lookup failed'));
	}
	resolved.forEach((r, k) => {
		const i = missing[k];
		if (r.ok)
			vendors[i] = {
				id: r.vendorId,
				note: r.note ? `vendor "${r.displayName}": ${r.note}` : undefined,
			};
		else outcomes[i] = r;
	});
}

/**
 * Payloads. Two different invoices that would be the same QuickBooks document (same vendor and
 * DocNumber, case aside) cannot both be held: the first is written, the later ones fail. (The same
 * invoice twice is the seam's duplicate rule, applied before this writer.)
 */
function plan(
	invoices: Invoice[],
	vendors: Array<{ id: string; note?: string } | undefined>,
	options: UpsertBillsOptions,
	outcomes: BillOutcome[],
): Work[] {
	const work: Work[] = [];
	const firstByKey = new Map<string, number>();
	invoices.forEach((inv, i) => {
		if (outcomes[i]) return;
		const vendorId = vendors[i]!.id;
		try {
			const payload = buildBillPayload(inv, vendorId, options);
			const key = docKey(payload.entity, payload.docNumber, vendorId);
			const first = firstByKey.get(key);
			if (first !== undefined) {
				outcomes[i] = inputFailure(
					`${invoiceWhere(inv)}: same QuickBooks ${payload.entity} number "${payload.docNumber}" and vendor as invoice ${invoices[first].stampliInvoiceId} (item ${first + 1}), which QuickBooks cannot hold apart (it ignores case); only item ${first + 1} was written`,
					'DUPLICATE_DOC_NUMBER',
				);
				return;
			}
			firstByKey.set(key, i);
			work.push({
				index: i,
				stampliInvoiceId: inv.stampliInvoiceId,
				payload,
				vendorId,
				vendorNote: vendors[i]!.note,
			});
		} catch (error) {
			outcomes[i] =
				error instanceof ErpInputError
					? failed(
							error,
							`invoice ${inv.stampliInvoiceId ?? i} (${inv.source?.file ?? 'no file'}): ${error.message}`,
						)
					: stepFailure(error, `${invoiceWhere(inv)}: building the QuickBooks document failed`);
		}
	});
	return work;
}

/** Existing documents: one query per entity and group of DocNumbers. */
async function findExistingFor(
	client: QboClient,
	work: Work[],
	outcomes: BillOutcome[],
): Promise<void> {
	for (const entity of ['Bill', 'VendorCredit'] as const) {
		const mine = work.filter((w) => w.payload.entity === entity);
		if (!mine.length) continue;
		try {
			const existing = await findExisting(
				client,
				entity,
				mine.map((w) => w.payload.docNumber),
			);
			for (const w of mine)
				w.existing = existing.get(docKey(entity, w.payload.docNumber, w.vendorId));
		} catch (error) {
			const failure = stepFailure(error, `Looking up existing ${entity}s failed`);
			for (const w of mine) outcomes[w.index] = failure;
		}
	}
}

type Done = (
	w: Work,
	id: string,
	action: ErpResult['action'],
	booked: { TotalAmt?: unknown } | undefined,
	docReason?: string,
) => void;

/** Records a document's success, with QuickBooks' own total and the reasons worth telling. */
function recorder(outcomes: BillOutcome[]): Done {
	return (w, id, action, booked, docReason) => {
		const reason = [docReason, w.vendorNote].filter(Boolean).join('; ');
		const amountTotal = bookedTotal(booked);
		outcomes[w.index] = {
			ok: true,
			entity: w.payload.entity,
			docNumber: w.payload.docNumber,
			vendorId: w.vendorId,
			erp: {
				system: 'quickbooks',
				id,
				externalId: w.payload.docNumber,
				action,
				...(amountTotal !== undefined ? { amountTotal } : {}),
				...(reason ? { reason } : {}),
			},
		};
	};
}

/**
 * Settles documents that need no write (unchanged, skipped with updating off, or held by another
 * Stampli invoice); returns the rest.
 */
function toWrite(
	round: Work[],
	options: UpsertBillsOptions,
	done: Done,
	outcomes: BillOutcome[],
): Work[] {
	const writes: Work[] = [];
	for (const w of round) {
		const owner = w.existing && stampliInvoiceOf(w.existing);
		if (!w.existing) writes.push(w);
		else if (owner && owner !== w.stampliInvoiceId)
			outcomes[w.index] = inputFailure(
				`${w.payload.entity} ${w.existing.DocNumber} (QuickBooks id ${w.existing.Id}) of this vendor was written for Stampli invoice ${owner}; QuickBooks keeps one ${w.payload.entity} per vendor and number (case aside), so invoice ${w.stampliInvoiceId} (number "${w.payload.docNumber}") is not written over it`,
				'DOC_NUMBER_TAKEN',
			);
		else if (hasFingerprint(w.existing, w.payload.fingerprint))
			done(w, w.existing.Id, 'unchanged', w.existing);
		else if (options.updateExisting === false)
			done(
				w,
				w.existing.Id,
				'skipped',
				w.existing,
				'exists in QuickBooks with different content; updating is off',
			);
		else writes.push(w);
	}
	return writes;
}

/** One /batch round of creates and updates; returns the documents a 5010 / 6140 sends to be re-read. */
async function sendWrites(
	client: QboClient,
	writes: Work[],
	retryable: boolean,
	done: Done,
	outcomes: BillOutcome[],
): Promise<Work[]> {
	let results: Awaited<ReturnType<QboClient['batch']>>;
	try {
		results = await client.batch(
			writes.map((w) =>
				w.existing
					? {
							operation: 'update' as const,
							entity: w.payload.entity,
							body: { ...w.payload.body, Id: w.existing.Id, SyncToken: w.existing.SyncToken },
							options: { sparse: true },
						}
					: { operation: 'create' as const, entity: w.payload.entity, body: w.payload.body },
			),
		);
	} catch (error) {
		const failure = stepFailure(error, `Writing ${writes.length} document(s) failed`);
		for (const w of writes) outcomes[w.index] = failure;
		return [];
	}
	const reread: Work[] = [];
	results.forEach((result, k) => {
		const w = writes[k];
		if (result.ok) {
			const written = result.entity as { Id?: string; TotalAmt?: unknown } | undefined;
			done(
				w,
				String(written?.Id ?? ''),
				w.existing ? 'updated' : 'created',
				written,
				w.existing ? 'content changed since the last run' : undefined,
			);
			return;
		}
		const e = result.error;
		if (
			retryable &&
			(e.hasCode(QboErrorCode.staleObject) || e.hasCode(QboErrorCode.duplicateDocNumber))
		) {
			reread.push(w);
			return;
		}
		const what = `${w.existing ? 'Updating' : 'Creating'} ${w.payload.entity} ${w.payload.docNumber}`;
		outcomes[w.index] = failed(e, `${what} failed: ${e.message}`, e.code);
	});
	return reread;
}

/** Reads conflicting documents again (fresh SyncToken, or the one a concurrent run created); returns those found. */
async function rereadConflicts(
	client: QboClient,
	reread: Work[],
	outcomes: BillOutcome[],
): Promise<Work[]> {
	const found: Work[] = [];
	for (const entity of ['Bill', 'VendorCredit'] as const) {
		const mine = reread.filter((w) => w.payload.entity === entity);
		if (!mine.length) continue;
		let fresh: Map<string, ExistingDoc>;
		try {
			fresh = await findExisting(
				client,
				entity,
				mine.map((w) => w.payload.docNumber),
			);
		} catch (error) {
			const failure = stepFailure(
				error,
				`QuickBooks reported a conflict, and reading the ${entity} again failed`,
			);
			for (const w of mine) outcomes[w.index] = failure;
			continue;
		}
		for (const w of mine) {
			w.existing = fresh.get(docKey(entity, w.payload.docNumber, w.vendorId));
			if (!w.existing)
				outcomes[w.index] = conflict(
					w,
					`${entity} ${w.payload.docNumber} was reported as conflicting but cannot be found again`,
					'CONFLICT',
				);
			else found.push(w);
		}
	}
	return found;
}

async function writeDocuments(
	client: QboClient,
	work: Work[],
	options: UpsertBillsOptions,
	outcomes: BillOutcome[],
): Promise<void> {
	const done = recorder(outcomes);
	let round = work;
	// Round 1 writes; round 2 retries what 5010 / 6140 sent back to be re-read.
	for (let attempt = 0; attempt < 2 && round.length; attempt++) {
		const writes = toWrite(round, options, done, outcomes);
		if (!writes.length) return;
		const reread = await sendWrites(client, writes, attempt === 0, done, outcomes);
		round = reread.length ? await rereadConflicts(client, reread, outcomes) : [];
	}
	for (const w of round)
		if (!outcomes[w.index])
			outcomes[w.index] = conflict(
				w,
				`${w.payload.entity} ${w.payload.docNumber} kept conflicting after one retry`,
				QboErrorCode.staleObject,
			);
}

/** QuickBooks' own answers left the document unwritable: an ERP failure, not an input one. */
function conflict(w: Work, message: string, code: string): BillOutcome {
	return failed(new QboError(409, 'CONFLICT', [{ code, message }]), message, code);
}
