import { CursorTracker, parseDomainOption } from '../../../../nodes/shared/odoo/masterData';

describe('cursor', () => {
	it('skips a record delivered before only when its content is unchanged, and bounds what it remembers', () => {
		const first = new CursorTracker('vendors', undefined, 600, 3);
		expect(first.consider('1', '2026-11-20 10:00:00', { name: 'A' })).toBe(true);
		expect(first.consider('2', '2026-11-20 10:00:05', { name: 'B' })).toBe(true);
		const cursor = first.next(new Date('2026-11-20T10:01:00Z'))!;
		expect(cursor.writeDate).toBe('2026-11-20 10:00:05');
		const second = new CursorTracker('vendors', cursor, 600, 3);
		expect(second.since()).toBe('2026-11-20 09:50:05');
		expect(second.consider('1', '2026-11-20 10:00:00', { name: 'A' })).toBe(false);
		expect(second.consider('2', '2026-11-20 10:00:05', { name: 'B2' })).toBe(true); // same second, new content
		const crowded = new CursorTracker('vendors', undefined, 600, 3);
		for (let i = 0; i < 5; i++) crowded.consider(String(i), '2026-11-20 10:00:00', { i });
		expect(crowded.next()).toMatchObject({ recentTruncated: true, recent: {} });
	});

	it('parses the domain option or says what is wrong', () => {
		expect(parseDomainOption('[["supplier_rank", ">", 0]]')).toEqual([['supplier_rank', '>', 0]]);
		expect(parseDomainOption('')).toBeUndefined();
		expect(() => parseDomainOption('{"a":1}')).toThrow(/Domain must be a JSON list/);
		expect(() => parseDomainOption('[oops')).toThrow(/Domain must be a JSON list/);
	});
});
