import {
	mapPurchaseOrder,
	mapVendor,
	normaliseQboAccountType,
	qboNumber,
	readQboCursor,
	shiftInstant,
} from '../../../../nodes/shared/quickbooks/masterData';

describe('QuickBooks master-data helpers', () => {
	it('moves an instant and keeps the company offset QuickBooks wrote it in', () => {
		expect(shiftInstant('2026-11-30T04:12:00.123-07:00', -60_000)).toBe(
			'2026-11-30T04:11:00-07:00',
		);
		expect(shiftInstant('2026-11-30T00:00:30+05:30', -60_000)).toBe('2026-11-29T23:59:30+05:30');
		expect(shiftInstant('2026-11-30T00:00:30Z', -60_000)).toBe('2026-11-29T23:59:30Z');
		expect(() => shiftInstant('yesterday', 0)).toThrow(/Not a date-time/);
	});

	it('takes a saved cursor only when it is one of this resource', () => {
		const saved = {
			version: 1,
			system: 'quickbooks',
			resource: 'vendors',
			changedSince: '2026-11-30T04:11:00-07:00',
			savedAt: 'x',
		};
		expect(readQboCursor(saved, 'vendors')).toEqual(saved);
		expect(readQboCursor(saved, 'classes')).toBeUndefined();
		expect(readQboCursor({ ...saved, system: 'odoo' }, 'vendors')).toBeUndefined();
		expect(readQboCursor({ ...saved, changedSince: 'soon' }, 'vendors')).toBeUndefined();
		expect(readQboCursor('cursor', 'vendors')).toBeUndefined();
	});

	it('turns QuickBooks numbers into decimal strings without binary noise', () => {
		expect(qboNumber(0.1 + 0.2)).toBe('0.3');
		expect(qboNumber(-0)).toBe('0');
		expect(qboNumber(1250.5)).toBe('1250.5');
		expect(qboNumber('12.50')).toBe('12.50');
		expect(qboNumber('1e3')).toBeUndefined();
		expect(qboNumber(Number.NaN)).toBeUndefined();
	});

	it('normalises QuickBooks account types, keeping unknown ones readable', () => {
		expect(normaliseQboAccountType('Cost of Goods Sold')).toBe('expense_direct_cost');
		expect(normaliseQboAccountType('Non-Posting')).toBe('non-posting');
		expect(normaliseQboAccountType(undefined)).toBe('unknown');
	});

	it('maps a vendor without a Stampli link or a readable tax id, and item-based PO lines', () => {
		expect(
			mapVendor({ Id: '5', DisplayName: 'Acme', TaxIdentifier: 'XXXXX1234', Active: false }),
		).toEqual({
			vendorId: '5',
			name: 'Acme',
			active: false,
		});
		const po = mapPurchaseOrder({
			Id: '9',
			VendorRef: { value: '5' },
			TxnDate: '2026-01-02',
			CurrencyRef: { value: 'EUR' },
			TotalAmt: 30,
			Line: [
				{
					DetailType: 'ItemBasedExpenseLineDetail',
					Amount: 30,
					ItemBasedExpenseLineDetail: {
						ItemRef: { value: '1', name: 'Widget' },
						Qty: 3,
						UnitPrice: 10,
					},
				},
				{ DetailType: 'SubTotalLineDetail', Amount: 30 },
			],
		});
		expect(po).toMatchObject({ poNumber: '9', currency: 'EUR', status: 'Open' });
		expect(po.lines).toEqual([
			{
				lineId: '1',
				lineNumber: 1,
				description: '',
				quantity: '3',
				unitPrice: '10',
				amount: '30',
				productCode: 'Widget',
			},
		]);
	});
});
