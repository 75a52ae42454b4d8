/**
 * Writes on bills Odoo already holds: changed drafts updated in place; posted bills reset to draft,
 * updated and posted again, the original re-posted if the update fails after the reset, so a bill
 * that was posted never stays a draft without the item saying so.
 */
import { OdooError } from '../errors';
import { callIsolated, isNoneMarshalFault, runIsolated } from '../faultIsolation';
import { attempt } from '../transport';
import { billVals } from './desired';
import type { BillAction } from './plan';
import { errorMessage, failureSaying, type BillRun, type Written } from './run';

type OnMove = Extract<BillAction, { kind: 'update' | 'resetUpdateRepost' }>;

async function writeBill(
	run: BillRun,
	action: OnMove,
): Promise<{ ok: true } | { ok: false; error: OdooError }> {
	const [result] = await runIsolated([action], async () => [
		await run.client.write(
			'account.move',
			[action.move.id],
			billVals(action.bill, run.major, true),
		),
	]);
	return result.ok ? { ok: true } : { ok: false, error: result.error };
}

/** Changed drafts: one write each (Odoo's write takes the same values for every id). */
export async function updateDrafts(run: BillRun, actions: OnMove[]): Promise<Written[]> {
	const written: Written[] = [];
	for (const action of actions) {
		const result = await writeBill(run, action);
		if (result.ok)
			written.push({
				bill: action.bill,
				moveId: action.move.id,
				action: 'updated',
				adopted: action.adopt,
			});
		else
			run.outcomes[action.bill.index] = failureSaying(
				`Odoo refused the update of draft bill ${action.move.id}: ${result.error.message}`,
				result.error,
			);
	}
	return written;
}

/**
 * Posted, unpaid bills whose invoice changed: reset to draft (one call for all), write each, and
 * leave them for the post step. A write refused after the reset re-posts the bill as it was.
 */
export async function resetUpdateRepost(run: BillRun, actions: OnMove[]): Promise<Written[]> {
	if (actions.length === 0) return [];
	const drafted = await callIsolated(
		run.client,
		'account.move',
		'button_draft',
		actions.map((a) => a.move.id),
		isNoneMarshalFault,
	);
	const written: Written[] = [];
	for (const [k, action] of actions.entries()) {
		const reset = drafted[k];
		if (!reset.ok) {
			run.outcomes[action.bill.index] = failureSaying(
				`could not reset posted bill ${action.move.id} to draft: ${reset.error.message}; it stays posted, unchanged`,
				reset.error,
			);
			continue;
		}
		const result = await writeBill(run, action);
		if (result.ok) {
			written.push({
				bill: action.bill,
				moveId: action.move.id,
				action: 'updated',
				adopted: action.adopt,
				reposted: true,
				postWanted: true,
			});
			continue;
		}
		run.outcomes[action.bill.index] = failureSaying(
			`Odoo refused the update of posted bill ${action.move.id}: ${result.error.message}; ${await repostOriginal(run, action.move.id)}`,
			result.error,
		);
	}
	return written;
}

/** Posts a bill reset for an update that did not happen; says in which state the bill is now. */
async function repostOriginal(run: BillRun, moveId: number): Promise<string> {
	const posted = await attempt(() => run.client.call('account.move', 'action_post', [[moveId]]));
	if (posted.ok || (posted.error instanceof OdooError && isNoneMarshalFault(posted.error)))
		return 'the bill was posted again unchanged (state: posted)';
	return `re-posting it failed too (${errorMessage(posted.error)}): the bill is now a DRAFT and needs a person`;
}
