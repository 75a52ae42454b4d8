/** Seed data of a fresh Odoo database with the generic chart (per reference/odoo17-observed.md). */
import type { OdooStore } from './store';

export function seedStore(store: OdooStore): void {
	const v19 = store.version >= 19;
	const usd = store.create('res.currency', [{ name: 'USD', symbol: '$' }])[0];
	// A fresh database has EUR (and its base.EUR external id) but inactive.
	const eur = store.create('res.currency', [{ name: 'EUR', symbol: '€', active: false }])[0];
	store.create('res.company', [{ name: 'My Company (San Francisco)', currency_id: usd }]);
	const xmlId = (module: string, name: string, model: string, resId: number) =>
		store.create('ir.model.data', [{ module, name, model, res_id: resId, noupdate: true }]);
	xmlId('base', 'USD', 'res.currency', usd);
	xmlId('base', 'EUR', 'res.currency', eur);
	xmlId('base', 'main_company', 'res.company', 1);

	const [, adminPartner] = store.create('res.partner', [
		{ name: 'My Company (San Francisco)', is_company: true },
		{ name: 'Mitchell Admin', email: 'admin@example.com' },
	]);
	store.create('res.users', [
		{ name: 'OdooBot', login: '__system__', company_id: 1 },
		{ name: 'Mitchell Admin', login: 'admin', company_id: 1, partner_id: adminPartner },
	]);

	const vendors = store.create('res.partner', [
		{
			name: 'Azure Interior',
			vat: 'US123456789',
			is_company: true,
			supplier_rank: 1,
			city: 'Fremont',
			email: 'azure.Interior24@example.com',
		},
		{
			name: 'Deco Addict',
			vat: 'BE0477472701',
			is_company: true,
			supplier_rank: 1,
			city: 'Pleasant Hill',
		},
		{
			name: 'Gemini Furniture',
			vat: 'US987654321',
			is_company: true,
			supplier_rank: 1,
			city: 'Fairfield',
		},
		{ name: 'Wood Corner', ref: 'WOOD-01', is_company: true, supplier_rank: 1, city: 'Turlock' },
	]);

	const accounts: Array<[string, string, string]> = [
		['101401', 'Bank', 'asset_cash'],
		['121000', 'Account Receivable', 'asset_receivable'],
		['131000', 'Tax Paid', 'asset_current'],
		['211000', 'Account Payable', 'liability_payable'],
		['251000', 'Tax Received', 'liability_current'],
		['400000', 'Product Sales', 'income'],
		['500000', 'Cost of Goods Sold', 'expense_direct_cost'],
		['600000', 'Expenses', 'expense'],
		['611000', 'Rent', 'expense'],
		['612000', 'Travel & Accommodation', 'expense'],
		['620000', 'Office Supplies', 'expense'],
		['630000', 'Software & Subscriptions', 'expense'],
	];
	const accountIds = new Map<string, number>();
	for (const [code, name, account_type] of accounts) {
		accountIds.set(
			code,
			store.create('account.account', [
				{
					code,
					name,
					account_type,
					reconcile: account_type.endsWith('receivable') || account_type.endsWith('payable'),
				},
			])[0],
		);
	}
	// A retired account, to exercise a per-record refusal inside a batched create.
	accountIds.set(
		'629000',
		store.create('account.account', [
			{
				code: '629000',
				name: 'Old Expenses',
				account_type: 'expense',
				...(v19 ? { active: false } : { deprecated: true }),
			},
		])[0],
	);

	store.create('account.journal', [
		{
			name: 'Customer Invoices',
			code: 'INV',
			type: 'sale',
			default_account_id: accountIds.get('400000'),
		},
		{
			name: 'Vendor Bills',
			code: 'BILL',
			type: 'purchase',
			default_account_id: accountIds.get('600000'),
		},
		{ name: 'Miscellaneous Operations', code: 'MISC', type: 'general' },
		{ name: 'Exchange Difference', code: 'EXCH', type: 'general' },
		{ name: 'Cash Basis Taxes', code: 'CABA', type: 'general' },
		{ name: 'Bank', code: 'BNK1', type: 'bank', default_account_id: accountIds.get('101401') },
		{ name: 'Cash', code: 'CSH1', type: 'cash' },
	]);
	store.create('account.tax', [
		{ name: '15%', amount: 15, amount_type: 'percent', type_tax_use: 'sale' },
		{ name: '15%', amount: 15, amount_type: 'percent', type_tax_use: 'purchase' },
	]);
	const [projects] = store.create('account.analytic.plan', [{ name: 'Projects' }]);
	store.create('account.analytic.account', [
		{ name: 'Operations', code: 'OPS', plan_id: projects },
		{ name: 'Marketing', code: 'MKT', plan_id: projects },
		{ name: 'Project Alpha', code: 'ALPHA', plan_id: projects },
	]);
	store.create('purchase.order', [
		{
			name: 'P00001',
			partner_id: vendors[0],
			date_order: '2026-11-01 09:00:00',
			currency_id: usd,
			state: 'purchase',
			amount_total: 1150,
			order_line: [
				[
					0,
					0,
					{
						name: 'Office chairs',
						product_qty: 4,
						qty_received: 4,
						price_unit: 150,
						price_subtotal: 600,
					},
				],
				[
					0,
					0,
					{ name: 'Desks', product_qty: 2, qty_received: 2, price_unit: 275, price_subtotal: 550 },
				],
			],
		},
	]);
	const [note, comment] = store.create('mail.message.subtype', [
		{ name: 'Note', internal: true },
		{ name: 'Discussions', internal: false },
	]);
	xmlId('mail', 'mt_note', 'mail.message.subtype', note);
	xmlId('mail', 'mt_comment', 'mail.message.subtype', comment);
}
