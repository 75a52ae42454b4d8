/**
 * Faults in the middle of a run, on every Odoo target: a client that gives up before Odoo finishes.
 * The emulator is slowed down on demand; the real servers are given enough work to outlast the
 * client's timeout.
 */
import { upsertBills } from '../../../nodes/shared/odoo';
import { describeScenarios, scenario } from './harness';

describeScenarios('faults', (peer) => {
	scenario(
		'bills a timed-out run committed are adopted by the next run, not created again',
		async () => {
			const { client, data, emulator } = peer();
			// How long a one-invoice run takes here sets the timeout: three times that, at least 1 s.
			const started = Date.now();
			const [probe] = await upsertBills(client(), [await data.invoice('TO-PROBE', {}, 4)]);
			expect(probe.ok).toBe(true);
			const timeoutMs = Math.max(1000, 3 * (Date.now() - started));
			const count = emulator ? 20 : 120;
			// The emulator answers a create of 20 bills after 20 × timeout / 10: twice the timeout.
			emulator?.setLatency({ perRecordLatencyMs: Math.ceil(timeoutMs / 10) });
			const invoices = await Promise.all(
				Array.from({ length: count }, (_, k) => data.invoice(`TO-${k}`, {}, 4)),
			);
			const refs = invoices.map((i) => i.invoiceNumber);

			const first = await upsertBills(client({ timeoutMs }), invoices).then(
				(outcomes) => outcomes.map((o) => (o.ok ? o.erp.action : o.reason)),
				(error) => [String(error.message)],
			);
			expect(first.join('\n')).toMatch(/did not answer within .* \(it may still be working\)/);
			// Odoo finishes the create the client gave up on.
			const deadline = Date.now() + 110_000;
			while ((await data.billsByRef(refs)).length < count && Date.now() < deadline)
				await new Promise((resolve) => setTimeout(resolve, 1000));
			expect(await data.billsByRef(refs)).toHaveLength(count);
			emulator?.setLatency({ perRecordLatencyMs: 0 });

			const second = await upsertBills(client(), invoices);
			expect(second.every((o) => o.ok)).toBe(true);
			const bills = await data.billsByRef(refs);
			expect(bills).toHaveLength(count);
			expect(new Set(bills.map((b) => b.ref)).size).toBe(count);
		},
		{ timeoutMs: 300_000 },
	);
});
