/**
 * The bill writer's decisions, as data: for each desired bill, given what Odoo already holds, one
 * action with its reason. Pure (no Odoo call), so every idempotency and posting rule is tested
 * without a server:
 * - no bill yet → `create` (dropping an external id whose bill was deleted);
 * - a bill without our external id that matches vendor, number, type and company → adopt it (write
 *   the external id), then treat it like one of ours; two or more such bills → fail, naming them;
 * - ours and unchanged → `unchanged`, or `post` when it is a draft and auto-post is on;
 * - ours, changed, draft → `update`; posted and unpaid under reset-update-repost → `resetUpdateRepost`;
 *   otherwise `skip` with the reason (posted, paid, cancelled).
 */
import { compare } from '../../records/decimal';
import type { XmlIdRow } from '../externalIds';
import { checkBillTotals, type TotalCheck } from '../totals';
import { many2oneId, type OdooRecord } from '../values';
import { orphanKey, type ExistingBills } from './load';
import type { BillUpsertOptions, DesiredBill, DesiredLine } from './types';

interface ActionBase {
	bill: DesiredBill;
	/** Why this action, in words (also what tests read). */
	why: string;
}

/** A bill of ours (or one being adopted) already in Odoo. */
interface OnMove extends ActionBase {
	move: OdooRecord;
	/** Set when the bill has no external id of ours yet: write it first. */
	adopt?: true;
	/** Our external id of the same name that points at a deleted bill: dropped before adopting. */
	staleXmlId?: number;
}

/** The bill an action adopts (writes our external id on), if any. */
export function adoptedMove(action: BillAction): OdooRecord | undefined {
	return 'adopt' in action && action.adopt ? action.move : undefined;
}

export type BillAction =
	| (ActionBase & { kind: 'create'; staleXmlId?: number })
	| (OnMove & { kind: 'unchanged'; check?: TotalCheck })
	| (OnMove & { kind: 'post'; check?: TotalCheck })
	| (OnMove & { kind: 'update' })
	| (OnMove & { kind: 'resetUpdateRepost' })
	| (OnMove & { kind: 'skip'; reason: string; check?: TotalCheck })
	| (ActionBase & { kind: 'fail'; reason: string; move?: OdooRecord; check?: TotalCheck });

export type BillActionKind = BillAction['kind'];

function sameAnalytic(line: DesiredLine, old: OdooRecord): boolean {
	const oldAnalytic = old.analytic_distribution
		? Object.fromEntries(
				Object.keys(old.analytic_distribution)
					.sort()
					.map((k) => [k, Number(old.analytic_distribution[k])]),
			)
		: undefined;
	return JSON.stringify(line.analytic ?? null) === JSON.stringify(oldAnalytic ?? null);
}

export function sameLines(desired: DesiredLine[], existing: OdooRecord[]): boolean {
	if (desired.length !== existing.length) return false;
	return desired.every((line, i) => {
		const old = existing[i];
		return (
			line.name === (old.name || '') &&
			compare(line.quantity, String(old.quantity)) === 0 &&
			compare(line.priceUnit, String(old.price_unit)) === 0 &&
			line.accountId === many2oneId(old.account_id) &&
			JSON.stringify([...line.taxIds].sort()) === JSON.stringify([...(old.tax_ids ?? [])].sort()) &&
			sameAnalytic(line, old) &&
			(line.purchaseLineId ?? null) === many2oneId(old.purchase_line_id)
		);
	});
}

export function sameHeader(bill: DesiredBill, move: OdooRecord): boolean {
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

/** Why a bill that differs is left alone: `posted`, `posted and paid`, `cancel`. */
function leftAloneReason(move: OdooRecord): string {
	if (move.state !== 'posted') return move.state;
	return move.payment_state && move.payment_state !== 'not_paid'
		? `posted and ${move.payment_state}`
		: 'posted';
}

type PlanOptions = Pick<BillUpsertOptions, 'postedPolicy' | 'autoPost' | 'totalMismatch'>;

/** What to do with a bill of ours (or an adopted one) that Odoo already holds. */
function onExisting(
	bill: DesiredBill,
	move: OdooRecord,
	lines: OdooRecord[],
	options: PlanOptions,
	adopt: boolean,
): BillAction {
	const base = { bill, move, ...(adopt ? { adopt: true as const } : {}) };
	const checkTotals = options.totalMismatch !== 'notChecked';
	const check = checkTotals ? checkBillTotals(bill.invoice, move) : undefined;
	if (sameHeader(bill, move) && sameLines(bill.lines, lines)) {
		if (check?.mismatch && options.totalMismatch === 'fail')
			return {
				kind: 'fail',
				bill,
				move,
				check,
				reason: 'total mismatch',
				why: 'Odoo total differs',
			};
		if (move.state === 'draft' && options.autoPost)
			return { ...base, kind: 'post', check, why: 'unchanged draft, auto-post on' };
		return { ...base, kind: 'unchanged', check, why: `unchanged (${move.state})` };
	}
	if (move.state === 'draft') return { ...base, kind: 'update', why: 'changed draft' };
	const unpaid = move.payment_state === 'not_paid' || !move.payment_state;
	if (move.state === 'posted' && unpaid && options.postedPolicy === 'resetUpdateRepost')
		return { ...base, kind: 'resetUpdateRepost', why: 'changed, posted and unpaid' };
	const reason = leftAloneReason(move);
	return { ...base, kind: 'skip', reason, check, why: `changed but ${reason}` };
}

/**
 * One action per desired bill, same order. `xmlIds` are our external ids read for the batch;
 * `existing` what Odoo holds (bills under those ids, and orphans matching the others).
 */
export function planBills(
	bills: DesiredBill[],
	xmlIds: Map<string, XmlIdRow>,
	existing: ExistingBills,
	options: PlanOptions,
): BillAction[] {
	const claimed = new Set<number>();
	return bills.map((bill): BillAction => {
		const row = xmlIds.get(bill.externalName);
		const keyed = row?.model === 'account.move' ? existing.moves.get(row.res_id) : undefined;
		if (keyed) return onExisting(bill, keyed, existing.lines.get(keyed.id) ?? [], options, false);
		const stale = row ? { staleXmlId: row.id } : {};
		const orphans = (existing.orphans.get(orphanKey(bill.header)) ?? []).filter(
			(id) => !claimed.has(id),
		);
		if (orphans.length > 1)
			return {
				kind: 'fail',
				bill,
				reason: `${orphans.length} Odoo bills of this vendor already carry number ${bill.header.ref} without a Stampli key (ids ${orphans.join(', ')}); keep one, cancel the others, and run again`,
				why: 'ambiguous orphans',
			};
		if (orphans.length === 1) {
			claimed.add(orphans[0]);
			const move = existing.moves.get(orphans[0])!;
			const action = onExisting(bill, move, existing.lines.get(move.id) ?? [], options, true);
			return { ...action, ...stale, why: `adopt orphan ${move.id}; ${action.why}` } as BillAction;
		}
		return {
			kind: 'create',
			bill,
			...stale,
			why: row ? 'its bill was deleted in Odoo' : 'no bill yet',
		};
	});
}
