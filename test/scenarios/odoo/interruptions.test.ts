/**
 * A run cut off at every step of a bill's and a payment's life converges on the next run: each
 * approved invoice and payment ends up in Odoo once. The emulator drops the answer of one call after
 * it committed (what a killed n8n or a client timeout leaves behind); the real servers show the same
 * through a client timeout (faults.test.ts).
 */
import { registerPayments, upsertBills } from '../../../nodes/shared/odoo';
import { describeScenarios, scenario } from './harness';

/** Loses the answer of the first call of `model.method` only. */
function loseFirst(
	emulator: NonNullable<
		ReturnType<Parameters<Parameters<typeof describeScenarios>[1]>[0]>['emulator']
	>,
	model: string,
	method: string,
	matches: (model: string, method: string) => boolean = (m, x) => m === model && x === method,
): void {
	let lost = false;
	emulator.loseResponses((m, x) => {
		if (lost || !matches(m, x)) return false;
		lost = true;
		return true;
	});
}

const BILL_STEPS: Array<[string, string, string]> = [
	['create', 'account.move', 'create'],
	['key write', 'ir.model.data', 'create'],
	['post', 'account.move', 'action_post'],
	['chatter note', 'mail.message', 'create'],
];

describeScenarios('interrupted runs', (peer) => {
	for (const [step, model, method] of BILL_STEPS)
		scenario(
			`bills: a run cut off at the ${step} converges on the next run, each bill once and posted`,
			async () => {
				const { client, data, emulator } = peer();
				const invoices = await Promise.all(
					[1, 2, 3].map((k) => data.invoice(`CUT-${step.replace(' ', '-')}-${k}`)),
				);
				const refs = invoices.map((i) => i.invoiceNumber);
				loseFirst(emulator!, model, method);
				const first = await upsertBills(client(), invoices, { autoPost: true }).catch(
					(error: Error) => error,
				);
				emulator!.loseResponses(undefined);
				// Whatever the first run said, it never claims a bill it did not check.
				if (!(first instanceof Error) && step !== 'chatter note')
					expect(first.some((o) => !o.ok)).toBe(true);

				const second = await upsertBills(client(), invoices, { autoPost: true });
				expect(second.map((o) => (o.ok ? 'ok' : o.reason))).toEqual(['ok', 'ok', 'ok']);
				const bills = await data.billsByRef(refs);
				expect(bills.map((b) => b.state).sort()).toEqual(['posted', 'posted', 'posted']);
				expect(new Set(bills.map((b) => b.ref)).size).toBe(3);
				const third = await upsertBills(client(), invoices, { autoPost: true });
				expect(third.map((o) => (o.ok ? o.erp.action : o.reason))).toEqual([
					'unchanged',
					'unchanged',
					'unchanged',
				]);
			},
			{ only: ['emulator'] },
		);

	for (const [step, model, method] of [
		['payment', 'account.payment.register', 'action_create_payments'],
		['payment key write', 'ir.model.data', 'create'],
	] as const)
		scenario(
			`a partial payment cut off at the ${step} is not paid twice`,
			async () => {
				const { client, data, emulator, admin } = peer();
				const invoice = await data.invoice(`PAYCUT-${step.replace(/ /g, '-')}`);
				const [bill] = await upsertBills(client(), [invoice], { autoPost: true });
				const billId = bill.ok ? Number(bill.erp.id) : 0;
				const partial = data.payment(invoice, '10.00', 1);
				loseFirst(emulator!, model, method);
				const [first] = await registerPayments(client(), [partial]);
				emulator!.loseResponses(undefined);
				expect(first.ok).toBe(false);

				const [second] = await registerPayments(client(), [partial]);
				expect(second.ok).toBe(true);
				const [third] = await registerPayments(client(), [partial]);
				expect(third.ok && third.erp.action).toBe('unchanged');
				expect((await data.move(billId)).amount_residual).toBe(22.75);
				const payments = await admin.searchRead(
					'account.payment',
					[['partner_id', '=', (await data.vendor()).partnerId]],
					{ fields: ['amount', 'reconciled_bill_ids'] },
				);
				expect(
					payments.filter((p) => (p.reconciled_bill_ids as number[]).includes(billId)),
				).toHaveLength(1);
			},
			{ only: ['emulator'] },
		);

	scenario(
		'a chatter note or attachment Odoo refuses is a warning on the item, or its failure when asked',
		async () => {
			const { client, data, emulator } = peer();
			const { EmulatedOdooError } = await import('../../emulators/odoo');
			emulator!.injectFault((model, method) =>
				model === 'mail.message' && method === 'create'
					? new EmulatedOdooError('odoo.exceptions.AccessError', 'no right to post notes')
					: undefined,
			);
			try {
				const [warned] = await upsertBills(client(), [await data.invoice('NOTE-1')]);
				expect(warned.ok && warned.erp.warnings).toEqual([
					'chatter note could not be written in Odoo: no right to post notes',
				]);
				const [failed] = await upsertBills(client(), [await data.invoice('NOTE-2')], {
					auditFailure: 'fail',
				});
				expect(failed.ok ? '' : failed.reason).toMatch(
					/^bill \d+ was written, but its chatter note could not be written in Odoo: no right/,
				);
			} finally {
				emulator!.injectFault(undefined);
			}
		},
		{ only: ['emulator'] },
	);

	scenario(
		'a post refused because another post took the same bill number at that moment is posted again; a lasting refusal fails the bill as not posted',
		async () => {
			const { client, data, emulator } = peer();
			const { EmulatedOdooError } = await import('../../emulators/odoo');
			// What Odoo's unique index on (name, journal) answers the later of two simultaneous posts.
			const numberingRace = () =>
				new EmulatedOdooError(
					'odoo.exceptions.ValidationError',
					'Another entry with the same name already exists.',
				);
			let refusals = 2;
			let posts = 0;
			emulator!.injectFault((model, method) => {
				if (model !== 'account.move' || method !== 'action_post') return undefined;
				posts++;
				return refusals-- > 0 ? numberingRace() : undefined;
			});
			try {
				const invoices = [await data.invoice('RACE-1'), await data.invoice('RACE-2')];
				const outcomes = await upsertBills(client(), invoices, { autoPost: true });
				expect(outcomes.map((o) => (o.ok ? o.erp.state : o.reason))).toEqual(['posted', 'posted']);
				// The pair's post refused twice (each refusal wrote nothing), then the same call posted both.
				expect(posts).toBe(3);

				posts = 0;
				emulator!.injectFault((model, method) => {
					if (model !== 'account.move' || method !== 'action_post') return undefined;
					posts++;
					return numberingRace();
				});
				const [refused] = await upsertBills(client(), [await data.invoice('RACE-3')], {
					autoPost: true,
				});
				expect(refused.ok ? '' : `${refused.code} ${refused.reason}`).toMatch(
					/^NOT_POSTED Odoo refused to post the bill: Another entry with the same name already exists\.; bill \d+ stays a draft/,
				);
				// The first post and three retries, then a clear refusal.
				expect(posts).toBe(4);

				// Any other refusal is final at once: only a numbering race is tried again.
				posts = 0;
				emulator!.injectFault((model, method) => {
					if (model !== 'account.move' || method !== 'action_post') return undefined;
					posts++;
					return new EmulatedOdooError(
						'odoo.exceptions.ValidationError',
						'The entry is not balanced.',
					);
				});
				const [unbalanced] = await upsertBills(client(), [await data.invoice('RACE-4')], {
					autoPost: true,
				});
				expect(unbalanced.ok ? '' : unbalanced.code).toBe('NOT_POSTED');
				expect(posts).toBe(1);
			} finally {
				emulator!.injectFault(undefined);
			}
		},
		{ only: ['emulator'] },
	);

	scenario(
		'a payment refused because another payment took the same number at that moment is registered again, once',
		async () => {
			const { client, data, emulator, admin } = peer();
			const { EmulatedOdooError } = await import('../../emulators/odoo');
			const invoice = await data.invoice('RACE-PAY');
			const [bill] = await upsertBills(client(), [invoice], { autoPost: true });
			const billId = bill.ok ? Number(bill.erp.id) : 0;
			let refusals = 2;
			emulator!.injectFault((model, method) =>
				model === 'account.payment.register' &&
				method === 'action_create_payments' &&
				refusals-- > 0
					? new EmulatedOdooError(
							'odoo.exceptions.ValidationError',
							'Another entry with the same name already exists.',
						)
					: undefined,
			);
			try {
				const [paid] = await registerPayments(client(), [data.payment(invoice, '10.00', 1)]);
				expect(paid.ok && paid.erp.action).toBe('created');
			} finally {
				emulator!.injectFault(undefined);
			}
			expect(refusals).toBe(-1);
			const payments = await admin.searchRead(
				'account.payment',
				[['partner_id', '=', (await data.vendor()).partnerId]],
				{ fields: ['reconciled_bill_ids'] },
			);
			expect(
				payments.filter((p) => (p.reconciled_bill_ids as number[]).includes(billId)),
			).toHaveLength(1);
		},
		{ only: ['emulator'] },
	);
});
