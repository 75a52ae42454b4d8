/**
 * Vendor bills and credit notes through upsertBills, on every Odoo target: creation, re-runs,
 * draft updates, the posted-bill policies, and invoices Odoo must refuse (accounts, partners).
 */
import { many2oneId, upsertBills, type BillOutcome } from '../../../nodes/shared/odoo';
import { describeScenarios, scenario } from './harness';

function ok(outcome: BillOutcome): any {
	if (!outcome.ok) throw new Error(`expected success, got: ${outcome.reason}`);
	return outcome.erp;
}

/** A bill Odoo did not book: a failed item, or an outcome that says plainly the bill is only a draft. */
function notBooked(outcome: BillOutcome): string {
	if (!outcome.ok) return outcome.reason;
	const erp = outcome.erp as any;
	if (erp.action === 'draft' || erp.state === 'draft') return String(erp.reason ?? 'draft');
	throw new Error(`expected a failure or a draft outcome, got ${JSON.stringify(erp)}`);
}

function failed(outcome: BillOutcome): string {
	if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome.erp)}`);
	return outcome.reason;
}

describeScenarios('vendor bills', (peer) => {
	scenario(
		'creates bills and credit notes with the vendor, lines and accounts of the invoice',
		async () => {
			const { client, data } = peer();
			const bill = await data.invoice(1);
			const credit = await data.invoice(2, { documentType: 'credit' });
			const outcomes = await upsertBills(client(), [bill, credit]);
			expect(outcomes.map((o) => ok(o).action)).toEqual(['created', 'created']);

			const move = await data.move(ok(outcomes[0]).id);
			const vendor = await data.vendor();
			expect(move).toMatchObject({
				move_type: 'in_invoice',
				ref: bill.invoiceNumber,
				invoice_date: '2026-11-20',
				state: 'draft',
				amount_total: 32.75,
			});
			expect(many2oneId(move.partner_id)).toBe(vendor.partnerId);
			const lines = await data.lines(move.id);
			expect(
				lines.map((l) => [l.name, l.quantity, l.price_unit, many2oneId(l.account_id)]),
			).toEqual([
				[bill.lines[0].description, 1, 10.25, data.accounts[0].id],
				[bill.lines[1].description, 2, 11.25, data.accounts[1].id],
			]);
			expect(ok(outcomes[0])).toMatchObject({ amountTotal: '32.75' });

			const refund = await data.move(ok(outcomes[1]).id);
			expect(refund).toMatchObject({
				move_type: 'in_refund',
				ref: credit.invoiceNumber,
				amount_total: 32.75,
			});
			expect(ok(outcomes[1]).externalId).toMatch(/^stampli\.invoice_/);
		},
	);

	scenario('re-running the same invoices changes nothing', async () => {
		const { client, data } = peer();
		const invoices = [await data.invoice(10), await data.invoice(11)];
		const first = await upsertBills(client(), invoices);
		const second = await upsertBills(client(), invoices);
		expect(second.map((o) => ok(o).action)).toEqual(['unchanged', 'unchanged']);
		expect(second.map((o) => ok(o).id)).toEqual(first.map((o) => ok(o).id));
		expect(await data.billsByRef(invoices.map((i) => i.invoiceNumber))).toHaveLength(2);
	});

	scenario('updates a draft bill in place when its lines changed', async () => {
		const { client, data } = peer();
		const invoice = await data.invoice(20);
		const [created] = await upsertBills(client(), [invoice]);
		const changed = {
			...invoice,
			total: '30.75',
			lines: [{ ...invoice.lines[0], quantity: '3', amount: '30.75' }],
		};
		const [updated] = await upsertBills(client(), [changed]);
		expect(ok(updated)).toMatchObject({
			action: 'updated',
			id: ok(created).id,
			amountTotal: '30.75',
		});
		const lines = await data.lines(ok(created).id);
		expect(lines.map((l) => [l.quantity, l.price_unit])).toEqual([[3, 10.25]]);
		expect((await data.move(ok(created).id)).amount_total).toBe(30.75);
	});

	scenario('leaves a posted bill alone under the default policy', async () => {
		const { client, data } = peer();
		const invoice = await data.invoice(30);
		const [created] = await upsertBills(client(), [invoice], { autoPost: true });
		const id = ok(created).id;
		const posted = await data.move(id);
		expect(posted.state).toBe('posted');
		expect(posted.name).toMatch(/^BILL\/2026\/11\/\d{4}$/);
		const changed = {
			...invoice,
			total: '99.00',
			lines: [{ ...invoice.lines[0], unitPrice: '99.00', amount: '99.00' }],
		};
		const [skipped] = await upsertBills(client(), [changed]);
		expect(ok(skipped)).toMatchObject({ action: 'skipped', reason: 'posted', id });
		expect((await data.move(id)).amount_total).toBe(32.75);
	});

	scenario('resets, updates and re-posts a posted bill when asked', async () => {
		const { client, data } = peer();
		const invoice = await data.invoice(31);
		const [created] = await upsertBills(client(), [invoice], { autoPost: true });
		const id = ok(created).id;
		const changed = {
			...invoice,
			total: '99.00',
			lines: [{ ...invoice.lines[0], unitPrice: '99.00', amount: '99.00' }],
		};
		const [reposted] = await upsertBills(client(), [changed], {
			postedPolicy: 'resetUpdateRepost',
		});
		expect(ok(reposted)).toMatchObject({
			action: 'updated',
			id,
			reason: 'reset to draft, updated and re-posted',
		});
		expect(await data.move(id)).toMatchObject({ state: 'posted', amount_total: 99 });
	});

	scenario(
		'a posted bill whose update Odoo refuses stays posted, and the item says so',
		async () => {
			const { client, data } = peer();
			const invoice = await data.invoice(32);
			const [created] = await upsertBills(client(), [invoice], { autoPost: true });
			const id = ok(created).id;
			// Mapped straight to an account id that does not exist: only Odoo can refuse it, after the reset.
			const changed = {
				...invoice,
				mapping: {
					target: 'odoo' as const,
					lines: invoice.lines.map((l) => ({
						lineNumber: l.lineNumber,
						odoo: { accountId: 987654321 },
						rule: { id: 'test', reason: 'test' },
					})),
				},
			};
			const [outcome] = await upsertBills(client(), [changed], {
				postedPolicy: 'resetUpdateRepost',
			});
			const move = await data.move(id);
			expect(move.state).toBe('posted');
			expect(move.amount_total).toBe(32.75);
			// The item fails, and names the bill's final state.
			expect(failed(outcome)).toMatch(/posted/);
		},
	);

	scenario(
		'an unknown GL code or vendor fails that invoice only, before anything is written',
		async () => {
			const { client, data } = peer();
			const good = await data.invoice(40);
			const badAccount = await data.invoice(41);
			badAccount.lines[0].glAccount = '999999999';
			const badVendor = await data.invoice(42, {
				vendor: { stampliVendorId: data.name('NOBODY'), name: 'Nobody Ltd', taxId: 'XX000' },
			});
			const outcomes = await upsertBills(client(), [good, badAccount, badVendor]);
			expect(ok(outcomes[0]).action).toBe('created');
			expect(failed(outcomes[1])).toContain('GL account "999999999" does not exist');
			expect(failed(outcomes[2])).toContain('vendor "Nobody Ltd"');
			expect(
				await data.billsByRef([good, badAccount, badVendor].map((i) => i.invoiceNumber)),
			).toHaveLength(1);
		},
	);

	scenario('a retired account is refused by Odoo for that invoice only', async () => {
		const { client, data, admin } = peer();
		const major = await admin.serverVersion();
		const [retired] = await admin.create('account.account', [
			{
				code: `69${String(parseInt(data.tag, 16) % 10000).padStart(4, '0')}`,
				name: `${data.name('retired')}`,
				account_type: 'expense',
				...(major >= 19 ? { active: false } : { deprecated: true }),
			},
		]);
		const good = await data.invoice(50);
		const bad = await data.invoice(51);
		bad.mapping = {
			target: 'odoo',
			lines: bad.lines.map((l) => ({
				lineNumber: l.lineNumber,
				odoo: { accountId: retired },
				rule: { id: 'test', reason: 'test' },
			})),
		};
		const outcomes = await upsertBills(client(), [good, bad], { autoPost: true });
		expect(ok(outcomes[0]).action).toBe('created');
		expect(notBooked(outcomes[1])).toMatch(/deprecated|archived/);
		const bills = await data.billsByRef([good.invoiceNumber, bad.invoiceNumber]);
		// Nothing of the refused invoice is left posted.
		expect(bills.filter((b) => b.ref === bad.invoiceNumber && b.state === 'posted')).toEqual([]);
	});

	scenario('a partner id that does not exist fails that invoice only', async () => {
		const { client, data } = peer();
		const good = await data.invoice(60);
		const bad = await data.invoice(61);
		bad.vendor = { ...bad.vendor, erpVendorId: '987654321' };
		const outcomes = await upsertBills(client(), [good, bad]);
		expect(ok(outcomes[0]).action).toBe('created');
		expect(failed(outcomes[1])).not.toBe('');
		expect(await data.billsByRef([bad.invoiceNumber])).toEqual([]);
	});

	scenario('finds the vendor by a VAT number stored with separators', async () => {
		const { client, data } = peer();
		// A VAT of this suite's own, so no other partner of the database shares it.
		const digits = String(parseInt(data.tag, 16) % 10_000_000).padStart(7, '0');
		const vendor = await data.vendor('VAT', { vat: `US 98-${digits}` });
		const invoice = await data.invoice(70, {
			vendor: {
				stampliVendorId: data.name('VAT-UNKNOWN-REF'),
				name: vendor.name,
				taxId: `US98${digits}`,
			},
		});
		const alone = await upsertBills(client(), [invoice]);
		expect(many2oneId((await data.move(ok(alone[0]).id)).partner_id)).toBe(vendor.partnerId);
	});
});
