/**
 * Odoo's computed bill total against Stampli's approved total, over XML-RPC (Odoo 17) and JSON-2
 * (Odoo 19): a taxed invoice whose GL mapping carries no tax warns (default) or fails; a correctly
 * taxed one and a credit pass; the read-back costs one call per batch whatever its size.
 */
import { startOdooEmulator, type OdooEmulator } from '../../emulators/odoo';
import {
	clearOdooClientCaches,
	createOdooClient,
	upsertBills,
	type BillOutcome,
	type OdooClient,
} from '../../../nodes/shared/odoo';
import type { Invoice } from '../../../nodes/shared/records/types';
import { makeInvoice, mappingFor } from './fixtures';

function ok(outcome: BillOutcome): any {
	if (!outcome.ok) throw new Error(`expected success, got: ${outcome.reason}`);
	return outcome.erp;
}

/** One line of 1000.00 and a tax of `tax`, total 1000 + tax, as Stampli exports a taxed invoice. */
function taxedInvoice(n: number, tax: string, overrides: Partial<Invoice> = {}): Invoice {
	const base = makeInvoice(n, {}, 1);
	const total = (1000 + Number(tax)).toFixed(2);
	return {
		...base,
		lines: [
			{
				...base.lines[0],
				quantity: '4',
				unitPrice: '250.00',
				amount: '1000.00',
				glAccount: '600000',
			},
		],
		taxTotal: tax,
		total,
		...overrides,
	};
}

