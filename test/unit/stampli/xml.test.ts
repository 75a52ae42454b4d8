import type { Invoice, Payment, Vendor } from '../../../nodes/shared/records/types';
import {
	getDefaultTemplate,
	parseStampliFile,
	parseWithTemplate,
	resolveTemplate,
	StampliFileError,
} from '../../../nodes/shared/stampli';
import { fixture, trickle } from './helpers';

async function fileError(promise: Promise<unknown>): Promise<StampliFileError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(StampliFileError);
	return error as StampliFileError;
}

const invoiceXml = (...invoices: string[]) =>
	Buffer.from(
		`<?xml version="1.0" encoding="UTF-8"?>\n<InvoiceExport>${invoices.join('')}</InvoiceExport>`,
	);

const invoice = (
	id: string,
	{ total = '10.00', amount = '10.00', date = '2026-01-05', extra = '' } = {},
) =>
	`<Invoice><InvoiceId>${id}</InvoiceId><InvoiceNumber>N-${id}</InvoiceNumber><DocumentType>bill</DocumentType><Vendor><Id>V1</Id><Name>One</Name></Vendor>` +
	`<InvoiceDate>${date}</InvoiceDate><Currency>USD</Currency><Total>${total}</Total>${extra}<Lines><Line><Amount>${amount}</Amount><GLAccount>6000</GLAccount></Line></Lines></Invoice>`;

