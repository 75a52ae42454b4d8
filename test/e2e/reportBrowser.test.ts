/**
 * The reconciliation report in headless Chromium (Debian's /usr/bin/chromium via playwright-core): the
 * page renders with no request of its own and no script, the figures on the page are the summary's,
 * a hostile vendor name stays text, and a screenshot is kept in docs/img/ for the README.
 */
import * as path from 'node:path';

import { chromium, type Browser } from 'playwright-core';

import {
	auditRowsFromItem,
	renderReportHtml,
	resolvePeriod,
	summarisePeriod,
	type AuditRow,
} from '../../nodes/shared/audit';
import { CHROMIUM } from '../kit/editor';
import { context, invoice, needsAttention, written } from '../unit/audit/items';

jest.setTimeout(120_000);

const SCREENSHOT = path.resolve(__dirname, '..', '..', 'docs', 'img', 'reconciliation-report.png');

function monthOfRows(): AuditRow[] {
	const at = (day: number, hour = 9) =>
		`2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;
	const rows = (item: unknown, executionId: string, when: string) =>
		auditRowsFromItem(item, { ...context(executionId), now: () => new Date(when) });
	const source = (file: string) => ({ file, sha256: 'd'.repeat(64), rows: [1] });
	const out: AuditRow[] = [];
	for (let day = 2; day <= 20; day++) {
		const file = `/outbound/invoices-202611${String(day).padStart(2, '0')}.csv`;
		for (let n = 0; n < (day % 4) + 1; n++) {
			const id = `STI-${day}-${n}`;
			const currency = n % 2 === 0 ? 'EUR' : 'USD';
			out.push(
				...rows(
					written(
						invoice(id, `INV-${day}${n}`, `${100 + n * 25}.00`, {
							currency,
							source: source(file),
						}),
						'created',
						day * 10 + n,
						at(day),
					),
					String(day),
					at(day),
				),
			);
		}
	}
	out.push(
		...rows(
			needsAttention(
				invoice('STI-1004', 'NW-4410', '240.00', {
					vendor: { stampliVendorId: 'V-2', name: '<img src=x onerror=alert(1)> Northwind' },
					source: source('/outbound/invoices-unmapped.csv'),
				}),
			),
			'90',
			at(18, 10),
		),
		...rows(
			{
				...invoice('STI-2002', 'G-2002', '120.00', {
					source: source('/outbound/invoices-mixed.csv'),
				}),
				error: 'Odoo refused the bill: the accounting period is locked (lock date 2026-10-31)',
			},
			'91',
			at(19, 11),
		),
	);
	return out;
}

describe('reconciliation report in a browser', () => {
	let browser: Browser;

	beforeAll(async () => {
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
			headless: true,
		});
	});

	afterAll(async () => {
		await browser?.close();
	});

	it("shows the summary's figures, loads nothing, and keeps hostile text as text", async () => {
		const rows = monthOfRows();
		const month = summarisePeriod(rows, resolvePeriod('month', '2026-11-20'));
		const day = summarisePeriod(rows, resolvePeriod('previousDay', '2026-11-20'));
		const html = renderReportHtml({
			title: 'Stampli reconciliation report',
			generatedAt: '2026-11-21T06:00:00.000Z',
			summaries: [day, month],
		});
		const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
		const requests: string[] = [];
		const dialogs: string[] = [];
		page.on('request', (request) => requests.push(request.url()));
		page.on('dialog', async (dialog) => {
			dialogs.push(dialog.message());
			await dialog.dismiss();
		});
		await page.setContent(html, { waitUntil: 'load' });

		const section = page.locator('section[data-period="month"]');
		const card = async (field: string) =>
			Number(await section.locator(`.cards [data-field="${field}"]`).innerText());
		expect(await card('invoicesIn')).toBe(month.counts.invoicesIn);
		expect(await card('written')).toBe(month.counts.written);
		expect(await card('failed')).toBe(month.counts.failed);
		expect(await card('openExceptions')).toBe(month.openExceptions);
		for (const totals of month.totals) {
			const line = section.locator(`tr[data-currency="${totals.currency}"]`);
			expect(await line.locator('[data-field="in"]').innerText()).toBe(totals.in);
			expect(await line.locator('[data-field="booked"]').innerText()).toBe(totals.booked);
			expect(await line.locator('[data-field="difference"]').innerText()).toBe(totals.difference);
		}
		expect(await section.locator('svg rect[data-records]').count()).toBe(30);
		expect(await section.locator('tr[data-exception]').count()).toBe(month.exceptions.length);
		await expect(section.locator('tr[data-exception="STI-1004"]').innerText()).resolves.toContain(
			'<img src=x onerror=alert(1)> Northwind',
		);
		expect(await page.locator('img, script').count()).toBe(0);
		expect(dialogs).toEqual([]);
		expect(requests.filter((url) => !url.startsWith('about:') && !url.startsWith('data:'))).toEqual(
			[],
		);
		await page.screenshot({ path: SCREENSHOT, fullPage: true });
		await page.close();
	});
});
