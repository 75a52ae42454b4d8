/**
 * The Odoo access rights the integration user needs (README "Odoo access rights"), checked on the
 * real servers: a user with exactly the documented groups runs the whole product (bills with an
 * analytic distribution, posting, payments, PO links, every master-data feed), and the same user
 * without "Access Rights" is stopped at the external ids. The emulator has no access rules, so this
 * runs on the real servers only, over the protocols that take a password (a new user has no API key).
 */
import {
	many2oneId,
	registerPayments,
	upsertBills,
	type BillOutcome,
	type OdooClient,
} from '../../../nodes/shared/odoo';
import { readMasterData, type MasterDataResource } from '../../../nodes/shared/odoo/masterData';
import { describeScenarios, scenario } from './harness';

/** Groups of the documented integration user, by external id. */
const INTEGRATION_USER_GROUPS = [
	'base.group_user', // internal user
	'account.group_account_invoice', // Invoicing / Billing: create, post and pay vendor bills
	'analytic.group_analytic_accounting', // Analytic Accounting: analytic accounts and distributions
	'purchase.group_purchase_user', // Purchase / User: read purchase orders and their lines
	'base.group_erp_manager', // Administration / Access Rights: read and write ir.model.data (external ids)
];

function ok(outcome: BillOutcome | { ok: boolean; reason?: string }): any {
	if (!outcome.ok) throw new Error(`expected success, got: ${(outcome as any).reason}`);
	return (outcome as any).erp;
}

describeScenarios('access rights of the integration user', (peer) => {
	async function groupIds(groups: string[]): Promise<number[]> {
		const { admin } = peer();
		const rows = await admin.searchRead(
			'ir.model.data',
			[
				['model', '=', 'res.groups'],
				['name', 'in', groups.map((g) => g.split('.')[1])],
			],
			{ fields: ['module', 'name', 'res_id'] },
		);
		return groups.map((g) => {
			const [module, name] = g.split('.');
			const row = rows.find((r) => r.module === module && r.name === name);
			if (!row) throw new Error(`group ${g} not found`);
			return row.res_id as number;
		});
	}

	async function userWith(
		groups: string[],
		key: string,
	): Promise<{ login: string; password: string }> {
		const { admin, data } = peer();
		const major = await admin.serverVersion();
		const ids = await groupIds(groups);
		const login = data.name(key).toLowerCase();
		const password = `${data.name('pw')}-${key}`;
		await admin.create('res.users', [
			{
				name: data.name(key),
				login,
				password,
				// Odoo 17 refuses to post the payment's chatter message for a user without an email address.
				email: `${login}@example.com`,
				company_id: data.companyId,
				company_ids: [[6, 0, [data.companyId]]],
				[major >= 19 ? 'group_ids' : 'groups_id']: [[6, 0, ids]],
			},
		]);
		return { login, password };
	}

	scenario(
		'a user with the documented groups runs bills, payments, PO links and every feed',
		async () => {
			const { client, admin, data } = peer();
			const user = await userWith(INTEGRATION_USER_GROUPS, 'integration');
			const asUser: OdooClient = client({ login: user.login, apiKey: user.password });

			// Master data the admin prepares: an analytic account (after switching analytic accounting
			// on, as Settings does) and a confirmed purchase order.
			const major = await admin.serverVersion();
			await admin.write('res.users', [await admin.uid()], {
				[major >= 19 ? 'group_ids' : 'groups_id']: [
					[4, (await groupIds(['analytic.group_analytic_accounting']))[0]],
				],
			});
			const [plan] = await admin.create('account.analytic.plan', [{ name: data.name('plan') }]);
			const [analytic] = await admin.create('account.analytic.account', [
				{
					name: data.name('analytic'),
					plan_id: plan,
					...(major >= 19 ? {} : { company_id: data.companyId }),
				},
			]);
			const po = await data.purchaseOrder('ACL-PO', [{ name: 'Chairs', qty: '4', price: '10.25' }]);

			for (const resource of [
				'vendors',
				'purchaseOrders',
				'glAccounts',
				'analyticAccounts',
			] as MasterDataResource[]) {
				const reader = readMasterData(asUser, { resource, mode: 'full', pageSize: 50 });
				let count = 0;
				for await (const _record of reader) count++;
				expect([resource, count > 0]).toEqual([resource, true]);
			}

			const invoice = await data.invoice('ACL', { poNumber: po.name });
			invoice.lines[0].poLine = '1';
			invoice.mapping = {
				target: 'odoo',
				lines: invoice.lines.map((l) => ({
					lineNumber: l.lineNumber,
					odoo: { accountCode: l.glAccount, analyticDistribution: { [String(analytic)]: '100' } },
					rule: { id: 'acl', reason: 'access rights scenario' },
				})),
			};
			const [bill] = await upsertBills(asUser, [invoice], { autoPost: true });
			expect(ok(bill)).toMatchObject({ action: 'created' });
			expect(ok(bill).reason).toBeUndefined();
			const move = await data.move(ok(bill).id);
			expect(move.state).toBe('posted');
			const lines = await data.lines(move.id);
			expect(many2oneId(lines[0].purchase_line_id)).toBe(po.lineIds[0]);

			const [payment] = await registerPayments(asUser, [data.payment(invoice, invoice.total)]);
			expect(ok(payment).action).toBe('created');
			expect((await data.move(move.id)).amount_residual).toBe(0);
		},
		{ only: ['fixture'], protocols: ['xmlrpc', 'jsonrpc'] },
	);

	scenario(
		'without "Access Rights" the user cannot read or write the external ids, and no bill is written',
		async () => {
			const { client, data } = peer();
			const groups = INTEGRATION_USER_GROUPS.filter((g) => g !== 'base.group_erp_manager');
			const user = await userWith(groups, 'noacl');
			const invoice = await data.invoice('NOACL');
			const outcome = await upsertBills(client({ login: user.login, apiKey: user.password }), [
				invoice,
			]).then(
				([o]) => (o.ok ? 'written' : o.reason),
				(error) => String(error.message),
			);
			expect(outcome).toMatch(/ir\.model\.data|Model Data|Access Rights/);
			expect(await data.billsByRef([invoice.invoiceNumber])).toEqual([]);
		},
		{ only: ['fixture'], protocols: ['xmlrpc', 'jsonrpc'] },
	);
});
