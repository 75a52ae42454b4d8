/**
 * Posting and reading back. Under the `fail` total policy Odoo's totals are read before posting, so
 * a bill that does not carry the approved total stays in draft. Posts go in measured chunks. Then
 * one read gives what Odoo made of every bill written: state, accounting date (moved by a lock
 * date), totals. A post Odoo refuses fails the item; the bill stays a draft, which the item says.
 */
import { invoiceWhere as where } from '../../erp';
import { AdaptiveChunker, inChunks, unanswered } from '../chunking';
import type { OdooError } from '../errors';
import { callIsolated, type Isolated } from '../faultIsolation';
import { attempt } from '../transport';
import { TOTAL_FIELDS, checkBillTotals, type TotalCheck } from '../totals';
import type { OdooRecord } from '../values';
import { errorMessage, failure, failureSaying, type BillRun, type Written } from './run';
import { BillTotalMismatchError } from './types';

const READ_BACK_FIELDS = [...TOTAL_FIELDS, 'state', 'name', 'date', 'invoice_date'];

function totalMismatch(w: Written, check: TotalCheck, state: string): BillTotalMismatchError {
	const fate =
		state === 'draft'
			? 'left in draft, not posted, for a person to fix'
			: `already ${state} in Odoo`;
	return new BillTotalMismatchError(
		`${where(w.bill.invoice)}: the bill Odoo computed does not carry the approved total (${check.mismatch}); bill ${w.moveId} ${fate} (check the taxes of the GL mapping)`,
		w.moveId,
		check.amountTotal,
	);
}

async function readBack(
	run: BillRun,
	ids: number[],
): Promise<{ rows: Map<number, OdooRecord>; error?: string }> {
	const read = await attempt(() => run.client.read('account.move', ids, READ_BACK_FIELDS));
	if (!read.ok) return { rows: new Map(), error: errorMessage(read.error) };
	return { rows: new Map(read.value.map((row) => [row.id as number, row])) };
}

/** Under `fail`, bills about to be posted whose total Odoo computed differently stay in draft. */
async function holdMismatches(run: BillRun, written: Written[]): Promise<void> {
	const toPost = written.filter((w) => w.postWanted);
	if (run.options.totalMismatch !== 'fail' || toPost.length === 0) return;
	const { rows } = await readBack(
		run,
		toPost.map((w) => w.moveId),
	);
	for (const w of toPost) {
		const row = rows.get(w.moveId);
		const check = row ? checkBillTotals(w.bill.invoice, row) : undefined;
		if (!check?.mismatch) continue;
		w.postWanted = false;
		w.failure = failure(totalMismatch(w, check, 'draft'), 'total mismatch');
	}
}

function postFailure(w: Written, error: OdooError): Written['failure'] {
	if (unanswered(error))
		return failureSaying(
			`Odoo did not answer while posting bill ${w.moveId} (${error.message}): it may be posted or still a draft; the next run finishes it`,
			error,
			'NOT_POSTED',
		);
	const state = w.reposted
		? `bill ${w.moveId} was posted before this run and is now a DRAFT: post it in Odoo or fix the invoice and run again`
		: `bill ${w.moveId} stays a draft (not booked)`;
	return failureSaying(
		`Odoo refused to post the bill: ${error.message}; ${state}`,
		error,
		'NOT_POSTED',
	);
}

/** Posts what is to be posted, in measured chunks. */
async function post(run: BillRun, written: Written[]): Promise<void> {
	const toPost = written.filter((w) => w.postWanted && !w.failure);
	if (toPost.length === 0) return;
	const { results, stoppedBy } = await inChunks(
		toPost,
		new AdaptiveChunker(run.options.chunking),
		(chunk) =>
			callIsolated(
				run.client,
				'account.move',
				'action_post',
				chunk.map((w) => w.moveId),
			),
		(out) =>
			out.find((r): r is Extract<Isolated<null>, { ok: false }> => !r.ok && unanswered(r.error))
				?.error,
		run.options.chunking?.concurrency ?? 1,
	);
	toPost.forEach((w, k) => {
		const result = results[k];
		if (result?.ok) w.posted = true;
		else if (result) w.failure = postFailure(w, result.error);
		else
			w.failure = failureSaying(
				`not posted: Odoo did not answer an earlier request of this batch (${errorMessage(stoppedBy)}); bill ${w.moveId} stays a draft until the next run`,
				stoppedBy,
				'NOT_POSTED',
			);
	});
}

/** A warning when Odoo booked the bill in another month than its invoice date (a lock date moved it). */
function dateWarning(w: Written, move: OdooRecord): string | undefined {
	const date = typeof move.date === 'string' ? move.date : undefined;
	const invoiceDate = w.bill.invoice.invoiceDate;
	if (!date || date.slice(0, 7) === invoiceDate.slice(0, 7)) return undefined;
	return `accounting date moved by Odoo: booked on ${date}, invoice date ${invoiceDate} (a lock date or the journal's periods)`;
}

/** Reads every written bill once, and records its state, date, totals and warnings. */
async function readWritten(run: BillRun, written: Written[]): Promise<void> {
	const checkTotals = run.options.totalMismatch !== 'notChecked';
	if (written.length === 0 || (!checkTotals && !written.some((w) => w.posted))) return;
	const { rows, error } = await readBack(
		run,
		written.map((w) => w.moveId),
	);
	for (const w of written) {
		const row = rows.get(w.moveId);
		w.move = row;
		if (row) {
			const moved = dateWarning(w, row);
			if (moved) w.bill.warnings.push(moved);
		}
		if (!checkTotals) continue;
		const check: TotalCheck = row
			? checkBillTotals(w.bill.invoice, row)
			: {
					notes: [
						`Odoo's total could not be read back (${error ?? 'bill not returned'}): not checked against Stampli`,
					],
				};
		w.check = check;
		if (check.mismatch) w.bill.warnings.push(check.mismatch);
		w.bill.warnings.push(...check.notes);
		if (check.mismatch && run.options.totalMismatch === 'fail' && !w.failure)
			w.failure = failure(totalMismatch(w, check, row?.state ?? 'draft'), 'total mismatch');
	}
}

export async function postAndReadBack(run: BillRun, written: Written[]): Promise<void> {
	await holdMismatches(run, written);
	await post(run, written);
	await readWritten(run, written);
}
