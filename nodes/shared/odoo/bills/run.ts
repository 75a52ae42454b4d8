/** The state one upsert carries from step to step while it applies its plan. */
import { failed, type ErpFailure } from '../../erp';
import { ErpInputError } from '../../erp';
import type { OdooClient } from '../client';
import { OdooError } from '../errors';
import type { TotalCheck } from '../totals';
import type { OdooRecord } from '../values';
import {
	BillTotalMismatchError,
	type BillOutcome,
	type BillUpsertOptions,
	type DesiredBill,
} from './types';

/** A bill that is in Odoo after this run, and what happened to it. */
export interface Written {
	bill: DesiredBill;
	moveId: number;
	/** What happened to the bill's content in this run. */
	action: 'created' | 'updated' | 'unchanged';
	/** It had no external id of ours: this run recorded one. */
	adopted?: boolean;
	/** Reset to draft, updated and posted again. */
	reposted?: boolean;
	/** To be posted by this run (auto-post, or a reset bill going back to posted). */
	postWanted?: boolean;
	/** Posted by this run. */
	posted?: boolean;
	/** The bill exists but the item fails (post refused, total mismatch under `fail`, audit under `fail`). */
	failure?: ErpFailure;
	/** The bill as Odoo read it last (state, date, totals). */
	move?: OdooRecord;
	check?: TotalCheck;
}

export interface BillRun {
	client: OdooClient;
	major: number;
	options: BillUpsertOptions;
	outcomes: Array<BillOutcome | undefined>;
	noteSubtypeId?: number;
}

/** A failure whose error says who is to blame; unknown errors get `fallbackReason`. */
export function failure(error: unknown, fallbackReason?: string, code?: string): ErpFailure {
	const known =
		error instanceof OdooError ||
		error instanceof ErpInputError ||
		error instanceof BillTotalMismatchError;
	return failed(error, known ? undefined : fallbackReason, code);
}

/** A failure with its own reason (the error's message stays in `error`). */
export function failureSaying(reason: string, cause: unknown, code?: string): ErpFailure {
	const error = cause instanceof Error ? cause : new Error(String(cause));
	return { ...failed(error, reason, code) };
}

export function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
