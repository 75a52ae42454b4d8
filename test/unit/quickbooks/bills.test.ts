import { buildBillPayload, qboDocNumber } from '../../../nodes/shared/quickbooks';
import { invoice } from '../../integration/quickbooks/fixtures';

describe('bill payloads', () => {
	test('DocNumber rule: ≤ 21 kept, longer shortened deterministically or rejected', () => {
		expect(qboDocNumber('INV-1')).toBe('INV-1');
		const a = qboDocNumber('INV-2026-ACME-WEST-000123456');
		expect(a).toHaveLength(21);
		expect(a).toBe(qboDocNumber('INV-2026-ACME-WEST-000123456'));
		expect(a).not.toBe(qboDocNumber('INV-2026-ACME-WEST-000123457'));
		expect(() => qboDocNumber('x'.repeat(22), 'reject')).toThrow(/21/);
	});

	test('mixed departments, a missing tax account and a total mismatch are refused with the field named', () => {
		const mixed = invoice();
		mixed.mapping!.lines[1].quickbooks!.departmentRef = { value: '81' };
		expect(() => buildBillPayload(mixed, '1')).toThrow(/2 QuickBooks departments/);
		const taxed = invoice({ taxTotal: '5.00' });
		taxed.total = '155.25';
		expect(() => buildBillPayload(taxed, '1')).toThrow(/Tax Account/);
		expect(buildBillPayload(taxed, '1', { taxAccountId: '62' }).body.Line).toHaveLength(3);
		const off = invoice();
		off.total = '150.24';
		expect(() => buildBillPayload(off, '1')).toThrow(/add up to 150.25 but total is 150.24/);
	});

	test('amounts go to the wire as numbers from decimal strings; fingerprint stable', () => {
		const inv = invoice({ amounts: ['0.10', '0.20'] });
		const p = buildBillPayload(inv, '1');
		expect((p.body.Line as any[]).map((l) => l.Amount)).toEqual([0.1, 0.2]);
		expect(buildBillPayload(inv, '1').fingerprint).toBe(p.fingerprint);
		expect(p.body.PrivateNote).toContain(`fp:${p.fingerprint}`);
	});
});