describe('invoice-export@1 XML', () => {
	it('reads the sample with the same canonical shape as the CSV sample', async () => {
		const parsed = await parseStampliFile(
			{ name: 'outbound/invoice-export.xml', data: fixture('invoice-export.xml') },
			'invoices',
		);
		expect(parsed.errors).toEqual([]);
		expect(parsed.file).toMatchObject({ format: 'xml', template: 'invoice-export@1' });
		const [first, credit] = parsed.records as Invoice[];
		expect(first).toMatchObject({
			stampliInvoiceId: 'INV-1001',
			documentType: 'bill',
			vendor: {
				stampliVendorId: 'V-100',
				name: 'Acme Office Supply & Co',
				address: { line1: '1 Main St', country: 'US' },
			},
			total: '1100',
			taxTotal: '100',
			approvedAt: '2026-03-05T14:22:10.000Z',
			source: {
				file: 'outbound/invoice-export.xml',
				format: 'xml',
				template: 'invoice-export@1',
				rows: [1],
				sha256: parsed.file.sha256,
			},
		});
		expect(first.lines[1]).toEqual({
			lineNumber: 2,
			description: 'Toner cartridge – black',
			quantity: '4',
			unitPrice: '125',
			amount: '500',
			glAccount: '6100',
			dimensions: { department: 'Admin', location: 'HQ' },
			poLine: '2',
			taxCode: 'TAX10',
		});
		expect(credit).toMatchObject({
			documentType: 'credit',
			total: '55',
			taxTotal: '5',
			vendor: { stampliVendorId: 'V-200', name: 'Northwind Traders' },
			lines: [
				{
					lineNumber: 1,
					quantity: '1',
					unitPrice: '50',
					amount: '50',
					dimensions: { class: 'Retail', project: 'P-9' },
					taxCode: 'TAX10',
				},
			],
		});
		expect(credit.vendor.erpVendorId).toBeUndefined();
		// The Vendor/ErpId element is still read when present.
		const withErpId = Buffer.from(
			fixture('invoice-export.xml')
				.toString('utf8')
				.replace(
					'<Name>Northwind Traders</Name>',
					'<Name>Northwind Traders</Name><ErpId>NW-7</ErpId>',
				),
		);
		const reparsed = await parseStampliFile({ name: 'x.xml', data: withErpId }, 'invoices');
		expect((reparsed.records as Invoice[])[1].vendor.erpVendorId).toBe('NW-7');
	});

	it('reports a bad record by element index and element path while the good ones survive', async () => {
		const parsed = await parseStampliFile(
			{
				name: 'x.xml',
				data: invoiceXml(
					invoice('A'),
					invoice('B', { date: '2026-02-31' }),
					invoice('C', { total: '11.00' }),
					invoice('D'),
				),
			},
			'invoices',
		);
		expect((parsed.records as Invoice[]).map((r) => r.stampliInvoiceId)).toEqual(['A', 'D']);
		expect(parsed.errors).toEqual([
			expect.objectContaining({
				rows: [2],
				field: 'InvoiceDate',
				recordId: 'B',
				reason: expect.stringContaining('2026-02 has no day 31'),
			}),
			expect.objectContaining({
				rows: [3],
				field: 'Total',
				recordId: 'C',
				reason: expect.stringContaining('line amounts sum to 10.00 but total 11 − tax 0 = 11.00'),
			}),
		]);
	});

	it('names a bad line amount by its element path', async () => {
		const parsed = await parseStampliFile(
			{ name: 'x.xml', data: invoiceXml(invoice('A', { amount: 'ten' })) },
			'invoices',
		);
		expect(parsed.errors).toEqual([
			expect.objectContaining({
				rows: [1],
				field: 'Lines/Line/Amount',
				reason: expect.stringContaining('"ten" is not a decimal number'),
			}),
		]);
	});

	it('rejects both elements of a duplicated invoice id, an element repeated where one value is expected, and an invoice without lines', async () => {
		const noLines =
			'<Invoice><InvoiceId>E</InvoiceId><InvoiceNumber>5</InvoiceNumber><DocumentType>bill</DocumentType><Vendor><Id>V</Id><Name>N</Name></Vendor><InvoiceDate>2026-01-01</InvoiceDate><Currency>USD</Currency><Total>0</Total></Invoice>';
		const parsed = await parseStampliFile(
			{
				name: 'x.xml',
				data: invoiceXml(
					invoice('A'),
					invoice('B', { extra: '<Currency>EUR</Currency>' }),
					invoice('A'),
					noLines,
					invoice('OK'),
				),
			},
			'invoices',
		);
		expect((parsed.records as Invoice[]).map((r) => r.stampliInvoiceId)).toEqual(['OK']);
		expect(parsed.errors).toEqual([
			expect.objectContaining({
				rows: [1, 3],
				recordId: 'A',
				reason: expect.stringContaining('appears 2 times (record elements 1, 3)'),
			}),
			expect.objectContaining({
				rows: [2],
				field: 'Currency',
				reason: expect.stringContaining('<Currency> appears 2 times'),
			}),
			expect.objectContaining({ rows: [4], recordId: 'E', reason: 'the invoice has no lines' }),
		]);
	});

	it('decodes the predefined entities and character references, and reports undeclared ones', async () => {
		const parsed = await parseStampliFile(
			{
				name: 'x.xml',
				data: invoiceXml(
					invoice('A&amp;B', { extra: '<PONumber>&lt;PO&gt; &#65;&#x42; &quot;&apos;</PONumber>' }),
					invoice('C', { extra: '<PONumber>&nbsp;</PONumber>' }),
				),
			},
			'invoices',
		);
		expect(parsed.records[0]).toMatchObject({ stampliInvoiceId: 'A&B', poNumber: '<PO> AB "\'' });
		expect(parsed.errors).toEqual([
			expect.objectContaining({
				rows: [2],
				field: 'PONumber',
				reason: expect.stringContaining('undeclared entity &nbsp;'),
			}),
		]);
	});

	it('reads ISO-8859-1 when the declaration says so', async () => {
		const data = Buffer.from(
			`<?xml version="1.0" encoding="ISO-8859-1"?><InvoiceExport>${invoice('A').replace('<Name>One</Name>', '<Name>Société Générale</Name>')}</InvoiceExport>`,
			'latin1',
		);
		const parsed = await parseStampliFile({ name: 'x.xml', data }, 'invoices');
		expect(parsed.records[0]).toMatchObject({ vendor: { name: 'Société Générale' } });
	});

	it('refuses malformed XML with line and column, and a wrong root element', async () => {
		const broken = await fileError(
			parseStampliFile(
				{
					name: 'x.xml',
					data: Buffer.from('<InvoiceExport>\n<Invoice><InvoiceId>A</InvoiceId>\n</InvoiceExport>'),
				},
				'invoices',
			),
		);
		expect(broken.reason).toMatch(/not well-formed XML at line \d+, column \d+/);
		const wrongRoot = await fileError(
			parseStampliFile({ name: 'x.xml', data: fixture('payment-export.xml') }, 'invoices'),
		);
		expect(wrongRoot.reason).toBe(
			'expected the root element <InvoiceExport>, found <PaymentExport>',
		);
	});

	it('honours renamed elements and record elements from the template', async () => {
		const template = resolveTemplate(getDefaultTemplate('invoices'), {
			elements: { 'vendor.name': 'Vendor/DisplayName' },
		});
		template.xml.rootElement = 'Bills';
		template.xml.recordElement = 'Bill';
		const data = Buffer.from(
			`<Bills>${invoice('A')
				.replace(/Invoice>/g, 'Bill>')
				.replace('<Name>One</Name>', '<DisplayName>Renamed</DisplayName>')}</Bills>`,
		);
		const parsed = await parseStampliFile({ name: 'x.xml', data }, 'invoices', { template });
		expect(parsed.errors).toEqual([]);
		expect(parsed.records[0]).toMatchObject({ vendor: { name: 'Renamed' } });
	});
});

