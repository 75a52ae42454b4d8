/**
 * The editor's pickers (GL accounts, purchase taxes, journals, analytic accounts) on every Odoo
 * target: the domains they send are accepted by the server, offer only records a bill can use, and
 * page without gaps, in Odoo 17's and 19's field names alike.
 */
import {
	many2oneId,
	pickOdooAccounts,
	pickOdooAnalyticAccounts,
	pickOdooJournals,
	pickOdooTaxes,
} from '../../../nodes/shared/odoo';
import { describeScenarios, scenario } from './harness';

describeScenarios('editor pickers', (peer) => {
	scenario('accounts, purchase taxes and journals of the company, searched as typed', async () => {
		const { client, admin, data } = peer();
		const scoped = client({ companyId: data.companyId });
		const [expense] = data.accounts;
		const accounts = await pickOdooAccounts(scoped, { filter: expense.code });
		expect(accounts.results.map((r) => r.value)).toContain(String(expense.id));

		const taxes = (await pickOdooTaxes(scoped, {})).results;
		expect(taxes.length).toBeGreaterThan(0);
		const taxRows = await admin.read(
			'account.tax',
			taxes.map((t) => Number(t.value)),
			['type_tax_use', 'company_id'],
		);
		for (const row of taxRows) {
			expect(row.type_tax_use).toBe('purchase');
			expect(many2oneId(row.company_id)).toBe(data.companyId);
		}

		for (const [use, types] of [
			['purchase', ['purchase']],
			['payment', ['bank', 'cash']],
		] as const) {
			const journals = (await pickOdooJournals(scoped, use, {})).results;
			expect(journals.length).toBeGreaterThan(0);
			const rows = await admin.read(
				'account.journal',
				journals.map((j) => Number(j.value)),
				['type'],
			);
			expect(
				rows.map((r) => r.type).filter((t) => !(types as readonly string[]).includes(t)),
			).toEqual([]);
		}
	});

	scenario(
		"analytic accounts: active ones of the company or shared, '[code] name · plan · company', paged",
		async () => {
			const { client, admin, data, target } = peer();
			const major = await admin.serverVersion();
			// Analytic accounting switched on for the admin, as Settings does (the emulator has no groups).
			if (target.kind !== 'emulator') {
				const [group] = await admin.searchRead(
					'ir.model.data',
					[
						['module', '=', 'analytic'],
						['name', '=', 'group_analytic_accounting'],
					],
					{ fields: ['res_id'] },
				);
				await admin.write('res.users', [await admin.uid()], {
					[major >= 19 ? 'group_ids' : 'groups_id']: [[4, group.res_id as number]],
				});
			}
			const [company] = await admin.read('res.company', [data.companyId], ['name']);
			const [plan] = await admin.create('account.analytic.plan', [{ name: data.name('plan') }]);
			const [otherCompany] = await admin.create('res.company', [{ name: data.name('OTHER co') }]);
			const [coded, shared, archived, elsewhere] = await admin.create('account.analytic.account', [
				{
					name: data.name('Ops'),
					code: `${data.tag}-OPS`,
					plan_id: plan,
					company_id: data.companyId,
				},
				{ name: data.name('Shared'), plan_id: plan, company_id: false },
				{ name: data.name('Old'), plan_id: plan, company_id: data.companyId },
				{ name: data.name('Theirs'), plan_id: plan, company_id: otherCompany },
			]);
			await admin.write('account.analytic.account', [archived], { active: false });

			const scoped = client({ companyId: data.companyId });
			const found = await pickOdooAnalyticAccounts(scoped, { filter: data.tag });
			expect(found.results.map((r) => [r.value, r.name])).toEqual([
				[
					String(coded),
					`[${data.tag}-OPS] ${data.name('Ops')} · ${data.name('plan')} · ${String(company.name)}`,
				],
				[String(shared), `${data.name('Shared')} · ${data.name('plan')}`],
			]);
			// Without a company in the credential, the other company's account is offered too.
			const everywhere = await pickOdooAnalyticAccounts(client(), { filter: data.tag });
			expect(everywhere.results.map((r) => r.value)).toContain(String(elsewhere));
			// Searched by code as well as by name.
			expect(
				(await pickOdooAnalyticAccounts(scoped, { filter: `${data.tag}-ops` })).results.map(
					(r) => r.value,
				),
			).toEqual([String(coded)]);
			// One per page: the same two, then no further token.
			const first = await pickOdooAnalyticAccounts(scoped, { filter: data.tag, pageSize: 1 });
			const second = await pickOdooAnalyticAccounts(scoped, {
				filter: data.tag,
				pageSize: 1,
				paginationToken: first.paginationToken,
			});
			expect(first.paginationToken).toBe('1');
			expect([...first.results, ...second.results]).toEqual(found.results);
			expect(second.paginationToken).toBeUndefined();
		},
	);
});
