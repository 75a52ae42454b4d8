import { sameTaxId } from '../../../nodes/shared/quickbooks';

describe('vendor tax ids', () => {
	test('tax ids compare through the QuickBooks mask', () => {
		expect(sameTaxId('12-3456789', 'XXXXX6789')).toBe(true);
		expect(sameTaxId('12-3456780', 'XXXXX6789')).toBe(false);
	});
});
