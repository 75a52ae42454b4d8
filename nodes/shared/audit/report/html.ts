/**
 * The reconciliation report as one self-contained HTML page: inline styles, an inline SVG chart, no
 * script, no external asset (its Content-Security-Policy forbids loading any), so it can be mailed,
 * attached or archived as it is. Every value from the store is escaped: file names, vendors and
 * reasons come from outside. Figures carry `data-field` attributes so a test or a scraper can read them.
 */
import { compare } from '../../records/decimal';
import type { CurrencyLine, DayLine, ExceptionLine, FileLine, PeriodSummary } from '../summary';

const ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;',
};

/** Text safe in element content and in quoted attribute values. */
export function escapeHtml(value: unknown): string {
	return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const STYLE = `
body{font:14px/1.45 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d2733;margin:0;background:#f5f7fa}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:2px solid #d5dce4;padding-bottom:4px}
h3{font-size:15px;margin:20px 0 6px}.muted{color:#5b6776}
.cards{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0}
.card{background:#fff;border:1px solid #d5dce4;border-radius:6px;padding:8px 12px;min-width:96px}
.card b{display:block;font-size:20px}.card.bad b{color:#b42318}
table{border-collapse:collapse;width:100%;background:#fff;margin:6px 0 12px;font-size:13px}
th,td{border:1px solid #d5dce4;padding:4px 6px;text-align:left;vertical-align:top;word-break:break-word}
th{background:#eef2f6}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.off{color:#b42318;font-weight:600}.ok{color:#1e7b34}
.tag{display:inline-block;padding:0 6px;border-radius:4px;font-size:12px;background:#fde8e7;color:#b42318}
.tag.resolved{background:#e6f4ea;color:#1e7b34}
svg text{font:11px sans-serif;fill:#5b6776}
`;

const number = (field: string, value: number | string, extra = '') =>
	`<td class="n${extra}" data-field="${escapeHtml(field)}">${escapeHtml(value)}</td>`;

function card(field: string, label: string, value: number, bad = false): string {
	return `<div class="card${bad && value > 0 ? ' bad' : ''}"><b data-field="${field}">${value}</b>${escapeHtml(label)}</div>`;
}

function currencyTable(totals: CurrencyLine[], caption: string): string {
	if (totals.length === 0) return '<p class="muted">No amounts.</p>';
	const rows = totals
		.map((t) => {
			const off = compare(t.difference, '0') !== 0 ? ' off' : '';
			return `<tr data-currency="${escapeHtml(t.currency)}"><td>${escapeHtml(t.currency)}</td>${number('in', t.in)}${number('booked', t.booked)}${number('skipped', t.skipped)}${number('failed', t.failed)}${number('difference', t.difference, off)}</tr>`;
		})
		.join('');
	return `<table><caption class="muted">${escapeHtml(caption)}</caption><thead><tr><th>Currency</th><th>In (stated)</th><th>Booked</th><th>Skipped</th><th>Failed</th><th>Difference</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Daily bars: records handled (grey-blue) and exceptions (red), one pair per day. */
export function dailyChart(days: DayLine[]): string {
	const width = 720;
	const height = 180;
	const top = 10;
	const bottom = 24;
	const left = 36;
	const plot = height - top - bottom;
	const max = Math.max(1, ...days.map((d) => Math.max(d.records, d.exceptions)));
	const step = (width - left - 8) / Math.max(1, days.length);
	const bar = Math.max(2, Math.min(18, step * 0.4));
	const y = (value: number) => top + plot - (value / max) * plot;
	const labelEvery = Math.ceil(days.length / 12);
	const parts: string[] = [
		`<line x1="${left}" y1="${top + plot}" x2="${width - 4}" y2="${top + plot}" stroke="#9aa5b1"/>`,
		`<text x="${left - 4}" y="${top + 4}" text-anchor="end">${max}</text>`,
		`<text x="${left - 4}" y="${top + plot}" text-anchor="end">0</text>`,
	];
	days.forEach((day, index) => {
		const x = left + index * step + step / 2 - bar;
		const title = `<title>${escapeHtml(day.date)}: ${day.records} record(s), ${day.exceptions} exception(s)</title>`;
		parts.push(
			`<rect x="${x.toFixed(1)}" y="${y(day.records).toFixed(1)}" width="${bar.toFixed(1)}" height="${(top + plot - y(day.records)).toFixed(1)}" fill="#4a6fa5" data-date="${escapeHtml(day.date)}" data-records="${day.records}">${title}</rect>`,
			`<rect x="${(x + bar).toFixed(1)}" y="${y(day.exceptions).toFixed(1)}" width="${bar.toFixed(1)}" height="${(top + plot - y(day.exceptions)).toFixed(1)}" fill="#d64545" data-date="${escapeHtml(day.date)}" data-exceptions="${day.exceptions}">${title}</rect>`,
		);
		if (index % labelEvery === 0)
			parts.push(
				`<text x="${(x + bar).toFixed(1)}" y="${height - 8}" text-anchor="middle">${escapeHtml(day.date.slice(5))}</text>`,
			);
	});
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="Records and exceptions per day">${parts.join('')}</svg><p class="muted"><span style="color:#4a6fa5">■</span> records handled <span style="color:#d64545">■</span> exceptions</p>`;
}

function filesTable(files: FileLine[]): string {
	if (files.length === 0) return '';
	let flow: string | undefined;
	const body = files
		.map((f) => {
			const heading =
				f.flow !== flow
					? `<tr><th colspan="9" data-flow="${escapeHtml(f.flow)}">${escapeHtml(f.flow || '(no flow)')}</th></tr>`
					: '';
			flow = f.flow;
			const money = f.totals
				.map(
					(t) =>
						`${escapeHtml(t.currency)} ${escapeHtml(t.in)} → ${escapeHtml(t.booked)}${compare(t.difference, '0') !== 0 ? ` <span class="off">(${escapeHtml(t.difference)})</span>` : ''}`,
				)
				.join('<br>');
			return `${heading}<tr data-file="${escapeHtml(f.file)}"><td>${escapeHtml(f.file)}<br><span class="muted">${escapeHtml(f.erps.join(', '))}${f.events.length ? ` · ${escapeHtml(f.events.join(' · '))}` : ''}</span></td>${number('invoicesIn', f.invoicesIn)}${number('paymentsIn', f.paymentsIn)}${number('written', f.written)}${number('unchanged', f.unchanged)}${number('skipped', f.skipped)}${number('failed', f.failed, f.failed ? ' off' : '')}${number('openExceptions', f.openExceptions, f.openExceptions ? ' off' : '')}<td>${money}</td></tr>`;
		})
		.join('');
	return `<h3>Per flow and file</h3><table><thead><tr><th>File</th><th>Invoices in</th><th>Payments in</th><th>Written</th><th>Unchanged</th><th>Skipped</th><th>Failed</th><th>Open exceptions</th><th>In → booked</th></tr></thead><tbody>${body}</tbody></table>`;
}

function exceptionsTable(exceptions: ExceptionLine[]): string {
	if (exceptions.length === 0) return '<h3>Exceptions</h3><p class="ok">None.</p>';
	const rows = exceptions
		.map(
			(e) =>
				`<tr data-exception="${escapeHtml(e.recordKey)}"><td>${escapeHtml(e.at.replace('T', ' ').slice(0, 19))}</td><td>${escapeHtml(e.flow)}<br><span class="muted">${escapeHtml(e.file)}</span></td><td>${escapeHtml(e.recordKey || '—')}${e.invoiceNumber ? `<br>${escapeHtml(e.invoiceNumber)}` : ''}${e.vendor ? `<br><span class="muted">${escapeHtml(e.vendor)}</span>` : ''}</td><td class="n">${escapeHtml(e.amount)} ${escapeHtml(e.currency)}</td><td>${escapeHtml(e.action)}: ${escapeHtml(e.reason)}</td><td>${escapeHtml(e.advice)}</td><td><span class="tag${e.resolved ? ' resolved' : ''}">${e.resolved ? 'resolved' : 'open'}</span>${e.executionId ? `<br><span class="muted">execution ${escapeHtml(e.executionId)}</span>` : ''}</td></tr>`,
		)
		.join('');
	return `<h3>Exceptions</h3><table><thead><tr><th>When (UTC)</th><th>Flow / file</th><th>Record</th><th>Amount</th><th>What happened</th><th>What to do</th><th>Status</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function periodSection(summary: PeriodSummary, index: number): string {
	const c = summary.counts;
	const heading = `<h2 id="period-${index}">${escapeHtml(summary.period.label)} <span class="muted">${escapeHtml(summary.period.from)} – ${escapeHtml(summary.period.to)}</span></h2>`;
	if (summary.rows === 0)
		return `<section data-period="${escapeHtml(summary.period.kind)}">${heading}<p class="muted" data-field="empty">No activity recorded in this period.</p></section>`;
	return `<section data-period="${escapeHtml(summary.period.kind)}">${heading}<div class="cards">${card('invoicesIn', 'invoices in', c.invoicesIn)}${card('paymentsIn', 'payments in', c.paymentsIn)}${card('written', 'written', c.written)}${card('unchanged', 'unchanged', c.unchanged)}${card('skipped', 'skipped', c.skipped)}${card('failed', 'failed', c.failed, true)}${card('openExceptions', 'open exceptions', summary.openExceptions, true)}</div>${currencyTable(summary.totals, 'Amounts in against amounts booked, per currency')}${dailyChart(summary.daily)}${filesTable(summary.files)}${exceptionsTable(summary.exceptions)}</section>`;
}

export interface ReportPage {
	title: string;
	generatedAt: string;
	summaries: PeriodSummary[];
}

export function renderReportHtml(page: ReportPage): string {
	const zone = page.summaries[0]?.timeZone ?? 'UTC';
	return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title><style>${STYLE}</style></head>
<body><main><h1>${escapeHtml(page.title)}</h1><p class="muted">Generated ${escapeHtml(page.generatedAt)} · dates in ${escapeHtml(zone)} · amounts are exact decimals as stated in the Stampli files and as booked by the ERP</p>
${page.summaries.map(periodSection).join('\n')}
</main></body></html>
`;
}
