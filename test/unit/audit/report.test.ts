/**
 * The report page and its CSV: self-contained (no external asset, no script), every outside string
 * escaped, right for an empty period and for several currencies; the CSV quotes and neutralises.
 */
import {
	auditRowsFromItem,
	renderReportHtml,
	reportCsv,
	resolvePeriod,
	summarisePeriod,
	type AuditRow,
} from '../../../nodes/shared/audit';
import { context, invoice, written } from './items';

const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)>' " & =HYPERLINK("http://evil")`;

function rowsWith(items: unknown[]): AuditRow[] {
	return items.flatMap((item) => auditRowsFromItem(item, context()));
}

const page = (rows: AuditRow[], date = '2026-11-20') =>
	renderReportHtml({
		title: 'Stampli reconciliation',
		generatedAt: '2026-11-21T06:00:00.000Z',
		summaries: [
			summarisePeriod(rows, resolvePeriod('day', date)),
			summarisePeriod(rows, resolvePeriod('monthToDate', date)),
		],
	});

/** The text of the element carrying data-field="<field>" inside the first element matching `scope`. */
function field(html: string, scope: string, name: string): string | undefined {
	const start = html.indexOf(scope);
	if (start < 0) return undefined;
	const match = new RegExp(`data-field="${name}">([^<]*)<`).exec(html.slice(start));
	return match?.[1];
}

describe('report page', () => {
	it('says so when a period has no activity, and is still a whole page', () => {
		const html = page([]);
		expect(html.match(/No activity recorded in this period/g)).toHaveLength(2);
		expect(html).toMatch(/^<!DOCTYPE html>/);
		expect(html.trimEnd()).toMatch(/<\/html>$/);
	});

	it('loads nothing from outside and runs no script', () => {
		const html = page(rowsWith([written(invoice('STI-1', 'INV-1', '1.00'), 'created', 1)]));
		expect(html).toContain(`default-src 'none'`);
		expect(html).not.toMatch(/<script|<link|<img|src=|href=|url\(|@import/i);
		expect(html).toMatch(/<svg [^>]*role="img"/);
	});

	it('shows each currency on its own line with in, booked and the difference', () => {
		const rows = rowsWith([
			written(invoice('STI-1', 'INV-1', '100.00'), 'created', 1),
			written(
				invoice('STI-2', 'INV-2', '80.00', { currency: 'USD' }),
				'created',
				2,
				undefined,
				'79.99',
			),
			written(invoice('STI-3', 'INV-3', '5000', { currency: 'JPY' }), 'created', 3),
		]);
		const html = page(rows);
		expect(field(html, 'data-currency="EUR"', 'in')).toBe('100.00');
		expect(field(html, 'data-currency="USD"', 'booked')).toBe('79.99');
		expect(field(html, 'data-currency="USD"', 'difference')).toBe('0.01');
		expect(field(html, 'data-currency="JPY"', 'in')).toBe('5000.00');
		expect(field(html, 'data-period="day"', 'invoicesIn')).toBe('3');
	});

	it('escapes file names, vendors, reasons and flow names', () => {
		const bad = {
			...invoice(`STI-"><b>`, HOSTILE, '1.00', {
				vendor: { stampliVendorId: 'V', name: HOSTILE },
				source: { file: `/outbound/${HOSTILE}.csv`, sha256: 'c'.repeat(64), rows: [1] },
			}),
			error: HOSTILE,
		};
		const rows = auditRowsFromItem(bad, { ...context(), flow: HOSTILE });
		const html = page(rows);
		expect(html).not.toContain('<script>alert');
		expect(html).not.toContain('<img src=x');
		expect(html).not.toContain('"><b>');
		expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
		// Only the page's own tags remain.
		const tags = new Set(
			[...html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1].toLowerCase()),
		);
		for (const tag of tags)
			expect([
				'html',
				'head',
				'meta',
				'title',
				'style',
				'body',
				'main',
				'h1',
				'h2',
				'h3',
				'p',
				'section',
				'div',
				'b',
				'span',
				'table',
				'caption',
				'thead',
				'tbody',
				'tr',
				'th',
				'td',
				'br',
				'svg',
				'line',
				'text',
				'rect',
			]).toContain(tag);
	});

	it('draws one pair of bars per day of the period', () => {
		const html = renderReportHtml({
			title: 'x',
			generatedAt: 'now',
			summaries: [
				summarisePeriod(
					rowsWith([written(invoice('STI-1', 'INV-1', '1.00'), 'created', 1)]),
					resolvePeriod('month', '2026-11-20'),
				),
			],
		});
		expect(html.match(/data-records="/g)).toHaveLength(30);
		expect(html.match(/data-exceptions="/g)).toHaveLength(30);
		expect(html).toContain('data-date="2026-11-20" data-records="1"');
	});
});

describe('report CSV', () => {
	it('has the schema header, quotes separators and neutralises formulas, numbers stay numbers', () => {
		const rows = rowsWith([
			{
				...invoice('STI-1', 'INV,1', '1.00', { documentType: 'credit' }),
				error: '=HYPERLINK("http://evil")\r\nsecond line',
			},
		]);
		const csv = reportCsv(rows);
		const [header, line] = csv.split('\r\n');
		expect(header.split(',')[0]).toBe('eventId');
		expect(header.split(',')).toContain('amountBooked');
		expect(line).toContain('"INV,1"');
		expect(line).toContain(`"'=HYPERLINK(""http://evil"") \nsecond line"`);
		expect(line).toContain(',-1.00,');
		expect(reportCsv([])).toBe(`${header}\r\n`);
	});
});
