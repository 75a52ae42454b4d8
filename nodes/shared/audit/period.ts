/**
 * Report periods as calendar dates in a time zone: a day, the ISO week (Monday to Sunday) or the month
 * containing a date, the day before, the month to date. Rows are placed on the calendar date their
 * instant has in that zone, so "yesterday" means the same to the report as to the people reading it.
 */

export type PeriodKind = 'previousDay' | 'monthToDate' | 'day' | 'week' | 'month' | 'custom';

export interface Period {
	kind: PeriodKind;
	/** First and last calendar date, inclusive, `YYYY-MM-DD`. */
	from: string;
	to: string;
	label: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The calendar date (`YYYY-MM-DD`) of an instant in a time zone (IANA name; UTC when empty). */
export function localDate(instant: Date, timeZone = 'UTC'): string {
	// en-CA formats dates as YYYY-MM-DD.
	return new Intl.DateTimeFormat('en-CA', {
		timeZone: timeZone || 'UTC',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
	}).format(instant);
}

/** Throws a clear error for a time zone Intl does not know. */
export function checkTimeZone(timeZone: string): void {
	try {
		localDate(new Date(0), timeZone);
	} catch {
		throw new Error(
			`"${timeZone}" is not a time zone name (e.g. Europe/Berlin, America/New_York, UTC)`,
		);
	}
}

const toUtc = (date: string) => new Date(`${date}T00:00:00.000Z`);
const fromUtc = (date: Date) => date.toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
	const next = toUtc(date);
	next.setUTCDate(next.getUTCDate() + days);
	return fromUtc(next);
}

/** Every date from `from` to `to`, inclusive. */
export function datesBetween(from: string, to: string): string[] {
	const dates: string[] = [];
	for (let date = from; date <= to; date = addDays(date, 1)) dates.push(date);
	return dates;
}

function checkDate(date: string, what: string): void {
	if (!DATE.test(date) || Number.isNaN(toUtc(date).getTime()) || fromUtc(toUtc(date)) !== date)
		throw new Error(`${what} "${date}" is not a date (YYYY-MM-DD)`);
}

const MONTHS = [
	'January',
	'February',
	'March',
	'April',
	'May',
	'June',
	'July',
	'August',
	'September',
	'October',
	'November',
	'December',
];

/**
 * The period of `kind` around `date` (a calendar date; for previousDay and monthToDate, today).
 * `custom` takes `from` and `to`.
 */
export function resolvePeriod(
	kind: PeriodKind,
	date: string,
	custom?: { from: string; to: string },
): Period {
	checkDate(date, 'Date');
	const month = date.slice(0, 7);
	const monthName = `${MONTHS[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;
	switch (kind) {
		case 'previousDay': {
			const day = addDays(date, -1);
			return { kind, from: day, to: day, label: `Previous day (${day})` };
		}
		case 'day':
			return { kind, from: date, to: date, label: date };
		case 'monthToDate':
			return {
				kind,
				from: `${month}-01`,
				to: date,
				label: `${monthName}, month to date (${date})`,
			};
		case 'week': {
			const weekday = (toUtc(date).getUTCDay() + 6) % 7; // Monday = 0
			const from = addDays(date, -weekday);
			return { kind, from, to: addDays(from, 6), label: `Week ${from} to ${addDays(from, 6)}` };
		}
		case 'month': {
			const next = toUtc(`${month}-01`);
			next.setUTCMonth(next.getUTCMonth() + 1);
			return { kind, from: `${month}-01`, to: addDays(fromUtc(next), -1), label: monthName };
		}
		case 'custom': {
			if (!custom) throw new Error('A custom period needs a first and a last date');
			checkDate(custom.from, 'First date');
			checkDate(custom.to, 'Last date');
			if (custom.from > custom.to)
				throw new Error(`The first date ${custom.from} is after the last date ${custom.to}`);
			return { kind, from: custom.from, to: custom.to, label: `${custom.from} to ${custom.to}` };
		}
		default:
			throw new Error(`Unknown period "${String(kind)}"`);
	}
}