describe.each([
	[17, 'xmlrpc'],
	[19, 'json2'],
] as const)('Odoo %i over %s: bill totals checked against Stampli', (version, protocol) => {
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
	const purchaseTax = () =>
		emulator.store.all('account.tax').find((t) => t.type_tax_use === 'purchase')!.id as number; // 15 %
	const move = (id: number) => emulator.store.get('account.move', id)!;
	const notesOf = (id: number) =>
		emulator.store.all('mail.message').filter((m) => m.model === 'account.move' && m.res_id === id);

	it('warns by default when the bill Odoo computed misses the tax Stampli approved, naming both totals', async () => {
		const invoice = taxedInvoice(1, '100.00'); // mapped without tax: Odoo books 1000.00
		invoice.mapping = mappingFor(invoice, account('600000').id);
		const [outcome] = await upsertBills(client, [invoice]);
		const erp = ok(outcome);
		expect(erp).toMatchObject({ action: 'created', amountTotal: '1000.00', amountTax: '0.00' });
		expect(erp.warnings).toEqual([
			'total mismatch: Odoo 1000.00 vs Stampli 1100.00 USD (tax: Odoo 0.00 vs Stampli 100.00)',
		]);
		expect(erp.reason).toContain('Odoo 1000.00 vs Stampli 1100.00 USD');
		// The bill stays as written, and its chatter note says it too.
		expect(move(erp.id)).toMatchObject({ state: 'draft', amount_total: 1000 });
		expect(notesOf(erp.id)).toHaveLength(1);
		expect(notesOf(erp.id)[0].body).toContain(
			'total mismatch: Odoo 1000.00 vs Stampli 1100.00 USD',
		);

		// A re-run changes nothing in Odoo but says it again, from the read it makes anyway (no extra call).
		emulator.resetCounters();
		const [again] = await upsertBills(client, [invoice]);
		expect(ok(again)).toMatchObject({
			action: 'unchanged',
			id: erp.id,
			amountTotal: '1000.00',
			warnings: erp.warnings,
		});
		// Currencies and accounts are read to check them before any write; both travel at once.
		const calls = emulator.calls().map((c) => `${c.model}.${c.method}`);
		expect([calls[0], ...calls.slice(1, 3).sort(), ...calls.slice(3)]).toEqual([
			'ir.model.data.search_read',
			'account.account.search_read',
			'res.currency.read',
			'account.move.read',
			'account.move.line.read',
		]);
	});

	it('under "fail" the invoice fails naming file, rows, invoice and both totals; the bill stays a draft and is not posted', async () => {
		const invoice = taxedInvoice(2, '100.00');
		invoice.mapping = mappingFor(invoice, account('600000').id);
		const good = taxedInvoice(3, '150.00');
		good.mapping = mappingFor(good, account('600000').id, { taxIds: [purchaseTax()] });
		const [failed, passed] = await upsertBills(client, [invoice, good], {
			totalMismatch: 'fail',
			autoPost: true,
		});
		expect(failed.ok).toBe(false);
		const reason = (failed as { reason: string }).reason;
		expect(reason).toContain('/outbound/invoices-2026-11-20.csv rows 21,22, invoice STI-2');
		expect(reason).toContain('Odoo 1000.00 vs Stampli 1100.00 USD');
		expect(reason).toMatch(/left in draft, not posted/);
		// The good invoice of the same batch is unaffected and posted as asked.
		expect(ok(passed)).toMatchObject({
			action: 'created',
			amountTotal: '1150.00',
			amountTax: '150.00',
		});
		expect(move(ok(passed).id).state).toBe('posted');

		const bills = emulator.store.all('account.move').filter((m) => m.ref === invoice.invoiceNumber);
		expect(bills).toHaveLength(1);
		expect(bills[0]).toMatchObject({ state: 'draft', amount_total: 1000 });
		expect(notesOf(bills[0].id)[0].body).toContain('total mismatch');

		// A re-run does not let it go quiet (the bill is unchanged, still wrong) and makes no second bill.
		const [rerun] = await upsertBills(client, [invoice], {
			totalMismatch: 'fail',
			autoPost: true,
		});
		expect(rerun.ok).toBe(false);
		expect((rerun as { reason: string }).reason).toContain('Odoo 1000.00 vs Stampli 1100.00 USD');
		expect(
			emulator.store.all('account.move').filter((m) => m.ref === invoice.invoiceNumber),
		).toHaveLength(1);
		expect(bills[0].state).toBe('draft');

		// Once the GL rule carries the tax, the same draft is updated and passes.
		invoice.mapping = mappingFor(invoice, account('600000').id, { taxIds: [purchaseTax()] });
		const fixedInvoice = { ...invoice, taxTotal: '150.00', total: '1150.00' };
		const [fixed] = await upsertBills(client, [fixedInvoice], { totalMismatch: 'fail' });
		expect(ok(fixed)).toMatchObject({ action: 'updated', id: bills[0].id, amountTotal: '1150.00' });
		expect(ok(fixed).warnings).toBeUndefined();
	});

	it('a correctly taxed invoice passes without a warning', async () => {
		const invoice = taxedInvoice(4, '150.00');
		invoice.mapping = mappingFor(invoice, account('600000').id, { taxIds: [purchaseTax()] });
		const [outcome] = await upsertBills(client, [invoice], { totalMismatch: 'fail' });
		const erp = ok(outcome);
		expect(erp).toMatchObject({ action: 'created', amountTotal: '1150.00', amountTax: '150.00' });
		expect(erp.reason).toBeUndefined();
		expect(erp.warnings).toBeUndefined();
		expect(notesOf(erp.id)[0].body).not.toContain('mismatch');
	});

	it('a credit: Odoo keeps in_refund totals positive, and they are compared with the credit total', async () => {
		const credit = makeInvoice(5, { documentType: 'credit', invoiceNumber: 'CN-5' }, 2);
		const [outcome] = await upsertBills(client, [credit], { totalMismatch: 'fail' });
		const erp = ok(outcome);
		expect(move(erp.id)).toMatchObject({
			move_type: 'in_refund',
			amount_total: Number(credit.total),
		});
		expect(erp).toMatchObject({ action: 'created', amountTotal: credit.total });
		expect(erp.warnings).toBeUndefined();

		// A taxed credit mapped without its tax: caught like a bill.
		const taxedCredit = taxedInvoice(6, '100.00', {
			documentType: 'credit',
			invoiceNumber: 'CN-6',
		});
		const [short] = await upsertBills(client, [taxedCredit]);
		expect(ok(short)).toMatchObject({
			amountTotal: '1000.00',
			warnings: [
				'total mismatch: Odoo 1000.00 vs Stampli 1100.00 USD (tax: Odoo 0.00 vs Stampli 100.00)',
			],
		});
		expect(move(ok(short).id).move_type).toBe('in_refund');
	});

	it('the tax booked as an expense line: totals agree, the tax split is reported, the invoice does not fail', async () => {
		const invoice = taxedInvoice(7, '100.00');
		invoice.lines = [
			invoice.lines[0],
			{
				...invoice.lines[0],
				lineNumber: 2,
				description: 'Sales tax',
				quantity: '1',
				unitPrice: '100.00',
				amount: '100.00',
			},
		];
		const [outcome] = await upsertBills(client, [invoice], { totalMismatch: 'fail' });
		expect(ok(outcome)).toMatchObject({
			action: 'created',
			amountTotal: '1100.00',
			amountTax: '0.00',
			warnings: ['tax mismatch: Odoo 0.00 vs Stampli 100.00 USD (totals agree at 1100.00)'],
		});
	});

	it('a posted bill reset and updated under "fail" stays in draft when its new total is wrong', async () => {
		const invoice = taxedInvoice(8, '150.00');
		invoice.mapping = mappingFor(invoice, account('600000').id, { taxIds: [purchaseTax()] });
		const [created] = await upsertBills(client, [invoice], { autoPost: true });
		const id = ok(created).id;
		expect(move(id).state).toBe('posted');
		const changed = { ...invoice, mapping: mappingFor(invoice, account('611000').id) }; // new rule forgets the tax
		const [outcome] = await upsertBills(client, [changed], {
			postedPolicy: 'resetUpdateRepost',
			totalMismatch: 'fail',
		});
		expect(outcome.ok).toBe(false);
		expect((outcome as { reason: string }).reason).toContain('Odoo 1000.00 vs Stampli 1150.00 USD');
		expect(move(id)).toMatchObject({ state: 'draft', amount_total: 1000 });
	});

	it('a GL Mapper split: the mapped part is checked against its lines plus the tax', async () => {
		const invoice = taxedInvoice(9, '150.00');
		const full: Invoice = {
			...invoice,
			total: '1650.00',
			lines: [
				...invoice.lines,
				{ ...invoice.lines[0], lineNumber: 2, amount: '500.00', quantity: '2' },
			],
		};
		const mappedPart: Invoice = {
			...full,
			lines: [full.lines[0]],
			mapping: {
				...mappingFor({ ...full, lines: [full.lines[0]] }, account('600000').id, {
					taxIds: [purchaseTax()],
				}),
				partial: { part: 'mapped', lineNumbers: [1], otherLineNumbers: [2] },
			},
		};
		const [outcome] = await upsertBills(client, [mappedPart], { totalMismatch: 'fail' });
		expect(ok(outcome)).toMatchObject({ action: 'created', amountTotal: '1150.00' });
		expect(ok(outcome).warnings).toBeUndefined();
	});

	it('the read-back costs one call per batch, whatever its size; skipping it saves exactly that call', async () => {
		await client.uid();
		await client.serverVersion();
		await upsertBills(client, [makeInvoice(300), makeInvoice(301), makeInvoice(302)]); // vendors get their external ids
		const trips = async (from: number, count: number, totalMismatch: 'warn' | 'notChecked') => {
			emulator.resetCounters();
			const outcomes = await upsertBills(
				client,
				Array.from({ length: count }, (_, k) => taxedInvoice(from + k, '100.00')),
				{ totalMismatch, chunking: { initialSize: 100 } },
			);
			expect(outcomes.every((o) => o.ok)).toBe(true);
			if (totalMismatch === 'warn')
				expect(
					outcomes.every(
						(o) => o.ok && o.erp.amountTotal === '1000.00' && o.erp.warnings?.length === 1,
					),
				).toBe(true);
			else expect(outcomes.every((o) => o.ok && o.erp.amountTotal === undefined)).toBe(true);
			return {
				total: emulator.roundTrips(),
				totalReads: emulator
					.calls()
					.filter((c) => c.model === 'account.move' && c.method === 'read').length,
			};
		};
		const small = await trips(400, 3, 'warn');
		const large = await trips(500, 80, 'warn');
		const unchecked = await trips(700, 80, 'notChecked');
		// xml ids, currencies ∥ accounts, bills left without a key, create, xml ids, totals, notes
		expect(small).toEqual({ total: 8, totalReads: 1 });
		expect(large).toEqual(small);
		expect(unchecked).toEqual({ total: 7, totalReads: 0 });
	});
});
