import { OdooAccountDirectory } from '../../../nodes/shared/odoo';

// The directory's own logic (domain, version fields, usable flag) against a recorded client; the real
// client is exercised against the Odoo emulator by the Odoo area's integration tests.
function recordingClient(major: number, records: Array<Record<string, unknown>>) {
	const calls: unknown[][] = [];
	return {
		calls,
		config: {
			url: 'http://127.0.0.1',
			db: 'd',
			login: 'l',
			protocol: 'auto' as const,
			companyId: 1,
		},
		serverVersion: async () => major,
		searchRead: async (...args: unknown[]) => {
			calls.push(args);
			return records as never;
		},
	};
}

describe('OdooAccountDirectory', () => {
	it('Odoo 17: one search_read with code in [...], deprecated accounts are inactive', async () => {
		const client = recordingClient(17, [
			{
				id: 5,
				code: '611000',
				name: 'Travel',
				account_type: 'expense',
				company_id: [1, 'Co'],
				deprecated: false,
			},
			{
				id: 6,
				code: '630000',
				name: 'Old IT',
				account_type: 'expense',
				company_id: [1, 'Co'],
				deprecated: true,
			},
		]);
		const found = await new OdooAccountDirectory(client as never).resolveCodes([
			'611000',
			'630000',
			'999',
		]);
		expect([...found]).toEqual([
			['611000', { id: '5', name: 'Travel', active: true }],
			['630000', { id: '6', name: 'Old IT', active: false }],
		]);
		expect(client.calls).toEqual([
			[
				'account.account',
				[
					['code', 'in', ['611000', '630000', '999']],
					['company_id', '=', 1],
				],
				{
					fields: ['id', 'code', 'name', 'account_type', 'company_id', 'deprecated'],
					context: { active_test: false },
				},
			],
		]);
	});

	it('Odoo 19: uses active and company_ids', async () => {
		const client = recordingClient(19, [
			{ id: 7, code: '1', name: 'A', account_type: 'expense', company_ids: [1], active: false },
		]);
		const found = await new OdooAccountDirectory(client as never).resolveCodes(['1']);
		expect(found.get('1')).toEqual({ id: '7', name: 'A', active: false });
		expect(client.calls[0][1]).toEqual([
			['code', 'in', ['1']],
			['company_ids', 'in', [1]],
		]);
	});
});
