/** The seam's one rule for the same record twice in a batch, on a writer that only records calls. */
import {
	INVOICE_DUPLICATES,
	failed,
	writeOncePerRecord,
	type ErpOutcome,
} from '../../../nodes/shared/erp';
import type { Invoice } from '../../../nodes/shared/records';
import { invoice } from '../../integration/quickbooks/fixtures';

function recordingWriter(fail: Set<string> = new Set()) {
	const calls: Invoice[][] = [];
	const write = async (unique: Invoice[]): Promise<ErpOutcome[]> => {
		calls.push(unique);
		return unique.map((inv, k) =>
			fail.has(inv.stampliInvoiceId)
				? failed(new Error('refused'), `${inv.stampliInvoiceId} refused`)
				: { ok: true, erp: { system: 'test', id: `id-${k}`, action: 'created' as const } },
		);
	};
	return { calls, write };
}

describe('the same invoice twice in one batch', () => {
	test('identical copies (wherever they came from) are written once; each copy reports that write as skipped', async () => {
		const a = invoice();
		const b = invoice();
		const copy = { ...structuredClone(a), source: { ...a.source, rows: [42] } };
		const w = recordingWriter();
		const out = await writeOncePerRecord([a, b, copy], INVOICE_DUPLICATES, w.write);
		expect(w.calls).toEqual([[a, b]]);
		expect(out[0]).toMatchObject({ ok: true, erp: { id: 'id-0', action: 'created' } });
		expect(out[2]).toMatchObject({
			ok: true,
			erp: {
				id: 'id-0',
				action: 'skipped',
				reason: 'same invoice as item 1 of this batch, written once',
			},
		});
	});

	test('a different version of the same invoice fails, naming the item that was written', async () => {
		const a = invoice();
		const w = recordingWriter();
		const out = await writeOncePerRecord([a, { ...a, total: '1.00' }], INVOICE_DUPLICATES, w.write);
		expect(w.calls).toEqual([[a]]);
		expect(out[1]).toMatchObject({ ok: false, code: 'DUPLICATE_IN_BATCH' });
		expect((out[1] as { reason: string }).reason).toMatch(
			/appears twice in this batch with different content \(first at item 1\)/,
		);
	});

	test("a copy of a record that failed fails the same way; records without an id are left to the writer's checks", async () => {
		const a = invoice();
		const noId = { ...invoice(), stampliInvoiceId: '' };
		const w = recordingWriter(new Set([a.stampliInvoiceId]));
		const out = await writeOncePerRecord(
			[a, structuredClone(a), noId, structuredClone(noId)],
			INVOICE_DUPLICATES,
			w.write,
		);
		expect(w.calls[0]).toHaveLength(3);
		expect(out[1]).toMatchObject({
			ok: false,
			reason: `${a.stampliInvoiceId} refused (same invoice as item 1 of this batch, written once)`,
		});
	});
});
