/**
 * What each item says: the ERP result (`erp.action`, id, external id, Odoo's totals, the bill's
 * state and accounting date, whether it was adopted) or a failure naming the bill's state.
 * Anything Odoo changed or the writer did differently is in `erp.warnings` and in `erp.reason`.
 */
import { ErpInputError, invoiceWhere as where } from '../../erp';
import type { ErpResult } from '../../records/types';
import { fullExternalId } from '../externalIds';
import type { TotalCheck } from '../totals';
import type { OdooRecord } from '../values';
import type { BillAction } from './plan';
import { failure, type BillRun, type Written } from './run';
import { BillTotalMismatchError, type BillOutcome, type DesiredBill } from './types';

export const ADOPTED_REASON =
	'adopted: the bill was in Odoo without its Stampli key (an earlier run did not finish)';

function result(
	bill: DesiredBill,
	moveId: number,
	action: ErpResult['action'],
	details: { reason?: string; check?: TotalCheck; move?: OdooRecord; adopted?: boolean },
): ErpResult {
	const warnings = [...bill.warnings];
	const reasons = [details.adopted ? ADOPTED_REASON : undefined, details.reason, ...warnings];
	const reason = reasons.filter(Boolean).join('; ');
	const move = details.move;
	return {
		system: 'odoo',
		id: moveId,
		externalId: fullExternalId(bill.externalName),
		action,
		...(reason ? { reason } : {}),
		...(warnings.length > 0 ? { warnings } : {}),
		...(details.check?.amountTotal !== undefined ? { amountTotal: details.check.amountTotal } : {}),
		...(details.check?.amountTax !== undefined ? { amountTax: details.check.amountTax } : {}),
		...(typeof move?.state === 'string' ? { state: move.state } : {}),
		...(typeof move?.date === 'string' ? { accountingDate: move.date } : {}),
		...(details.adopted ? { adopted: true } : {}),
	};
}

/** The outcome of a plan action that wrote nothing (unchanged, skipped, refused before writing). */
export function reportUnwritten(action: BillAction): BillOutcome | undefined {
	const { bill } = action;
	if (action.kind === 'fail') {
		if (action.check?.mismatch && action.move)
			return failure(
				new BillTotalMismatchError(
					`${where(bill.invoice)}: the bill Odoo computed does not carry the approved total (${action.check.mismatch}); bill ${action.move.id} already ${action.move.state} in Odoo (check the taxes of the GL mapping)`,
					action.move.id,
					action.check.amountTotal,
				),
			);
		return failure(new ErpInputError(`${where(bill.invoice)}: ${action.reason}`));
	}
	if (action.kind === 'unchanged') {
		if (action.check) {
			if (action.check.mismatch) bill.warnings.push(action.check.mismatch);
			bill.warnings.push(...action.check.notes);
		}
		return {
			ok: true,
			erp: result(bill, action.move.id, 'unchanged', {
				check: action.check,
				move: action.move,
				adopted: action.adopt,
			}),
			moveName: action.move.name,
		};
	}
	if (action.kind === 'skip')
		// Odoo's figures of the bill left alone, for information (it was not written from this invoice).
		return {
			ok: true,
			erp: {
				...result({ ...bill, warnings: [] }, action.move.id, 'skipped', {
					reason: action.reason,
					check: action.check,
					move: action.move,
					adopted: action.adopt,
				}),
			},
			moveName: action.move.name,
		};
	return undefined;
}

/** The outcome of a bill this run wrote or posted. */
export function reportWritten(w: Written): BillOutcome {
	if (w.failure) return w.failure;
	const ownReason = w.reposted && w.posted ? 'reset to draft, updated and re-posted' : undefined;
	return {
		ok: true,
		erp: result(w.bill, w.moveId, w.action === 'unchanged' ? 'updated' : w.action, {
			reason: ownReason,
			check: w.check,
			move: w.move,
			adopted: w.adopted,
		}),
		...(typeof w.move?.name === 'string' ? { moveName: w.move.name } : {}),
	};
}

/** Every slot filled: an invoice without an outcome is a bug, reported rather than lost. */
export function completeOutcomes(run: BillRun): BillOutcome[] {
	return run.outcomes.map(
		(outcome) => outcome ?? failure(new Error('internal: no outcome recorded'), 'internal'),
	);
}
