/**
 * Vendor bill upsert and payment registration against the emulator, over XML-RPC (Odoo 17) and
 * JSON-2 (Odoo 19), through the module the node calls.
 */
import { startOdooEmulator, type OdooEmulator } from '../../emulators/odoo';
import {
	clearOdooClientCaches,
	createOdooClient,
	registerPayments,
	upsertBills,
	type OdooClient,
	type BillOutcome,
} from '../../../nodes/shared/odoo';
import { makeInvoice, makePayment, mappingFor } from './fixtures';

function ok(outcome: BillOutcome | { ok: boolean }): any {
	if (!outcome.ok) throw new Error(`expected success, got: ${(outcome as any).reason}`);
	return (outcome as any).erp;
}

describe.each([
	[17, 'xmlrpc'],
	[19, 'json2'],
] as const)('Odoo %i over %s', (version, protocol) => {
	let emulator: OdooEmulator;
	let client: OdooClient;
	beforeEach(async () => {
		clearOdooClientCaches();
		emulator = await startOdooEmulator({ version });
		client = createOdooClient({
			url: emulator.url,
			db: emulator.db,
			login: emulator.login,
			apiKey: emulator.apiKey,
			protocol,
		});
	});
	afterEach(() => emulator.stop());

	const account = (code: string) =>
		emulator.store.all('account.account').find((a) => a.code === code)!;
	const move = (id: number) => emulator.store.get('account.move', id)!;
	const linesOf = (id: number) =>
		move(id).invoice_line_ids.map((l: number) => emulator.store.get('account.move.line', l)!);

	it('creates bills and credits with the right partner, lines and accounts, in a constant number of round trips', async () => {
		const invoices = [
			makeInvoice(1),
			makeInvoice(2),
			makeInvoice(3, { documentType: 'credit', invoiceNumber: 'CN-3' }),
		];
		invoices[1].mapping = {
			...mappingFor(invoices[1], account('630000').id, {
				analyticDistribution: { '1': '100' },
				taxIds: [2],
			}),
		};
		const outcomes = await upsertBills(client, invoices);
		expect(outcomes.map((o) => ok(o).action)).toEqual(['created', 'created', 'created']);

		const first = move(ok(outcomes[0]).id);
		expect(first).toMatchObject({
			move_type: 'in_invoice',
			ref: 'V-INV/1',
			invoice_date: '2026-11-20',
			invoice_date_due: '2026-12-20',
			state: 'draft',
		});
		expect(emulator.store.get('res.partner', first.partner_id)!.name).toBe('Deco Addict'); // matched by VAT
		expect(
			linesOf(first.id).map((l: any) => [
				l.name,
				l.quantity,
				l.price_unit,
				emulator.store.get('account.account', l.account_id)!.code,
			]),
		).toEqual([
			['Item 1.1', 1, 10.25, '611000'],
			['Item 1.2', 2, 11.25, '612000'],
		]);
		expect(first.amount_total).toBe(32.75);

		const mapped = linesOf(ok(outcomes[1]).id);
		expect(mapped.every((l: any) => l.account_id === account('630000').id)).toBe(true);
		expect(mapped[0].analytic_distribution).toEqual({ '1': 100 });
		expect(mapped[0].tax_ids).toEqual([2]);
		expect(move(ok(outcomes[1]).id).amount_tax).toBe(4.92); // taxes rounded per line, as Odoo does by default

		const credit = move(ok(outcomes[2]).id);
		expect(credit).toMatchObject({ move_type: 'in_refund', ref: 'CN-3' });
		expect(emulator.store.get('res.partner', credit.partner_id)!.name).toBe('Azure Interior'); // VAT "US 123456789" matched in compact form
		expect(emulator.store.get('res.partner', move(ok(outcomes[1]).id).partner_id)!.name).toBe(
			'Wood Corner',
		); // matched by ref

		// External ids, and the chatter note naming the Stampli id, file, hash and rule.
		expect(ok(outcomes[0]).externalId).toBe(
			'stampli.invoice_STI_1_' + ok(outcomes[0]).externalId.split('_').pop(),
		);
		expect(
			emulator.store.xmlId('stampli', ok(outcomes[0]).externalId.replace('stampli.', ''))!.id,
		).toBe(first.id);
		const note = emulator.store
			.all('mail.message')
			.find((m) => m.res_id === ok(outcomes[1]).id && m.model === 'account.move')!;
		expect(note.body).toContain('STI-2');
		expect(note.body).toContain('/outbound/invoices-2026-11-20.csv');
		expect(note.body).toContain('a'.repeat(64));
		expect(note.body).toContain('rule r-ops: department = Ops');
		expect(emulator.store.get('mail.message.subtype', note.subtype_id)!.name).toBe('Note');
	});

	it('costs a constant number of round trips, whatever the batch size', async () => {
		await client.uid();
		await client.serverVersion();
		const trips = async (from: number, count: number) => {
			const before = client.roundTrips;
			// One chunk whatever the size here: chunking by measured time has its own test.
			const outcomes = await upsertBills(
				client,
				Array.from({ length: count }, (_, k) => makeInvoice(from + k)),
				{ chunking: { initialSize: 100 } },
			);
			expect(outcomes.every((o) => o.ok)).toBe(true);
			return client.roundTrips - before;
		};
		const small = await trips(100, 3);
		const large = await trips(200, 60);
		// The first batch also looks vendors up by VAT/ref and records them under external ids; the second need not.
		// xml ids; company currency (user, company: once per client); currencies ∥ partners ∥ accounts;
		// bills left without a key; create; xml ids; totals read-back; notes
		expect(small).toBe(11);
		expect(large).toBe(8);
	});

	it('re-running the same invoices changes nothing', async () => {
		const invoices = [makeInvoice(1), makeInvoice(2)];
		const first = await upsertBills(client, invoices);
		const countBefore = emulator.store.all('account.move').length;
		const messagesBefore = emulator.store.all('mail.message').length;
		const second = await upsertBills(client, invoices);
		expect(second.map((o) => ok(o).action)).toEqual(['unchanged', 'unchanged']);
		expect(second.map((o) => ok(o).id)).toEqual(first.map((o) => ok(o).id));
		expect(emulator.store.all('account.move')).toHaveLength(countBefore);
		expect(emulator.store.all('mail.message')).toHaveLength(messagesBefore);
		expect(
			emulator
				.calls()
				.filter((c) => c.method === 'write' || c.method === 'create')
				.slice(-0),
		).not.toContainEqual(expect.objectContaining({ model: 'account.move', method: 'write' }));
	});

	it('updates a draft bill whose lines changed, in place', async () => {
		const invoice = makeInvoice(7);
		const [created] = await upsertBills(client, [invoice]);
		const changed = {
			...invoice,
			total: '30.75',
			lines: [{ ...invoice.lines[0], quantity: '3', amount: '30.75' }],
		};
		const [updated] = await upsertBills(client, [changed]);
		expect(ok(updated)).toMatchObject({
			action: 'updated',
			id: ok(created).id,
			amountTotal: '30.75',
		});
		expect(ok(updated).warnings).toBeUndefined();
		expect(linesOf(ok(created).id).map((l: any) => [l.quantity, l.price_unit])).toEqual([
			[3, 10.25],
		]);
		expect(move(ok(created).id).amount_total).toBe(30.75);
	});

	it('leaves a posted bill alone under the default policy, and resets-updates-reposts when asked', async () => {
		const invoice = makeInvoice(8);
		const [created] = await upsertBills(client, [invoice], { autoPost: true });
		const id = ok(created).id;
		expect(move(id)).toMatchObject({
			state: 'posted',
			name: expect.stringMatching(/^BILL\/2026\/11\/\d{4}$/),
		});
		const changed = {
			...invoice,
			total: '99.00',
			lines: [{ ...invoice.lines[0], unitPrice: '99.00', amount: '99.00' }],
		};
		const [skipped] = await upsertBills(client, [changed]);
		expect(ok(skipped)).toMatchObject({ action: 'skipped', reason: 'posted', id });
		expect(move(id).amount_total).toBe(32.75);

		const [reposted] = await upsertBills(client, [changed], {
			postedPolicy: 'resetUpdateRepost',
		});
		expect(ok(reposted)).toMatchObject({
			action: 'updated',
			id,
			reason: 'reset to draft, updated and re-posted',
		});
		expect(move(id)).toMatchObject({ state: 'posted', amount_total: 99 });
	});

	it('a fault on one invoice leaves the others created', async () => {
		const invoices = Array.from({ length: 8 }, (_, k) => makeInvoice(20 + k));
		// A tax that does not exist: only Odoo can refuse it (accounts are checked before writing).
		invoices[5].mapping = mappingFor(invoices[5], account('600000').id, { taxIds: [987654321] });
		// Unknown GL code and a missing vendor are caught before any write.
		invoices[2].lines[0].glAccount = '999999';
		invoices[6].vendor = { stampliVendorId: 'SV-NOBODY', name: 'Nobody Ltd', taxId: 'XX000' };
		const outcomes = await upsertBills(client, invoices);
		expect(outcomes.map((o) => o.ok)).toEqual([true, true, false, true, true, false, false, true]);
		expect((outcomes[5] as any).reason).toMatch(/account_tax|does not exist/);
		expect((outcomes[2] as any).reason).toMatch(
			/invoices-2026-11-20\.csv rows 221,222, invoice STI-22: line 1 GL account "999999" does not exist/,
		);
		expect((outcomes[6] as any).reason).toContain(
			'vendor "Nobody Ltd" (Stampli id SV-NOBODY, tax id XX000) is not in Odoo',
		);
		expect(
			emulator.store.all('account.move').filter((m) => m.ref?.startsWith('V-INV/2')),
		).toHaveLength(5);
		// A re-run after the fix creates only what was missing.
		invoices[5].mapping = undefined;
		const rerun = await upsertBills(client, invoices);
		expect(rerun.map((o) => (o.ok ? o.erp.action : 'failed'))).toEqual([
			'unchanged',
			'unchanged',
			'failed',
			'unchanged',
			'unchanged',
			'created',
			'failed',
			'unchanged',
		]);
	});

	it('registers payments: partial, then full; a second run does not pay twice', async () => {
		const invoice = makeInvoice(30);
		const [bill] = await upsertBills(client, [invoice], { autoPost: true });
		const billId = ok(bill).id;
		const partial = makePayment(invoice, '10.00', 1);
		const rest = makePayment(invoice, '22.75', 2);
		const first = await registerPayments(client, [partial]);
		expect(ok(first[0]).action).toBe('created');
		expect(move(billId)).toMatchObject({ payment_state: 'partial', amount_residual: 22.75 });
		const second = await registerPayments(client, [partial, rest]);
		expect(second.map((o) => ok(o).action)).toEqual(['unchanged', 'created']);
		expect(move(billId)).toMatchObject({ payment_state: 'paid', amount_residual: 0 });
		const third = await registerPayments(client, [partial, rest]);
		expect(third.map((o) => ok(o).action)).toEqual(['unchanged', 'unchanged']);
		const payments = emulator.store.all('account.payment');
		expect(payments).toHaveLength(2);
		expect(payments[1]).toMatchObject({
			amount: 22.75,
			payment_type: 'outbound',
			partner_type: 'supplier',
			partner_id: move(billId).partner_id,
		});
		// A paid bill is reconciled: it refuses changes, and the node reports it as skipped.
		const [after] = await upsertBills(
			client,
			[{ ...invoice, lines: [{ ...invoice.lines[0], unitPrice: '1.00', amount: '1.00' }] }],
			{ postedPolicy: 'resetUpdateRepost' },
		);
		expect(ok(after)).toMatchObject({ action: 'skipped', reason: 'posted and paid' });
	});

	it('reports payments it cannot register, per item', async () => {
		const invoice = makeInvoice(31);
		await upsertBills(client, [invoice]); // draft
		const outcomes = await registerPayments(client, [
			makePayment(invoice, '5.00'),
			makePayment(makeInvoice(99), '5.00'),
			{ ...makePayment(invoice, 'abc', 3) },
		]);
		expect(outcomes.map((o) => o.ok)).toEqual([false, false, false]);
		expect((outcomes[0] as any).reason).toMatch(/is draft; post it before registering payments/);
		expect((outcomes[1] as any).reason).toMatch(/no Odoo bill for Stampli invoice STI-99/);
		expect((outcomes[2] as any).reason).toMatch(
			/payments-2026-11-25\.csv rows 3, payment SP-STI-31-3: amount must be a positive decimal string/,
		);
	});
});
