/**
 * The audit trail in Odoo: a chatter note on each bill written (what happened, from which file, by
 * which GL rule, with the warnings) and optionally the source file attached. One create each for the
 * whole batch. A note or file Odoo refuses is said on the item: a warning, or a failure when the
 * user asked for it.
 */
import { billNoteHtml } from '../audit';
import { createIsolated } from '../faultIsolation';
import type { OdooValue } from '../values';
import { failureSaying, type BillRun, type Written } from './run';

/** What the note's first sentence says happened: "Posted" only when this run posted the bill. */
export function noteHeadline(w: Written): string {
	const posted = w.posted;
	let what: string;
	if (w.action === 'created') what = posted ? 'Created and posted' : 'Created';
	else if (w.reposted)
		what = posted
			? 'Reset to draft, updated and re-posted'
			: 'Reset to draft and updated (not re-posted)';
	else if (w.action === 'updated') what = posted ? 'Updated and posted' : 'Updated';
	else what = posted ? 'Posted (the draft was unchanged)' : 'Checked (unchanged)';
	return w.adopted
		? `Adopted (it had no Stampli key: an earlier run did not finish); ${what.toLowerCase()}`
		: what;
}

/** Records an audit write Odoo refused: a warning, or under `fail` the item's failure. */
function auditProblem(run: BillRun, w: Written, what: string, error: Error): void {
	const text = `${what} could not be written in Odoo: ${error.message}`;
	if (run.options.auditFailure === 'fail' && !w.failure)
		w.failure = failureSaying(
			`bill ${w.moveId} was written, but its ${text}`,
			error,
			'AUDIT_NOT_WRITTEN',
		);
	else w.bill.warnings.push(text);
}

async function writeNotes(run: BillRun, written: Written[]): Promise<void> {
	// A draft only meant to be posted, whose post failed, changed nothing: no note on every retry.
	written = written.filter((w) => w.action !== 'unchanged' || w.posted);
	if (run.options.chatterNote === false || written.length === 0) return;
	const results = await createIsolated(
		run.client,
		'mail.message',
		written.map((w) => ({
			model: 'account.move',
			res_id: w.moveId,
			message_type: 'comment',
			subtype_id: run.noteSubtypeId ?? false,
			body: billNoteHtml(
				w.bill.invoice,
				noteHeadline(w),
				w.bill.lines.map((l) => l.accountId),
				{ poLinks: w.bill.poLinks, warnings: w.bill.warnings },
			),
		})),
	);
	results.forEach((result, k) => {
		if (!result.ok) auditProblem(run, written[k], 'chatter note', result.error);
	});
}

async function attachFiles(run: BillRun, written: Written[]): Promise<void> {
	const withFiles = written.filter((w) => run.options.attachments?.[w.bill.index]);
	if (withFiles.length === 0) return;
	const results = await createIsolated(
		run.client,
		'ir.attachment',
		withFiles.map((w): Record<string, OdooValue> => {
			const file = run.options.attachments![w.bill.index]!;
			return {
				name: file.fileName,
				mimetype: file.mimeType,
				datas: file.base64,
				res_model: 'account.move',
				res_id: w.moveId,
				type: 'binary',
			};
		}),
	);
	results.forEach((result, k) => {
		if (!result.ok)
			auditProblem(
				run,
				withFiles[k],
				`source file "${run.options.attachments![withFiles[k].bill.index]!.fileName}"`,
				result.error,
			);
	});
}

/** Notes first: an attachment's failure then still reaches the item (the note is already written). */
export async function writeAudit(run: BillRun, written: Written[]): Promise<void> {
	await writeNotes(run, written);
	await attachFiles(run, written);
}
