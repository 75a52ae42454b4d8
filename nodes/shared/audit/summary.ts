/**
 * A period's reconciliation from audit rows: per flow and file, the records in and what became of
 * them, amounts in against amounts booked per currency, every exception with what to do, and the
 * daily volume. A record seen several times in the same file (a re-run, a replay) counts once, at its
 * best outcome (written beats skipped beats failed); its earlier failures stay in the exception list,
 * marked resolved once the record reached the ERP.
 */
import { compare, isDecimalString, negate } from '../records/decimal';
import { adviceFor } from './advice';
import { sumMoney } from './money';
import { datesBetween, localDate, type Period } from './period';
import { EXCEPTION_ACTIONS, WRITTEN_ACTIONS, type AuditRow } from './schema';
import { byTime } from './stored';

export interface CurrencyLine {
	currency: string;
	/** What the files stated. */
	in: string;
	/** What the ERP booked for records written or found unchanged. */
	booked: string;
	skipped: string;
	failed: string;
	/** in - (booked + skipped + failed): zero when every amount is accounted for at the stated figure. */
	difference: string;
}

export interface Counts {
	invoicesIn: number;
	paymentsIn: number;
	vendorsIn: number;
	/** Created or updated. */
	written: number;
	unchanged: number;
	skipped: number;
	/** Failed, needing attention or rejected at their best outcome. */
	failed: number;
	/** Read from a file, no outcome recorded. */
	noOutcome: number;
}

export interface FileLine extends Counts {
	flow: string;
	file: string;
	sha256: string;
	erps: string[];
	totals: CurrencyLine[];
	/** Open (unresolved) exceptions of this file. */
	openExceptions: number;
	/** The file's own events: downloaded, uploaded, replayed, archived, reconciled. */
	events: string[];
}

export interface ExceptionLine {
	at: string;
	flow: string;
	file: string;
	subject: string;
	recordKey: string;
	invoiceNumber: string;
	vendor: string;
	action: string;
	amount: string;
	currency: string;
	reason: string;
	advice: string;
	/** The record reached the ERP later (in this period's rows or after). */
	resolved: boolean;
	executionId: string;
}

export interface DayLine {
	date: string;
	/** Record outcomes that day. */
	records: number;
	exceptions: number;
}

export interface PeriodSummary {
	period: Period;
	timeZone: string;
	/** Audit rows that fall in the period. */
	rows: number;
	counts: Counts;
	totals: CurrencyLine[];
	files: FileLine[];
	exceptions: ExceptionLine[];
	openExceptions: number;
	daily: DayLine[];
	/** One line for a chat message. */
	digest: string;
}

const RECORD_SUBJECTS = new Set(['invoice', 'payment', 'vendor']);

/** Lower ranks win when a record appears several times in a file. */
function rank(action: string): number {
	if (action === 'created' || action === 'updated') return 0;
	if (action === 'unchanged') return 1;
	if (action === 'skipped') return 2;
	if (action === 'received') return 4;
	return 3;
}

class Money {
	private readonly byCurrency = new Map<
		string,
		Record<'in' | 'booked' | 'skipped' | 'failed', string[]>
	>();

	add(currency: string, side: 'in' | 'booked' | 'skipped' | 'failed', amount: string): void {
		if (!isDecimalString(amount)) return;
		const name = currency || '(none)';
		let entry = this.byCurrency.get(name);
		if (!entry) {
			entry = { in: [], booked: [], skipped: [], failed: [] };
			this.byCurrency.set(name, entry);
		}
		entry[side].push(amount);
	}

	lines(): CurrencyLine[] {
		return [...this.byCurrency.entries()]
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
			.map(([currency, sides]) => {
				const line = {
					currency,
					in: sumMoney(sides.in),
					booked: sumMoney(sides.booked),
					skipped: sumMoney(sides.skipped),
					failed: sumMoney(sides.failed),
				};
				const out = sumMoney([line.booked, line.skipped, line.failed]);
				return { ...line, difference: sumMoney([line.in, negate(out)]) };
			});
	}
}

const emptyCounts = (): Counts => ({
	invoicesIn: 0,
	paymentsIn: 0,
	vendorsIn: 0,
	written: 0,
	unchanged: 0,
	skipped: 0,
	failed: 0,
	noOutcome: 0,
});

function count(counts: Counts, row: AuditRow): void {
	if (row.subject === 'invoice') counts.invoicesIn++;
	else if (row.subject === 'payment') counts.paymentsIn++;
	else counts.vendorsIn++;
	if (row.action === 'created' || row.action === 'updated') counts.written++;
	else if (row.action === 'unchanged') counts.unchanged++;
	else if (row.action === 'skipped') counts.skipped++;
	else if (row.action === 'received') counts.noOutcome++;
	else counts.failed++;
}

function addMoney(money: Money, row: AuditRow): void {
	money.add(row.currency, 'in', row.amountStated);
	if (WRITTEN_ACTIONS.has(row.action))
		money.add(row.currency, 'booked', row.amountBooked || row.amountStated);
	else if (row.action === 'skipped') money.add(row.currency, 'skipped', row.amountStated);
	else if (row.action !== 'received') money.add(row.currency, 'failed', row.amountStated);
}

