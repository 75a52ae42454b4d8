/**
 * Feed file names from a pattern: `{feed}`, `{ext}`, `{date:YYYYMMDD}`, `{time:HHmmss}` (any mix of the
 * tokens YYYY YY MM DD HH mm ss SSS in either), `{timestamp}` (Unix milliseconds). Times are in
 * the given IANA time zone (n8n's workflow time zone), UTC by default. The result must be one
 * plain path component: a pattern that renders to `../x` or `a/b` is refused, never "cleaned up".
 */

export interface FileNameContext {
	feed: string;
	/** Value of `{ext}`: `csv` or `xml`. */
	ext?: string;
	now: Date;
	/** IANA zone, e.g. `Europe/Berlin`; default `UTC`. */
	timeZone?: string;
}

export class FileNamePatternError extends Error {
	constructor(
		readonly pattern: string,
		reason: string,
	) {
		super(`File name pattern "${pattern}": ${reason}`);
		this.name = 'FileNamePatternError';
	}
}

interface ClockParts {
	YYYY: string;
	MM: string;
	DD: string;
	HH: string;
	mm: string;
	ss: string;
	SSS: string;
}

function clockParts(now: Date, timeZone: string): ClockParts {
	const parts = new Intl.DateTimeFormat('en-CA', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
		hourCycle: 'h23',
	}).formatToParts(now);
	const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
	return {
		YYYY: get('year').padStart(4, '0'),
		MM: get('month'),
		DD: get('day'),
		HH: get('hour'),
		mm: get('minute'),
		ss: get('second'),
		SSS: String(now.getUTCMilliseconds()).padStart(3, '0'),
	};
}

/** Formats `now` with the tokens YYYY YY MM DD HH mm ss SSS; other characters are copied. */
export function formatClock(format: string, now: Date, timeZone = 'UTC'): string {
	const p = clockParts(now, timeZone);
	return format.replace(/YYYY|YY|MM|DD|HH|mm|ss|SSS/g, (token) =>
		token === 'YY' ? p.YYYY.slice(-2) : p[token as keyof ClockParts],
	);
}

function isKnownTimeZone(timeZone: string): boolean {
	try {
		new Intl.DateTimeFormat('en', { timeZone });
		return true;
	} catch {
		return false;
	}
}

const PLACEHOLDER = /\{(feed|ext|timestamp|date|time)(?::([^}]*))?\}/g;

export function renderFileName(pattern: string, context: FileNameContext): string {
	const timeZone = context.timeZone || 'UTC';
	if (!isKnownTimeZone(timeZone))
		throw new FileNamePatternError(pattern, `unknown time zone "${timeZone}"`);
	const name = pattern.replace(PLACEHOLDER, (_all, key: string, format: string | undefined) => {
		if (key === 'feed') return context.feed;
		if (key === 'ext') return context.ext ?? '';
		if (key === 'timestamp') return String(context.now.getTime());
		return formatClock(format || (key === 'date' ? 'YYYYMMDD' : 'HHmmss'), context.now, timeZone);
	});
	const leftover = /\{[^}]*\}/.exec(name);
	if (leftover) throw new FileNamePatternError(pattern, `unknown placeholder ${leftover[0]}`);
	assertPlainFileName(name, pattern);
	return name;
}

/** One path component, printable, not hidden, not `.`/`..`. */
export function assertPlainFileName(name: string, pattern = name): void {
	if (name.trim() === '') throw new FileNamePatternError(pattern, 'renders to an empty name');
	if (/[/\\]/.test(name))
		throw new FileNamePatternError(pattern, `"${name}" contains a path separator`);
	if (/[\u0000-\u001F\u007F]/.test(name))
		throw new FileNamePatternError(pattern, 'contains a control character');
	if (name.startsWith('.'))
		throw new FileNamePatternError(pattern, `"${name}" starts with "." (hidden or relative name)`);
	if (name.length > 255)
		throw new FileNamePatternError(pattern, 'renders to more than 255 characters');
}
