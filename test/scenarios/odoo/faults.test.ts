/**
 * Faults in the middle of a run, on every Odoo target: a client that gives up before Odoo finishes.
 * The emulator is slowed down on demand; the real servers are given enough work to outlast the
 * client's timeout.
 */
import { upsertBills } from '../../../nodes/shared/odoo';
import { describeScenarios, scenario, type ScenarioPeer } from './harness';

/** How long a one-invoice run takes here sets the client timeout: three times that, at least 1 s. */
async function probeTimeout(peer: ScenarioPeer): Promise<number> {
	// The first write of a run warms Odoo's caches and can take seconds on a loaded machine; the
	// second one measures what one bill costs now.
	const [warm] = await upsertBills(peer.client(), [await peer.data.invoice('TO-WARM', {}, 4)]);
	expect(warm.ok).toBe(true);
	const started = Date.now();
	const [probe] = await upsertBills(peer.client(), [await peer.data.invoice('TO-PROBE', {}, 4)]);
	expect(probe.ok).toBe(true);
	return Math.max(1000, 3 * (Date.now() - started));
}

describeScenarios('faults', (peer) => {
	scenario(
		'bills a timed-out run committed are adopted by the next run, not created again',
		async () => {
			const { client, data, emulator } = peer();
			const timeoutMs = await probeTimeout(peer());
			const count = emulator ? 20 : 200;
			// The emulator answers a create of 20 bills after 20 × timeout / 10: twice the timeout.
			emulator?.setLatency({ perRecordLatencyMs: Math.ceil(timeoutMs / 10) });
			const invoices = await Promise.all(
				Array.from({ length: count }, (_, k) => data.invoice(`TO-${k}`, {}, 4)),
			);
			const refs = invoices.map((i) => i.invoiceNumber);

			// One request for the whole batch: what a server far slower than measured looks like.
			const first = await upsertBills(client({ timeoutMs }), invoices, {
				chunking: { initialSize: count },
			}).then(
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
			expect(second.filter((o) => !o.ok || !o.erp.adopted)).toEqual([]);
			const bills = await data.billsByRef(refs);
			expect(bills).toHaveLength(count);
			expect(new Set(bills.map((b) => b.ref)).size).toBe(count);
			const third = await upsertBills(client(), invoices);
			expect(third.every((o) => o.ok && o.erp.action === 'unchanged' && !o.erp.adopted)).toBe(true);
		},
		{ timeoutMs: 300_000 },
	);

	scenario(
		'a batch too big for one request within the client timeout is written in measured chunks, all at once',
		async () => {
			const { client, data, emulator } = peer();
			const timeoutMs = await probeTimeout(peer());
			const count = emulator ? 20 : 120;
			emulator?.setLatency({ perRecordLatencyMs: Math.ceil(timeoutMs / 10) });
			try {
				const invoices = await Promise.all(
					Array.from({ length: count }, (_, k) => data.invoice(`CH-${k}`, {}, 4)),
				);
				// Each request aims at a quarter of the timeout; the first is small.
				const outcomes = await upsertBills(client({ timeoutMs }), invoices, {
					chunking: { targetMs: timeoutMs / 4, initialSize: 2 },
				});
				expect(outcomes.map((o) => (o.ok ? o.erp.action : o.reason))).toEqual(
					invoices.map(() => 'created'),
				);
				expect(await data.billsByRef(invoices.map((i) => i.invoiceNumber))).toHaveLength(count);
			} finally {
				emulator?.setLatency({ perRecordLatencyMs: 0 });
			}
		},
		{ timeoutMs: 300_000 },
	);
});
