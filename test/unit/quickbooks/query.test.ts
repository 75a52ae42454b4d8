import { chunkForIn, escapeQueryValue, inClause, select } from '../../../nodes/shared/quickbooks';
import { parseQuery, matches } from '../../emulators/quickbooks/query-language';

describe('query language', () => {
	test('escapes quotes and backslashes, and the emulator parser reads them back', () => {
		const name = "O'Brien \\ Sons";
		expect(escapeQueryValue(name)).toBe("O\\'Brien \\\\ Sons");
		const q = select('Vendor', {
			where: [inClause('DisplayName', [name, 'Plain'])],
			startPosition: 1,
			maxResults: 1000,
		});
		expect(q).toBe(
			"SELECT * FROM Vendor WHERE DisplayName IN ('O\\'Brien \\\\ Sons', 'Plain') STARTPOSITION 1 MAXRESULTS 1000",
		);
		const parsed = parseQuery(q);
		expect(parsed.where[0].value).toEqual([name, 'Plain']);
		expect(matches({ DisplayName: name }, parsed.where)).toBe(true);
		expect(matches({ DisplayName: "O'Brien  Sons" }, parsed.where)).toBe(false);
	});

	test('refuses MAXRESULTS above 1000 and bad field names', () => {
		expect(() => select('Bill', { maxResults: 1001 })).toThrow(/MAXRESULTS/);
		expect(() => inClause("DocNumber'--", ['x'])).toThrow(/Invalid QuickBooks field/);
	});

	test('chunks IN lists by count and length', () => {
		const values = Array.from({ length: 250 }, (_, i) => `INV-${i}`);
		const chunks = chunkForIn(values, 100);
		expect(chunks.map((c) => c.length)).toEqual([100, 100, 50]);
		expect(chunkForIn(['a'.repeat(2000), 'b'.repeat(2000)], 100, 3000)).toHaveLength(2);
	});
});
