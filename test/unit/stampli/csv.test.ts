import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Invoice, Payment, Vendor } from '../../../nodes/shared/records/types';
import {
	getDefaultTemplate,
	parseStampliFile,
	parseWithTemplate,
	resolveTemplate,
	StampliFileError,
} from '../../../nodes/shared/stampli';
import { fixture, invoiceCsv, INVOICE_HEADER, trickle } from './helpers';

const invoicesOf = (records: unknown[]) => records as Invoice[];

async function fileError(promise: Promise<unknown>): Promise<StampliFileError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(StampliFileError);
	return error as StampliFileError;
}

describe('invoice-export@1 CSV', () => {
	it('reads the sample: grouped lines, quoted newline, credit memo, canonical values and source', async () => {
		const data = fixture('invoice-export.csv');
		const parsed = await parseStampliFile(
			{ name: 'outbound/invoice-export.csv', data },
			'invoices',
		);
		expect(parsed.errors).toEqual([]);
		expect(parsed.warnings).toEqual([]);
		expect(parsed.file).toEqual({
			name: 'outbound/invoice-export.csv',
			sha256: createHash('sha256').update(data).digest('hex'),
			bytes: data.length,
			format: 'csv',
			template: 'invoice-export@1',
		});
		const [first, credit, third] = invoicesOf(parsed.records);
		expect(first).toMatchObject({
			stampliInvoiceId: 'INV-1001',
			invoiceNumber: 'A-5521',
			documentType: 'bill',
			vendor: {
				stampliVendorId: 'V-100',
				name: 'Acme Office Supply, Inc.',
				taxId: '12-3456789',
				address: { line1: '1 Main St', city: 'Springfield', country: 'US' },
			},
			invoiceDate: '2026-03-02',
			dueDate: '2026-04-01',
			currency: 'USD',
			total: '1100',
			taxTotal: '100',
			poNumber: 'PO-7001',
			approvedAt: '2026-03-05T14:22:10.000Z',
			source: {
				file: 'outbound/invoice-export.csv',
				sha256: parsed.file.sha256,
				format: 'csv',
				template: 'invoice-export@1',
				rows: [1, 2],
			},
		});
		expect(first.lines).toEqual([
			{
				lineNumber: 1,
				description: 'Paper, A4 (box)',
				quantity: '10',
				unitPrice: '50',
				amount: '500',
				glAccount: '6100',
				dimensions: { department: 'Admin', location: 'HQ' },
				poLine: '1',
				taxCode: 'TAX10',
			},
			{
				lineNumber: 2,
				description: 'Toner cartridge\n(black, high yield)',
				quantity: '4',
				unitPrice: '125',
				amount: '500',
				glAccount: '6100',
				dimensions: { department: 'Admin', location: 'HQ' },
				poLine: '2',
				taxCode: 'TAX10',
			},
		]);
		// The credit memo is exported with negative amounts; canonically it is a positive credit.
		expect(credit).toMatchObject({
			documentType: 'credit',
			total: '55',
			taxTotal: '5',
			vendor: { stampliVendorId: 'V-200', name: 'Northwind Traders' },
		});
		// No ERP vendor id in the sample: each ERP finds the vendor itself (Odoo by ref / VAT, QuickBooks by name).
		expect(credit.vendor.erpVendorId).toBeUndefined();
		expect(credit.lines[0]).toMatchObject({
			amount: '50',
			unitPrice: '50',
			quantity: '1',
			dimensions: { department: 'Ops', class: 'Retail', location: 'HQ', project: 'P-9' },
			taxCode: 'TAX10',
		});
		expect(credit.dueDate).toBeUndefined();
		expect(third).toMatchObject({
			stampliInvoiceId: 'INV-1003',
			currency: 'EUR',
			total: '2400',
			taxTotal: '0',
			source: { rows: [4] },
		});
	});

	it('reads an ERP vendor id from the VendorErpId column', async () => {
		const data = Buffer.from(
			fixture('invoice-export.csv')
				.toString('utf8')
				.replace('V-200,Northwind Traders,,,', 'V-200,Northwind Traders,,NW-7,'),
		);
		const parsed = await parseStampliFile({ name: 'x.csv', data }, 'invoices');
		expect(
			invoicesOf(parsed.records).find((r) => r.stampliInvoiceId === 'INV-1002')?.vendor.erpVendorId,
		).toBe('NW-7');
	});

	it('reads the same records from a stream in tiny chunks, with and without a BOM', async () => {
		const data = fixture('invoice-export.csv');
		const plain = await parseStampliFile({ name: 'a.csv', data }, 'invoices');
		const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), data]);
		const streamed = await parseStampliFile(
			{ name: 'a.csv', data: trickle(withBom, 5) },
			'invoices',
		);
		expect(streamed.errors).toEqual([]);
		const strip = (r: unknown[]) =>
			invoicesOf(r).map(({ source, ...rest }) => ({ ...rest, rows: source.rows }));
		expect(strip(streamed.records)).toEqual(strip(plain.records));
		expect(streamed.file.sha256).toBe(createHash('sha256').update(withBom).digest('hex'));
		expect(streamed.file.bytes).toBe(withBom.length);
	});

	it('groups rows of one invoice that are not adjacent', async () => {
		const parsed = await parseStampliFile(
			{
				name: 'x.csv',
				data: invoiceCsv(
					'INV-1,N1,bill,V1,Vendor One,2026-01-05,USD,30.00,0,10.00,6000',
					'INV-2,N2,bill,V2,Vendor Two,2026-01-06,USD,5.00,0,5.00,6000',
					'INV-1,N1,bill,V1,Vendor One,2026-01-05,USD,30.00,0,20.00,6100',
				),
			},
			'invoices',
		);
		expect(parsed.errors).toEqual([]);
		const [one, two] = invoicesOf(parsed.records);
		expect(one.source.rows).toEqual([1, 3]);
		expect(one.lines.map((l) => [l.lineNumber, l.amount, l.glAccount])).toEqual([
			[1, '10', '6000'],
			[2, '20', '6100'],
		]);
		expect(two.source.rows).toEqual([2]);
	});

	it('reports header values that conflict across rows of one invoice, naming rows and field', async () => {
		const parsed = await parseStampliFile(
			{
				name: 'x.csv',
				data: invoiceCsv(
					'INV-1,N1,bill,V1,Vendor One,2026-01-05,USD,30.00,0,10.00,6000',
					'INV-1,N1,bill,V1,Vendor 1,2026-01-05,USD,30.00,0,20.00,6000',
					'INV-2,N2,bill,V2,Two,2026-01-06,USD,5,0,5,6000',
				),
			},
			'invoices',
		);
		expect(parsed.records.map((r) => (r as Invoice).stampliInvoiceId)).toEqual(['INV-2']);
		expect(parsed.errors).toEqual([
			{
				file: 'x.csv',
				rows: [1, 2],
				field: 'VendorName',
				recordId: 'INV-1',
				reason: expect.stringContaining(
					'conflicting values across rows of INV-1: "Vendor One" (row 1) and "Vendor 1" (row 2)',
				),
			},
		]);
	});

	it('reports a bad amount with row and field while the good invoices survive', async () => {
		const parsed = await parseStampliFile(
			{
				name: 'x.csv',
				data: invoiceCsv(
					'INV-1,N1,bill,V1,One,2026-01-05,USD,10.00,0,10.00,6000',
					'INV-2,N2,bill,V2,Two,2026-01-06,USD,12.00,0,12.0O,6000',
					'INV-3,N3,bill,V3,Three,2026-01-07,USD,7.00,0,7.00,6000',
				),
			},
			'invoices',
		);
		expect(invoicesOf(parsed.records).map((r) => r.stampliInvoiceId)).toEqual(['INV-1', 'INV-3']);
		expect(parsed.errors).toEqual([
			{
				file: 'x.csv',
				rows: [2],
				field: 'LineAmount',
				recordId: 'INV-2',
				reason: expect.stringMatching(
					/^LineAmount \(lines\[\]\.amount\): "12\.0O" is not a decimal number/,
				),
			},
		]);
	});

	it('all-or-nothing withholds every record when one is bad, and says why', async () => {
		const data = invoiceCsv(
			'INV-1,N1,bill,V1,One,2026-01-05,USD,10.00,0,10.00,6000',
			'INV-2,N2,bill,V2,Two,2026-02-30,USD,12.00,0,12.00,6000',
		);
		const parsed = await parseStampliFile({ name: 'x.csv', data }, 'invoices', {
			allOrNothing: true,
		});
		expect(parsed.records).toEqual([]);
		expect(parsed.errors[0]).toMatchObject({
			rows: [2],
			field: 'InvoiceDate',
			reason: expect.stringContaining('2026-02 has no day 30'),
		});
		expect(parsed.errors[1].reason).toMatch(/all-or-nothing: 1 valid record\(s\) withheld/);
		const good = await parseStampliFile(
			{ name: 'x.csv', data: invoiceCsv('INV-1,N1,bill,V1,One,2026-01-05,USD,10.00,0,10.00,6000') },
			'invoices',
			{ allOrNothing: true },
		);
		expect(good.records).toHaveLength(1);
	});

	it('checks sum(lines) = total − tax exactly, or within the configured tolerance', async () => {
		const data = invoiceCsv(
			'INV-1,N1,bill,V1,One,2026-01-05,USD,110.01,10.00,60.00,6000',
			'INV-1,N1,bill,V1,One,2026-01-05,USD,110.01,10.00,40.00,6100',
		);
		const strict = await parseStampliFile({ name: 'x.csv', data }, 'invoices');
		expect(strict.records).toEqual([]);
		expect(strict.errors).toEqual([
			{
				file: 'x.csv',
				rows: [1, 2],
				field: 'Total',
				recordId: 'INV-1',
				reason:
					'Total (total): line amounts sum to 100.00 but total 110.01 − tax 10 = 100.01 (difference -0.01, tolerance 0)',
			},
		]);
		expect(
			(await parseStampliFile({ name: 'x.csv', data }, 'invoices', { sumTolerance: '0.01' }))
				.records,
		).toHaveLength(1);
		expect(
			(await parseStampliFile({ name: 'x.csv', data }, 'invoices', { sumTolerance: '0.005' }))
				.records,
		).toHaveLength(0);
		await expect(
			parseStampliFile({ name: 'x.csv', data }, 'invoices', { sumTolerance: '-1' }),
		).rejects.toThrow(/sum tolerance must be a non-negative decimal/);
	});

	it('reads decimal commas, semicolons, grouped thousands and European dates through overrides', async () => {
		const template = resolveTemplate(getDefaultTemplate('invoices'), {
			delimiter: ';',
			decimalSeparator: ',',
			groupSeparator: '.',
			dateFormat: 'DD.MM.YYYY',
		});
		const data = Buffer.from(
			[
				INVOICE_HEADER.replace(/,/g, ';'),
				'INV-1;N1;Rechnung;V1;Müller GmbH;31.01.2026;EUR;1.190,00;190,00;"1.000,00";6000',
			]
				.join('\n')
				.replace('Rechnung', 'invoice'),
			'utf8',
		);
		const parsed = await parseStampliFile({ name: 'x.csv', data }, 'invoices', { template });
		expect(parsed.errors).toEqual([]);
		expect(parsed.records[0]).toMatchObject({
			invoiceDate: '2026-01-31',
			total: '1190',
			taxTotal: '190',
			vendor: { name: 'Müller GmbH' },
			lines: [{ amount: '1000' }],
		});
		expect(parsed.file.template).toBe('invoice-export@1');
	});

	it('reads US dates and refuses impossible ones with row and field', async () => {
		const template = resolveTemplate(getDefaultTemplate('invoices'), { dateFormat: 'MM/DD/YYYY' });
		const parsed = await parseStampliFile(
			{
				name: 'x.csv',
				data: invoiceCsv(
					'INV-1,N1,bill,V1,One,02/28/2026,USD,1,0,1,6000',
					'INV-2,N2,bill,V2,Two,02/29/2026,USD,1,0,1,6000',
				),
			},
			'invoices',
			{ template },
		);
		expect(parsed.records[0]).toMatchObject({ invoiceDate: '2026-02-28' });
		expect(parsed.errors).toEqual([
			expect.objectContaining({ rows: [2], field: 'InvoiceDate', recordId: 'INV-2' }),
		]);
	});

	it('reads Latin-1 when selected, and says so when a Latin-1 file is read as UTF-8', async () => {
		const latin1 = Buffer.from(
			[INVOICE_HEADER, 'INV-1,N1,bill,V1,Müller Bäckerei,2026-01-05,EUR,1,0,1,6000'].join('\r\n'),
			'latin1',
		);
		const template = resolveTemplate(getDefaultTemplate('invoices'), { encoding: 'latin1' });
		const parsed = await parseStampliFile({ name: 'x.csv', data: latin1 }, 'invoices', {
			template,
		});
		expect(parsed.records[0]).toMatchObject({ vendor: { name: 'Müller Bäckerei' } });
		const wrong = await fileError(parseStampliFile({ name: 'x.csv', data: latin1 }, 'invoices'));
		expect(wrong.reason).toMatch(/not valid UTF-8 .* select the Latin-1 encoding/);
		const bomUnderLatin1 = Buffer.concat([
			Buffer.from([0xef, 0xbb, 0xbf]),
			fixture('invoice-export.csv'),
		]);
		expect(
			(
				await fileError(
					parseStampliFile({ name: 'x.csv', data: bomUnderLatin1 }, 'invoices', { template }),
				)
			).reason,
		).toMatch(/byte-order mark but the Latin-1 encoding is selected/);
	});

	it('keeps UTF-8 characters split across chunk boundaries intact', async () => {
		const data = Buffer.from(
			[INVOICE_HEADER, 'INV-1,N1,bill,V1,Café 東京 🧾,2026-01-05,EUR,1,0,1,6000'].join('\n'),
			'utf8',
		);
		for (const size of [1, 2, 3, 5]) {
			const parsed = await parseStampliFile(
				{ name: 'x.csv', data: trickle(data, size) },
				'invoices',
			);
			expect(parsed.records[0]).toMatchObject({ vendor: { name: 'Café 東京 🧾' } });
		}
	});

	it('uses renamed columns and constants instead of the default layout', async () => {
		const template = resolveTemplate(getDefaultTemplate('invoices'), {
			columns: { stampliInvoiceId: 'Stampli ID', 'vendor.name': 'Supplier', LineAmount: 'Net' },
			constants: [
				{ path: 'currency', value: 'CAD' },
				{ path: 'lines[].dimensions.location', value: 'Toronto' },
			],
		});
		const data = Buffer.from(
			[
				'Stampli ID,InvoiceNumber,DocumentType,VendorId,Supplier,InvoiceDate,Total,Net,GLAccount',
				'S-9,9,credit note,V9,Maple Co,2026-02-01,25.00,25.00,6000',
			].join('\n'),
		);
		const parsed = await parseStampliFile({ name: 'x.csv', data }, 'invoices', { template });
		expect(parsed.errors).toEqual([]);
		expect(parsed.records[0]).toMatchObject({
			stampliInvoiceId: 'S-9',
			documentType: 'credit',
			currency: 'CAD',
			vendor: { name: 'Maple Co' },
			lines: [{ amount: '25', dimensions: { location: 'Toronto' } }],
		});
	});

	it('refuses a file that lacks a required column, naming it', async () => {
		const data = Buffer.from(
			'InvoiceId,InvoiceNumber,DocumentType,VendorId,VendorName,InvoiceDate,Currency,LineAmount,GLAccount\nINV-1,1,bill,V,N,2026-01-01,USD,1,6000\n',
		);
		const error = await fileError(parseStampliFile({ name: 'in/x.csv', data }, 'invoices'));
		expect(error).toMatchObject({ file: 'in/x.csv', field: 'Total' });
		expect(error.reason).toMatch(/required column "Total" \(total\) is missing from the header/);
		expect(error.message).toMatch(/^"in\/x.csv" \(field "Total"\): required column/);
	});

	it('refuses an oversized file before reading it all', async () => {
		const data = fixture('invoice-export.csv');
		let pulled = 0;
		const stream = Readable.from(
			(function* () {
				for (let i = 0; i < 1000; i++) {
					pulled++;
					yield data;
				}
			})(),
		);
		const error = await fileError(
			parseStampliFile({ name: 'big.csv', data: stream }, 'invoices', { maxBytes: 10_000 }),
		);
		expect(error.reason).toMatch(/larger than the 10000-byte limit/);
		expect(pulled).toBeLessThan(20);
	});

	it('reports broken CSV quoting as a file error with the row', async () => {
		const data = invoiceCsv(
			'INV-1,N1,bill,V1,One,2026-01-05,USD,1,0,1,6000',
			'INV-2,N2,bill,V2,"Two "broken" quote,2026-01-05,USD,1,0,1,6000',
		);
		const error = await fileError(parseStampliFile({ name: 'x.csv', data }, 'invoices'));
		expect(error.reason).toMatch(/not valid CSV/);
		expect(error.row).toBe(2);
	});

	it('rejects an invoice with a row of the wrong width, and a row without an invoice id', async () => {
		const parsed = await parseStampliFile(
			{
				name: 'x.csv',
				data: invoiceCsv(
					'INV-1,N1,bill,V1,One,2026-01-05,USD,2,0,1,6000',
					'INV-1,N1,bill,V1,One,2026-01-05,USD,2,0,1',
					',N9,bill,V9,Nine,2026-01-05,USD,1,0,1,6000',
					'INV-3,N3,bill,V3,Three,2026-01-05,USD,1,0,1,6000',
				),
			},
			'invoices',
		);
		expect(invoicesOf(parsed.records).map((r) => r.stampliInvoiceId)).toEqual(['INV-3']);
		expect(parsed.errors).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					rows: [2],
					recordId: 'INV-1',
					reason: 'row 2 has 10 cells but the header has 11',
				}),
				expect.objectContaining({
					rows: [3],
					field: 'InvoiceId',
					reason: 'InvoiceId is empty, so the row belongs to no record',
				}),
			]),
		);
	});

	it('maps document type aliases and refuses unknown ones', async () => {
		const parsed = await parseStampliFile(
			{
				name: 'x.csv',
				data: invoiceCsv(
					'A,1,Vendor Invoice,V,N,2026-01-05,USD,1,0,1,6000',
					'B,2,CREDIT_MEMO,V,N,2026-01-05,USD,1,0,1,6000',
					'C,3,quote,V,N,2026-01-05,USD,1,0,1,6000',
				),
			},
			'invoices',
		);
		expect(invoicesOf(parsed.records).map((r) => r.documentType)).toEqual(['bill', 'credit']);
		expect(parsed.errors).toEqual([
			expect.objectContaining({
				rows: [3],
				field: 'DocumentType',
				reason: expect.stringContaining('"quote" is not a document type'),
			}),
		]);
	});

	it('warns (without rejecting) when quantity × unit price differs from the amount by more than a cent', async () => {
		const data = Buffer.from(
			[
				'InvoiceId,InvoiceNumber,DocumentType,VendorId,VendorName,InvoiceDate,Currency,Total,Quantity,UnitPrice,LineAmount,GLAccount',
				'A,1,bill,V,N,2026-01-05,USD,10.00,3,3.333,10.00,6000',
				'B,2,bill,V,N,2026-01-05,USD,12.00,3,3.50,12.00,6000',
			].join('\n'),
		);
		const parsed = await parseStampliFile({ name: 'x.csv', data }, 'invoices');
		expect(parsed.records).toHaveLength(2);
		expect(parsed.warnings).toEqual([
			expect.objectContaining({
				rows: [2],
				recordId: 'B',
				field: 'LineAmount',
				reason: expect.stringContaining('quantity 3 × unit price 3.5 = 10.5, not 12'),
			}),
		]);
	});

	it('keeps a "../" file name as data: reported verbatim, never touched on disk', async () => {
		const name = '../../outside/../x.csv';
		const parsed = await parseStampliFile(
			{ name, data: fixture('invoice-export.csv') },
			'invoices',
		);
		expect(parsed.file.name).toBe(name);
		expect(parsed.records.every((r) => (r as Invoice).source.file === name)).toBe(true);
		expect(existsSync(join(process.cwd(), '..', '..', 'outside'))).toBe(false);
		const bad = await parseStampliFile(
			{ name: '../\u0000evil\nname', data: invoiceCsv('A,1,bill,V,N,2026-01-05,USD,2,0,1,6000') },
			'invoices',
			{ format: 'csv' },
		);
		expect(bad.errors[0].file).toBe('../\u0000evil\nname');
	});

	it('recognises the format by content when the name has no known extension', async () => {
		const parsed = await parseStampliFile(
			{ name: 'export_2026-03-01', data: fixture('invoice-export.xml') },
			'invoices',
		);
		expect(parsed.file.format).toBe('xml');
		const csv = await parseStampliFile(
			{ name: 'export_2026-03-01', data: fixture('invoice-export.csv') },
			'invoices',
		);
		expect(csv.file.format).toBe('csv');
	});

	it('refuses an empty file and a template of another kind', async () => {
		expect(
			(await fileError(parseStampliFile({ name: 'x.csv', data: Buffer.alloc(0) }, 'invoices')))
				.reason,
		).toMatch(/empty/);
		await expect(
			parseStampliFile({ name: 'x.csv', data: Buffer.from('a') }, 'invoices', {
				template: getDefaultTemplate('payments'),
			}),
		).rejects.toThrow(/is for payments, not invoices/);
	});
});

