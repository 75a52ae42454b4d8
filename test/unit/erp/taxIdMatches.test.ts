import { taxIdMatches } from '../../../nodes/shared/erp';

const vats = (taxId: string, stored: string[]) => taxIdMatches(taxId, stored, (v) => v);

describe('taxIdMatches (the vendor resolver’s VAT rule)', () => {
	it('compares normalised VATs, whatever separators Odoo stored', () => {
		expect(vats('US987654321', ['US 98-7654321', 'XX1'])).toEqual(['US 98-7654321']);
		expect(vats('12-3456789', ['123456789'])).toEqual(['123456789']);
	});

	it('an exact match wins over matches with a country prefix on one side only', () => {
		expect(vats('12-3456789', ['US123456789', '12-3456789', 'DE123456789'])).toEqual([
			'12-3456789',
		]);
	});

	it('a VAT without prefix matches prefixed ones only when nothing matches exactly; several stay several (ambiguous)', () => {
		expect(vats('987654321', ['US 98-7654321'])).toEqual(['US 98-7654321']);
		expect(vats('123456789', ['US123456789', 'DE123456789'])).toEqual([
			'US123456789',
			'DE123456789',
		]);
	});

	it('different country prefixes never match', () => {
		expect(vats('DE123456789', ['US123456789', 'FR123456789'])).toEqual([]);
	});
});
