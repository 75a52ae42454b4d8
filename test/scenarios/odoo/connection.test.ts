/**
 * Connecting to Odoo, on every target: the credential test, wrong keys and databases, a company the
 * user may not use, how the version is asked, and JSON-2's own rules.
 */
import {
	OdooAccessDeniedError,
	createIsolated,
	runIsolated,
	testOdooConnection,
	upsertBills,
	type OdooClientConfig,
} from '../../../nodes/shared/odoo';
import { describeScenarios, scenario } from './harness';

describeScenarios('connection', (peer) => {
	const config = (overrides: Partial<OdooClientConfig> = {}): OdooClientConfig => {
		const { connection, target } = peer();
		return {
			url: connection.url,
			db: connection.db,
			login: connection.login,
			apiKey: connection.apiKey,
			protocol: target.protocol,
			...overrides,
		};
	};

	scenario('the credential test connects and names the version, protocol and user', async () => {
		const { target } = peer();
		const result = await testOdooConnection(config());
		expect(result).toMatchObject({ ok: true });
		expect(result.message).toContain(`Odoo ${target.major}`);
		expect(result.message).toContain(`over ${target.protocol}`);
	});

	scenario(
		'a wrong API key is refused with a clear error that never contains the key',
		async () => {
			const { client } = peer();
			const wrongKey = 'wrong-key-0123456789abcdef0123456789';
			const error = await client({ apiKey: wrongKey })
				.searchRead('res.partner', [], { limit: 1 })
				.catch((e) => e);
			expect(error).toBeInstanceOf(OdooAccessDeniedError);
			for (const text of [
				error.message,
				error.stack ?? '',
				JSON.stringify(error),
				String(error.debug ?? ''),
			])
				expect(text).not.toContain(wrongKey);
			const result = await testOdooConnection(config({ apiKey: wrongKey }));
			expect(result.ok).toBe(false);
			expect(result.message).not.toContain(wrongKey);
		},
	);

	scenario('a wrong database name is reported as a database that was not found', async () => {
		const { client } = peer();
		const db = 'stampli_no_such_database';
		const error = await client({ db })
			.searchRead('res.partner', [], { limit: 1 })
			.catch((e) => e);
		expect(error.message).toMatch(
			/database "stampli_no_such_database" (was not found|does not exist)/i,
		);
		expect(error.message).not.toMatch(/Odoo 19 or newer|Traceback|psycopg2/);
		const result = await testOdooConnection(config({ db }));
		expect(result.ok).toBe(false);
		expect(result.message).toMatch(/database "stampli_no_such_database"/);
	});

	scenario('the credential test refuses a company the user may not use', async () => {
		const result = await testOdooConnection(config({ companyId: 987654 }));
		expect(result.ok).toBe(false);
		expect(result.message).toMatch(/company 987654/i);
		expect(await testOdooConnection(config({ companyId: peer().data.companyId }))).toMatchObject({
			ok: true,
		});
	});

	scenario(
		'bills for a company the user may not use fail with a clear error, and nothing is written',
		async () => {
			const { client, data } = peer();
			const invoice = await data.invoice('CO');
			const outcome = await upsertBills(client({ companyId: 987654 }), [invoice]).then(
				([o]) => (o.ok ? 'written' : o.reason),
				(error) => String(error.message),
			);
			expect(outcome).toMatch(/compan/i);
			expect(await data.billsByRef([invoice.invoiceNumber])).toEqual([]);
		},
	);

	scenario('asks the version without XML-RPC when the protocol is JSON-2 or JSON-RPC', async () => {
		const { client, target } = peer();
		const seen: string[] = [];
		const original = globalThis.fetch.bind(globalThis);
		// Watches the requests the client sends; each one still goes to the server.
		const spy = jest.spyOn(globalThis, 'fetch').mockImplementation((input: any, init?: any) => {
			seen.push(new URL(String(input instanceof Request ? input.url : input)).pathname);
			return original(input, init);
		});
		try {
			const version = await client().version();
			expect(version.major).toBe(target.major);
		} finally {
			spy.mockRestore();
		}
		if (target.protocol !== 'xmlrpc')
			expect(seen.filter((p) => p.startsWith('/xmlrpc'))).toEqual([]);
		// Odoo 19 answers GET /web/version: nothing else is asked.
		if (target.major >= 19) expect(seen).toEqual(['/web/version']);
	});

	scenario('default_get answers the defaults of a vendor bill', async () => {
		const { client } = peer();
		const defaults = await client().call<Record<string, unknown>>(
			'account.move',
			'default_get',
			[['move_type', 'state']],
			{
				context: { default_move_type: 'in_invoice' },
			},
		);
		expect(defaults).toMatchObject({ move_type: 'in_invoice', state: 'draft' });
	});
});

describeScenarios('JSON-2 requests', (peer) => {
	scenario(
		'a call Odoo cannot bind is a programming error: one request, not a batch split in halves',
		async () => {
			const client = peer().client();
			await client.uid();
			const before = client.roundTrips;
			const results = await runIsolated(
				Array.from({ length: 8 }, (_, k) => ({ name: `${peer().data.name('BIND')}-${k}` })),
				(batch) =>
					client.call<number[]>('res.partner', 'create', [], {
						vals_list: batch,
						no_such_argument: 1,
					}),
			);
			expect(client.roundTrips - before).toBe(1);
			const error = results[0].ok ? undefined : results[0].error;
			expect(error?.kind).not.toBe('user');
			expect(error?.message).toMatch(/no_such_argument/);
			// The ordinary path is unaffected.
			const created = await createIsolated(client, 'res.partner', [
				{ name: peer().data.name('BIND-OK') },
			]);
			expect(created[0].ok).toBe(true);
		},
		{ protocols: ['json2'] },
	);
});
