import {
	OdooError,
	OdooRequestError,
	OdooTransportError,
	OdooUserError,
} from '../../../nodes/shared/odoo/errors';
import { runIsolated } from '../../../nodes/shared/odoo/faultIsolation';
import { externalName } from '../../../nodes/shared/odoo/externalIds';

describe('runIsolated', () => {
	it('isolates faulty records by halving, keeping every good result', async () => {
		const items = Array.from({ length: 16 }, (_, k) => k);
		const bad = new Set([5, 11]);
		let calls = 0;
		const results = await runIsolated(items, async (batch) => {
			calls++;
			const culprit = batch.find((x) => bad.has(x));
			if (culprit !== undefined) throw new OdooUserError(`record ${culprit} refused`);
			return batch.map((x) => x * 10);
		});
		expect(results.map((r) => (r.ok ? r.value : r.error.message))).toEqual(
			items.map((x) => (bad.has(x) ? `record ${x} refused` : x * 10)),
		);
		// 1 + 2 per level for each bad record's branch: far fewer than one call per record.
		expect(calls).toBeLessThanOrEqual(1 + 2 * 2 * Math.log2(16));
	});

	it('does not split on errors that concern the whole batch', async () => {
		let calls = 0;
		const results = await runIsolated([1, 2, 3, 4], async () => {
			calls++;
			throw new OdooTransportError('Cannot reach Odoo');
		});
		expect(calls).toBe(1);
		expect(results.every((r) => !r.ok && r.error instanceof OdooError)).toBe(true);
	});

	it('does not split a request Odoo could not bind (a programming error, whatever the records)', async () => {
		let calls = 0;
		const results = await runIsolated([1, 2, 3, 4, 5, 6, 7, 8], async () => {
			calls++;
			throw new OdooRequestError("got an unexpected keyword argument 'bogus'");
		});
		expect(calls).toBe(1);
		expect(results.every((r) => !r.ok && r.error.kind === 'request')).toBe(true);
	});
});

describe('externalName', () => {
	it('keeps safe ids readable and makes unsafe ones unique', () => {
		expect(externalName('invoice', 'STI_42')).toBe('invoice_STI_42');
		const a = externalName('invoice', 'INV-1/2');
		const b = externalName('invoice', 'INV_1_2');
		expect(a).toMatch(/^invoice_INV_1_2_[0-9a-f]{10}$/);
		expect(a).not.toBe(b);
		expect(externalName('payment', 'x'.repeat(300)).length).toBeLessThan(110);
	});
});
