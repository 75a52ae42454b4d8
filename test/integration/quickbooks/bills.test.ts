import {
	realmLimiter,
	upsertBills,
	syncVendors,
	type BillOutcome,
} from '../../../nodes/shared/quickbooks';
import { startQuickBooksEmulator, type QuickBooksEmulator } from '../../emulators/quickbooks';
import { invoice, seed } from './fixtures';
import { refreshGrant, refreshingTransport, staticTransport, testClient } from './transport';

let emulator: QuickBooksEmulator;

function clientFor(emu: QuickBooksEmulator, transport = refreshingTransport(emu).transport) {
	return testClient(emu, { transport });
}

const ok = (o: BillOutcome) => {
	if (!o.ok) throw new Error(`expected success, got: ${o.reason}`);
	return o;
};

beforeEach(async () => {
	emulator = await startQuickBooksEmulator({ seed });
});
afterEach(async () => {
	await emulator.stop();
});

describe('upsertBills against the QuickBooks emulator', () => {
	test('bills carry class on lines and department on the header, with the audit in PrivateNote', async () => {
		const inv = invoice();
		const [out] = await upsertBills(clientFor(emulator), [inv]);
		const o = ok(out);
		// amountTotal is what QuickBooks booked (from the create response), for the reconciliation.
		expect(o.erp).toMatchObject({
			system: 'quickbooks',
			action: 'created',
			externalId: inv.invoiceNumber,
			amountTotal: '150.25',
		});
		const bill = emulator.store.get('Bill')!.get(String(o.erp.id))!;
		expect(bill.VendorRef.value).toBe('90');
		expect(bill.DepartmentRef).toEqual({ value: '80' });
		expect(bill.Line.map((l: any) => l.AccountBasedExpenseLineDetail.ClassRef.value)).toEqual([
			'70',
			'70',
		]);
		expect(bill.Line.map((l: any) => l.AccountBasedExpenseLineDetail.AccountRef.value)).toEqual([
			'60',
			'61',
		]);
		expect(bill.TotalAmt).toBe(150.25);
		expect(bill.PrivateNote).toContain(`Stampli invoice ${inv.stampliInvoiceId}`);
		expect(bill.PrivateNote).toContain(`file ${inv.source.file}`);
		expect(bill.PrivateNote).toContain(`sha256 ${inv.source.sha256}`);
		expect(bill.PrivateNote).toContain('L1:rule-supplies,L2:rule-fees');
	});

	test('credits become VendorCredits', async () => {
		const inv = invoice({ documentType: 'credit', amounts: ['-20.00'] });
		inv.total = '-20.00';
		const [out] = await upsertBills(clientFor(emulator), [inv]);
		expect(ok(out).entity).toBe('VendorCredit');
		expect(emulator.store.get('VendorCredit')!.get(String(ok(out).erp.id))!.TotalAmt).toBe(20);
		expect(ok(out).erp.amountTotal).toBe('20');
		expect(emulator.store.get('Bill')!.size).toBe(0);
	});

	test('a vendor missing in QuickBooks is created with address and tax id, then used', async () => {
		const inv = invoice({
			vendor: {
				stampliVendorId: 'SV-9',
				name: 'Northwind Traders',
				taxId: '98-7654321',
				address: {
					line1: '1 Main St',
					city: 'Boston',
					region: 'MA',
					postalCode: '02110',
					country: 'US',
				},
			},
		});
		const [out] = await upsertBills(clientFor(emulator), [inv]);
		const vendors = [...emulator.store.get('Vendor')!.values()].filter(
			(v) => v.DisplayName === 'Northwind Traders',
		);
		expect(vendors).toHaveLength(1);
		expect(vendors[0]).toMatchObject({
			TaxIdentifier: '98-7654321',
			BillAddr: {
				Line1: '1 Main St',
				City: 'Boston',
				CountrySubDivisionCode: 'MA',
				PostalCode: '02110',
				Country: 'US',
			},
		});
		expect(ok(out).vendorId).toBe(vendors[0].Id);
	});

	test('with vendor creation off, an unknown vendor fails that item only', async () => {
		const good = invoice();
		const bad = invoice({ vendor: { stampliVendorId: 'SV-x', name: 'Nobody Ltd' } });
		const [a, b] = await upsertBills(clientFor(emulator), [good, bad], {
			createMissingVendors: false,
		});
		expect(ok(a).erp.action).toBe('created');
		expect(b).toMatchObject({ ok: false, code: 'VENDOR_NOT_FOUND' });
	});

	test('re-running the same invoices creates nothing; a changed invoice is updated with its SyncToken', async () => {
		const invoices = Array.from({ length: 45 }, () => invoice());
		const first = await upsertBills(clientFor(emulator), invoices);
		expect(first.every((o) => o.ok && o.erp.action === 'created')).toBe(true);
		const requestsAfterFirst = emulator.counters.requests;
		const second = await upsertBills(clientFor(emulator), invoices);
		expect(second.map((o) => ok(o).erp.action)).toEqual(invoices.map(() => 'unchanged'));
		expect(second.map((o) => ok(o).erp.amountTotal)).toEqual(
			first.map((o) => ok(o).erp.amountTotal),
		);
		expect(emulator.counters.created.Bill).toBe(45);
		// Dedupe is batched: a vendor query and a bill query, no write, no GET per bill.
		expect(emulator.counters.requests - requestsAfterFirst).toBe(2);

		const changed = {
			...invoices[3],
			lines: invoices[3].lines.map((l, k) =>
				k === 0 ? { ...l, amount: '101.00', unitPrice: '101.00' } : l,
			),
			total: '151.25',
		};
		const third = await upsertBills(clientFor(emulator), [changed]);
		expect(ok(third[0]).erp.action).toBe('updated');
		const bill = emulator.store.get('Bill')!.get(String(ok(third[0]).erp.id))!;
		expect(bill.SyncToken).toBe('1');
		expect(bill.TotalAmt).toBe(151.25);
		expect(emulator.store.get('Bill')!.size).toBe(45);
	});

	test('a stale SyncToken (5010) is re-read and the update retried once', async () => {
		const inv = invoice();
		const [created] = await upsertBills(clientFor(emulator), [inv]);
		const id = String(ok(created).erp.id);
		let touched = 0;
		emulator.intercept = (req) => {
			// A user edits the bill in QuickBooks between our query and our update.
			if (
				req.resource === 'batch' &&
				req.body.BatchItemRequest.some((i: any) => i.operation === 'update') &&
				touched === 0
			) {
				emulator.touch('Bill', id);
				touched++;
			}
			return undefined;
		};
		const changed = { ...inv, dueDate: '2026-12-31' };
		const [out] = await upsertBills(clientFor(emulator), [changed]);
		expect(touched).toBe(1);
		expect(ok(out).erp.action).toBe('updated');
		const bill = emulator.store.get('Bill')!.get(id)!;
		expect(bill.DueDate).toBe('2026-12-31');
		expect(bill.SyncToken).toBe('2');
	});

	test('a concurrent create (6140 duplicate DocNumber) is recognised, not doubled', async () => {
		const inv = invoice();
		let raced = false;
		emulator.intercept = (req) => {
			if (
				req.resource === 'batch' &&
				!raced &&
				req.body.BatchItemRequest.some((i: any) => i.operation === 'create' && i.Bill)
			) {
				raced = true;
				// Another run posts the same bill first.
				const other = req.body.BatchItemRequest.find((i: any) => i.Bill).Bill;
				emulator.store
					.get('Bill')!
					.set('5000', { ...structuredClone(other), Id: '5000', SyncToken: '0', TotalAmt: 150.25 });
			}
			return undefined;
		};
		const [out] = await upsertBills(clientFor(emulator), [inv]);
		expect(ok(out).erp).toMatchObject({ id: '5000', action: 'unchanged' });
		expect(emulator.store.get('Bill')!.size).toBe(1);
	});

	test('an access token that expires mid-run is refreshed (rotating the refresh token) and the run completes', async () => {
		const { transport, state } = refreshingTransport(emulator);
		const firstRefresh = state.refreshToken;
		let seen = 0;
		emulator.intercept = () => {
			seen++;
			if (seen === 3) emulator.expireAccessTokens();
			return undefined;
		};
		const invoices = Array.from({ length: 70 }, () => invoice());
		const outcomes = await upsertBills(clientFor(emulator, transport), invoices);
		expect(outcomes.every((o) => o.ok && o.erp.action === 'created')).toBe(true);
		expect(emulator.store.get('Bill')!.size).toBe(70);
		expect(state.refreshes).toBe(1);
		expect(emulator.counters.unauthorized).toBeGreaterThanOrEqual(1);
		expect(state.refreshToken).not.toBe(firstRefresh);
		// The used refresh token was rotated away: it no longer works.
		const reuse = await refreshGrant(emulator, firstRefresh);
		expect(reuse.status).toBe(400);
	});

	test('a 429 storm slows the run but loses nothing', async () => {
		await emulator.stop();
		// The emulator enforces tight limits; the client is told the generous real ones, so it overshoots and meets real 429s.
		emulator = await startQuickBooksEmulator({
			seed,
			enforceLimits: { requestsPerWindow: 6, batchPerWindow: 2, maxConcurrent: 3, windowMs: 250 },
		});
		const client = testClient(emulator, {
			limiter: realmLimiter(`storm|${emulator.url}`, { limits: { minuteMs: 600 } }),
			retry: { maxThrottleAttempts: 20 },
		});
		const invoices = Array.from({ length: 200 }, () => invoice());
		const outcomes = await upsertBills(client, invoices);
		expect(outcomes.filter((o) => !o.ok)).toEqual([]);
		expect(emulator.store.get('Bill')!.size).toBe(200);
		expect(emulator.counters.throttled).toBeGreaterThan(0);
		expect(client.stats.throttled).toBe(emulator.counters.throttled);
	});

	test('Retry-After on 429 is honoured', async () => {
		let throttles = 0;
		emulator.intercept = (req) => {
			if (req.resource === 'batch' && throttles < 2) {
				throttles++;
				return {
					status: 429,
					headers: { 'Retry-After': '0' },
					body: '<?xml version="1.0"?><IntuitResponse xmlns="http://schema.intuit.com/finance/v3"><Fault type="SERVICE"><Error code="3001"><Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message><Detail>The request limit was reached.</Detail></Error></Fault></IntuitResponse>',
				};
			}
			return undefined;
		};
		// A back-off of an hour: only Retry-After: 0 lets this finish at once.
		const waits: number[] = [];
		const client = testClient(emulator, {
			sleep: async (ms) => void waits.push(ms),
			retry: { throttleBaseDelayMs: 3_600_000 },
		});
		const outcomes = await upsertBills(client, [invoice(), invoice()]);
		expect(outcomes.every((o) => o.ok)).toBe(true);
		expect(client.stats.throttled).toBe(2);
		expect(waits).toEqual([0, 0]);
	});

	test('a vendor name with an apostrophe and a backslash is queried correctly and not duplicated', async () => {
		const name = "O'Brien \\ Sons";
		const inv = invoice({ vendor: { stampliVendorId: 'SV-7', name } });
		const first = await upsertBills(clientFor(emulator), [inv]);
		const second = await upsertBills(clientFor(emulator), [inv]);
		expect(ok(first[0]).erp.action).toBe('created');
		expect(ok(second[0]).erp.action).toBe('unchanged');
		const vendors = [...emulator.store.get('Vendor')!.values()].filter(
			(v) => v.DisplayName === name,
		);
		expect(vendors).toHaveLength(1);
		expect(emulator.counters.created.Vendor).toBe(1);
	});

	test('an invoice number longer than 21 characters is shortened deterministically, full number kept in PrivateNote', async () => {
		const long = 'INV-2026-ACME-WEST-000123456';
		const inv = invoice({ invoiceNumber: long });
		const [a] = await upsertBills(clientFor(emulator), [inv]);
		const [b] = await upsertBills(clientFor(emulator), [inv]);
		expect(ok(a).docNumber).toHaveLength(21);
		expect(ok(b).erp.action).toBe('unchanged');
		const bill = emulator.store.get('Bill')!.get(String(ok(a).erp.id))!;
		expect(bill.PrivateNote).toContain(`invoice number ${long}`);
		const [rejected] = await upsertBills(
			clientFor(emulator),
			[invoice({ invoiceNumber: long + 'X' })],
			{ longDocNumber: 'reject' },
		);
		expect(rejected).toMatchObject({ ok: false, code: 'DOC_NUMBER_TOO_LONG' });
	});

	test('one bad invoice does not block the good ones; errors name the invoice, file and field', async () => {
		const good = invoice();
		const unmapped = invoice();
		unmapped.mapping!.lines = unmapped.mapping!.lines.slice(0, 1);
		const badRef = invoice();
		badRef.mapping!.lines[0].quickbooks!.accountRef = { value: '999' };
		const outcomes = await upsertBills(clientFor(emulator), [good, unmapped, badRef]);
		expect(ok(outcomes[0]).erp.action).toBe('created');
		expect(outcomes[1]).toMatchObject({ ok: false, code: 'UNMAPPED_LINE' });
		expect((outcomes[1] as { reason: string }).reason).toContain(unmapped.stampliInvoiceId);
		expect((outcomes[1] as { reason: string }).reason).toContain(unmapped.source.file);
		expect((outcomes[1] as { reason: string }).reason).toContain('line 2');
		expect(outcomes[2]).toMatchObject({ ok: false, code: '2500' });
	});

	test('secrets never appear in errors or outcomes', async () => {
		const tokens = emulator.issueTokens();
		emulator.expireAccessTokens();
		const client = clientFor(emulator, staticTransport(tokens.access_token));
		const outcomes = await upsertBills(client, [invoice()]);
		const text = JSON.stringify(outcomes);
		expect(outcomes[0]).toMatchObject({ ok: false });
		expect(text).toContain('3200');
		for (const secret of [
			tokens.access_token,
			tokens.refresh_token,
			emulator.clientSecret,
			tokens.access_token.slice(9, 30),
		]) {
			expect(text).not.toContain(secret);
		}
		await expect(client.query('Vendor', 'SELECT * FROM Vendor')).rejects.toThrow(
			/AuthenticationFailed/,
		);
		await client.query('Vendor', 'SELECT * FROM Vendor').catch((e: Error) => {
			expect(e.message).not.toContain(tokens.access_token);
			expect(JSON.stringify(e)).not.toContain(tokens.access_token);
		});
	});
});

