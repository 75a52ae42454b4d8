import { json2Body } from '../../../nodes/shared/odoo/transport';

describe('JSON-2 named arguments', () => {
	it('names positional arguments of model and record methods', () => {
		expect(
			json2Body('res.partner', 'search_read', [[['a', '=', 1]]], { fields: ['name'], limit: 5 }),
		).toEqual({ domain: [['a', '=', 1]], fields: ['name'], limit: 5 });
		expect(json2Body('account.move', 'create', [[{ ref: 'x' }]], {})).toEqual({
			vals_list: [{ ref: 'x' }],
		});
		expect(
			json2Body('account.move', 'write', [[1, 2], { ref: 'x' }], { context: { lang: 'en_US' } }),
		).toEqual({ ids: [1, 2], vals: { ref: 'x' }, context: { lang: 'en_US' } });
		expect(json2Body('account.move', 'action_post', [[1]], {})).toEqual({ ids: [1] });
		// Odoo 19 (the only JSON-2 server) names default_get's parameter `fields`, not `fields_list`.
		expect(json2Body('account.move', 'default_get', [['move_type']], {})).toEqual({
			fields: ['move_type'],
		});
		expect(() => json2Body('account.move', 'custom', [[1], 'positional'], {})).toThrow(
			/named arguments/,
		);
	});
});
