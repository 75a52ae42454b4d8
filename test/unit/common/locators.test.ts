/**
 * Ids chosen with a picker (resource locator) and ids saved before the pickers (a bare string or
 * number) reach the ERP code the same way.
 */
import { locatorRecordId, locatorValue } from '../../../nodes/common/locators';
import { rowsFromUi, uiDefaultTarget } from '../../../nodes/GlMapper/uiRules';
import { billOptions } from '../../../nodes/OdooAccountMove/actions/upsertVendorBills/execute';

const picked = (value: string, mode = 'list') => ({
	__rl: true,
	mode,
	value,
	cachedResultName: 'whatever the list showed',
});

describe('locatorValue / locatorRecordId', () => {
	it.each([
		[picked('17'), '17', 17],
		[picked(' 17 ', 'id'), '17', 17],
		['17', '17', 17],
		[17, '17', 17],
		[0, '0', undefined],
		['', '', undefined],
		[picked(''), '', undefined],
		[undefined, '', undefined],
		[null, '', undefined],
		[Number.NaN, '', undefined],
		['abc', 'abc', undefined],
		[picked('4.5', 'id'), '4.5', undefined],
	])('%p → %p / %p', (raw, value, id) => {
		expect(locatorValue(raw)).toBe(value);
		expect(locatorRecordId(raw)).toBe(id);
	});
});

describe('Odoo journal option', () => {
	it('takes the picked journal, the bare id of older workflows, and 0 or empty as "Odoo\'s default"', () => {
		expect(billOptions({ journalId: picked('9') }).journalId).toBe(9);
		expect(billOptions({ journalId: 9 }).journalId).toBe(9);
		expect(billOptions({ journalId: 0 }).journalId).toBeUndefined();
		expect(billOptions({ journalId: picked('') }).journalId).toBeUndefined();
		expect(billOptions({}).journalId).toBeUndefined();
	});
});

describe('GL Mapper rule form', () => {
	const rule = (target: Record<string, unknown>) => ({ match: 'exact', code: '6100', ...target });

	it('reads picked ids and bare ids into the same rule rows', () => {
		const pickedRows = rowsFromUi({
			rule: [
				rule({ odooAccount: picked('41'), taxes: picked('3;7', 'id'), analytic: picked('12') }),
				rule({ odooAccount: picked('41'), analytic: picked('12:60;13:40', 'id') }),
				rule({ qboAccount: picked('60'), qboClass: picked('70'), qboDepartment: picked('') }),
			],
		});
		const bareRows = rowsFromUi({
			rule: [
				rule({ odooAccount: '41', taxes: '3;7', analytic: '12' }),
				rule({ odooAccount: '41', analytic: '12:60;13:40' }),
				rule({ qboAccount: '60', qboClass: '70', qboDepartment: '' }),
			],
		});
		expect(pickedRows).toEqual(bareRows);
		expect(pickedRows[0]).toMatchObject({ odooAccount: '41', taxes: '3;7', analytic: '12' });
		expect(pickedRows[1]).toMatchObject({ analytic: '12:60;13:40' });
		expect(pickedRows[2]).not.toHaveProperty('qboDepartment');
	});

	it('books a picked analytic account at 100 %, and a distribution saved before the picker as it was', () => {
		const analytic = (value: unknown) =>
			uiDefaultTarget({ odooAccount: '41', analytic: value }, 'odoo').odoo?.analyticDistribution;
		expect(analytic(picked('12'))).toEqual({ '12': '100' });
		expect(analytic(picked('12', 'id'))).toEqual({ '12': '100' });
		expect(analytic(picked('12:60;13:40', 'id'))).toEqual({ '12': '60', '13': '40' });
		expect(analytic('12:60;13:40')).toEqual({ '12': '60', '13': '40' });
		expect(analytic(picked(''))).toBeUndefined();
	});

	it('reads a picked default target like a typed one', () => {
		expect(uiDefaultTarget({ odooAccount: picked('41'), taxes: picked('3') }, 'odoo')).toEqual(
			uiDefaultTarget({ odooAccount: '41', taxes: '3' }, 'odoo'),
		);
		expect(uiDefaultTarget({ qboAccount: picked('60') }, 'quickbooks')).toEqual({
			quickbooks: { accountRef: { value: '60' } },
		});
	});
});
