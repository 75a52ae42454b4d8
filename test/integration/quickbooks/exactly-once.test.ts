/**
 * QuickBooks bills exactly once, against the emulator over real HTTP:
 * - DocNumbers match as QuickBooks compares them (case aside), and a bill of another Stampli
 *   invoice is never taken over;
 * - a failure after some bills were written (a re-read that fails, anything unexpected) becomes
 *   per-invoice outcomes, never an exception that loses the written ones;
 * - the same invoice twice in one batch follows the seam's one rule (written once, the copy
 *   `skipped` with the same id; a different version of it fails).
 */
import { quickBooksWriter, upsertBills, type BillOutcome } from '../../../nodes/shared/quickbooks';
import { startQuickBooksEmulator, type QuickBooksEmulator } from '../../emulators/quickbooks';
import { invoice, seed } from './fixtures';
import { staleThenFailingRereads, testClient } from './transport';

jest.setTimeout(60_000);

let emulator: QuickBooksEmulator;

beforeEach(async () => {
	emulator = await startQuickBooksEmulator({ seed });
});
afterEach(async () => {
	await emulator.stop();
});

const ok = (o: BillOutcome) => {
	if (!o.ok) throw new Error(`expected success, got: ${o.reason}`);
	return o;
};

/** A bill keyed in by a person (no PrivateNote of ours). */
function billByHand(docNumber: string, vendor = '90') {
	return emulator.createRecord('Bill', {
		VendorRef: { value: vendor },
		DocNumber: docNumber,
		Line: [
			{
				DetailType: 'AccountBasedExpenseLineDetail',
				Amount: 10,
				AccountBasedExpenseLineDetail: { AccountRef: { value: '60' } },
			},
		],
	});
}

const serverError = {
	status: 500,
	body: { Fault: { Error: [{ Message: 'Internal error', code: '10000' }], type: 'SystemFault' } },
};

describe('DocNumbers as QuickBooks compares them', () => {
	test('the emulator refuses CASE-1 beside case-1 of the same vendor while "Warn if duplicate bill number" is on, and takes it when off', async () => {
		billByHand('case-1');
		const client = testClient(emulator);
		const body = {
			VendorRef: { value: '90' },
			DocNumber: 'CASE-1',
			Line: [
				{
					DetailType: 'AccountBasedExpenseLineDetail',
					Amount: 5,
					AccountBasedExpenseLineDetail: { AccountRef: { value: '60' } },
				},
			],
		};
		await expect(client.create('Bill', body)).rejects.toMatchObject({ code: '6140' });
		// Another vendor may use the number.
		emulator.createRecord('Vendor', { DisplayName: 'Globex' });
		const other = [...emulator.store.get('Vendor')!.values()].find(
			(v) => v.DisplayName === 'Globex',
		)!;
		await expect(
			client.create('Bill', { ...body, VendorRef: { value: other.Id } }),
		).resolves.toMatchObject({ DocNumber: 'CASE-1' });

		const lenient = await startQuickBooksEmulator({
			seed,
			preferences: { warnDuplicateBillNumber: false },
		});
		try {
			lenient.createRecord('Bill', { ...body, DocNumber: 'case-1' });
			await expect(testClient(lenient).create('Bill', body)).resolves.toMatchObject({
				DocNumber: 'CASE-1',
			});
		} finally {
			await lenient.stop();
		}
	});

	test('an invoice CASE-1 beside an existing bill case-1 of its vendor is that bill: updated, not refused', async () => {
		const existing = billByHand('case-1');
		const inv = invoice({ invoiceNumber: 'CASE-1' });
		const [out] = await upsertBills(testClient(emulator), [inv]);
		expect(ok(out).erp).toMatchObject({ id: existing.Id, action: 'updated' });
		expect(emulator.store.get('Bill')!.size).toBe(1);
		expect(emulator.store.get('Bill')!.get(existing.Id)!.DocNumber).toBe('CASE-1');
		// The next run finds it unchanged.
		const [again] = await upsertBills(testClient(emulator), [inv]);
		expect(ok(again).erp).toMatchObject({ id: existing.Id, action: 'unchanged' });
	});

	test('a bill written for another Stampli invoice is not taken over, whatever the case of its number', async () => {
		const first = invoice({ invoiceNumber: 'inv-77' });
		const [written] = await upsertBills(testClient(emulator), [first]);
		const id = ok(written).erp.id!;
		const before = structuredClone(emulator.store.get('Bill')!.get(String(id)));
		const [other] = await upsertBills(testClient(emulator), [invoice({ invoiceNumber: 'INV-77' })]);
		expect(other).toMatchObject({ ok: false, code: 'DOC_NUMBER_TAKEN' });
		expect((other as { reason: string }).reason).toContain(first.stampliInvoiceId);
		expect(emulator.store.get('Bill')!.get(String(id))).toEqual(before);
	});

	test('two different invoices whose numbers differ only in case, same vendor, one batch: the first is written, the second fails', async () => {
		const outcomes = await upsertBills(testClient(emulator), [
			invoice({ invoiceNumber: 'ABC-1' }),
			invoice({ invoiceNumber: 'abc-1' }),
		]);
		expect(ok(outcomes[0]).erp.action).toBe('created');
		expect(outcomes[1]).toMatchObject({ ok: false, code: 'DUPLICATE_DOC_NUMBER' });
		expect(emulator.store.get('Bill')!.size).toBe(1);
	});
});

