/**
 * The QuickBooks master-data reader against the emulator over real HTTP, through the package's
 * client: full snapshots paged with STARTPOSITION/MAXRESULTS, incremental reads through change data
 * capture (inactive records as such, deleted purchase orders as deleted), the 30-day look-back, an
 * answer at CDC's 1,000-object maximum, and the cursor taken from QuickBooks' own clock.
 */
import {
	readQboMasterData,
	type QboMasterDataCursor,
	type QboMasterDataReadOptions,
} from '../../../../nodes/shared/quickbooks/masterData';
import { startQuickBooksEmulator, type QuickBooksEmulator } from '../../../emulators/quickbooks';
import { testClient } from '../transport';

const DAY = 86_400_000;

async function readAll(emulator: QuickBooksEmulator, options: QboMasterDataReadOptions) {
	const reader = readQboMasterData(testClient(emulator), options);
	const records: Array<Record<string, any>> = [];
	for await (const record of reader) records.push(record as Record<string, any>);
	return { records, cursor: reader.cursor(), stats: reader.stats, reader };
}

describe('QuickBooks master-data reader', () => {
	let emulator: QuickBooksEmulator;

	beforeEach(async () => {
		emulator = await startQuickBooksEmulator({
			seed: {
				accounts: [
					{
						Id: '60',
						Name: 'Office Expenses',
						AcctNum: '6100',
						AccountSubType: 'OfficeGeneralAdministrativeExpenses',
					},
					{ Id: '61', Name: 'Supplies', ParentRef: { value: '60' } },
					{ Id: '62', Name: 'Old Account', Active: false },
					{ Id: '63', Name: 'Accounts Payable (A/P)', AccountType: 'Accounts Payable' },
				],
				classes: [
					{ Id: '70', Name: 'Consulting' },
					{ Id: '71', Name: 'Audit', ParentRef: { value: '70' } },
				],
				departments: [{ Id: '80', Name: 'New York' }],
				terms: [{ Id: '3', Name: 'Net 30', DueDays: 30 }],
				vendors: [
					{
						Id: '90',
						DisplayName: 'Staples Inc',
						TaxIdentifier: '12-3456789',
						Notes: 'Pays by check\nStampli vendor id: SV-7',
						BillAddr: { Line1: '1 Main St', City: 'Boston', CountrySubDivisionCode: 'MA' },
						TermRef: { value: '3', name: 'Net 30' },
					},
					{ Id: '91', DisplayName: 'Dormant LLC', Active: false },
				],
				purchaseOrders: [
					{
						Id: '500',
						DocNumber: 'PO-1',
						VendorRef: { value: '90' },
						TxnDate: '2026-11-01',
						Line: [
							{
								Amount: 10.1,
								DetailType: 'AccountBasedExpenseLineDetail',
								Description: 'Paper',
								AccountBasedExpenseLineDetail: { AccountRef: { value: '61' } },
							},
							{
								Amount: 0.2,
								DetailType: 'AccountBasedExpenseLineDetail',
								AccountBasedExpenseLineDetail: { AccountRef: { value: '60' } },
							},
						],
					},
					{
						Id: '501',
						VendorRef: { value: '90' },
						POStatus: 'Closed',
						Line: [
							{
								Amount: 5,
								DetailType: 'AccountBasedExpenseLineDetail',
								AccountBasedExpenseLineDetail: { AccountRef: { value: '60' } },
							},
						],
					},
				],
			},
		});
	});

	afterEach(async () => {
		await emulator.stop();
	});

	it('reads a full snapshot page by page, active records only, mapped for the feeds', async () => {
		for (let i = 0; i < 7; i++) emulator.createRecord('Vendor', { DisplayName: `Vendor ${i}` });
		const { records, stats, cursor } = await readAll(emulator, {
			resource: 'vendors',
			mode: 'full',
			pageSize: 3,
		});
		expect(records.map((r) => r.name)).toEqual([
			'Staples Inc',
			...Array.from({ length: 7 }, (_, i) => `Vendor ${i}`),
		]);
		expect(stats.pages).toBe(3);
		expect(emulator.counters.byResource.query).toBe(3);
		expect(records[0]).toEqual({
			vendorId: '90',
			name: 'Staples Inc',
			address: { line1: '1 Main St', city: 'Boston', region: 'MA' },
			paymentTerms: 'Net 30',
			active: true,
			stampliVendorId: 'SV-7',
		});
		// The cursor is QuickBooks' time (the company's offset), less the overlap.
		expect(cursor?.changedSince).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-07:00$/);
	});

	it('includes inactive records on request, accounts with their QuickBooks type and full name', async () => {
		const { records } = await readAll(emulator, {
			resource: 'glAccounts',
			mode: 'full',
			includeInactive: true,
		});
		expect(records).toEqual([
			expect.objectContaining({
				accountId: '60',
				code: '6100',
				name: 'Office Expenses',
				fullyQualifiedName: 'Office Expenses',
				type: 'expense',
				quickbooksType: 'Expense',
				quickbooksSubType: 'OfficeGeneralAdministrativeExpenses',
				active: true,
			}),
			expect.objectContaining({
				accountId: '61',
				code: 'Office Expenses:Supplies',
				fullyQualifiedName: 'Office Expenses:Supplies',
				parentId: '60',
			}),
			expect.objectContaining({ accountId: '62', active: false }),
			expect.objectContaining({ accountId: '63', type: 'liability_payable' }),
		]);
		const classes = await readAll(emulator, { resource: 'classes', mode: 'full' });
		expect(classes.records).toEqual([
			{
				dimensionId: '70',
				dimension: 'class',
				name: 'Consulting',
				fullyQualifiedName: 'Consulting',
				active: true,
			},
			{
				dimensionId: '71',
				dimension: 'class',
				name: 'Audit',
				fullyQualifiedName: 'Consulting:Audit',
				parentId: '70',
				active: true,
			},
		]);
		const terms = await readAll(emulator, { resource: 'terms', mode: 'full' });
		expect(terms.records).toEqual([
			{ termId: '3', name: 'Net 30', type: 'STANDARD', dueDays: 30, active: true },
		]);
	});

	it('reads open purchase orders with their lines, amounts as decimal strings', async () => {
		const { records } = await readAll(emulator, { resource: 'purchaseOrders', mode: 'full' });
		expect(records).toEqual([
			{
				poId: '500',
				poNumber: 'PO-1',
				vendorId: '90',
				vendorName: 'Staples Inc',
				orderDate: '2026-11-01',
				currency: 'USD',
				total: '10.3',
				status: 'Open',
				lines: [
					{
						lineId: '1',
						lineNumber: 1,
						description: 'Paper',
						quantity: '1',
						unitPrice: '10.1',
						amount: '10.1',
						glAccount: '61',
					},
					{
						lineId: '2',
						lineNumber: 2,
						description: '',
						quantity: '1',
						unitPrice: '0.2',
						amount: '0.2',
						glAccount: '60',
					},
				],
			},
		]);
	});

	it('reads only what changed since the cursor, inactive and deleted records reported as such', async () => {
		// Past the overlap, so the seeded records are not changes of the next read.
		emulator.clock.shift(5 * 60_000);
		const first = await readAll(emulator, { resource: 'vendors', mode: 'incremental' });
		expect(first.stats.fullReadBecause).toBe('no cursor');
		// The first incremental run reads everything, inactive vendors included.
		expect(first.records.map((r) => [r.vendorId, r.active])).toEqual([
			['90', true],
			['91', false],
		]);
		emulator.clock.shift(5 * 60_000);
		emulator.updateRecord('Vendor', '90', { Active: false });
		const added = emulator.createRecord('Vendor', { DisplayName: 'New Vendor' });
		const second = await readAll(emulator, {
			resource: 'vendors',
			mode: 'incremental',
			cursor: first.cursor,
		});
		expect(second.stats).toMatchObject({ cdcRequests: 1, pages: 0, records: 2, inactive: 1 });
		expect(emulator.counters.byResource.cdc).toBe(1);
		expect(second.records.map((r) => [r.vendorId, r.active])).toEqual([
			['90', false],
			[added.Id, true],
		]);
		expect(Date.parse(second.cursor!.changedSince)).toBeGreaterThan(
			Date.parse(first.cursor!.changedSince),
		);

		emulator.clock.shift(5 * 60_000);
		const pos = await readAll(emulator, {
			resource: 'purchaseOrders',
			mode: 'incremental',
			cursor: { ...second.cursor!, resource: 'purchaseOrders' },
		});
		expect(pos.records).toEqual([]);
		emulator.clock.shift(60_000);
		emulator.deleteRecord('PurchaseOrder', '500');
		emulator.updateRecord('PurchaseOrder', '501', { PrivateNote: 'reviewed' });
		const afterDelete = await readAll(emulator, {
			resource: 'purchaseOrders',
			mode: 'incremental',
			cursor: pos.cursor,
		});
		expect(afterDelete.records).toEqual([
			expect.objectContaining({ poId: '501', status: 'Closed' }),
			{ poId: '500', poNumber: '500', status: 'Deleted', lines: [], deleted: true },
		]);
		expect(afterDelete.stats.deleted).toBe(1);
	});

	it('reads in full when the cursor is older than change data capture keeps', async () => {
		const old: QboMasterDataCursor = {
			version: 1,
			system: 'quickbooks',
			resource: 'classes',
			changedSince: new Date(Date.now() - 31 * DAY).toISOString(),
			savedAt: '',
		};
		const { records, stats } = await readAll(emulator, {
			resource: 'classes',
			mode: 'incremental',
			cursor: old,
		});
		expect(stats.fullReadBecause).toBe('cursor older than 30 days');
		expect(emulator.counters.byResource.cdc).toBeUndefined();
		expect(records).toHaveLength(2);
	});

	it('the emulator refuses a look-back beyond 30 days as QuickBooks does', async () => {
		const client = testClient(emulator);
		await expect(
			client.call('GET', 'cdc', {
				qs: { entities: 'Vendor', changedSince: new Date(Date.now() - 31 * DAY).toISOString() },
			}),
		).rejects.toThrow(/older than fixed days/);
	});

	it('completes an answer at the 1,000-object maximum with a query on LastUpdatedTime', async () => {
		emulator.clock.shift(5 * 60_000);
		const first = await readAll(emulator, { resource: 'vendors', mode: 'full' });
		emulator.clock.shift(5 * 60_000);
		for (let i = 0; i < 1005; i++) emulator.createRecord('Vendor', { DisplayName: `Bulk ${i}` });
		const { records, stats } = await readAll(emulator, {
			resource: 'vendors',
			mode: 'incremental',
			cursor: first.cursor,
		});
		expect(stats.cdcOverflow).toBe(true);
		expect(new Set(records.map((r) => r.name)).size).toBe(1005);
		expect(stats.pages).toBe(2);
	});

	it('refuses a cursor of another resource', () => {
		expect(() =>
			readQboMasterData(testClient(emulator), {
				resource: 'vendors',
				mode: 'incremental',
				cursor: {
					version: 1,
					system: 'quickbooks',
					resource: 'classes',
					changedSince: new Date().toISOString(),
					savedAt: '',
				},
			}),
		).toThrow(/belongs to "classes"/);
	});
});
