/**
 * Runs a hostile case through both reader APIs (collecting and streaming) and judges the outcome:
 * `correct` (parsed as expected), `clear error` (refused or flagged as expected, the error naming
 * the file and, where known, the rows or record and the field), or `defect` (anything else: a
 * record lost or invented, an unclear or wrong error, a crash, the two APIs disagreeing).
 */
import {
	parseStampliFile,
	StampliFileError,
	streamStampliFile,
	type RecordError,
} from '../../nodes/shared/stampli';
import type { ExpectedProblem, HostileCase } from './corpus';

export type Verdict = 'correct' | 'clear error' | 'defect';

export interface CaseResult {
	family: string;
	name: string;
	verdict: Verdict;
	problems: string[];
}

type Parsed = Awaited<ReturnType<typeof parseStampliFile>>;

function matches(problem: RecordError, expected: ExpectedProblem): boolean {
	return (
		expected.reason.test(problem.reason) &&
		(expected.rows === undefined ||
			JSON.stringify(expected.rows) === JSON.stringify(problem.rows)) &&
		(expected.recordId === undefined || expected.recordId === problem.recordId) &&
		(expected.field === undefined || expected.field === problem.field)
	);
}

/** The same record or rows as an expected rejection: further reasons for it are welcome, not unexpected. */
const about = (problem: RecordError, expected: ExpectedProblem[]): boolean =>
	expected.some((e) =>
		e.recordId !== undefined
			? e.recordId === problem.recordId
			: e.rows !== undefined && JSON.stringify(e.rows) === JSON.stringify(problem.rows),
	);

/**
 * Every expected problem must be found, and every problem must be expected or be about a record
 * expected to be rejected; each names the file and its rows, and not the file again in its reason.
 */
function compareProblems(
	what: string,
	file: string,
	actual: RecordError[],
	expected: ExpectedProblem[] = [],
	rejected: ExpectedProblem[] = [],
): string[] {
	const found: string[] = [];
	for (const problem of actual) {
		if (problem.file !== file) found.push(`${what} names file ${JSON.stringify(problem.file)}`);
		if (problem.rows.length === 0) found.push(`${what} names no row: ${problem.reason}`);
		if (file.length > 3 && problem.reason.includes(file))
			found.push(`${what} repeats the file name in its reason`);
		if (!expected.some((e) => matches(problem, e)) && !about(problem, rejected))
			found.push(`unexpected ${what}: ${JSON.stringify(problem).slice(0, 300)}`);
	}
	for (const e of expected)
		if (!actual.some((p) => matches(p, e)))
			found.push(`missing ${what} ${e.reason} (rows ${e.rows}, field ${e.field})`);
	return found;
}

function idsOf(records: Array<Record<string, any>>, kind: string): string[] {
	const key =
		kind === 'invoices'
			? 'stampliInvoiceId'
			: kind === 'payments'
				? 'stampliPaymentId'
				: 'vendorId';
	return records.map((r) => r[key]);
}

function judgeRefusal(c: HostileCase, error: unknown): string[] {
	const refused = c.expect.refused!;
	if (!(error instanceof StampliFileError))
		return [`threw ${String(error)} instead of a StampliFileError`];
	const problems: string[] = [];
	if (error.file !== c.name) problems.push(`names file ${error.file}`);
	if (!refused.reason.test(error.reason))
		problems.push(`reason ${JSON.stringify(error.reason)} does not match ${refused.reason}`);
	if (refused.rows && JSON.stringify(error.rows) !== JSON.stringify(refused.rows))
		problems.push(`rows ${JSON.stringify(error.rows)}, expected ${JSON.stringify(refused.rows)}`);
	if (refused.field && error.field !== refused.field)
		problems.push(`field ${error.field}, expected ${refused.field}`);
	if (c.name.length > 3 && error.reason.includes(c.name))
		problems.push('repeats the file name in its reason');
	if (error.message.split(JSON.stringify(c.name)).length !== 2)
		problems.push('message does not name the file exactly once');
	return problems;
}

/** Rows 1..n each in exactly one record or error. */
function coverage(parsed: Parsed, rows: number): string[] {
	const seen = new Set<number>();
	const twice: number[] = [];
	for (const record of parsed.records as Array<{ source: { rows: number[] } }>)
		for (const row of record.source.rows) {
			if (seen.has(row)) twice.push(row);
			seen.add(row);
		}
	for (const error of parsed.errors) for (const row of error.rows) seen.add(row);
	const missing: number[] = [];
	for (let row = 1; row <= rows; row++) if (!seen.has(row)) missing.push(row);
	const problems: string[] = [];
	if (missing.length)
		problems.push(`rows neither in a record nor in an error: ${missing.slice(0, 10).join(', ')}`);
	if (twice.length) problems.push(`rows in two records: ${twice.slice(0, 10).join(', ')}`);
	return problems;
}

