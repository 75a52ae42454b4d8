/**
 * The editor's pickers: each node's `methods.listSearch` as n8n calls it (a load-options context
 * with the node's credential), through the package's real clients, against the Odoo (17 and 19)
 * and QuickBooks emulators over HTTP.
 */
import {
	sleep,
	type ILoadOptionsFunctions,
	type INodeListSearchResult,
	type INodeType,
} from 'n8n-workflow';

import { GlMapper } from '../../../../nodes/GlMapper/GlMapper.node';
import { OdooAccountMove } from '../../../../nodes/OdooAccountMove/OdooAccountMove.node';
import { QuickBooksBill } from '../../../../nodes/QuickBooksBill/QuickBooksBill.node';
import {
	clearOdooClientCaches,
	createOdooClient,
	pickOdooAccounts,
	pickOdooAnalyticAccounts,
} from '../../../../nodes/shared/odoo';
import { pickQuickBooks, createQboClient } from '../../../../nodes/shared/quickbooks';
import { startOdooEmulator, type OdooEmulator } from '../../../emulators/odoo';
import { startQuickBooksEmulator, type QuickBooksEmulator } from '../../../emulators/quickbooks';
import { odooCredential, quickBooksCredential } from '../../../kit/credentials';
import { fakeHttpRequest, loadOptionsContext } from '../../../kit/n8nContext';
import { seed } from '../../quickbooks/fixtures';

type Search = (
	this: ILoadOptionsFunctions,
	filter?: string,
	token?: string,
) => Promise<INodeListSearchResult>;

function method(node: INodeType, name: string): Search {
	const found = (node.methods?.listSearch as Record<string, Search> | undefined)?.[name];
	if (!found) throw new Error(`${node.description.name} has no list search ${name}`);
	return found;
}

/** Every list-search method the node descriptions name, per node: each must exist on that node. */
function namedMethods(node: INodeType): string[] {
	const names = new Set<string>();
	const walk = (value: unknown) => {
		if (Array.isArray(value)) value.forEach(walk);
		else if (value && typeof value === 'object') {
			const record = value as Record<string, unknown>;
			if (typeof record.searchListMethod === 'string') names.add(record.searchListMethod);
			Object.values(record).forEach(walk);
		}
	};
	walk(node.description.properties);
	return [...names].sort();
}

describe('every picker a node description names is a list search of that node', () => {
	it.each([
		[
			'GL Mapper',
			new GlMapper(),
			[
				'odooAccounts',
				'odooAnalyticAccounts',
				'odooTaxes',
				'quickBooksAccounts',
				'quickBooksClasses',
				'quickBooksDepartments',
			],
		],
		['Odoo Account Move', new OdooAccountMove(), ['odooPaymentJournals', 'odooPurchaseJournals']],
		['QuickBooks Bill', new QuickBooksBill(), ['quickBooksAccounts']],
	])('%s', (_name, node, expected) => {
		expect(namedMethods(node)).toEqual(expected);
		// …and the node offers no list search that none of its parameters uses.
		expect(Object.keys(node.methods?.listSearch ?? {}).sort()).toEqual(expected);
		for (const name of expected) expect(typeof method(node, name)).toBe('function');
	});
});

