/**
 * The company's clock. QuickBooks stamps records (`MetaData.CreateTime`, `LastUpdatedTime`) in the
 * company's time zone with an offset and whole seconds (`2015-12-23T12:55:50-08:00`), and answers
 * with a `time` that has milliseconds. Tests may move the clock (e.g. past CDC's 30-day look-back).
 */
export interface CompanyClock {
	/** Now in epoch ms, moved by `shift`. */
	ms(): number;
	/** A record timestamp: whole seconds, the company's offset. */
	stamp(ms?: number): string;
	/** The `time` of an answer: milliseconds, the company's offset. */
	time(ms?: number): string;
	/** Moves the clock forward (or back, negative) by `ms`. */
	shift(ms: number): void;
}

/** `offsetMinutes`: the company's UTC offset, e.g. -420 for -07:00 (no DST: tests want fixed times). */
export function companyClock(offsetMinutes = -420): CompanyClock {
	let shifted = 0;
	const sign = offsetMinutes < 0 ? '-' : '+';
	const abs = Math.abs(offsetMinutes);
	const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
	const local = (ms: number) => new Date(ms + offsetMinutes * 60_000).toISOString();
	const ms = () => Date.now() + shifted;
	return {
		ms,
		stamp: (at = ms()) => `${local(at).slice(0, 19)}${offset}`,
		time: (at = ms()) => `${local(at).slice(0, 23)}${offset}`,
		shift(by) {
			shifted += by;
		},
	};
}