describe('syncVendors against the QuickBooks emulator', () => {
	test('creates, updates when different, leaves equal ones unchanged; tax ids compared through the mask', async () => {
		const client = clientFor(emulator);
		const out = await syncVendors(client, [
			{ name: 'Staples Inc', taxId: '12-3456789' },
			{
				name: 'Staples Inc',
				taxId: '12-3456789',
				address: { line1: '500 Staples Dr', city: 'Framingham' },
			},
			{
				name: 'Globex LLC',
				taxId: '55-5555555',
				email: 'ap@globex.test',
				phone: '+1 555 0100',
				address: { line1: '2 Elm', city: 'Springfield', country: 'US' },
			},
		]);
		// Same name twice in one call → written once, both items share the outcome.
		expect(out[0]).toEqual(out[1]);
		expect(out[0]).toMatchObject({ ok: true, vendorId: '90', erp: { action: 'updated' } });
		expect(emulator.store.get('Vendor')!.get('90')!.BillAddr).toEqual({
			Line1: '500 Staples Dr',
			City: 'Framingham',
		});
		expect(out[2]).toMatchObject({ ok: true, erp: { action: 'created' } });
		const again = await syncVendors(client, [
			{ name: 'staples inc', taxId: '12-3456789' },
			{ name: 'Globex LLC', taxId: '55-5555555', email: 'ap@globex.test' },
		]);
		expect(again.map((o) => o.ok && o.erp.action)).toEqual(['unchanged', 'unchanged']);
		const changedTax = await syncVendors(client, [{ name: 'Globex LLC', taxId: '55-5551234' }]);
		expect(changedTax[0]).toMatchObject({
			ok: true,
			erp: { action: 'updated', reason: 'changed TaxIdentifier' },
		});
	});

	test('a DisplayName taken by a customer (6240) gets an actionable error, or the configured suffix', async () => {
		const client = clientFor(emulator);
		const [clash] = await syncVendors(client, [{ name: 'Acme Corp' }]);
		expect(clash).toMatchObject({ ok: false, code: '6240' });
		expect((clash as { reason: string }).reason).toMatch(
			/already used by a customer or an employee.*no vendor has this name.*Duplicate Name Suffix.*Id=95/s,
		);
		const [suffixed] = await syncVendors(client, [{ name: 'Acme Corp' }], {
			duplicateNameSuffix: ' (Vendor)',
		});
		expect(suffixed).toMatchObject({
			ok: true,
			displayName: 'Acme Corp (Vendor)',
			erp: { action: 'created' },
		});
		const [again] = await syncVendors(client, [{ name: 'Acme Corp' }], {
			duplicateNameSuffix: ' (Vendor)',
		});
		expect(again).toMatchObject({
			ok: true,
			displayName: 'Acme Corp (Vendor)',
			erp: { action: 'unchanged' },
		});
		expect(
			[...emulator.store.get('Vendor')!.values()].filter((v) => v.DisplayName.startsWith('Acme')),
		).toHaveLength(1);
	});

	test('an inactive vendor with the name is found and reactivated, not duplicated', async () => {
		emulator.store.get('Vendor')!.get('90')!.Active = false;
		const [out] = await syncVendors(clientFor(emulator), [{ name: 'Staples Inc' }]);
		expect(out).toMatchObject({
			ok: true,
			vendorId: '90',
			erp: { action: 'updated', reason: 'changed Active' },
		});
		expect(emulator.store.get('Vendor')!.get('90')!.Active).toBe(true);
	});
});
