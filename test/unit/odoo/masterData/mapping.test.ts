import {
	accountFieldChoice,
	mapGlAccount,
	mapPurchaseOrder,
	normaliseAccountType,
	odooNumber,
} from '../../../../nodes/shared/odoo/masterData';

describe('GL account fields across Odoo versions', () => {
	it('maps ≤15 user types to the 16+ account_type vocabulary', () => {
		expect(normaliseAccountType([5, 'Expenses'])).toBe('expense');
		expect(normaliseAccountType([2, 'Payable'])).toBe('liability_payable');
		expect(normaliseAccountType([9, 'Bank and Cash'])).toBe('asset_cash');
		expect(normaliseAccountType([99, 'Custom Thing'])).toBe('custom_thing');
		expect(normaliseAccountType('expense_direct_cost')).toBe('expense_direct_cost');
	});

	it('picks fields by what the server has: company_ids/active (18+/19) or company_id/deprecated', () => {
		const v19 = accountFieldChoice(
			new Set(['code', 'name', 'account_type', 'company_ids', 'active']),
		);
		expect(
			mapGlAccount(
				{
					id: 7,
					code: '600000',
					name: 'Expenses',
					account_type: 'expense',
					company_ids: [1, 2],
					active: false,
				},
				v19,
			),
		).toEqual({
			accountId: '7',
			code: '600000',
			name: 'Expenses',
			type: 'expense',
			active: false,
			companyIds: ['1', '2'],
		});
		const v15 = accountFieldChoice(
			new Set(['code', 'name', 'user_type_id', 'company_id', 'deprecated']),
		);
		expect(v15.fields).toEqual([
			'id',
			'code',
			'name',
			'user_type_id',
			'write_date',
			'company_id',
			'deprecated',
		]);
		expect(
			mapGlAccount(
				{
					id: 8,
					code: '211000',
					name: 'AP',
					user_type_id: [2, 'Payable'],
					company_id: [1, 'My Co'],
					deprecated: true,
				},
				v15,
			),
		).toEqual({
			accountId: '8',
			code: '211000',
			name: 'AP',
			type: 'liability_payable',
			active: false,
			companyIds: ['1'],
		});
	});
});

describe('purchase order mapping', () => {
	it('orders lines by sequence, drops section/note lines, reads product codes and keeps money exact', () => {
		const po = mapPurchaseOrder(
			{
				id: 3,
				name: 'P00003',
				partner_id: [9, 'Acme'],
				date_order: '2026-11-19 23:30:00',
				currency_id: [1, 'EUR'],
				amount_total: 0.30000000000000004,
				state: 'purchase',
			},
			[
				{
					id: 11,
					sequence: 20,
					name: 'Second',
					product_qty: 1,
					price_unit: 0.2,
					price_subtotal: 0.2,
					product_id: [5, '[SKU-5] Widget'],
				},
				{ id: 10, sequence: 10, name: 'Section', display_type: 'line_section' },
				{
					id: 12,
					sequence: 5,
					name: 'First',
					product_qty: 2,
					price_unit: 0.05,
					price_subtotal: 0.1,
					product_id: [6, 'No code'],
				},
			],
			'Asia/Tokyo',
		);
		expect(po).toMatchObject({
			poNumber: 'P00003',
			vendorId: '9',
			vendorName: 'Acme',
			currency: 'EUR',
			total: '0.3',
			orderDate: '2026-11-20',
		});
		expect(po.lines.map((l) => [l.lineNumber, l.description, l.amount, l.productCode])).toEqual([
			[1, 'First', '0.1', undefined],
			[2, 'Second', '0.2', 'SKU-5'],
		]);
		expect(odooNumber(1e-7)).toBe('0.0000001');
		expect(odooNumber(false)).toBeUndefined();
	});
});
