/** The matrix printed at the end of a run: fault × point × repeats → duplicates, losses and the rest. */
import type { Tally } from './ledger';

export interface MatrixRow {
	fault: string;
	point: string;
	repeats: number;
	tally: Tally;
	/** Wall time of each repeat (fault and recovery), seconds. */
	seconds: number[];
}

const COLUMNS = [
	'fault',
	'point',
	'repeats',
	'duplicates',
	'losses',
	'wrong',
	'archived early',
	'unbalanced',
	'unconverged',
	's/repeat',
];

export function printMatrix(rows: MatrixRow[], wallSeconds: number): string {
	const cells = rows.map((r) => [
		r.fault,
		r.point,
		String(r.repeats),
		String(r.tally.duplicates),
		String(r.tally.losses),
		String(r.tally.wrong),
		String(r.tally.archivedEarly),
		String(r.tally.unbalanced),
		String(r.tally.unconverged),
		r.seconds.length
			? String(Math.round(r.seconds.reduce((a, b) => a + b, 0) / r.seconds.length))
			: '-',
	]);
	const sum = (pick: (t: Tally) => number) => String(rows.reduce((n, r) => n + pick(r.tally), 0));
	cells.push([
		'TOTAL',
		`${rows.length} rows`,
		String(rows.reduce((n, r) => n + r.repeats, 0)),
		sum((t) => t.duplicates),
		sum((t) => t.losses),
		sum((t) => t.wrong),
		sum((t) => t.archivedEarly),
		sum((t) => t.unbalanced),
		sum((t) => t.unconverged),
		'-',
	]);
	const widths = COLUMNS.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
	const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
	return [
		`Fault matrix (target: 0 duplicates, 0 losses), suite wall time ${wallSeconds} s`,
		line(COLUMNS),
		`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
		...cells.map(line),
	].join('\n');
}