function judgeParsed(c: HostileCase, parsed: Parsed, rows: number): string[] {
	const { expect } = c;
	const problems: string[] = [];
	const ids = idsOf(parsed.records as Array<Record<string, any>>, c.kind);
	const wanted = expect.records ?? [];
	if (
		JSON.stringify(ids.slice(0, 50)) !== JSON.stringify(wanted.slice(0, 50)) ||
		ids.length !== wanted.length
	)
		problems.push(
			`records ${JSON.stringify(ids.slice(0, 10))} (${ids.length}), expected ${JSON.stringify(wanted.slice(0, 10))} (${wanted.length})`,
		);
	problems.push(
		...compareProblems('error', c.name, parsed.errors, expect.rejected, expect.rejected),
	);
	const warnings = parsed.warnings;
	problems.push(...compareProblems('warning', c.name, warnings, expect.warnings, expect.rejected));
	problems.push(...coverage(parsed, rows));
	let checked: string | undefined;
	try {
		checked = expect.check?.(parsed.records as Array<Record<string, any>>);
	} catch (error) {
		checked = `the check failed: ${String(error)}`;
	}
	if (checked) problems.push(`check: ${checked}`);
	return problems;
}

/** The streaming API must yield the same records and errors as the collecting one. */
async function streamDisagreement(
	c: HostileCase,
	parsed: Parsed | undefined,
	thrown: unknown,
): Promise<{ problems: string[]; rows: number }> {
	const records: string[] = [];
	const errors: string[] = [];
	let rows = 0;
	try {
		for await (const event of streamStampliFile(
			{ name: c.name, data: c.data() },
			c.kind,
			c.options,
		)) {
			if (event.type === 'record')
				records.push(JSON.stringify((event.record as { source: { rows: number[] } }).source.rows));
			else if (event.type === 'rejected') errors.push(...event.errors.map((e) => e.reason));
			else rows = event.counts.rows;
		}
	} catch (error) {
		if (
			thrown instanceof StampliFileError &&
			error instanceof StampliFileError &&
			error.reason === thrown.reason
		)
			return { problems: [], rows };
		return {
			problems: [
				`streaming threw ${String(error)}; collecting ${thrown ? `threw ${String(thrown)}` : 'did not'}`,
			],
			rows,
		};
	}
	if (!parsed)
		return { problems: [`streaming read the file; collecting threw ${String(thrown)}`], rows };
	const collected = (parsed.records as Array<{ source: { rows: number[] } }>).map((r) =>
		JSON.stringify(r.source.rows),
	);
	const same =
		JSON.stringify(records) === JSON.stringify(collected) &&
		JSON.stringify(errors.sort()) === JSON.stringify(parsed.errors.map((e) => e.reason).sort());
	return { problems: same ? [] : ['streaming and collecting disagree'], rows };
}

export async function runCase(c: HostileCase): Promise<CaseResult> {
	let parsed: Parsed | undefined;
	let thrown: unknown;
	try {
		parsed = await parseStampliFile({ name: c.name, data: c.data() }, c.kind, c.options);
	} catch (error) {
		thrown = error;
	}
	const stream = await streamDisagreement(c, parsed, thrown);
	const problems = [...stream.problems];
	if (c.expect.refused) {
		if (parsed)
			problems.push(`read ${parsed.records.length} record(s) instead of refusing the file`);
		else problems.push(...judgeRefusal(c, thrown));
	} else if (!parsed)
		problems.push(`refused the file: ${String((thrown as Error)?.message ?? thrown)}`);
	else problems.push(...judgeParsed(c, parsed, stream.rows));
	const flagged = c.expect.refused || c.expect.rejected?.length || c.expect.warnings?.length;
	const verdict: Verdict = problems.length ? 'defect' : flagged ? 'clear error' : 'correct';
	return { family: c.family, name: c.name, verdict, problems };
}

/** The summary table: one row per family and a total, columns files / correct / clear error / defect. */
export function verdictTable(results: CaseResult[]): string {
	const families = [...new Set(results.map((r) => r.family))];
	const row = (label: string, of: CaseResult[]) => [
		label,
		String(of.length),
		String(of.filter((r) => r.verdict === 'correct').length),
		String(of.filter((r) => r.verdict === 'clear error').length),
		String(of.filter((r) => r.verdict === 'defect').length),
	];
	const rows = [
		['class', 'files', 'correct', 'clear error', 'defect'],
		...families.map((f) =>
			row(
				f,
				results.filter((r) => r.family === f),
			),
		),
		row('total', results),
	];
	const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
	return rows
		.map((r) =>
			r.map((cell, i) => (i ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  '),
		)
		.join('\n');
}
