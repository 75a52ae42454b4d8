import {
	FileNamePatternError,
	manifestContent,
	neutraliseCell,
	neutraliseFormula,
	renderFileName,
	escapeXmlText,
	escapeXmlAttribute,
} from '../../../../nodes/shared/stampli/feedEncoding';

describe('neutraliseFormula', () => {
	it.each([
		['=HYPERLINK("x")', `'=HYPERLINK("x")`],
		['+A1', `'+A1`],
		['-A1', `'-A1`],
		['@SUM(1)', `'@SUM(1)`],
		['\t=1', `'\t=1`],
		['\r=1', `'\r=1`],
		['-2+3', `'-2+3`],
		['--12', `'--12`],
		['-1e5', `'-1e5`],
		[' =x', `' =x`],
		['\u00A0\u3000+x', `'\u00A0\u3000+x`],
		['\n@SUM(1)', `'\n@SUM(1)`],
		['\uFF1D1+1', `'\uFF1D1+1`],
		['\uFF0BA1', `'\uFF0BA1`],
		['\uFF0DA1', `'\uFF0DA1`],
		['\uFF20SUM(1)', `'\uFF20SUM(1)`],
	])('prefixes %j', (input, expected) => expect(neutraliseFormula(input)).toBe(expected));

	it.each(['-12.50', '+3', '-0,5', '12', 'Acme', 'a=b', '\tcmd', '\rx', ' 12', ''])(
		'leaves %j alone',
		(input) => expect(neutraliseFormula(input)).toBe(input),
	);
});

describe('neutraliseCell by kind', () => {
	it.each([
		['phone', '+1 555 0100', '+1 555 0100'],
		['phone', '+44 (20) 7946-0958 ext. 12', '+44 (20) 7946-0958 ext. 12'],
		['phone', '+1 555 0100 =HYPERLINK("x")', `'+1 555 0100 =HYPERLINK("x")`],
		['email', '-ap@acme.example', '-ap@acme.example'],
		['email', '@SUM(1)', `'@SUM(1)`],
		['id', '-1042', '-1042'],
		['id', '+A-7/1', '+A-7/1'],
		['id', "=cmd|' /C calc'!A0", `'=cmd|' /C calc'!A0`],
		['id', '@SUM(A1)', `'@SUM(A1)`],
		['text', '+1 555 0100', `'+1 555 0100`],
		['none', '=1+1', '=1+1'],
	] as const)('%s: %j → %j', (kind, input, expected) =>
		expect(neutraliseCell(input, kind)).toBe(expected),
	);
});

describe('renderFileName', () => {
	const now = new Date('2026-11-20T23:30:05.123Z');

	it('fills feed, date, time and timestamp placeholders', () => {
		expect(
			renderFileName('{feed}_{date:YYYYMMDD}_{time:HHmmss}.csv', { feed: 'vendors', now }),
		).toBe('vendors_20261120_233005.csv');
		expect(renderFileName('{feed}-{date}-{time}-{timestamp}.xml', { feed: 'gl', now })).toBe(
			`gl-20261120-233005-${now.getTime()}.xml`,
		);
		expect(renderFileName('{feed}.{ext}', { feed: 'po', ext: 'xml', now })).toBe('po.xml');
		expect(
			renderFileName('{feed}_{date:YYYY-MM-DD}.csv', {
				feed: 'po',
				now,
				timeZone: 'Europe/Berlin',
			}),
		).toBe('po_2026-11-21.csv');
	});

	it.each([
		['../{feed}.csv', /path separator/],
		['{feed}/x.csv', /path separator/],
		['.{feed}.csv', /starts with "\."/],
		['{feed}_{unknown}.csv', /unknown placeholder \{unknown\}/],
		['', /empty/],
	])('refuses %j', (pattern, message) => {
		expect(() => renderFileName(pattern, { feed: 'vendors', now })).toThrow(FileNamePatternError);
		expect(() => renderFileName(pattern, { feed: 'vendors', now })).toThrow(message);
	});

	it('refuses an unknown time zone with a clear message', () => {
		expect(() =>
			renderFileName('{date}.csv', { feed: 'v', now, timeZone: 'Mars/Olympus' }),
		).toThrow(/unknown time zone "Mars\/Olympus"/);
	});
});

describe('xml escaping and manifest', () => {
	it('escapes text and attributes', () => {
		expect(escapeXmlText('a&b<c>d"e\r')).toBe('a&amp;b&lt;c&gt;d"e&#13;');
		expect(escapeXmlAttribute('a"b\'c\nd')).toBe('a&quot;b&apos;c&#10;d');
		expect(escapeXmlText('ok \uD83D\uDE00 lone \uD800 end')).toBe(
			'ok \uD83D\uDE00 lone \uFFFD end',
		);
	});

	it('writes sha256sum format', () => {
		const hash = 'a'.repeat(64);
		expect(manifestContent('vendors.csv', hash).toString()).toBe(`${hash}  vendors.csv\n`);
		expect(() => manifestContent('vendors.csv', 'nothex')).toThrow(/not a hex SHA-256/);
	});
});
