/** Report periods: calendar dates in a time zone, inclusive bounds. */
import { localDate, resolvePeriod } from '../../../nodes/shared/audit';

describe('report periods', () => {
	it('resolves the default pair: the previous day and the month to date', () => {
		expect(resolvePeriod('previousDay', '2026-12-01')).toMatchObject({
			from: '2026-11-30',
			to: '2026-11-30',
		});
		expect(resolvePeriod('monthToDate', '2026-12-01')).toMatchObject({
			from: '2026-12-01',
			to: '2026-12-01',
		});
		expect(resolvePeriod('previousDay', '2026-01-01')).toMatchObject({ from: '2025-12-31' });
	});

	it('resolves a day, an ISO week (Monday to Sunday) and a whole month, leap years included', () => {
		expect(resolvePeriod('day', '2026-11-20')).toMatchObject({
			from: '2026-11-20',
			to: '2026-11-20',
		});
		// 2026-11-20 is a Friday.
		expect(resolvePeriod('week', '2026-11-20')).toMatchObject({
			from: '2026-11-16',
			to: '2026-11-22',
		});
		expect(resolvePeriod('week', '2026-11-16')).toMatchObject({ from: '2026-11-16' });
		expect(resolvePeriod('week', '2026-11-22')).toMatchObject({ from: '2026-11-16' });
		expect(resolvePeriod('month', '2028-02-10')).toMatchObject({
			from: '2028-02-01',
			to: '2028-02-29',
			label: 'February 2028',
		});
		expect(resolvePeriod('month', '2026-12-31')).toMatchObject({
			from: '2026-12-01',
			to: '2026-12-31',
		});
	});

	it('takes custom bounds and refuses dates that are not dates', () => {
		expect(
			resolvePeriod('custom', '2026-11-30', { from: '2026-11-01', to: '2026-11-15' }),
		).toMatchObject({ from: '2026-11-01', to: '2026-11-15' });
		expect(() =>
			resolvePeriod('custom', '2026-11-30', { from: '2026-11-15', to: '2026-11-01' }),
		).toThrow(/after/);
		expect(() => resolvePeriod('day', '2026-02-30')).toThrow(/not a date/);
		expect(() => resolvePeriod('day', '30.11.2026')).toThrow(/not a date/);
	});

	it('places an instant on the calendar date of the time zone', () => {
		const instant = new Date('2026-11-30T23:30:00Z');
		expect(localDate(instant)).toBe('2026-11-30');
		expect(localDate(instant, 'Europe/Berlin')).toBe('2026-12-01');
		expect(localDate(instant, 'America/New_York')).toBe('2026-11-30');
	});
});
