/**
 * The audit trail Odoo keeps itself: the chatter notes written on each bill, built from the
 * canonical record only, so no credential can reach them.
 */
import type { Invoice, Payment } from '../records/types';

function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;');
}

/**
 * HTML body of the chatter note: what happened (`headline`, e.g. "Created and posted"), Stampli id,
 * source file and hash, per line the mapping rule, and the warnings.
 */
export function billNoteHtml(
	invoice: Invoice,
	headline: string,
	accountIds: number[],
	extras: { poLinks?: Array<string | undefined>; warnings?: string[] } = {},
): string {
	const source = invoice.source;
	const lines = invoice.lines.map((line, k) => {
		const rule = invoice.mapping?.lines?.find((m) => m.lineNumber === line.lineNumber)?.rule;
		const how = rule
			? `rule ${escapeHtml(rule.id)}: ${escapeHtml(rule.reason)}`
			: 'GL code looked up in Odoo';
		const po = extras.poLinks?.[k] ? `, ${escapeHtml(extras.poLinks[k]!)}` : '';
		return `<li>line ${line.lineNumber}: GL ${escapeHtml(line.glAccount)} → account id ${accountIds[k]} (${how})${po}</li>`;
	});
	const warnings = extras.warnings?.length
		? `<p>Warnings:</p><ul>${extras.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`
		: '';
	return [
		`<p>${escapeHtml(headline)} from Stampli invoice <b>${escapeHtml(invoice.stampliInvoiceId)}</b> (vendor invoice ${escapeHtml(invoice.invoiceNumber)}).</p>`,
		`<ul><li>Source file: ${escapeHtml(source?.file ?? 'unknown')}</li>`,
		`<li>SHA-256: ${escapeHtml(source?.sha256 ?? 'unknown')}</li>`,
		`<li>Template: ${escapeHtml(source?.template ?? 'unknown')}, rows ${escapeHtml((source?.rows ?? []).join(', '))}</li></ul>`,
		`<p>GL mapping:</p><ul>${lines.join('')}</ul>`,
		warnings,
	].join('');
}

export function paymentNoteHtml(payment: Payment, paymentId: number): string {
	return `<p>Payment ${escapeHtml(payment.stampliPaymentId)} of ${escapeHtml(payment.amount)} ${escapeHtml(payment.currency)} registered from Stampli (payment id ${paymentId}), source file ${escapeHtml(payment.source?.file ?? 'unknown')} (SHA-256 ${escapeHtml(payment.source?.sha256 ?? 'unknown')}).</p>`;
}
