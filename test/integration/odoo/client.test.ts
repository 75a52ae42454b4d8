/**
 * The Odoo client against the emulator over real HTTP, for each protocol.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startOdooEmulator, type OdooEmulator } from '../../emulators/odoo';
import {
	OdooAccessDeniedError,
	OdooMissingError,
	OdooServerError,
	OdooUserError,
	OdooFloat,
	clearOdooClientCaches,
	createOdooClient,
	iterateSearchRead,
	type OdooClientConfig,
} from '../../../nodes/shared/odoo';

function configFor(
	emulator: OdooEmulator,
	protocol: OdooClientConfig['protocol'],
	apiKey = emulator.apiKey,
): OdooClientConfig {
	return { url: emulator.url, db: emulator.db, login: emulator.login, apiKey, protocol };
}

describe.each([
	[17, 'xmlrpc'],
	[17, 'jsonrpc'],
	[19, 'json2'],
	[19, 'xmlrpc'],
] as const)('Odoo %i over %s', (version, protocol) => {
	let emulator: OdooEmulator;
	beforeAll(async () => {
		emulator = await startOdooEmulator({ version });
	});
	afterAll(() => emulator.stop());
	beforeEach(() => clearOdooClientCaches());

	it('reports the server version and authenticates once per credential', async () => {
		const client = createOdooClient(configFor(emulator, protocol));
		expect(await client.serverVersion()).toBe(version);
		const uid = await client.uid();
		expect(uid).toBe(2);
		const before = client.roundTrips;
		expect(await client.uid()).toBe(2);
		// A second client on the same credential reuses the cached uid too.
		const other = createOdooClient(configFor(emulator, protocol));
		await other.uid();
		expect(client.roundTrips).toBe(before);
		expect(other.roundTrips).toBe(0);
	});

	it('searches, reads, creates and writes records', async () => {
		const client = createOdooClient(configFor(emulator, protocol));
		const vendors = await client.searchRead(
			'res.partner',
			[['supplier_rank', '>', 0], '|', ['vat', '!=', false], ['ref', '=', 'WOOD-01']],
			{ fields: ['name', 'vat', 'ref'], order: 'name asc' },
		);
		expect(vendors.map((v) => v.name)).toEqual([
			'Azure Interior',
			'Deco Addict',
			'Gemini Furniture',
			'Wood Corner',
		]);
		expect(vendors[3].vat).toBe(false); // False-for-empty, as Odoo sends it
		const [id] = await client.create('res.partner', [
			{ name: 'Émile & <Sons>', vat: undefined, ref: 'E&S' },
		]);
		const [read] = await client.read('res.partner', [id], ['name', 'vat', 'ref', 'company_id']);
		expect(read).toMatchObject({ id, name: 'Émile & <Sons>', vat: false, ref: 'E&S' });
		expect(read.company_id).toEqual([1, 'My Company (San Francisco)']);
		expect(await client.write('res.partner', [id], { phone: '+1 555' })).toBe(true);
		expect((await client.read('res.partner', [id], ['phone']))[0].phone).toBe('+1 555');
		expect(await client.read('res.partner', [999999], ['name'])).toEqual([]);
		const paymentTerms = await client.search('account.account', [['code', '=like', '6%']], {
			order: 'code desc',
			limit: 2,
		});
		expect(paymentTerms).toHaveLength(2);
	});

	it('sends decimal strings to float fields without passing through JS arithmetic', async () => {
		const client = createOdooClient(configFor(emulator, protocol));
		const [partner] = await client.search('res.partner', [['name', '=', 'Deco Addict']]);
		const [moveId] = await client.create('account.move', [
			{
				move_type: 'in_invoice',
				partner_id: partner,
				invoice_date: '2026-11-20',
				ref: 'F-1',
				invoice_line_ids: [
					[0, 0, { name: 'x', quantity: new OdooFloat('3'), price_unit: new OdooFloat('33.335') }],
				],
			},
		]);
		const [move] = await client.read('account.move', [moveId], ['amount_total', 'state']);
		expect(move).toMatchObject({ amount_total: 100.01, state: 'draft' });
	});

	it("turns faults into typed errors with Odoo's message", async () => {
		const client = createOdooClient(configFor(emulator, protocol));
		const missing = await client.write('res.partner', [999999], { name: 'x' }).catch((e) => e);
		expect(missing).toBeInstanceOf(OdooMissingError);
		expect(missing.message).toContain('Record does not exist or has been deleted');
		const noModel = await client.searchRead('x.no.such.model', []).catch((e) => e);
		expect(noModel).toBeInstanceOf(OdooUserError);
		expect(noModel.message).toContain("Object x.no.such.model doesn't exist");
		const noMethod: any = await client.call('res.partner', 'no_such_method', [[1]]).catch((e) => e);
		expect(noMethod).toBeInstanceOf(OdooServerError);
		expect(noMethod.message).toContain(
			"The method 'no_such_method' does not exist on the model 'res.partner'",
		);
		const bogus = await client.create('account.move', [{ move_type: 'bogus' }]).catch((e) => e);
		expect(bogus).toBeInstanceOf(OdooServerError);
		expect(bogus.message).toContain("Wrong value for account.move.move_type: 'bogus'");
	});

	it('pages through search_read', async () => {
		const client = createOdooClient(configFor(emulator, protocol));
		const pages: number[][] = [];
		for await (const page of iterateSearchRead(client, 'account.account', [], {
			fields: ['code'],
			pageSize: 5,
			order: 'code asc',
		}))
			pages.push(page.map((r) => r.id));
		const total = await client.call<number>('account.account', 'search_count', [[]]);
		expect(pages.flat()).toHaveLength(total);
		expect(pages[0]).toHaveLength(5);
		expect(new Set(pages.flat()).size).toBe(total);
	});
});

describe('protocol auto', () => {
	afterEach(() => clearOdooClientCaches());

	it.each([
		[17, 'xmlrpc'],
		[19, 'json2'],
	] as const)('picks the right protocol for Odoo %i', async (version, expected) => {
		const emulator = await startOdooEmulator({ version });
		try {
			const client = createOdooClient({
				url: emulator.url,
				db: emulator.db,
				login: emulator.login,
				apiKey: emulator.apiKey,
				protocol: 'auto',
			});
			expect(await client.protocol()).toBe(expected);
			await client.searchRead('res.partner', [], { limit: 1 });
			expect(emulator.calls().at(-1)?.protocol).toBe(expected);
		} finally {
			await emulator.stop();
		}
	});

	it('reports an unreachable server as a transport error', async () => {
		const client = createOdooClient({
			url: 'http://127.0.0.1:9',
			db: 'x',
			login: 'x',
			apiKey: 'secret-key-xyz',
			protocol: 'auto',
			timeoutMs: 2000,
		});
		const error: any = await client.version().catch((e) => e);
		expect(error.kind).toBe('transport');
		expect(error.message).toContain('Cannot reach Odoo');
	});
});

describe('XML-RPC specifics of Odoo 17', () => {
	let emulator: OdooEmulator;
	beforeAll(async () => {
		emulator = await startOdooEmulator({ version: 17 });
	});
	afterAll(() => emulator.stop());

	it('authenticate with a wrong key answers False, which the client reports as access denied', async () => {
		clearOdooClientCaches();
		const client = createOdooClient({
			url: emulator.url,
			db: emulator.db,
			login: emulator.login,
			apiKey: 'nope-nope-nope',
			protocol: 'xmlrpc',
		});
		await expect(client.uid()).rejects.toThrow(OdooAccessDeniedError);
	});

	it('an unknown database is reported as a database that was not found', async () => {
		const client = createOdooClient({
			url: emulator.url,
			db: 'nosuchdb',
			login: emulator.login,
			apiKey: emulator.apiKey,
			protocol: 'xmlrpc',
		});
		await expect(client.uid()).rejects.toThrow(
			'Odoo database "nosuchdb" was not found: check the Database field of the credential',
		);
	});

	it('a method returning None faults over XML-RPC after its work is done', async () => {
		const client = createOdooClient({
			url: emulator.url,
			db: emulator.db,
			login: emulator.login,
			apiKey: emulator.apiKey,
			protocol: 'xmlrpc',
		});
		const [moveId] = await client.create('account.move', [
			{
				move_type: 'in_invoice',
				partner_id: 5,
				invoice_date: '2026-11-20',
				invoice_line_ids: [[0, 0, { name: 'x', price_unit: 10 }]],
			},
		]);
		expect(await client.call('account.move', 'action_post', [[moveId]])).toBe(false);
		const error: any = await client
			.call('account.move', 'button_draft', [[moveId]])
			.catch((e) => e);
		expect(error).toBeInstanceOf(OdooServerError);
		expect(error.message).toContain('cannot marshal None');
		expect((await client.read('account.move', [moveId], ['state']))[0].state).toBe('draft');
	});
});

describe('what the client says about answers that are not Odoo RPC', () => {
	afterEach(() => clearOdooClientCaches());

	it('names an unknown JSON-2 database, a server without JSON-2, a refused content type and a timeout', async () => {
		const emulator19 = await startOdooEmulator({ version: 19 });
		const emulator17 = await startOdooEmulator({ version: 17 });
		// A server that answers 415 as Werkzeug does, and one that never answers in time.
		const html415 = createServer((_req, res) => {
			res.writeHead(415, { 'Content-Type': 'text/html; charset=utf-8' });
			res.end('<!doctype html>\n<title>415 Unsupported Media Type</title>\n');
		});
		const silent = createServer(() => undefined);
		await Promise.all(
			[html415, silent].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))),
		);
		const urlOf = (s: typeof silent) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
		const json2 = (url: string, db: string, apiKey: string, timeoutMs?: number) =>
			createOdooClient(
				{ url, db, login: 'admin', apiKey, protocol: 'json2', timeoutMs },
				{ noSharedCache: true },
			);
		try {
			const noDb: any = await json2(emulator19.url, 'nosuchdb', emulator19.apiKey)
				.searchRead('res.partner', [], { limit: 1 })
				.catch((e) => e);
			expect(noDb.message).toBe(
				'Odoo database "nosuchdb" was not found (HTTP 404 from JSON-2): check the Database field of the credential',
			);
			const old: any = await json2(emulator17.url, emulator17.db, emulator17.apiKey)
				.searchRead('res.partner', [], { limit: 1 })
				.catch((e) => e);
			expect(old.message).toMatch(/no JSON-2 endpoint .*JSON-2 needs Odoo 19 or newer/);
			const media: any = await json2(urlOf(html415), 'db', 'key-1234')
				.searchRead('res.partner', [], { limit: 1 })
				.catch((e) => e);
			expect(media.message).toMatch(/content type .*HTTP 415/);
			const slow: any = await json2(urlOf(silent), 'db', 'key-1234', 300)
				.searchRead('res.partner', [], { limit: 1 })
				.catch((e) => e);
			expect(slow.kind).toBe('transport');
			expect(slow.message).toMatch(
				/^Odoo did not answer within 0\.3 s \(it may still be working\)/,
			);
		} finally {
			silent.closeAllConnections();
			await Promise.all([html415, silent].map((s) => new Promise((r) => s.close(r))));
			await emulator17.stop();
			await emulator19.stop();
		}
	});

	it('asks Odoo 19 its version over GET /web/version, and falls back to XML-RPC on 17', async () => {
		for (const version of [17, 19] as const) {
			const emulator = await startOdooEmulator({ version });
			try {
				const client = createOdooClient(configFor(emulator, 'auto'), { noSharedCache: true });
				expect(await client.serverVersion()).toBe(version);
				// 19: one GET /web/version. 17: that GET answers 404, then XML-RPC common.version.
				expect(emulator.roundTrips()).toBe(version === 19 ? 1 : 2);
				if (version === 19)
					expect(emulator.calls().map((c) => `${c.protocol} ${c.method}`)).toEqual([
						'http web/version',
					]);
			} finally {
				await emulator.stop();
			}
		}
	});
});
