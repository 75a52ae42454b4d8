/**
 * Links bill lines to purchase order lines (`purchase_line_id`). Stampli knows the PO number of the
 * invoice and, per line, the PO line as our purchase-order feed published it: `LineNumber` (1-based
 * position among the order's product lines, ordered by sequence then id) or `LineId` (Odoo's
 * purchase.order.line id). One `search_read` on purchase.order.line answers a whole batch; a
 * reference that cannot be honoured is reported, never silently dropped.
 */
import { abs, compare } from '../records/decimal';
import type { Invoice, InvoiceLine } from '../records/types';
import type { OdooClient } from './client';
import { OdooError } from './errors';
import { orderedProductLines } from './masterData/mapping';
import { many2oneId, type OdooDomain, type OdooRecord } from './values';

/** What to do with an invoice whose PO line reference cannot be honoured. */
export type PoLineNotFoundPolicy = 'unlinkAndWarn' | 'fail';

/** PO states Odoo lets a vendor bill be matched against (the bill's "Auto-Complete" offers only these). */
const BILLABLE_STATES = new Set(['purchase', 'done']);

const LINE_FIELDS = [
	'order_id',
	'sequence',
	'display_type',
	'name',
	'product_qty',
	'price_unit',
	'qty_invoiced',
	'partner_id',
	'state',
];

export interface PoLine {
	id: number;
	/** 1-based position among the order's product lines, as the feed numbers it. */
	lineNumber: number;
	priceUnit: string;
}

export interface PoOrder {
	id: number;
	name: string;
	partnerId: number | null;
	partnerName: string;
	state: string;
	lines: PoLine[];
}

export interface PoLineIndex {
	/** Orders by PO number; one name can belong to several orders (one per company). */
	ordersByName: Map<string, PoOrder[]>;
	/** Every product line read, by id, with its order. */
	linesById: Map<number, { line: PoLine; order: PoOrder }>;
	/** Set when Odoo refused the lookup (purchase app not installed, no access). */
	lookupError?: string;
}

export interface PoLineResolution {
	/** purchase_line_id per invoice line (same index), or undefined. */
	lineIds: Array<number | undefined>;
	/** Human text per linked line, for the chatter note: `PO P00012 line 2 (id 57)`. */
	links: Array<string | undefined>;
	/** References that were not honoured (the line goes unlinked, or the invoice fails under `fail`). */
	problems: string[];
	/** Everything worth telling the user, problems included. */
	warnings: string[];
}

const isNumericRef = (ref: string) => /^\d+$/.test(ref);

function poNumberOf(invoice: Invoice): string | undefined {
	const value = typeof invoice.poNumber === 'string' ? invoice.poNumber.trim() : '';
	return value || undefined;
}

function refOf(line: { poLine?: unknown }): string | undefined {
	const value = line.poLine === undefined || line.poLine === null ? '' : String(line.poLine).trim();
	return value || undefined;
}

/** The domain of the one lookup a batch needs, or undefined when no invoice names a PO or a PO line. */
export function poLineLookupDomain(invoices: Invoice[]): OdooDomain | undefined {
	const names = new Set<string>();
	const ids = new Set<number>();
	for (const invoice of invoices) {
		const poNumber = poNumberOf(invoice);
		if (poNumber) names.add(poNumber);
		// Without a PO number a numeric reference can only be a line id; with one, the order's lines are read anyway.
		else
			for (const line of invoice.lines) {
				const ref = refOf(line);
				if (ref && isNumericRef(ref)) ids.add(Number(ref));
			}
	}
	const branches: OdooDomain[] = [];
	if (names.size > 0) branches.push([['order_id.name', 'in', [...names].sort()]]);
	if (ids.size > 0) branches.push([['id', 'in', [...ids].sort((a, b) => a - b)]]);
	if (branches.length === 0) return undefined;
	return branches.length === 1 ? branches[0] : ['|', ...branches[0], ...branches[1]];
}

/**
 * purchase.order reads as `[id, "P00012 (vendor ref)"]`: Odoo appends the vendor's reference to the
 * name. Take the longest requested PO number that the display name is or starts with.
 */
function orderNameFrom(displayName: string, requested: string[]): string {
	let best: string | undefined;
	for (const name of requested) {
		if (
			(displayName === name || displayName.startsWith(`${name} (`)) &&
			(!best || name.length > best.length)
		)
			best = name;
	}
	return best ?? displayName;
}