describe.each([17, 19] as const)('Odoo %i pickers', (version) => {
	let emulator: OdooEmulator;
	beforeAll(async () => {
		emulator = await startOdooEmulator({ version });
	});
	afterAll(() => emulator.stop());
	beforeEach(() => clearOdooClientCaches());

	/** The product's client on the emulator, without n8n, for paging by hand. */
	const directClient = (extra: { companyId?: number } = {}) =>
		createOdooClient(
			{
				url: emulator.url,
				db: emulator.db,
				login: emulator.login,
				apiKey: emulator.apiKey,
				protocol: 'xmlrpc',
				...extra,
			},
			{ noSharedCache: true },
		);

	const ctx = (credential = true) =>
		loadOptionsContext({
			type: 'n8n-nodes-stampli.odooAccountMove',
			credentials: credential
				? { stampliOdooApi: odooCredential(emulator, { protocol: 'xmlrpc' }) }
				: {},
		});

	it('lists usable GL accounts by code with a link to each, and filters by code or name', async () => {
		const search = method(new GlMapper(), 'odooAccounts');
		const all = await search.call(ctx());
		const names = all.results.map((r) => r.name);
		expect(names).toContain('600000 Expenses');
		expect(names).toEqual([...names].sort());
		// The retired account cannot be booked to, so it is not offered.
		expect(names.some((n) => n.startsWith('629000'))).toBe(false);
		expect(all.paginationToken).toBeUndefined();
		const rent = all.results.find((r) => r.name === '611000 Rent')!;
		expect(rent.value).toMatch(/^[1-9]\d*$/);
		expect(rent.url).toBe(
			`${emulator.url}/web#id=${rent.value}&model=account.account&view_type=form`,
		);

		expect((await search.call(ctx(), '6110')).results.map((r) => r.name)).toEqual(['611000 Rent']);
		expect((await search.call(ctx(), 'office')).results.map((r) => r.name)).toEqual([
			'620000 Office Supplies',
		]);
		expect((await search.call(ctx(), 'no such account')).results).toEqual([]);
	});

	it('pages through accounts without gaps or repeats', async () => {
		const client = directClient();
		const everything = (await pickOdooAccounts(client, {})).results.map((r) => r.value);
		const paged: string[] = [];
		let token: string | undefined;
		let pages = 0;
		do {
			const page = await pickOdooAccounts(client, { pageSize: 5, paginationToken: token });
			expect(page.results.length).toBeLessThanOrEqual(5);
			paged.push(...page.results.map((r) => r.value));
			token = page.paginationToken;
			pages++;
		} while (token && pages < 20);
		expect(paged).toEqual(everything);
		expect(pages).toBe(Math.ceil(everything.length / 5));
	});

	it('lists purchase taxes only', async () => {
		const { results } = await method(new GlMapper(), 'odooTaxes').call(ctx());
		expect(results.map((r) => r.name)).toEqual(['15%']);
		expect(results[0].value).toMatch(/^[1-9]\d*$/);
	});

	it("lists active analytic accounts of the credential's company or of none, '[code] name · plan · company', filtered by code or name", async () => {
		const { store } = emulator;
		const [plan] = store.all('account.analytic.plan').map((p) => p.id as number);
		const [other] = store.create('res.company', [{ name: 'Other Company' }]);
		store.create('account.analytic.account', [
			{ name: 'Shared Research', plan_id: plan, company_id: false },
			{ name: 'Their Project', code: 'THEIRS', plan_id: plan, company_id: other },
			{ name: 'Old Campaign', code: 'OLD', plan_id: plan, active: false },
		]);
		const search = method(new GlMapper(), 'odooAnalyticAccounts');
		const pinned = () =>
			loadOptionsContext({
				type: 'n8n-nodes-stampli.glMapper',
				credentials: {
					stampliOdooApi: odooCredential(emulator, { protocol: 'xmlrpc', companyId: 1 }),
				},
			});
		const all = await search.call(pinned());
		expect(all.results.map((r) => r.name)).toEqual([
			'[MKT] Marketing · Projects · My Company (San Francisco)',
			'[OPS] Operations · Projects · My Company (San Francisco)',
			'[ALPHA] Project Alpha · Projects · My Company (San Francisco)',
			'Shared Research · Projects',
		]);
		const operations = all.results[1];
		expect(operations.value).toBe(
			String(store.all('account.analytic.account').find((a) => a.code === 'OPS')!.id),
		);
		expect(operations.url).toBe(
			`${emulator.url}/web#id=${operations.value}&model=account.analytic.account&view_type=form`,
		);
		// Without a company in the credential, every company's active accounts.
		expect((await search.call(ctx())).results.map((r) => r.name)).toContain(
			'[THEIRS] Their Project · Projects · Other Company',
		);
		expect((await search.call(pinned(), 'alp')).results.map((r) => r.name)).toEqual([
			'[ALPHA] Project Alpha · Projects · My Company (San Francisco)',
		]);
		expect((await search.call(pinned(), 'ops')).results.map((r) => r.value)).toEqual([
			operations.value,
		]);
		expect((await search.call(pinned(), 'old')).results).toEqual([]);

		// Pages of 2 give the same accounts in the same order, then stop.
		const client = directClient({ companyId: 1 });
		const first = await pickOdooAnalyticAccounts(client, { pageSize: 2 });
		const second = await pickOdooAnalyticAccounts(client, {
			pageSize: 2,
			paginationToken: first.paginationToken,
		});
		expect(first.paginationToken).toBe('2');
		expect(second.paginationToken).toBeUndefined();
		expect([...first.results, ...second.results]).toEqual(all.results);
	});

	it('lists purchase journals for bills and bank or cash journals for payments', async () => {
		const node = new OdooAccountMove();
		const bills = await method(node, 'odooPurchaseJournals').call(ctx());
		expect(bills.results.map((r) => r.name)).toEqual(['Vendor Bills (BILL)']);
		const payments = await method(node, 'odooPaymentJournals').call(ctx());
		expect(payments.results.map((r) => r.name)).toEqual(['Bank (BNK1)', 'Cash (CSH1)']);
		expect((await method(node, 'odooPaymentJournals').call(ctx(), 'csh')).results).toHaveLength(1);
	});

	it('says which credential to choose when the node has none, and names a wrong API key', async () => {
		const search = method(new GlMapper(), 'odooAccounts');
		await expect(search.call(ctx(false))).rejects.toThrow(
			'Select a credential for Odoo in this node to list its records, or enter the ID with "By ID"',
		);
		const wrong = loadOptionsContext({
			type: 'n8n-nodes-stampli.glMapper',
			credentials: {
				stampliOdooApi: odooCredential(
					{ ...emulator, apiKey: 'wrong-key' },
					{ protocol: 'xmlrpc' },
				),
			},
		});
		const error = await search.call(wrong).then(
			() => undefined,
			(e: Error) => e,
		);
		expect(error?.message).toMatch(/^Cannot list Odoo records: /);
		expect(JSON.stringify(error)).not.toContain('wrong-key');
	});
});

