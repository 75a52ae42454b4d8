/**
 * QuickBooks entities → canonical records → the QuickBooks feed templates, CSV and XML, byte for
 * byte against the samples in test/fixtures/stampli/qbo/ (the same samples docs/quickbooks-feeds.md
 * shows); the files read back with the same templates; a formula-looking name is neutralised in CSV.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { feedTemplateFrom } from '../../../../nodes/shared/feeds';
import {
	deletedRecord,
	mapAccount,
	mapDimension,
	mapPurchaseOrder,
	mapVendor,
} from '../../../../nodes/shared/quickbooks/masterData';
import {
	compileFeedEncoder,
	encodeFeed,
	newFeedStats,
} from '../../../../nodes/shared/stampli/feedEncoding';
import type { FeedKind } from '../../../../nodes/shared/feeds';

const SAMPLES = join(__dirname, '../../../fixtures/stampli/qbo');

const vendors = [
	mapVendor({
		Id: '56',
		DisplayName: 'Staples Inc',
		Notes: 'Net 30 agreed\nStampli vendor id: SV-1001',
		PrimaryEmailAddr: { Address: 'ap@staples.example' },
		BillAddr: {
			Line1: '500 Staples Dr',
			City: 'Framingham',
			CountrySubDivisionCode: 'MA',
			PostalCode: '01702',
			Country: 'US',
		},
		CurrencyRef: { value: 'USD' },
		TermRef: { value: '3', name: 'Net 30' },
		TaxIdentifier: 'XXXXX6789',
		Active: true,
	}),
	mapVendor({ Id: '57', DisplayName: '=HYPERLINK("x")', Active: false }),
];
const accounts = [
	mapAccount({
		Id: '7',
		Name: 'Office Expenses',
		AcctNum: '6100',
		FullyQualifiedName: 'Office Expenses',
		AccountType: 'Expense',
		AccountSubType: 'OfficeGeneralAdministrativeExpenses',
		CurrencyRef: { value: 'USD' },
		Active: true,
	}),
	mapAccount({
		Id: '8',
		Name: 'Supplies',
		FullyQualifiedName: 'Office Expenses:Supplies',
		ParentRef: { value: '7' },
		SubAccount: true,
		AccountType: 'Expense',
		AccountSubType: 'SuppliesMaterials',
		CurrencyRef: { value: 'USD' },
		Active: true,
	}),
	mapAccount({
		Id: '33',
		Name: 'Accounts Payable (A/P)',
		FullyQualifiedName: 'Accounts Payable (A/P)',
		AccountType: 'Accounts Payable',
		AccountSubType: 'AccountsPayable',
		CurrencyRef: { value: 'USD' },
		Active: true,
	}),
];
const classes = [
	mapDimension(
		{ Id: '5000000000000001', Name: 'Consulting', FullyQualifiedName: 'Consulting', Active: true },
		'class',
	),
	mapDimension(
		{
			Id: '5000000000000002',
			Name: 'Audit',
			FullyQualifiedName: 'Consulting:Audit',
			ParentRef: { value: '5000000000000001' },
			Active: true,
		},
		'class',
	),
];
const departments = [
	mapDimension(
		{ Id: '1', Name: 'New York', FullyQualifiedName: 'New York', Active: true },
		'department',
	),
	mapDimension(
		{ Id: '2', Name: 'Boston', FullyQualifiedName: 'Boston', Active: false },
		'department',
	),
];
const purchaseOrders = [
	mapPurchaseOrder({
		Id: '130',
		DocNumber: '1005',
		VendorRef: { value: '56', name: 'Staples Inc' },
		TxnDate: '2026-11-20',
		CurrencyRef: { value: 'USD' },
		TotalAmt: 1250.5,
		POStatus: 'Open',
		Line: [
			{
				Id: '1',
				LineNum: 1,
				Description: 'Copy paper, 40 cases',
				Amount: 1000,
				DetailType: 'ItemBasedExpenseLineDetail',
				ItemBasedExpenseLineDetail: {
					ItemRef: { value: '11', name: 'Paper:Letter' },
					Qty: 40,
					UnitPrice: 25,
				},
			},
			{
				Id: '2',
				LineNum: 2,
				Description: 'Delivery',
				Amount: 250.5,
				DetailType: 'AccountBasedExpenseLineDetail',
				AccountBasedExpenseLineDetail: { AccountRef: { value: '8', name: 'Supplies' } },
			},
		],
	}),
	deletedRecord('purchaseOrders', '129'),
];

const CASES: Array<[string, FeedKind, string | undefined, unknown[]]> = [
	['vendors', 'vendorFeed', 'qbo-vendor-feed@1', vendors],
	['gl-accounts', 'glAccountFeed', 'qbo-gl-account-feed@1', accounts],
	['classes', 'classFeed', undefined, classes],
	['departments', 'departmentFeed', undefined, departments],
	['purchase-orders', 'purchaseOrderFeed', 'qbo-purchase-order-feed@1', purchaseOrders],
];

async function encode(
	kind: FeedKind,
	templateId: string | undefined,
	format: 'csv' | 'xml',
	records: unknown[],
) {
	const template = feedTemplateFrom(kind, format, {}, templateId);
	const stats = newFeedStats();
	const chunks: Buffer[] = [];
	const encoder = compileFeedEncoder(template, format, { neutraliseFormulas: format === 'csv' });
	for await (const chunk of encodeFeed(encoder, records, stats)) chunks.push(chunk);
	return { text: Buffer.concat(chunks).toString('utf8'), stats };
}

describe('QuickBooks feed templates', () => {
	it.each(
		CASES.flatMap(([name, kind, id, records]) =>
			(['csv', 'xml'] as const).map((format) => [name, format, kind, id, records] as const),
		),
	)('%s (%s) matches its sample', async (name, format, kind, id, records) => {
		const { text, stats } = await encode(kind, id, format, records);
		expect(stats.rejected).toEqual([]);
		expect(stats.records).toBe(records.length);
		if (process.env.WRITE_QBO_SAMPLES) writeFileSync(join(SAMPLES, `${name}.${format}`), text);
		expect(text).toBe(readFileSync(join(SAMPLES, `${name}.${format}`), 'utf8'));
	});

	it('carries the Stampli vendor id and leaves a masked tax id out', () => {
		expect(vendors[0]).toMatchObject({ vendorId: '56', stampliVendorId: 'SV-1001' });
		expect(vendors[0]).not.toHaveProperty('taxId');
	});

	it('neutralises a formula-looking vendor name in CSV, not in XML', async () => {
		const csv = await encode('vendorFeed', 'qbo-vendor-feed@1', 'csv', vendors);
		expect(csv.text).toContain(`"'=HYPERLINK(""x"")"`);
		const xml = await encode('vendorFeed', 'qbo-vendor-feed@1', 'xml', vendors);
		expect(xml.text).toContain('<Name>=HYPERLINK("x")</Name>');
	});

	it('refuses a named template of another feed', () => {
		expect(() => feedTemplateFrom('classFeed', 'csv', {}, 'qbo-vendor-feed@1')).toThrow(
			/no classFeed template "qbo-vendor-feed@1"/,
		);
	});
});