/** Builds the index from purchase.order.line rows (as `search_read` returns them). */
export function indexPoLines(rows: OdooRecord[], requestedNames: string[]): PoLineIndex {
	const orders = new Map<number, PoOrder>();
	const rowsByOrder = new Map<number, OdooRecord[]>();
	for (const row of rows) {
		const orderId = many2oneId(row.order_id);
		if (orderId === null) continue;
		if (!orders.has(orderId)) {
			orders.set(orderId, {
				id: orderId,
				name: orderNameFrom(String(row.order_id[1] ?? ''), requestedNames),
				partnerId: many2oneId(row.partner_id),
				partnerName: Array.isArray(row.partner_id) ? String(row.partner_id[1]) : '',
				state: typeof row.state === 'string' ? row.state : '',
				lines: [],
			});
			rowsByOrder.set(orderId, []);
		}
		rowsByOrder.get(orderId)!.push(row);
	}
	const index: PoLineIndex = { ordersByName: new Map(), linesById: new Map() };
	for (const order of orders.values()) {
		order.lines = orderedProductLines(rowsByOrder.get(order.id)!).map((row, k) => ({
			id: row.id,
			lineNumber: k + 1,
			priceUnit: String(row.price_unit ?? '0'),
		}));
		for (const line of order.lines) index.linesById.set(line.id, { line, order });
		const list = index.ordersByName.get(order.name) ?? [];
		list.push(order);
		index.ordersByName.set(order.name, list);
	}
	return index;
}

/** At most one round trip: the PO lines of every PO number and line id the batch names. */
export async function readPoLines(client: OdooClient, invoices: Invoice[]): Promise<PoLineIndex> {
	const domain = poLineLookupDomain(invoices);
	if (!domain) return { ordersByName: new Map(), linesById: new Map() };
	const requested = [...new Set(invoices.map(poNumberOf).filter((n): n is string => !!n))];
	try {
		const rows = await client.searchRead('purchase.order.line', domain, {
			fields: LINE_FIELDS,
			order: 'id asc',
		});
		return indexPoLines(rows, requested);
	} catch (error) {
		// Unreachable or wrong key concerns the whole batch; anything else (no purchase app, no
		// access to purchases) only costs the PO links.
		if (
			!(error instanceof OdooError) ||
			error.kind === 'transport' ||
			error.kind === 'access_denied'
		)
			throw error;
		return { ordersByName: new Map(), linesById: new Map(), lookupError: error.message };
	}
}

/** Why a line of this order cannot carry a link to it, or undefined when it can. */
function orderRefusal(order: PoOrder, billPartnerId: number): string | undefined {
	if (order.partnerId !== billPartnerId) {
		return `PO ${order.name} is for vendor ${order.partnerName || '?'} (partner ${order.partnerId ?? 'none'}), not the bill's vendor (partner ${billPartnerId})`;
	}
	if (!BILLABLE_STATES.has(order.state))
		return `PO ${order.name} is in state "${order.state}", not a confirmed order`;
	return undefined;
}

function linkText(order: PoOrder, line: PoLine): string {
	return `PO ${order.name} line ${line.lineNumber} (purchase.order.line ${line.id})`;
}

/** The PO the invoice names (by number), or why none can be used. */
function orderOf(
	poNumber: string | undefined,
	anyRef: boolean,
	billPartnerId: number,
	index: PoLineIndex,
): { order?: PoOrder; problem?: string } {
	if (index.lookupError && (poNumber || anyRef))
		return { problem: `PO lines could not be read from Odoo (${index.lookupError})` };
	if (!poNumber) return {};
	const candidates = index.ordersByName.get(poNumber) ?? [];
	const own = candidates.filter((o) => o.partnerId === billPartnerId);
	const order = candidates.length === 1 ? candidates[0] : own.length === 1 ? own[0] : undefined;
	if (order) return { order, problem: orderRefusal(order, billPartnerId) };
	if (candidates.length === 0)
		return { problem: `PO ${poNumber} is not in Odoo (or has no lines)` };
	return {
		problem: `PO number ${poNumber} matches ${candidates.length} Odoo orders (ids ${candidates.map((o) => o.id).join(', ')})`,
	};
}