describe('QuickBooks pickers', () => {
	let emulator: QuickBooksEmulator;
	beforeAll(async () => {
		emulator = await startQuickBooksEmulator({
			seed: {
				...seed,
				accounts: [
					...(seed.accounts ?? []),
					{ Id: '63', Name: 'Old Supplies', AcctNum: '6101', Active: false } as never,
				],
			},
		});
	});
	afterAll(() => emulator.stop());

	const ctx = () => {
		return loadOptionsContext({
			type: 'n8n-nodes-stampli.quickBooksBill',
			credentials: { stampliQuickBooksOAuth2Api: quickBooksCredential(emulator) },
		});
	};

	it('lists active accounts with their number, and finds them by part of the name', async () => {
		const search = method(new QuickBooksBill(), 'quickBooksAccounts');
		const all = await search.call(ctx());
		expect(all.results.map((r) => [r.value, r.name])).toEqual([
			['60', '6100 Office Supplies (Expense)'],
			['61', '6200 Professional Fees (Expense)'],
			['62', '6900 Sales Tax Paid (Expense)'],
		]);
		expect((await search.call(ctx(), 'tax')).results.map((r) => r.value)).toEqual(['62']);
		expect((await search.call(ctx(), "O'Brien")).results).toEqual([]);
	});

	it('lists classes and departments for the rule form', async () => {
		const node = new GlMapper();
		expect(
			(await method(node, 'quickBooksClasses').call(ctx())).results.map((r) => r.name),
		).toEqual(['Consulting', 'Operations']);
		expect(
			(await method(node, 'quickBooksDepartments').call(ctx(), 'lon')).results.map((r) => r.value),
		).toEqual(['81']);
	});

	it('pages with STARTPOSITION', async () => {
		const tokens = emulator.issueTokens();
		const client = createQboClient({
			transport: async (req) => {
				const response = (await fakeHttpRequest({
					method: req.method,
					url: req.url,
					qs: req.qs,
					headers: { ...req.headers, Authorization: `Bearer ${tokens.access_token}` },
					json: true,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
				})) as { statusCode: number; headers: Record<string, unknown>; body: unknown };
				return { status: response.statusCode, headers: response.headers, body: response.body };
			},
			environment: 'custom',
			baseUrl: emulator.url,
			realmId: emulator.realmId,
			sleep,
		});
		const first = await pickQuickBooks(client, 'Account', { pageSize: 2 });
		expect(first.results.map((r) => r.value)).toEqual(['60', '61']);
		expect(first.paginationToken).toBe('2');
		const second = await pickQuickBooks(client, 'Account', {
			pageSize: 2,
			paginationToken: first.paginationToken,
		});
		expect(second.results.map((r) => r.value)).toEqual(['62']);
		expect(second.paginationToken).toBeUndefined();
	});
});
