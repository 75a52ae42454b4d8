/** Odoo's writer applies the seam's rule for the same invoice or payment twice in one batch. */
import { startOdooEmulator, type OdooEmulator } from '../../emulators/odoo';
import { clearOdooClientCaches, createOdooClient, odooWriter } from '../../../nodes/shared/odoo';
import { makeInvoice, makePayment } from './fixtures';

describe('the same record twice in one Odoo batch', () => {
	let emulator: OdooEmulator;
	beforeEach(async () => {
		clearOdooClientCaches();
		emulator = await startOdooEmulator({ version: 17 });
	});
	afterEach(() => emulator.stop());

	it('is written once and the copy reports that bill as skipped, as for every ERP', async () => {
		const writer = odooWriter(
			createOdooClient({
				url: emulator.url,
				db: emulator.db,
				login: emulator.login,
				apiKey: emulator.apiKey,
				protocol: 'xmlrpc',
			}),
		);
		const invoice = makeInvoice(1);
		const [first, copy] = await writer.upsertBills([invoice, structuredClone(invoice)], {
			autoPost: true,
		});
		expect(first).toMatchObject({ ok: true, erp: { action: 'created' } });
		const id = (first as { erp: { id: number } }).erp.id;
		expect(copy).toMatchObject({ ok: true, erp: { action: 'skipped', id } });
		expect(
			emulator.store.all('account.move').filter((m) => m.ref === invoice.invoiceNumber),
		).toHaveLength(1);
		const payment = makePayment(invoice, '10.00');
		const [paid, again] = await writer.registerPayments([payment, structuredClone(payment)]);
		expect(paid).toMatchObject({ ok: true });
		expect(again).toMatchObject({ ok: true, erp: { action: 'skipped' } });
	});
});