/**
 * The line of `order` a reference names: its line number, or its id. When both readings name a
 * line, Stampli usually sends the line number; the unit price decides when exactly one reading
 * agrees with it, else a note says which was taken. Returns the line, or why there is none.
 */
function lineOfOrder(
	line: InvoiceLine,
	ref: string,
	order: PoOrder,
	allFitAsNumbers: boolean,
	notes: string[],
): PoLine | string {
	const n = Number(ref);
	const byNumber = order.lines[n - 1];
	const byId = order.lines.find((l) => l.id === n);
	let chosen = byNumber ?? byId;
	if (byNumber && byId && byNumber !== byId) {
		const price = abs(line.unitPrice);
		const numberFits = compare(price, byNumber.priceUnit) === 0;
		const idFits = compare(price, byId.priceUnit) === 0;
		chosen = idFits && !numberFits ? byId : byNumber;
		if (numberFits === idFits && !allFitAsNumbers)
			notes.push(
				`line ${line.lineNumber}: PO line "${ref}" is line number ${n} and also the id of line ${byId.lineNumber} of PO ${order.name}; taken as the line number`,
			);
	}
	return (
		chosen ??
		`PO ${order.name} has no line ${ref} (it has ${order.lines.length} product line${order.lines.length === 1 ? '' : 's'})`
	);
}

/** The PO line one reference names, or why it cannot be linked. */
function lineFor(
	line: InvoiceLine,
	ref: string,
	context: { order?: PoOrder; allFitAsNumbers: boolean; billPartnerId: number; index: PoLineIndex },
	notes: string[],
): { order: PoOrder; line: PoLine } | string {
	if (!isNumericRef(ref)) return `PO line "${ref}" is neither a line number nor an Odoo PO line id`;
	const { order } = context;
	if (order) {
		const chosen = lineOfOrder(line, ref, order, context.allFitAsNumbers, notes);
		return typeof chosen === 'string' ? chosen : { order, line: chosen };
	}
	const found = context.index.linesById.get(Number(ref));
	if (!found) return `no Odoo PO line with id ${Number(ref)} (the invoice names no PO number)`;
	return orderRefusal(found.order, context.billPartnerId) ?? found;
}

/**
 * Resolves the invoice's PO line references against the index. `billPartnerId` is the bill's
 * vendor: a PO of another vendor is never linked.
 */
export function resolvePoLines(
	invoice: Invoice,
	billPartnerId: number,
	index: PoLineIndex,
): PoLineResolution {
	const lineIds: Array<number | undefined> = invoice.lines.map(() => undefined);
	const links: Array<string | undefined> = invoice.lines.map(() => undefined);
	const notes: string[] = [];
	// Reason → invoice line numbers, so one missing PO gives one message, not one per line.
	const unlinked = new Map<string, number[]>();
	const refuse = (reason: string, lineNumber: number): void => {
		unlinked.set(reason, [...(unlinked.get(reason) ?? []), lineNumber]);
	};
	const anyRef = invoice.lines.some((line) => refOf(line));
	const { order, problem } = orderOf(poNumberOf(invoice), anyRef, billPartnerId, index);
	// A PO number without line references links nothing, but a wrong one is still worth a word.
	if (problem && !anyRef && poNumberOf(invoice) && !index.lookupError) notes.push(problem);

	// References that all fit as line numbers of the PO read as line numbers: that is what the feed
	// publishes and Stampli sends back, so a mere coincidence with some line's id is no ambiguity.
	const allFitAsNumbers =
		!!order &&
		invoice.lines.every((line) => {
			const ref = refOf(line);
			return !ref || (isNumericRef(ref) && Number(ref) >= 1 && Number(ref) <= order.lines.length);
		});
	invoice.lines.forEach((line, k) => {
		const ref = refOf(line);
		if (!ref) return;
		if (problem) return refuse(problem, line.lineNumber);
		const found = lineFor(line, ref, { order, allFitAsNumbers, billPartnerId, index }, notes);
		if (typeof found === 'string') return refuse(found, line.lineNumber);
		lineIds[k] = found.line.id;
		links[k] = linkText(found.order, found.line);
	});

	const problems = [...unlinked.entries()].map(
		([reason, lines]) =>
			`${reason}: line${lines.length === 1 ? '' : 's'} ${lines.join(', ')} not linked to a PO line`,
	);
	return { lineIds, links, problems, warnings: [...problems, ...notes] };
}