describe('XML safety: no DTD, no entity expansion', () => {
	const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<InvoiceExport>${invoice('A').replace('<Name>One</Name>', '<Name>&lol9;</Name>')}</InvoiceExport>`;

	it.each([
		['a billion-laughs document', billionLaughs, 'DOCTYPE'],
		[
			'an external entity',
			`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><InvoiceExport>${invoice('&xxe;')}</InvoiceExport>`,
			'DOCTYPE',
		],
		[
			'a bare DOCTYPE',
			`<!DOCTYPE InvoiceExport SYSTEM "http://127.0.0.1:1/x.dtd"><InvoiceExport>${invoice('A')}</InvoiceExport>`,
			'DOCTYPE',
		],
		[
			'a lower-case doctype',
			`<!doctype InvoiceExport><InvoiceExport>${invoice('A')}</InvoiceExport>`,
			'DOCTYPE',
		],
		[
			'an ENTITY declaration without DOCTYPE',
			`<InvoiceExport><!ENTITY x "y">${invoice('A')}</InvoiceExport>`,
			'ENTITY',
		],
	])('refuses %s before parsing', async (_label, xml, kind) => {
		const error = await fileError(
			parseStampliFile({ name: 'evil.xml', data: Buffer.from(xml) }, 'invoices'),
		);
		expect(error.file).toBe('evil.xml');
		expect(error.reason).toContain(`<!${kind}> declaration`);
		expect(error.reason).toContain('no entity is ever expanded');
	});

	it('finds a DOCTYPE split across stream chunks', async () => {
		for (const size of [1, 3, 4, 9]) {
			const error = await fileError(
				parseStampliFile(
					{ name: 'evil.xml', data: trickle(Buffer.from(billionLaughs), size) },
					'invoices',
				),
			);
			expect(error.reason).toContain('<!DOCTYPE> declaration');
		}
	});
});

describe('payment-export@1 and vendor-export@1 XML, feed samples', () => {
	it('reads the payment sample like the CSV one', async () => {
		const xml = await parseStampliFile(
			{ name: 'p.xml', data: fixture('payment-export.xml') },
			'payments',
		);
		const csv = await parseStampliFile(
			{ name: 'p.csv', data: fixture('payment-export.csv') },
			'payments',
		);
		expect(xml.errors).toEqual([]);
		const strip = (records: unknown[]) =>
			(records as Payment[]).map(({ source: _source, ...rest }) => rest);
		expect(strip(xml.records)).toEqual(strip(csv.records));
	});

	it('reads the vendor sample', async () => {
		const parsed = await parseStampliFile(
			{ name: 'v.xml', data: fixture('vendor-export.xml') },
			'vendors',
		);
		expect(parsed.errors).toEqual([]);
		expect(
			(parsed.records as Vendor[]).map((v) => [v.vendorId, v.name, v.active, v.address?.city]),
		).toEqual([
			['V-100', 'Acme Office Supply, Inc.', true, 'Springfield'],
			['V-300', 'Globex Consulting', false, 'Berlin'],
		]);
	});

	it.each([
		['vendorFeed', 'vendor-feed.xml', 1],
		['purchaseOrderFeed', 'purchase-order-feed.xml', 1],
		['glAccountFeed', 'gl-account-feed.xml', 2],
	] as const)('%s reads %s', async (kind, name, count) => {
		const parsed = await parseWithTemplate({ name, data: fixture(name) }, kind);
		expect(parsed.errors).toEqual([]);
		expect(parsed.records).toHaveLength(count);
	});
});
