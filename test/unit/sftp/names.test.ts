import {
	assertSafeName,
	globToRegExp,
	safeRemoteJoin,
	UnsafeRemoteNameError,
} from '../../../nodes/shared/sftp';

describe('safe remote names', () => {
	it.each([
		'../x',
		'../../etc/passwd',
		'a/b',
		'..',
		'.',
		'a\\b',
		'x\u0000y',
		'line\nbreak.csv',
		'bell\u0007',
		'c1\u0085',
		'',
	])('refuses %j', (name) => {
		expect(() => safeRemoteJoin('/archive', name)).toThrow(UnsafeRemoteNameError);
	});

	it('joins plain names, including dots and spaces inside', () => {
		expect(safeRemoteJoin('/out/archive', 'invoices 2026..11.csv')).toBe(
			'/out/archive/invoices 2026..11.csv',
		);
		expect(assertSafeName('.hidden')).toBe('.hidden');
	});
});

describe('globToRegExp', () => {
	it('matches names case-insensitively with *, ?, classes and alternatives', () => {
		const re = globToRegExp('invoices_*.{csv,xml}');
		expect(re.test('INVOICES_2026.CSV')).toBe(true);
		expect(re.test('invoices_1.xml')).toBe(true);
		expect(re.test('payments_1.csv')).toBe(false);
		expect(globToRegExp('a?[0-9].txt').test('ab7.txt')).toBe(true);
		expect(globToRegExp('a.csv').test('abcsv')).toBe(false);
		expect(globToRegExp('').test('anything')).toBe(true);
	});

	it('refuses unbalanced patterns', () => {
		expect(() => globToRegExp('a[bc')).toThrow(/unbalanced/);
	});
});
