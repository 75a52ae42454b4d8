import { accountFields, normaliseAccount } from '../../../nodes/shared/odoo/accountFields';

describe('version-aware account fields', () => {
	it('uses the vocabulary of each version', () => {
		expect(accountFields(15).fields).toEqual([
			'id',
			'code',
			'name',
			'user_type_id',
			'company_id',
			'deprecated',
		]);
		expect(accountFields(17).fields).toEqual([
			'id',
			'code',
			'name',
			'account_type',
			'company_id',
			'deprecated',
		]);
		expect(accountFields(18).fields).toContain('company_ids');
		expect(accountFields(19).fields).toEqual([
			'id',
			'code',
			'name',
			'account_type',
			'company_ids',
			'active',
		]);
		expect(
			normaliseAccount(17, {
				id: 1,
				code: '600000',
				name: 'Expenses',
				account_type: 'expense',
				company_id: [1, 'Co'],
				deprecated: false,
			}),
		).toEqual({
			id: 1,
			code: '600000',
			name: 'Expenses',
			type: 'expense',
			usable: true,
			companyIds: [1],
		});
		expect(
			normaliseAccount(19, {
				id: 1,
				code: '600000',
				name: 'Expenses',
				account_type: 'expense',
				company_ids: [1, 3],
				active: false,
			}),
		).toMatchObject({ usable: false, companyIds: [1, 3] });
		expect(
			normaliseAccount(15, {
				id: 1,
				code: '6',
				name: 'E',
				user_type_id: [4, 'Expenses'],
				company_id: [1, 'Co'],
				deprecated: true,
			}),
		).toMatchObject({ type: 'Expenses', usable: false });
	});
});