function addCounts(into: Counts, from: Counts): void {
	for (const key of Object.keys(into) as Array<keyof Counts>) into[key] += from[key];
}

/** A record's key within its file: records without a Stampli id are each their own. */
const recordKeyOf = (row: AuditRow) =>
	`${row.flow}\u0000${row.file}\u0000${row.recordKey ? `${row.recordKey}\u0000${row.part}` : `#${row.eventId}`}`;

/**
 * Summarises `rows` (any order, any span) for `period`. `allRows` (default `rows`) is what the
 * resolved check looks at, so a failure at month end fixed the next morning shows as resolved.
 */
export function summarisePeriod(
	rows: AuditRow[],
	period: Period,
	options: { timeZone?: string; allRows?: AuditRow[] } = {},
): PeriodSummary {
	const timeZone = options.timeZone || 'UTC';
	const dayOf = (row: AuditRow) => localDate(new Date(row.at), timeZone);
	const inPeriod = byTime(rows).filter((row) => {
		const day = dayOf(row);
		return day >= period.from && day <= period.to;
	});

	// Latest write per Stampli record, anywhere in the rows: is a failure resolved?
	const writtenAt = new Map<string, string>();
	for (const row of options.allRows ?? rows)
		if (row.recordKey && WRITTEN_ACTIONS.has(row.action)) {
			const key = `${row.subject}\u0000${row.recordKey}`;
			if ((writtenAt.get(key) ?? '') < row.at) writtenAt.set(key, row.at);
		}

	const files = new Map<string, { line: FileLine; best: Map<string, AuditRow> }>();
	const fileOf = (row: AuditRow) => {
		const key = `${row.flow}\u0000${row.file}`;
		let entry = files.get(key);
		if (!entry) {
			entry = {
				line: {
					flow: row.flow,
					file: row.file,
					sha256: row.sha256,
					erps: [],
					...emptyCounts(),
					totals: [],
					openExceptions: 0,
					events: [],
				},
				best: new Map(),
			};
			files.set(key, entry);
		}
		if (!entry.line.sha256 && row.sha256) entry.line.sha256 = row.sha256;
		return entry;
	};

	const exceptions: ExceptionLine[] = [];
	const daily = new Map(
		datesBetween(period.from, period.to).map((date) => [date, { date, records: 0, exceptions: 0 }]),
	);
	for (const row of inPeriod) {
		const entry = fileOf(row);
		const day = daily.get(dayOf(row))!;
		if (RECORD_SUBJECTS.has(row.subject)) {
			if (row.action !== 'received') day.records++;
			const key = recordKeyOf(row);
			const earlier = entry.best.get(key);
			if (!earlier || rank(row.action) <= rank(earlier.action)) entry.best.set(key, row);
			if (row.erp && !entry.line.erps.includes(row.erp)) entry.line.erps.push(row.erp);
		} else {
			entry.line.events.push(`${row.action} ${row.at}`);
		}
		if (EXCEPTION_ACTIONS.has(row.action)) {
			day.exceptions++;
			const written = row.recordKey
				? writtenAt.get(`${row.subject}\u0000${row.recordKey}`)
				: undefined;
			const resolved = written !== undefined && written >= row.at;
			if (!resolved) entry.line.openExceptions++;
			exceptions.push({
				at: row.at,
				flow: row.flow,
				file: row.file,
				subject: row.subject,
				recordKey: row.recordKey,
				invoiceNumber: row.invoiceNumber,
				vendor: row.vendor,
				action: row.action,
				amount: row.amountStated,
				currency: row.currency,
				reason: row.reason,
				advice: adviceFor(row),
				resolved,
				executionId: row.executionId,
			});
		}
	}

	const counts = emptyCounts();
	const money = new Money();
	const fileLines = [...files.values()].map(({ line, best }) => {
		const fileMoney = new Money();
		for (const row of best.values()) {
			count(line, row);
			addMoney(fileMoney, row);
			addMoney(money, row);
		}
		addCounts(counts, line);
		return { ...line, erps: line.erps.sort(), totals: fileMoney.lines() };
	});
	fileLines.sort((a, b) =>
		a.flow !== b.flow ? (a.flow < b.flow ? -1 : 1) : a.file < b.file ? -1 : a.file > b.file ? 1 : 0,
	);
	const totals = money.lines();
	const openExceptions = exceptions.filter((e) => !e.resolved).length;
	return {
		period,
		timeZone,
		rows: inPeriod.length,
		counts,
		totals,
		files: fileLines,
		exceptions,
		openExceptions,
		daily: [...daily.values()],
		digest: digestLine(period, counts, totals, openExceptions),
	};
}

function digestLine(period: Period, counts: Counts, totals: CurrencyLine[], open: number): string {
	const money = totals
		.map(
			(t) =>
				`${t.currency} in ${t.in}, booked ${t.booked}${compare(t.difference, '0') !== 0 ? ` (difference ${t.difference})` : ''}`,
		)
		.join('; ');
	return (
		`Stampli ${period.label}: ${counts.invoicesIn} invoice(s), ${counts.paymentsIn} payment(s) in; ` +
		`${counts.written} written, ${counts.unchanged} unchanged, ${counts.skipped} skipped, ${counts.failed} failed; ` +
		`${open} open exception(s)${money ? `; ${money}` : ''}`
	);
}