describe('failures after bills were written stay per invoice', () => {
	test('5010, then the re-read fails: that invoice fails, the bill written beside it keeps its outcome', async () => {
		const changing = invoice();
		const [first] = await upsertBills(testClient(emulator), [changing]);
		const id = String(ok(first).erp.id);
		// Someone edits the bill right after our lookup (stale SyncToken → 5010); every later Bill query fails.
		staleThenFailingRereads(emulator, id);
		const fresh = invoice();
		const outcomes = await upsertBills(testClient(emulator), [
			{ ...changing, total: '150.25', dueDate: '2026-12-31' },
			fresh,
		]);
		expect(outcomes[0]).toMatchObject({ ok: false });
		expect((outcomes[0] as { reason: string }).reason).toMatch(/reading the Bill again failed/);
		expect(ok(outcomes[1]).erp.action).toBe('created');
	});

	test('a batch request that cannot be sent fails its invoices; those written before keep their outcome', async () => {
		const outcomes = await upsertBills(
			testClient(emulator),
			Array.from({ length: 31 }, () => invoice()),
		);
		expect(outcomes.every((o) => o.ok)).toBe(true);
		let batches = 0;
		emulator.intercept = (req) =>
			req.resource === 'batch' && ++batches > 1 ? serverError : undefined;
		const more = await upsertBills(
			testClient(emulator),
			Array.from({ length: 60 }, () => invoice()),
		);
		// Chunks of 30: one went through, the other met 500s until the client gave up.
		expect(more.filter((o) => o.ok)).toHaveLength(30);
		expect(more.filter((o) => !o.ok)).toHaveLength(30);
	});
});

describe('the same invoice twice in one batch (the seam rule)', () => {
	test('identical copies: written once, the copy skipped with the same QuickBooks id', async () => {
		const inv = invoice();
		const outcomes = await quickBooksWriter(testClient(emulator)).upsertBills([
			inv,
			structuredClone(inv),
		]);
		expect(outcomes[0]).toMatchObject({ ok: true, erp: { action: 'created' } });
		const id = (outcomes[0] as BillOutcome & { ok: true }).erp.id;
		expect(outcomes[1]).toMatchObject({ ok: true, erp: { action: 'skipped', id } });
		expect(emulator.store.get('Bill')!.size).toBe(1);
	});

	test('two versions of one invoice: the first is written, the other fails naming the first', async () => {
		const inv = invoice();
		const outcomes = await quickBooksWriter(testClient(emulator)).upsertBills([
			inv,
			{ ...inv, dueDate: '2027-01-31', source: { ...inv.source, rows: [99] } },
		]);
		expect(outcomes[0]).toMatchObject({ ok: true, erp: { action: 'created' } });
		expect(outcomes[1]).toMatchObject({ ok: false, code: 'DUPLICATE_IN_BATCH' });
		expect((outcomes[1] as { reason: string }).reason).toContain('item 1');
	});
});
