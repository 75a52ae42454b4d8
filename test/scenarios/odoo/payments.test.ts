/**
 * Payments through registerPayments (Odoo's payment wizard), on every Odoo target: partial, full,
 * re-runs, and a payment in another currency than its bill.
 */
import {
	many2oneId,
	registerPayments,
	upsertBills,
	type BillOutcome,
	type PaymentOutcome,
} from '../../../nodes/shared/odoo';
import { describeScenarios, scenario } from './harness';

function ok(outcome: BillOutcome | PaymentOutcome): any {
	if (!outcome.ok) throw new Error(`expected success, got: ${outcome.reason}`);
	return outcome.erp;
}

describeScenarios('payments', (peer) => {
	scenario('registers a partial then the full payment; a re-run pays nothing twice', async () => {
		const { client, data, admin } = peer();
		const invoice = await data.invoice(1);
		const [bill] = await upsertBills(client(), [invoice], { autoPost: true });
		const billId = ok(bill).id;
		const partial = data.payment(invoice, '10.00', 1);
		const rest = data.payment(invoice, '22.75', 2);

		const first = await registerPayments(client(), [partial]);
		expect(ok(first[0]).action).toBe('created');
		expect(await data.move(billId)).toMatchObject({
			payment_state: 'partial',
			amount_residual: 22.75,
		});

		const second = await registerPayments(client(), [partial, rest]);
		expect(second.map((o) => ok(o).action)).toEqual(['unchanged', 'created']);
		const paid = await data.move(billId);
		expect(paid.amount_residual).toBe(0);
		// 19 leaves a payment "in process" until the bank statement: the bill is in_payment or paid.
		expect(['paid', 'in_payment']).toContain(paid.payment_state);

		const third = await registerPayments(client(), [partial, rest]);
		expect(third.map((o) => ok(o).action)).toEqual(['unchanged', 'unchanged']);
		const payments = await admin.read(
			'account.payment',
			[ok(first[0]).id, ok(second[1]).id],
			['amount', 'payment_type', 'partner_type', 'partner_id'],
		);
		expect(payments.map((p) => [p.amount, p.payment_type, p.partner_type])).toEqual([
			[10, 'outbound', 'supplier'],
			[22.75, 'outbound', 'supplier'],
		]);
		expect(many2oneId(payments[0].partner_id)).toBe(many2oneId(paid.partner_id));
	});

	scenario('a paid bill is left alone by a later update', async () => {
		const { client, data } = peer();
		const invoice = await data.invoice(2);
		const [bill] = await upsertBills(client(), [invoice], { autoPost: true });
		await registerPayments(client(), [data.payment(invoice, invoice.total)]);
		const changed = {
			...invoice,
			total: '1.00',
			lines: [{ ...invoice.lines[0], unitPrice: '1.00', amount: '1.00' }],
		};
		const [after] = await upsertBills(client(), [changed], {
			postedPolicy: 'resetUpdateRepost',
		});
		expect(ok(after)).toMatchObject({ action: 'skipped', id: ok(bill).id });
		expect(ok(after).reason).toMatch(/^posted and (paid|in_payment)$/);
		expect((await data.move(ok(bill).id)).amount_total).toBe(32.75);
	});

	scenario('reports the payments it cannot register, per item', async () => {
		const { client, data } = peer();
		const draft = await data.invoice(3);
		await upsertBills(client(), [draft]);
		const never = await data.invoice(4);
		const outcomes = await registerPayments(client(), [
			data.payment(draft, '5.00', 1),
			data.payment(never, '5.00', 1),
			data.payment(draft, 'abc', 3),
		]);
		expect(outcomes.map((o) => o.ok)).toEqual([false, false, false]);
		const reasons = outcomes.map((o) => (o.ok ? '' : o.reason));
		expect(reasons[0]).toMatch(/is draft; post it before registering payments/);
		expect(reasons[1]).toMatch(/no Odoo bill for Stampli invoice/);
		expect(reasons[2]).toMatch(/amount must be a positive decimal string/);
	});

	scenario(
		'a payment in another currency than its bill is paid in that currency or refused',
		async () => {
			const { client, data, admin } = peer();
			const other = data.companyCurrency === 'EUR' ? 'USD' : 'EUR';
			const [currency] = await admin.searchRead('res.currency', [['name', '=', other]], {
				fields: ['active'],
				context: { active_test: false },
			});
			await admin.write('res.currency', [currency.id], { active: true });
			await admin.create('res.currency.rate', [
				{ currency_id: currency.id, name: '2026-01-01', rate: 0.5, company_id: data.companyId },
			]);
			const invoice = await data.invoice(5, { currency: other });
			const [bill] = await upsertBills(client(), [invoice], { autoPost: true });
			const billId = ok(bill).id;
			// 20 in the company's currency is 10 in the bill's (rate 0.5).
			const [outcome] = await registerPayments(client(), [
				data.payment(invoice, '20.00', 1, { currency: data.companyCurrency }),
			]);
			if (!outcome.ok) {
				expect(outcome.reason).toMatch(new RegExp(`${data.companyCurrency}|${other}|currency`));
				expect((await data.move(billId)).amount_residual).toBe(32.75);
				return;
			}
			const [payment] = await admin.read(
				'account.payment',
				[ok(outcome).id],
				['amount', 'currency_id'],
			);
			const [paymentCurrency] = await admin.read(
				'res.currency',
				[many2oneId(payment.currency_id)!],
				['name'],
			);
			expect([paymentCurrency.name, payment.amount]).toEqual([data.companyCurrency, 20]);
			expect((await data.move(billId)).amount_residual).toBe(22.75);
		},
		{ changesSettings: true },
	);
});
