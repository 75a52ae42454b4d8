/**
 * What the ledger's own rules do to bills, on every Odoo target: lock dates and currencies that are
 * not active. These scenarios change company settings (and put them back).
 */
import { upsertBills, type BillOutcome } from '../../../nodes/shared/odoo';
import { describeScenarios, scenario } from './harness';

function ok(outcome: BillOutcome): any {
	if (!outcome.ok) throw new Error(`expected success, got: ${outcome.reason}`);
	return outcome.erp;
}

describeScenarios('ledger rules', (peer) => {
	/** Runs fn with the company's fiscal-year lock date set, then restores the previous one. */
	async function withLockDate(date: string, fn: () => Promise<void>): Promise<void> {
		const { admin, data } = peer();
		const [company] = await admin.read('res.company', [data.companyId], ['fiscalyear_lock_date']);
		await admin.write('res.company', [data.companyId], { fiscalyear_lock_date: date });
		try {
			await fn();
		} finally {
			await admin.write('res.company', [data.companyId], {
				fiscalyear_lock_date: company.fiscalyear_lock_date || false,
			});
		}
	}

	scenario(
		'a new bill dated inside a locked period is booked on the first open date, and the item says so',
		async () => {
			const { client, data } = peer();
			await withLockDate('2025-01-31', async () => {
				const invoice = await data.invoice('LOCK-NEW', {
					invoiceDate: '2025-01-15',
					dueDate: '2025-02-15',
				});
				const [outcome] = await upsertBills(client(), [invoice], { autoPost: true });
				const move = await data.move(ok(outcome).id);
				expect(move).toMatchObject({ state: 'posted', invoice_date: '2025-01-15' });
				expect(move.date > '2025-01-31').toBe(true);
				// The accounting date Odoo chose is on the item.
				expect(JSON.stringify(ok(outcome))).toContain(move.date);
			});
		},
		{ changesSettings: true },
	);

	scenario(
		'a change to a posted bill inside a locked period is refused and the bill stays posted',
		async () => {
			const { client, data } = peer();
			const invoice = await data.invoice('LOCK-OLD', {
				invoiceDate: '2025-03-10',
				dueDate: '2025-04-10',
			});
			const [created] = await upsertBills(client(), [invoice], { autoPost: true });
			const id = ok(created).id;
			// Odoo books a bill of a past month on the month's last day: lock the whole month.
			expect((await data.move(id)).date.startsWith('2025-03')).toBe(true);
			await withLockDate('2025-03-31', async () => {
				const changed = {
					...invoice,
					total: '99.00',
					lines: [{ ...invoice.lines[0], unitPrice: '99.00', amount: '99.00' }],
				};
				const [outcome] = await upsertBills(client(), [changed], {
					postedPolicy: 'resetUpdateRepost',
				});
				expect(outcome.ok).toBe(false);
				expect(outcome.ok ? '' : outcome.reason).toMatch(/lock date/i);
				expect(await data.move(id)).toMatchObject({ state: 'posted', amount_total: 32.75 });
			});
		},
		{ changesSettings: true },
	);

	scenario(
		'an invoice in a currency that is not active in Odoo is refused before anything is written',
		async () => {
			const { client, data, admin } = peer();
			const inactive = await admin.searchRead('res.currency', [['active', '=', false]], {
				fields: ['name'],
				order: 'name asc',
				context: { active_test: false },
			});
			const code = inactive.find((c) => c.name === 'EUR')?.name ?? inactive[0]?.name;
			expect(code).toBeDefined();
			const invoice = await data.invoice('FX', { currency: code });
			const [outcome] = await upsertBills(client(), [invoice], { autoPost: true });
			expect(outcome.ok).toBe(false);
			expect(outcome.ok ? '' : outcome.reason).toMatch(
				new RegExp(`${code}.*(inactive|not active)|(inactive|not active).*${code}`),
			);
			expect(await data.billsByRef([invoice.invoiceNumber])).toEqual([]);
		},
	);
});
