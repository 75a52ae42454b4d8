/**
 * Writes that give bills their keys: dangling external ids dropped, orphans adopted, new bills
 * created. New bills go in chunks sized by measurement, each chunk committed on its own and keyed
 * right after; a crash or timeout between a chunk and its keys leaves bills the next run adopts.
 */
import { AdaptiveChunker, inChunks, unanswered } from '../chunking';
import { OdooError } from '../errors';
import { EXTERNAL_ID_MODULE } from '../externalIds';
import { createIsolated, type Isolated } from '../faultIsolation';
import type { OdooValue } from '../values';
import { billVals } from './desired';
import { adoptedMove, type BillAction } from './plan';
import { errorMessage, failure, failureSaying, type BillRun } from './run';
import type { DesiredBill } from './types';

function xmlIdVals(name: string, model: string, resId: number): Record<string, OdooValue> {
	return { module: EXTERNAL_ID_MODULE, name, model, res_id: resId, noupdate: true };
}

/** External ids of vendors found by VAT or reference, once each across the run. */
function vendorXmlIds(
	bills: DesiredBill[],
	recorded: Set<string>,
): Array<Record<string, OdooValue>> {
	const vals: Array<Record<string, OdooValue>> = [];
	for (const bill of bills) {
		const vendor = bill.newVendorXmlId;
		if (!vendor || recorded.has(vendor.name)) continue;
		recorded.add(vendor.name);
		vals.push(xmlIdVals(vendor.name, 'res.partner', vendor.partnerId));
	}
	return vals;
}

/** Drops external ids whose bill was deleted in Odoo, so the name can be given to the new bill. */
export async function dropStaleXmlIds(run: BillRun, actions: BillAction[]): Promise<void> {
	const stale = actions.flatMap((a) => ('staleXmlId' in a && a.staleXmlId ? [a.staleXmlId] : []));
	if (stale.length > 0) await run.client.unlink('ir.model.data', stale);
}

/** Writes our external id on each orphan to adopt (one call); an adoption Odoo refuses fails that invoice. */
export async function adoptOrphans(
	run: BillRun,
	actions: BillAction[],
	vendorsRecorded: Set<string>,
): Promise<Set<BillAction>> {
	const adopting = actions.filter((a) => adoptedMove(a));
	const adopted = new Set<BillAction>();
	if (adopting.length === 0) return adopted;
	const results = await createIsolated(run.client, 'ir.model.data', [
		...adopting.map((a) => xmlIdVals(a.bill.externalName, 'account.move', adoptedMove(a)!.id)),
		...vendorXmlIds(
			adopting.map((a) => a.bill),
			vendorsRecorded,
		),
	]);
	adopting.forEach((action, k) => {
		const result = results[k];
		if (result.ok) adopted.add(action);
		else
			run.outcomes[action.bill.index] = failureSaying(
				`could not record the Stampli key on the existing Odoo bill ${adoptedMove(action)!.id}: ${result.error.message}`,
				result.error,
			);
	});
	return adopted;
}

type CreateResult = { ok: true; moveId: number } | { ok: false; error: OdooError; reason: string };

/** One chunk: create its bills, then their external ids; a bill left without its id is taken back. */
async function createChunk(
	run: BillRun,
	chunk: DesiredBill[],
	vendorsRecorded: Set<string>,
): Promise<CreateResult[]> {
	const created = await createIsolated(
		run.client,
		'account.move',
		chunk.map((bill) => billVals(bill, run.major)),
	);
	const ids = created.flatMap((r, k) => (r.ok ? [{ bill: chunk[k], moveId: r.value }] : []));
	const keys: Array<Isolated<number>> =
		ids.length === 0
			? []
			: await createIsolated(run.client, 'ir.model.data', [
					...ids.map(({ bill, moveId }) => xmlIdVals(bill.externalName, 'account.move', moveId)),
					...vendorXmlIds(
						ids.map((i) => i.bill),
						vendorsRecorded,
					),
				]);
	const keyOf = new Map(ids.map(({ moveId }, k) => [moveId, keys[k]]));
	const orphans: number[] = [];
	const results = created.map((result): CreateResult => {
		if (!result.ok)
			return { ok: false, error: result.error, reason: createFailureReason(result.error) };
		const key = keyOf.get(result.value)!;
		if (key.ok) return { ok: true, moveId: result.value };
		if (unanswered(key.error))
			return {
				ok: false,
				error: key.error,
				reason: `bill ${result.value} was created, but Odoo did not answer while its Stampli key was written (${key.error.message}); the next run adopts it`,
			};
		orphans.push(result.value);
		return {
			ok: false,
			error: key.error,
			reason: `could not record the external id: ${key.error.message}`,
		};
	});
	// Without its external id a re-run would have to adopt the draft: take it back now. If that fails too, adoption does it.
	if (orphans.length > 0) await run.client.unlink('account.move', orphans).catch(() => undefined);
	return results;
}

function createFailureReason(error: OdooError): string {
	return unanswered(error)
		? `${error.message}; whatever Odoo committed is adopted by the next run`
		: error.message;
}

/** Creates the new bills in measured chunks; returns the ids by invoice index. */
export async function createBills(
	run: BillRun,
	bills: DesiredBill[],
	vendorsRecorded: Set<string>,
): Promise<Map<number, number>> {
	const ids = new Map<number, number>();
	if (bills.length === 0) return ids;
	const chunker = new AdaptiveChunker(run.options.chunking);
	const { results, stoppedBy } = await inChunks(
		bills,
		chunker,
		(chunk) => createChunk(run, chunk, vendorsRecorded),
		(out) =>
			out.find((r): r is Extract<CreateResult, { ok: false }> => !r.ok && unanswered(r.error))
				?.error,
		run.options.chunking?.concurrency ?? 1,
	);
	bills.forEach((bill, k) => {
		const result = results[k];
		if (result?.ok) ids.set(bill.index, result.moveId);
		else if (result) run.outcomes[bill.index] = failureSaying(result.reason, result.error);
		else
			run.outcomes[bill.index] = failure(
				new OdooError(
					`not sent: Odoo did not answer an earlier request of this batch (${errorMessage(stoppedBy)}); run again to finish`,
				),
			);
	});
	return ids;
}
