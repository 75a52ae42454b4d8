/** The demo's printed summary: what each template did, and whether every sample record is accounted for. */
import type { FileSummary } from '../../nodes/shared/reconciliation';
import type { ErpStandIns, SftpEndpoint } from '../../test/kit';

export interface TemplateRun {
	template: string;
	executions: number;
	failedExecutions: Array<{ id: string; workflowId: string; error: string }>;
	summaries: FileSummary[];
}

/** The one invoice the demo sends down the exception path on purpose, and where it ended up. */
export interface DeliberateException {
	invoiceId: string;
	invoiceNumber: string;
	glCode: string;
	/** Remote path of the export that carries it. */
	file: string;
	/** What the error workflow (template 6) recorded: one entry per failure it received. */
	collected: Array<{ workflow?: string; executionId?: string; file?: string; records?: string }>;
	/** Files waiting in the failed directory for the replay template. */
	failedDir: string;
	waitingInFailedDir: string[];
}

export interface DemoFacts {
	runs: TemplateRun[];
	feedFiles: string[];
	sampleInvoices: number;
	samplePayments: number;
	exception?: DeliberateException;
	n8nUrl: string;
	owner: { email: string; password: string };
	/** Name of the workflow n8n hands failed executions to (the Error Collector template). */
	errorWorkflowName: string;
	/** The timezone n8n uses for dates in file names. */
	timezone: string;
	/** n8n is stopped right after the summary. */
	once: boolean;
}

export function erpCounts(erp: ErpStandIns) {
	const moves = erp.odoo.store
		.all('account.move')
		.filter((move) => move.move_type === 'in_invoice' || move.move_type === 'in_refund');
	const odooPayments = erp.odoo.store.all('account.payment');
	const entities = (name: string) => erp.quickbooks.store.get(name)?.size ?? 0;
	return {
		odoo: {
			bills: moves.filter((m) => m.move_type === 'in_invoice').length,
			credits: moves.filter((m) => m.move_type === 'in_refund').length,
			payments: odooPayments.length,
			partlyPaid: moves
				.filter((m) => m.payment_state === 'partial')
				.map((m) => ({
					ref: String(m.ref),
					total: String(m.amount_total),
					open: String(m.amount_residual),
					currency: String(erp.odoo.store.get('res.currency', m.currency_id as number)?.name ?? ''),
				})),
		},
		quickbooks: {
			bills: entities('Bill'),
			vendorCredits: entities('VendorCredit'),
			vendors: entities('Vendor'),
		},
	};
}

/** A failed record is expected only if it is the deliberate exception. */
const isDeliberate = (exception: DeliberateException | undefined, recordId: string | undefined) =>
	!!exception && recordId === exception.invoiceId;

export function formatSummaryTable(
	summaries: FileSummary[],
	exception?: DeliberateException,
): string[] {
	const lines: string[] = [];
	for (const s of summaries) {
		const noun =
			s.kind === 'payment' ? 'payment(s)' : s.kind === 'vendor' ? 'vendor(s)' : 'invoice(s)';
		lines.push(
			`    ${s.file}: ${s.recordsIn} ${noun} in → ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.skipped} skipped, ${s.failed} failed${s.missing ? `, ${s.missing} MISSING` : ''} — ${s.balanced ? 'balanced' : `NOT balanced: ${s.imbalance.join('; ')}`}`,
		);
		for (const t of s.totals)
			lines.push(
				`        ${t.currency}: in ${t.in} = written ${t.written} + skipped ${t.skipped} + failed ${t.failed}${t.balanced ? '' : ` (difference ${t.difference})`}`,
			);
		for (const record of s.records.filter(
			(r) => r.status !== 'created' && r.status !== 'updated' && r.status !== 'unchanged',
		)) {
			const label =
				record.status === 'failed' && isDeliberate(exception, record.recordId)
					? ' (the deliberate exception, see below)'
					: '';
			lines.push(
				`        ${record.status} ${record.recordId ?? ''}${label}: ${record.reason ?? ''}`,
			);
		}
	}
	return lines;
}

