/** The demo's printed summary: what each template did, and whether every sample record is accounted for. */
import type { FileSummary } from '../../nodes/shared/reconciliation';
import type { ErpStandIns, SftpEndpoint } from './stack';

export interface TemplateRun {
	template: string;
	executions: number;
	failedExecutions: Array<{ id: string; error: string }>;
	summaries: FileSummary[];
}

export interface DemoFacts {
	runs: TemplateRun[];
	feedFiles: string[];
	sampleInvoices: number;
	samplePayments: number;
	n8nUrl: string;
	owner: { email: string; password: string };
}


export function erpCounts(erp: ErpStandIns) {
	const moves = erp.odoo.store.all('account.move').filter((move) => move.move_type === 'in_invoice' || move.move_type === 'in_refund');
	const odooPayments = erp.odoo.store.all('account.payment');
	const entities = (name: string) => erp.quickbooks.store.get(name)?.size ?? 0;
	return {
		odoo: { bills: moves.filter((m) => m.move_type === 'in_invoice').length, credits: moves.filter((m) => m.move_type === 'in_refund').length, payments: odooPayments.length },
		quickbooks: { bills: entities('Bill'), vendorCredits: entities('VendorCredit'), vendors: entities('Vendor') },
	};
}

export function formatSummaryTable(summaries: FileSummary[]): string[] {
	const lines: string[] = [];
	for (const s of summaries) {
		const noun = s.kind === 'payment' ? 'payment(s)' : s.kind === 'vendor' ? 'vendor(s)' : 'invoice(s)';
		lines.push(
			`    ${s.file}: ${s.recordsIn} ${noun} in → ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.skipped} skipped, ${s.failed} failed${s.missing ? `, ${s.missing} MISSING` : ''} — ${s.balanced ? 'balanced' : `NOT balanced: ${s.imbalance.join('; ')}`}`,
		);
		for (const t of s.totals) lines.push(`        ${t.currency}: in ${t.in} = written ${t.written} + skipped ${t.skipped} + failed ${t.failed}${t.balanced ? '' : ` (difference ${t.difference})`}`);
		for (const record of s.records.filter((r) => r.status !== 'created' && r.status !== 'updated' && r.status !== 'unchanged')) {
			lines.push(`        ${record.status} ${record.recordId ?? ''}: ${record.reason ?? ''}`);
		}
	}
	return lines;
}

export function printReport(facts: DemoFacts, erp: ErpStandIns, sftp: SftpEndpoint, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): boolean {
	const counts = erpCounts(erp);
	write('');
	write('=== n8n-nodes-stampli demo ===');
	let allAccounted = true;
	for (const run of facts.runs) {
		write('');
		write(`${run.template}: ${run.executions} execution(s) (one per file)${run.failedExecutions.length ? `, ${run.failedExecutions.length} handed to the error workflow` : ''}`);
		for (const failure of run.failedExecutions) write(`    execution ${failure.id}: ${failure.error}`);
		if (run.summaries.length) for (const line of formatSummaryTable(run.summaries)) write(line);
		if (run.summaries.some((s) => !s.balanced)) allAccounted = false;
	}
	write('');
	write(`Odoo (emulator ${erp.odoo.url}): ${counts.odoo.bills} vendor bill(s), ${counts.odoo.credits} credit note(s), ${counts.odoo.payments} payment(s)`);
	write(`QuickBooks (emulator ${erp.quickbooks.url}): ${counts.quickbooks.bills} bill(s), ${counts.quickbooks.vendorCredits} vendor credit(s), ${counts.quickbooks.vendors} vendor(s)`);
	if (facts.feedFiles.length) write(`Feed files uploaded to ${sftp.inboundDir} on sftp://${sftp.host}:${sftp.port}: ${facts.feedFiles.join(', ')}`);
	for (const run of facts.runs) {
		const invoiceSummaries = run.summaries.filter((s) => s.kind === 'invoice');
		if (!invoiceSummaries.length) continue;
		const accounted = invoiceSummaries.reduce((sum, s) => sum + s.created + s.updated + s.unchanged + s.skipped + s.failed - s.split, 0);
		const incoming = invoiceSummaries.reduce((sum, s) => sum + s.recordsIn, 0);
		const ok = incoming === facts.sampleInvoices && accounted === incoming;
		if (!ok) allAccounted = false;
		write(`${run.template}: ${accounted} of ${facts.sampleInvoices} sample invoice(s) accounted for${ok ? '' : ' — NOT all accounted for'}`);
	}
	write('');
	write(`n8n editor: ${facts.n8nUrl}   login: ${facts.owner.email} / ${facts.owner.password}`);
	write(allAccounted ? 'Every sample invoice is accounted for, and every file balances.' : 'Some records are not accounted for: see above.');
	return allAccounted;
}
