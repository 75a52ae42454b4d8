/**
 * Upsert of Stampli invoices as Odoo vendor bills (`in_invoice`) and credits (`in_refund`), in
 * three steps: load (every read, batched), plan (pure decisions: create, adopt, update,
 * reset-update-repost, post, skip, fail, each with its reason) and apply (writes in measured
 * chunks, posting, read-back, chatter notes and attachments).
 *
 * Round trips for a batch, whatever its size apart from chunking: one `ir.model.data` read (our
 * external ids, currencies, note subtype); at once the currency read (+ the company's currency,
 * once per client), the vendor lookup (by VAT and reference, when needed), one account read and one
 * PO line read (when an invoice names a PO); at once the bills under our ids and the search for
 * bills a run that did not finish left without one (+ an `ir.model.data` check when it finds some);
 * the lines of existing bills; then per chunk of new bills a `create` and an `ir.model.data`
 * create; posts per chunk; one read-back; one `mail.message` create. Only bills that really changed
 * cost a `write` each (Odoo's write takes the same values for all ids).
 */
import { ErpInputError, invoiceWhere as where, validateInvoice } from '../../erp';
import type { Invoice } from '../../records/types';
import type { OdooClient } from '../client';
import { adoptOrphans, createBills, dropStaleXmlIds } from './applyCreate';
import { writeAudit } from './applyAudit';
import { postAndReadBack } from './applyPost';
import { resetUpdateRepost, updateDrafts } from './applyUpdate';
import { desiredBill } from './desired';
import { billExternalName, loadExisting, loadLookups, partnerIdFromInput } from './load';
import type { OdooRecord } from '../values';
import { planBills, type BillAction } from './plan';
import { completeOutcomes, reportUnwritten, reportWritten } from './report';
import { failure, type BillRun, type Written } from './run';
import type { BillOutcome, BillUpsertOptions, DesiredBill } from './types';

export * from './types';
export { planBills, sameHeader, sameLines, type BillAction, type BillActionKind } from './plan';
export { noteHeadline } from './applyAudit';

/** Valid invoices' indexes; the others, and repeats of one Stampli invoice in the batch, get failures. */
function validIndexes(invoices: Invoice[], outcomes: Array<BillOutcome | undefined>): number[] {
	const valid: number[] = [];
	const seen = new Map<string, number>();
	invoices.forEach((invoice, index) => {
		try {
			validateInvoice(invoice);
			partnerIdFromInput(invoice);
			const first = seen.get(invoice.stampliInvoiceId);
			if (first !== undefined)
				throw new ErpInputError(
					`${where(invoice)}: appears twice in this batch (first at item ${first + 1})`,
				);
			seen.set(invoice.stampliInvoiceId, index);
			valid.push(index);
		} catch (error) {
			outcomes[index] = failure(error, 'invalid invoice');
		}
	});
	return valid;
}

/** Loads and plans: one action per invoice that can be written. */
async function loadAndPlan(
	run: BillRun,
	invoices: Invoice[],
	valid: number[],
): Promise<{ actions: BillAction[] }> {
	const chatter = run.options.chatterNote !== false;
	const lookups = await loadLookups(run.client, invoices, valid, chatter);
	run.major = lookups.major;
	run.noteSubtypeId = lookups.noteSubtypeId;
	const bills: DesiredBill[] = [];
	const refused = new Map<number, number>();
	for (const i of valid) {
		try {
			bills.push(desiredBill(invoices[i], i, lookups, run.options));
		} catch (error) {
			run.outcomes[i] = failure(error, 'invalid invoice');
			const row = lookups.xmlIds.get(billExternalName(invoices[i]));
			if (row?.model === 'account.move') refused.set(i, row.res_id);
		}
	}
	const checkTotals = run.options.totalMismatch !== 'notChecked';
	const existing = await loadExisting(run.client, bills, lookups, checkTotals, [
		...refused.values(),
	]);
	for (const [i, moveId] of refused) sayLeftAlone(run, i, existing.moves.get(moveId));
	return { actions: planBills(bills, lookups.xmlIds, existing, run.options) };
}

/** A refused invoice whose bill is in Odoo: its item says the bill was left as it is, and in which state. */
function sayLeftAlone(run: BillRun, index: number, move: OdooRecord | undefined): void {
	const outcome = run.outcomes[index];
	if (!move || !outcome || outcome.ok) return;
	outcome.reason = `${outcome.reason}; nothing was written: Odoo bill ${move.name || move.id} stays ${move.state}`;
}

/** Applies the plan: keys, creates, updates, posts, read-back, audit. */
async function apply(run: BillRun, actions: BillAction[]): Promise<void> {
	const vendorsRecorded = new Set<string>();
	await dropStaleXmlIds(run, actions);
	const adopted = await adoptOrphans(run, actions, vendorsRecorded);
	const usable = actions.filter((a) => !('adopt' in a && a.adopt) || adopted.has(a));
	const of = <K extends BillAction['kind']>(kind: K) =>
		usable.filter((a): a is Extract<BillAction, { kind: K }> => a.kind === kind);

	const createdIds = await createBills(
		run,
		of('create').map((a) => a.bill),
		vendorsRecorded,
	);
	const written: Written[] = [...createdIds].map(([index, moveId]) => ({
		bill: of('create').find((a) => a.bill.index === index)!.bill,
		moveId,
		action: 'created' as const,
	}));
	written.push(...(await updateDrafts(run, of('update'))));
	written.push(...(await resetUpdateRepost(run, of('resetUpdateRepost'))));
	for (const w of written) if (run.options.autoPost) w.postWanted = true;
	for (const a of of('post'))
		written.push({
			bill: a.bill,
			moveId: a.move.id,
			action: 'unchanged',
			adopted: a.adopt,
			postWanted: true,
			check: a.check,
		});
	await postAndReadBack(run, written);
	await writeAudit(run, written);

	for (const action of usable) {
		const outcome = reportUnwritten(action);
		if (outcome && !run.outcomes[action.bill.index]) run.outcomes[action.bill.index] = outcome;
	}
	for (const w of written) run.outcomes[w.bill.index] ??= reportWritten(w);
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
	const run: BillRun = { client, major: 0, options, outcomes: new Array(invoices.length) };
	const valid = validIndexes(invoices, run.outcomes);
	if (valid.length > 0) {
		const { actions } = await loadAndPlan(run, invoices, valid);
		await apply(run, actions);
	}
	return completeOutcomes(run);
}
