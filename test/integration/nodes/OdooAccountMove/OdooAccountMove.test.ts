/**
 * The Odoo Account Move node's execute() and credential test, driven through the shared n8n
 * context stand-in against the emulator (the e2e suite runs it inside a real n8n).
 */
import {
	NodeApiError,
	NodeOperationError,
	type ICredentialTestFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { OdooAccountMove } from '../../../../nodes/OdooAccountMove/OdooAccountMove.node';
import { stampliOdooConnectionTest } from '../../../../nodes/common/credentialTests';
import { CREDENTIALS } from '../../../../nodes/common/credentials';
import {
	clearOdooClientCaches,
	odooConfigFromCredential,
	testOdooConnection,
} from '../../../../nodes/shared/odoo';
import { startOdooEmulator, type OdooEmulator } from '../../../emulators/odoo';
import { odooCredential } from '../../../kit/credentials';
import { executeContext } from '../../../kit/n8nContext';
import { makeInvoice, makePayment } from '../../odoo/fixtures';

function context(
	emulator: OdooEmulator,
	parameters: Record<string, unknown>,
	items: INodeExecutionData[],
	options: { continueOnFail?: boolean; apiKey?: string; protocol?: string } = {},
) {
	return executeContext({
		type: 'n8n-nodes-stampli.odooAccountMove',
		name: 'Odoo Account Move',
		parameters,
		items,
		continueOnFail: options.continueOnFail,
		credentials: {
			[CREDENTIALS.odoo]: odooCredential(emulator, {
				...(options.apiKey ? { apiKey: options.apiKey } : {}),
				...(options.protocol ? { protocol: options.protocol } : {}),
			}),
		},
	});
}

describe.each([17, 19] as const)('Odoo Account Move node on Odoo %i', (version) => {
	let emulator: OdooEmulator;
	beforeEach(async () => {
		clearOdooClientCaches();
		emulator = await startOdooEmulator({ version });
	});
	afterEach(() => emulator.stop());

	it('upserts bills in batches, with erp, audit and pairedItem on every item, and attaches the source file', async () => {
		const items = [1, 2, 3].map((n) => ({
			json: makeInvoice(n) as never,
			binary: {
				data: {
					data: Buffer.from(`file ${n}`).toString('base64'),
					fileName: `inv-${n}.csv`,
					mimeType: 'text/csv',
				},
			},
		}));
		const [out] = await new OdooAccountMove().execute.call(
			context(
				emulator,
				{
					operation: 'upsertVendorBills',
					options: { batchSize: 2, autoPost: true, attachSourceFile: true },
				},
				items,
			),
		);
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out.map((i) => (i.json.erp as any).action)).toEqual(['created', 'created', 'created']);
		expect(out[0].json.audit).toMatchObject({
			what: 'odoo.bill',
			stampliId: 'STI-1',
			file: '/outbound/invoices-2026-11-20.csv',
			sha256: 'a'.repeat(64),
			action: 'created',
			erpId: (out[0].json.erp as any).id,
		});
		expect(emulator.store.all('account.move').every((m) => m.state === 'posted')).toBe(true);
		const attachments = emulator.store.all('ir.attachment');
		expect(
			attachments.map((a) => [a.name, a.res_model, Buffer.from(a.datas, 'base64').toString()]),
		).toEqual([
			['inv-1.csv', 'account.move', 'file 1'],
			['inv-2.csv', 'account.move', 'file 2'],
			['inv-3.csv', 'account.move', 'file 3'],
		]);
		expect(JSON.stringify(out)).not.toContain(emulator.apiKey);
	});

	it('Total Mismatch: warns by default with Odoo\'s total on the item; "Fail the Invoice" fails it naming both totals, the bill left in draft', async () => {
		const taxed = (n: number) => {
			const invoice = makeInvoice(n, {}, 1);
			return { ...invoice, taxTotal: '1.00', total: (Number(invoice.total) + 1).toFixed(2) }; // Odoo gets no tax for it
		};
		const [warned] = await new OdooAccountMove().execute.call(
			context(emulator, { operation: 'upsertVendorBills', options: { autoPost: true } }, [
				{ json: taxed(60) as never },
			]),
		);
		expect(warned[0].json.erp).toMatchObject({
			action: 'created',
			amountTotal: '10.25',
			warnings: [
				'total mismatch: Odoo 10.25 vs Stampli 11.25 USD (tax: Odoo 0.00 vs Stampli 1.00)',
			],
		});
		expect((warned[0].json.audit as any).reason).toContain('Odoo 10.25 vs Stampli 11.25 USD');

		const failing = new OdooAccountMove().execute.call(
			context(
				emulator,
				{ operation: 'upsertVendorBills', options: { autoPost: true, totalMismatch: 'fail' } },
				[{ json: taxed(61) as never }],
			),
		);
		await expect(failing).rejects.toThrow(NodeOperationError);
		await expect(failing).rejects.toThrow(
			/rows 611,612, invoice STI-61: .*Odoo 10\.25 vs Stampli 11\.25 USD.*left in draft, not posted/,
		);
		expect(emulator.store.all('account.move').find((m) => m.ref === 'V-INV/61')).toMatchObject({
			state: 'draft',
			amount_total: 10.25,
		});

		const [continued] = await new OdooAccountMove().execute.call(
			context(
				emulator,
				{ operation: 'upsertVendorBills', options: { totalMismatch: 'fail' } },
				[{ json: taxed(61) as never }, { json: makeInvoice(62) as never }],
				{ continueOnFail: true },
			),
		);
		expect(continued[0].json.error).toMatch(/Odoo 10\.25 vs Stampli 11\.25 USD/);
		expect(continued[0].json.audit).toMatchObject({ action: 'failed', stampliId: 'STI-61' });
		expect(continued[1].json.erp).toMatchObject({
			action: 'created',
			amountTotal: makeInvoice(62).total,
		});
	});

	it('continueOnFail: a bad invoice becomes an error item, the good ones are written', async () => {
		const bad = makeInvoice(5);
		bad.lines[0].glAccount = '999999';
		const items = [{ json: makeInvoice(4) as never }, { json: bad as never }];
		const [out] = await new OdooAccountMove().execute.call(
			context(emulator, { operation: 'upsertVendorBills', options: {} }, items, {
				continueOnFail: true,
			}),
		);
		expect(out[0].json.erp).toMatchObject({ system: 'odoo', action: 'created' });
		expect(out[1].json.error).toMatch(/line 1 GL account "999999" does not exist/);
		expect(out[1].json.audit).toMatchObject({ action: 'failed', stampliId: 'STI-5' });
		expect(out[1].pairedItem).toEqual({ item: 1 });
	});

	it('without continueOnFail, a bad item raises a node error naming it', async () => {
		const bad = makeInvoice(6);
		bad.invoiceDate = '20/11/2026';
		const error = await new OdooAccountMove().execute
			.call(
				context(emulator, { operation: 'upsertVendorBills', options: {} }, [
					{ json: bad as never },
				]),
			)
			.catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain('invoiceDate must be YYYY-MM-DD');
	});

	it('a wrong API key is a NodeApiError without the key anywhere', async () => {
		const wrongKey = 'definitely-not-the-key-4242';
		const error = await new OdooAccountMove().execute
			.call(
				context(
					emulator,
					{ operation: 'upsertVendorBills', options: {} },
					[{ json: makeInvoice(1) as never }],
					{ apiKey: wrongKey },
				),
			)
			.catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		for (const text of [
			error.message,
			error.description ?? '',
			error.stack ?? '',
			JSON.stringify(error),
		])
			expect(text).not.toContain(wrongKey);
		expect(error.message).toMatch(/refused|Access Denied|Invalid apikey/i);
	});

	it('PO Line Not Found: unlink and warn by default (warning in erp and audit), fail when chosen', async () => {
		const invoice = makeInvoice(1, { poNumber: 'P00001' }); // Deco Addict; P00001 is Azure Interior's
		invoice.lines[0].poLine = '1';
		const [warned] = await new OdooAccountMove().execute.call(
			context(emulator, { operation: 'upsertVendorBills', options: {} }, [
				{ json: invoice as never },
			]),
		);
		expect(warned[0].json.erp).toMatchObject({
			action: 'created',
			warnings: [expect.stringContaining('PO P00001 is for vendor Azure Interior')],
		});
		expect((warned[0].json.audit as any).reason).toContain('line 1 not linked to a PO line');
		const other = { ...invoice, stampliInvoiceId: 'STI-1b' };
		const [failed] = await new OdooAccountMove().execute.call(
			context(
				emulator,
				{ operation: 'upsertVendorBills', options: { poLineNotFound: 'fail' } },
				[{ json: other as never }],
				{ continueOnFail: true },
			),
		);
		expect(failed[0].json.error).toMatch(
			/invoice STI-1b: PO P00001 is for vendor Azure Interior .*: line 1 not linked to a PO line$/,
		);
		expect(emulator.store.all('account.move')).toHaveLength(1);
	});

	it('registers payments through the node', async () => {
		const invoice = makeInvoice(9);
		await new OdooAccountMove().execute.call(
			context(emulator, { operation: 'upsertVendorBills', options: { autoPost: true } }, [
				{ json: invoice as never },
			]),
		);
		const items = [{ json: makePayment(invoice, '32.75') as never }];
		const [first] = await new OdooAccountMove().execute.call(
			context(emulator, { operation: 'registerPayments', paymentOptions: {} }, items),
		);
		expect(first[0].json.erp).toMatchObject({ action: 'created' });
		const [second] = await new OdooAccountMove().execute.call(
			context(emulator, { operation: 'registerPayments', paymentOptions: {} }, items),
		);
		expect(second[0].json.erp).toMatchObject({
			action: 'unchanged',
			id: (first[0].json.erp as any).id,
		});
		expect(emulator.store.all('account.payment')).toHaveLength(1);
	});

	it('credential test authenticates through the client, and fails clearly on a wrong key', async () => {
		const data = {
			url: emulator.url,
			database: emulator.db,
			login: emulator.login,
			apiKey: emulator.apiKey,
			protocol: 'auto',
			companyId: 0,
		};
		const good = await stampliOdooConnectionTest.call({} as ICredentialTestFunctions, {
			id: '1',
			name: 'odoo',
			type: 'stampliOdooApi',
			data,
		});
		expect(good).toEqual({
			status: 'OK',
			message: `Connected to Odoo ${version === 17 ? '17.0-20240709' : '19.0'} over ${version === 19 ? 'json2' : 'xmlrpc'} as Mitchell Admin (My Company (San Francisco))`,
		});
		const bad = await testOdooConnection(
			odooConfigFromCredential({ ...data, apiKey: 'wrong-wrong-wrong' }),
		);
		expect(bad.ok).toBe(false);
		expect(bad.message).not.toContain('wrong-wrong-wrong');
		expect(bad.message).toMatch(/refused/);
		const noDb = await testOdooConnection(
			odooConfigFromCredential({ ...data, database: 'nosuchdb', protocol: 'xmlrpc' }),
		);
		expect(noDb).toMatchObject({
			ok: false,
			message: expect.stringContaining('database "nosuchdb" was not found'),
		});
	});
});
