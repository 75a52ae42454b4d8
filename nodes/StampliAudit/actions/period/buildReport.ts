import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { byTime, localDate, renderReportHtml, reportCsv } from '../../../shared/audit';
import { summariesOf } from './summaries';

/** Audit rows in → one item: the HTML report and the CSV of the rows in its periods, plus the figures and a digest line. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const run = summariesOf(this);
	const title = String(this.getNodeParameter('title', 0, '')) || 'Stampli reconciliation report';
	const reportProperty = String(this.getNodeParameter('reportProperty', 0, 'report')) || 'report';
	const detailProperty = String(this.getNodeParameter('detailProperty', 0, 'detail')) || 'detail';
	const generatedAt = new Date().toISOString();
	const html = renderReportHtml({ title, generatedAt, summaries: run.summaries });
	const from = run.summaries.reduce(
		(min, s) => (s.period.from < min ? s.period.from : min),
		'9999',
	);
	const to = run.summaries.reduce((max, s) => (s.period.to > max ? s.period.to : max), '0000');
	const detail = byTime(run.rows).filter((row) => {
		const day = localDate(new Date(row.at), run.timeZone);
		return day >= from && day <= to;
	});
	const stem = `stampli-reconciliation-${from}${from === to ? '' : `-to-${to}`}`;
	const report = await this.helpers.prepareBinaryData(
		Buffer.from(html, 'utf8'),
		`${stem}.html`,
		'text/html',
	);
	const csv = await this.helpers.prepareBinaryData(
		Buffer.from(reportCsv(detail), 'utf8'),
		`${stem}.csv`,
		'text/csv',
	);
	const json: IDataObject = {
		title,
		generatedAt,
		timeZone: run.timeZone,
		from,
		to,
		digest: run.summaries.map((s) => s.digest).join(' | '),
		openExceptions: run.summaries[run.summaries.length - 1]?.openExceptions ?? 0,
		periods: run.summaries.map((s) => ({
			period: s.period,
			counts: s.counts,
			totals: s.totals,
			openExceptions: s.openExceptions,
			exceptions: s.exceptions.length,
		})) as unknown as IDataObject[],
		detailRows: detail.length,
		rowsIgnored: run.ignored,
		html,
	};
	return [
		[
			{
				json,
				binary: { [reportProperty]: report, [detailProperty]: csv },
				pairedItem: this.getInputData().map((_, item) => ({ item })),
			},
		],
	];
}