export function printReport(
	facts: DemoFacts,
	erp: ErpStandIns,
	sftp: SftpEndpoint,
	write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): boolean {
	const counts = erpCounts(erp);
	const exception = facts.exception;
	const deliberateFile = (text: string | undefined) =>
		!!exception && !!text?.includes(exception.file);
	const problems: string[] = [];
	write('');
	write('=== n8n-nodes-stampli demo ===');
	write(
		'Each template runs as n8n executions, one per Stampli file; "execution N" is n8n\'s execution id (its page is given).',
	);
	for (const run of facts.runs) {
		write('');
		const deliberateRuns = run.failedExecutions.filter((failure) =>
			deliberateFile(failure.error),
		).length;
		const handed = run.failedExecutions.length
			? `, ${run.failedExecutions.length} ended with an error and n8n handed it to the error workflow "${facts.errorWorkflowName}"${deliberateRuns === run.failedExecutions.length ? ' (the deliberate exception)' : ''}`
			: '';
		write(`${run.template}: ${run.executions} execution(s) (one per file)${handed}`);
		for (const failure of run.failedExecutions) {
			write(
				`    execution ${failure.id} (${facts.n8nUrl}/workflow/${failure.workflowId}/executions/${failure.id}): ${failure.error}`,
			);
			if (!deliberateFile(failure.error))
				problems.push(`${run.template}: execution ${failure.id} failed unexpectedly`);
		}
		if (run.summaries.length)
			for (const line of formatSummaryTable(run.summaries, exception)) write(line);
		for (const summary of run.summaries) {
			if (!summary.balanced) problems.push(`${summary.file} does not balance`);
			for (const record of summary.records) {
				if (record.status === 'failed' && !isDeliberate(exception, record.recordId))
					problems.push(`${summary.file}: ${record.recordId ?? 'a record'} failed unexpectedly`);
			}
		}
	}
	write('');
	const partly = counts.odoo.partlyPaid.length
		? ` (partly paid, i.e. a payment covers only part of the bill and the rest stays open: ${counts.odoo.partlyPaid
				.map(
					(bill) => `bill ${bill.ref}, ${bill.open} of ${bill.total} ${bill.currency} still open`,
				)
				.join('; ')})`
		: '';
	write(
		`Odoo (emulator ${erp.odoo.url}): ${counts.odoo.bills} vendor bill(s), ${counts.odoo.credits} credit note(s), ${counts.odoo.payments} payment(s)${partly}`,
	);
	write(
		`QuickBooks (emulator ${erp.quickbooks.url}): ${counts.quickbooks.bills} bill(s), ${counts.quickbooks.vendorCredits} vendor credit(s), ${counts.quickbooks.vendors} vendor(s)`,
	);
	if (facts.feedFiles.length)
		write(
			`Feed files uploaded to ${sftp.inboundDir} on sftp://${sftp.host}:${sftp.port} (the date and time in their names are in n8n's timezone, ${facts.timezone}): ${facts.feedFiles.join(', ')}`,
		);
	for (const run of facts.runs) {
		const invoiceSummaries = run.summaries.filter((s) => s.kind === 'invoice');
		if (!invoiceSummaries.length) continue;
		const accounted = invoiceSummaries.reduce(
			(sum, s) => sum + s.created + s.updated + s.unchanged + s.skipped + s.failed - s.split,
			0,
		);
		const incoming = invoiceSummaries.reduce((sum, s) => sum + s.recordsIn, 0);
		const failedOnPurpose = invoiceSummaries.reduce(
			(sum, s) =>
				sum +
				s.records.filter((r) => r.status === 'failed' && isDeliberate(exception, r.recordId))
					.length,
			0,
		);
		const ok = incoming === facts.sampleInvoices && accounted === incoming;
		if (!ok)
			problems.push(
				`${run.template}: ${accounted} of ${facts.sampleInvoices} sample invoice(s) accounted for`,
			);
		if (exception && !failedOnPurpose)
			problems.push(
				`${run.template}: the deliberate exception ${exception.invoiceId} did not take the exception path`,
			);
		const split = failedOnPurpose
			? `: ${accounted - failedOnPurpose} written or skipped, ${failedOnPurpose} deliberate exception (${exception!.invoiceId})`
			: '';
		write(
			`${run.template}: ${accounted} of ${facts.sampleInvoices} sample invoice(s) accounted for${split}${ok ? '' : ' — NOT all accounted for'}`,
		);
	}
	if (exception) {
		write('');
		write(
			`Deliberate exception: ${exception.invoiceId} (invoice ${exception.invoiceNumber}, in ${exception.file}) is coded to GL ${exception.glCode} on purpose;`,
		);
		write(
			`  no rule in the templates' GL Mappers maps ${exception.glCode}, so it shows the path every exception takes:`,
		);
		write(
			'  1. the GL Mapper sent it to Needs attention, and the reconciliation counted it as failed (its file still balances);',
		);
		write(
			`  2. "Report to Error Workflow" stopped that file's execution with an error; n8n then ran the workflow's error workflow, "${facts.errorWorkflowName}", which recorded ${exception.collected.length} failure(s):`,
		);
		for (const failure of exception.collected)
			write(
				`       ${failure.workflow ?? '?'} (execution ${failure.executionId ?? '?'}): file ${failure.file || '?'} — ${failure.records || '?'}`,
			);
		write(
			`  3. the Odoo flow's trigger set the file aside in ${exception.failedDir}: ${exception.waitingInFailedDir.length ? exception.waitingInFailedDir.join(', ') : '(empty)'}.`,
		);
		write(
			`  What a person does: add a rule for GL ${exception.glCode} to the GL Mapper of both invoice workflows (e.g. → Odoo 600000`,
		);
		write(
			'  Expenses, and your QuickBooks marketing expense account id), or have Stampli re-code the line and re-export it;',
		);
		write(
			'  then run "Stampli: replay failed files": the next poll writes the bill, and what was already written stays as it is.',
		);
		if (exception.collected.length === 0)
			problems.push('the Error Collector recorded no failure for the deliberate exception');
	}
	write('');
	if (facts.once)
		write(
			`n8n ran at ${facts.n8nUrl}; with --once it is stopped right after this summary (run \`npm run demo\` to keep the editor up).`,
		);
	else write(`n8n editor: ${facts.n8nUrl}   login: ${facts.owner.email} / ${facts.owner.password}`);
	if (problems.length) {
		write('Some records are not accounted for or failed unexpectedly:');
		for (const problem of problems) write(`  - ${problem}`);
	} else {
		write(
			`Every sample invoice is accounted for, and every file balances${exception ? `; the only failure is the deliberate exception ${exception.invoiceId}` : ''}.`,
		);
	}
	return problems.length === 0;
}