describe('payment-export@1 and vendor-export@1 CSV', () => {
	it('reads the payment sample', async () => {
		const parsed = await parseStampliFile(
			{ name: 'p.csv', data: fixture('payment-export.csv') },
			'payments',
		);
		expect(parsed.errors).toEqual([]);
		expect(parsed.records as Payment[]).toEqual([
			expect.objectContaining({
				stampliPaymentId: 'PAY-501',
				stampliInvoiceId: 'INV-1001',
				invoiceNumber: 'A-5521',
				vendor: { stampliVendorId: 'V-100', name: 'Acme Office Supply, Inc.', taxId: '12-3456789' },
				paymentDate: '2026-03-20',
				amount: '1100',
				currency: 'USD',
				method: 'ACH',
				reference: 'ACH-000123',
			}),
			expect.objectContaining({
				stampliPaymentId: 'PAY-502',
				amount: '1200',
				currency: 'EUR',
				reference: 'Partial, 1 of 2',
				source: expect.objectContaining({ rows: [2], template: 'payment-export@1' }),
			}),
		]);
	});

	it('reports a payment id that appears twice', async () => {
		const data = Buffer.from(
			fixture('payment-export.csv').toString() +
				'PAY-501,INV-1001,A-5521,V-100,Acme,,,2026-03-22,5.00,USD,ACH,again\n',
		);
		const parsed = await parseStampliFile({ name: 'p.csv', data }, 'payments');
		expect((parsed.records as Payment[]).map((p) => p.stampliPaymentId)).toEqual(['PAY-502']);
		expect(parsed.errors).toEqual([
			expect.objectContaining({
				rows: [1, 3],
				field: 'PaymentId',
				reason: expect.stringContaining('appears 2 times'),
			}),
		]);
	});

	it('reads the vendor sample with yes/no values', async () => {
		const parsed = await parseStampliFile(
			{ name: 'v.csv', data: fixture('vendor-export.csv') },
			'vendors',
		);
		expect(parsed.errors).toEqual([]);
		const vendors = parsed.records as Vendor[];
		expect(vendors.map((v) => [v.vendorId, v.stampliVendorId, v.active])).toEqual([
			['V-100', 'V-100', true],
			['V-200', 'V-200', true],
			['V-300', 'V-300', false],
		]);
		expect(vendors[2]).toMatchObject({
			name: 'Globex Consulting',
			taxId: 'DE123456789',
			address: { line1: 'Hauptstr. 5', city: 'Berlin', postalCode: '10115', country: 'DE' },
			currency: 'EUR',
			paymentTerms: 'Net 60',
		});
	});
});

describe('feed templates read back their samples', () => {
	it.each([
		['vendorFeed', 'vendor-feed.csv', 2],
		['purchaseOrderFeed', 'purchase-order-feed.csv', 1],
		['glAccountFeed', 'gl-account-feed.csv', 3],
	] as const)('%s from %s', async (kind, name, count) => {
		const parsed = await parseWithTemplate({ name, data: fixture(name) }, kind);
		expect(parsed.errors).toEqual([]);
		expect(parsed.records).toHaveLength(count);
	});

	it('groups purchase order lines under their PO', async () => {
		const parsed = await parseWithTemplate(
			{ name: 'po.csv', data: fixture('purchase-order-feed.csv') },
			'purchaseOrderFeed',
		);
		expect(parsed.records[0]).toMatchObject({
			poNumber: 'PO-7001',
			vendorId: '14',
			total: '1000',
			lines: [
				{ lineId: '101', quantity: '10', amount: '500' },
				{ lineId: '102', lineNumber: 2 },
			],
		});
	});
});
