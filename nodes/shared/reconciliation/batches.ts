/**
 * A file the trigger emitted in batches is reconciled per batch (one execution each); these per-batch
 * summaries add up to the file's: counts and amounts summed per currency, and the batches checked
 * for completeness (every batch 1..N once, their entry ranges covering the whole file without gaps).
 */
import { add, compare, negate, toFixed } from '../records/decimal';
import type { CurrencyTotals, FileSummary } from './summarise';

const COUNTS = [
	'recordsIn',
	'created',
	'updated',
	'unchanged',
	'skipped',
	'failed',
	'missing',
	'unexpected',
	'split',
] as const;

const scaleOf = (value: string) =>
	value.includes('.') ? value.length - value.indexOf('.') - 1 : 0;
const sum = (values: string[]) => toFixed(add('0', ...values), Math.max(2, ...values.map(scaleOf)));

/** What is wrong with a file's batches as a set; empty when they cover the file exactly once. */
function batchGaps(batches: FileSummary[]): string[] {
	const problems: string[] = [];
	const count = batches[0].batch!.count;
	const fileItems = batches[0].batch!.fileItems;
	const seen = new Map<number, FileSummary>();
	for (const summary of batches) {
		const { index } = summary.batch!;
		if (summary.batch!.count !== count || summary.batch!.fileItems !== fileItems)
			problems.push(
				`batch ${index} describes another version of the file (${summary.batch!.count} batches)`,
			);
		if (seen.has(index)) problems.push(`batch ${index} of ${count} was summarised twice`);
		seen.set(index, summary);
	}
	let expectedFirst = 1;
	for (let index = 1; index <= count; index++) {
		const summary = seen.get(index);
		if (!summary) {
			problems.push(`batch ${index} of ${count} is missing`);
			continue;
		}
		const { firstItem, lastItem } = summary.batch!;
		if (firstItem !== expectedFirst)
			problems.push(`batch ${index} starts at entry ${firstItem}, expected ${expectedFirst}`);
		expectedFirst = lastItem + 1;
	}
	if (seen.size === count && expectedFirst !== fileItems + 1)
		problems.push(`the batches cover entries 1–${expectedFirst - 1} of ${fileItems}`);
	return problems;
}

function combineTotals(batches: FileSummary[]): CurrencyTotals[] {
	const byCurrency = new Map<string, CurrencyTotals[]>();
	for (const summary of batches)
		for (const totals of summary.totals)
			byCurrency.set(totals.currency, [...(byCurrency.get(totals.currency) ?? []), totals]);
	return [...byCurrency.entries()].map(([currency, list]) => {
		const pick = (key: 'in' | 'written' | 'skipped' | 'failed' | 'missing') =>
			sum(list.map((t) => t[key]));
		const totals = {
			currency,
			in: pick('in'),
			written: pick('written'),
			skipped: pick('skipped'),
			failed: pick('failed'),
			missing: pick('missing'),
		};
		const difference = sum([
			totals.in,
			negate(sum([totals.written, totals.skipped, totals.failed])),
		]);
		return { ...totals, difference, balanced: compare(difference, '0') === 0 };
	});
}

/**
 * Merges the summaries of the same file version (file + sha256) that carry `batch` into one summary
 * for the whole file; other summaries pass through unchanged. The merged summary is balanced only when
 * every batch is, and every batch is there.
 */
export function combineBatchSummaries(summaries: FileSummary[]): FileSummary[] {
	const groups = new Map<string, FileSummary[]>();
	const out: Array<FileSummary | string> = [];
	for (const summary of summaries) {
		if (!summary.batch) {
			out.push(summary);
			continue;
		}
		const key = `${summary.file}\u0000${summary.sha256 ?? ''}`;
		if (!groups.has(key)) {
			groups.set(key, []);
			out.push(key);
		}
		groups.get(key)!.push(summary);
	}
	return out.map((item) => {
		if (typeof item !== 'string') return item;
		const batches = groups.get(item)!.sort((a, b) => a.batch!.index - b.batch!.index);
		const first = batches[0];
		const totals = combineTotals(batches);
		const single = totals.length === 1 ? totals[0] : undefined;
		const gaps = batchGaps(batches);
		const imbalance = [
			...gaps,
			...batches.flatMap((b) => b.imbalance.map((line) => `batch ${b.batch!.index}: ${line}`)),
		];
		const counts = Object.fromEntries(
			COUNTS.map((key) => [key, batches.reduce((n, b) => n + b[key], 0)]),
		) as Pick<FileSummary, (typeof COUNTS)[number]>;
		const { batch: _batch, ...rest } = first;
		return {
			...rest,
			systems: [...new Set(batches.flatMap((b) => b.systems))].sort(),
			...counts,
			currency: single ? single.currency : null,
			amountIn: single ? single.in : null,
			amountWritten: single ? single.written : null,
			amountSkipped: single ? single.skipped : null,
			amountFailed: single ? single.failed : null,
			totals,
			balanced: imbalance.length === 0 && batches.every((b) => b.balanced),
			imbalance,
			records: batches.flatMap((b) => b.records),
			batches: { count: first.batch!.count, summarised: batches.length },
		};
	});
}
