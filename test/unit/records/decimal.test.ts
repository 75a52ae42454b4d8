import * as d from '../../../nodes/shared/records/decimal';

describe('decimal money', () => {
	it('parses plain, comma, grouped and accounting-negative amounts without floats', () => {
		expect(d.parseDecimal('1234.50')).toBe('1234.5');
		expect(d.parseDecimal('1.234,50', { decimalSeparator: ',', groupSeparator: '.' })).toBe(
			'1234.5',
		);
		expect(d.parseDecimal('1,234.50', { groupSeparator: ',' })).toBe('1234.5');
		expect(d.parseDecimal('(12.00)')).toBe('-12');
		expect(d.parseDecimal(' -0.00 ')).toBe('0');
	});

	it('rejects exponents, words, empty input and the wrong separator', () => {
		for (const bad of ['', '1e3', 'NaN', 'Infinity', '12a', '1.2.3']) {
			expect(() => d.parseDecimal(bad)).toThrow(d.DecimalParseError);
		}
		expect(() => d.parseDecimal('12,50')).toThrow(/","/);
	});

	it('adds exactly where floats do not', () => {
		expect(0.1 + 0.2).not.toBe(0.3);
		expect(d.add('0.1', '0.2')).toBe('0.3');
		expect(d.round(d.multiply('3', '33.335'), 2)).toBe('100.01');
		expect(d.round('1.005', 2)).toBe('1.01');
		expect(d.subtract('100', '100.00')).toBe('0');
	});

	it('compares with a tolerance and converts to minor units', () => {
		expect(d.withinTolerance('100.00', '100.01')).toBe(false);
		expect(d.withinTolerance('100.00', '100.01', '0.01')).toBe(true);
		expect(d.toMinorUnits('1234.56')).toBe(123456n);
		expect(() => d.toMinorUnits('1.005')).toThrow(/more than 2 decimals/);
		expect(d.fromMinorUnits(-5n)).toBe('-0.05');
	});

	it('converts to a wire number only when a protocol demands it', () => {
		expect(d.toWireNumber('150.25')).toBe(150.25);
		expect(() => d.toWireNumber('1e20')).toThrow();
	});
});
