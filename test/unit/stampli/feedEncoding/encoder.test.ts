import { createHash } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { GlAccount, PurchaseOrder, Vendor } from '../../../../nodes/shared/records/types';
import {
	compileFeedEncoder,
	encodeFeed,
	FeedTemplateError,
	newFeedStats,
	type FeedEncoderOptions,
} from '../../../../nodes/shared/stampli/feedEncoding';
import { getDefaultTemplate, resolveTemplate } from '../../../../nodes/shared/stampli/templates';

function vendor(overrides: Partial<Vendor> = {}): Vendor {
	return {
		vendorId: '7',
		name: 'Acme Supplies',
		taxId: 'US-123',
		email: 'ap@acme.test',
		address: { line1: '1 Main St', city: 'Springfield', country: 'US' },
		currency: 'USD',
		active: true,
		...overrides,
	};
}

function po(overrides: Partial<PurchaseOrder> = {}): PurchaseOrder {
	return {
		poId: '41',
		poNumber: 'P00041',
		vendorId: '7',
		vendorName: 'Acme Supplies',
		orderDate: '2026-11-20',
		currency: 'USD',
		total: '150.50',
		status: 'purchase',
		lines: [
			{
				lineId: '1',
				lineNumber: 1,
				description: 'Paper',
				quantity: '10',
				unitPrice: '5.05',
				amount: '50.50',
			},
			{
				lineId: '2',
				lineNumber: 2,
				description: '-discount row',
				quantity: '1',
				unitPrice: '100',
				amount: '100',
				productCode: 'SRV',
			},
		],
		...overrides,
	};
}

async function writeAll(
	records: unknown[],
	kind: 'vendorFeed' | 'purchaseOrderFeed' | 'glAccountFeed',
	format: 'csv' | 'xml',
	template = getDefaultTemplate(kind, format),
	options: FeedEncoderOptions = {},
) {
	const encoder = compileFeedEncoder(template, format, options);
	const stats = newFeedStats();
	const chunks: Buffer[] = [];
	for await (const chunk of encodeFeed(encoder, records, stats, { chunkBytes: 64 }))
		chunks.push(chunk);
	return { bytes: Buffer.concat(chunks), stats };
}

describe('CSV feed', () => {
	it('writes an RFC 4180 header and rows that parse back to the same values', async () => {
		const tricky = vendor({
			vendorId: '8',
			name: 'Comma, "Quoted"\nand newline',
			address: { city: 'Zürich' },
		});
		const { bytes, stats } = await writeAll([vendor(), tricky], 'vendorFeed', 'csv');
		const text = bytes.toString('utf8');
		expect(text.split('\r\n')[0]).toBe(
			'VendorId,VendorName,TaxId,Email,Phone,AddressLine1,AddressLine2,City,Region,PostalCode,Country,Currency,PaymentTerms,Active',
		);
		const rows = parseCsv(bytes, { columns: true }) as Array<Record<string, string>>;
		expect(rows).toHaveLength(2);
		expect(rows[0]).toMatchObject({
			VendorId: '7',
			VendorName: 'Acme Supplies',
			City: 'Springfield',
			Active: 'true',
			Phone: '',
		});
		expect(rows[1].VendorName).toBe('Comma, "Quoted"\nand newline');
		expect(rows[1].City).toBe('Zürich');
		expect(stats).toMatchObject({
			records: 2,
			rows: 2,
			bytes: bytes.length,
			rejectedCount: 0,
			done: true,
		});
		expect(stats.sha256).toMatch(/^[0-9a-f]{64}$/);
	});

	it('neutralises what a spreadsheet would evaluate, and leaves numbers, phones, e-mails and ids intact', async () => {
		const hostile = vendor({
			name: '=HYPERLINK("x")',
			taxId: '+1-555',
			email: '@SUM(A1)',
			phone: '+1 555 0100',
			address: {
				line1: '\tcmd',
				line2: ' =1+2',
				city: '-2+3',
				region: '\uFF1D1+1',
				postalCode: '=HYPERLINK("x")',
			},
		});
		const plain = vendor({ vendorId: '-1042', email: '-ap@acme.example', phone: '-12.50' });
		const { bytes } = await writeAll([hostile, plain], 'vendorFeed', 'csv');
		const [row, other] = parseCsv(bytes, { columns: true }) as Array<Record<string, string>>;
		expect(row).toMatchObject({
			VendorName: `'=HYPERLINK("x")`,
			TaxId: '+1-555', // an id: letters, digits and - + only
			Email: `'@SUM(A1)`, // not an e-mail address
			Phone: '+1 555 0100', // a phone number
			AddressLine1: '\tcmd', // a tab before plain text is not a formula
			AddressLine2: `' =1+2`, // leading blanks are looked past
			City: `'-2+3`, // an expression, not a number
			Region: `'\uFF1D1+1`, // the fullwidth equals sign
			PostalCode: `'=HYPERLINK("x")`, // an id column, but not an id's shape
		});
		expect(other).toMatchObject({ VendorId: '-1042', Email: '-ap@acme.example', Phone: '-12.50' });
	});

	it('neutralises per column as configured: by option, by template field, else by field', async () => {
		const template = getDefaultTemplate('vendorFeed', 'csv');
		template.fields.find((f) => f.path === 'phone')!.neutralise = 'text';
		const record = vendor({ name: '=1+1', phone: '+1 555 0100', taxId: '=A1' });
		const { bytes } = await writeAll([record], 'vendorFeed', 'csv', template, {
			cellKinds: { VendorName: 'none', taxId: 'text' },
		});
		const [row] = parseCsv(bytes, { columns: true }) as Array<Record<string, string>>;
		expect(row).toMatchObject({ VendorName: '=1+1', Phone: "'+1 555 0100", TaxId: "'=A1" });
		expect(() =>
			compileFeedEncoder(template, 'csv', { cellKinds: { VendorName: 'nope' as never } }),
		).toThrow(/cell kind of "VendorName" must be one of text, phone, email, id, none/);
	});

	it('removes control characters from text cells and counts them', async () => {
		const { bytes, stats } = await writeAll(
			[vendor({ name: 'Acme\u0000Corp\u0085', address: { line1: 'a\tb', city: 'c\r\nd' } })],
			'vendorFeed',
			'csv',
		);
		const [row] = parseCsv(bytes, { columns: true }) as Array<Record<string, string>>;
		expect(row).toMatchObject({ VendorName: 'AcmeCorp', AddressLine1: 'a\tb', City: 'c\r\nd' });
		expect(stats.removedControlCharacters).toBe(2);
	});

	it('never touches decimal-typed cells, even negative ones', async () => {
		const credit = po({
			total: '-150.50',
			lines: [
				{
					lineId: '1',
					lineNumber: 1,
					description: '=1+1',
					quantity: '-1',
					unitPrice: '150.50',
					amount: '-150.50',
				},
			],
		});
		const { bytes } = await writeAll([credit], 'purchaseOrderFeed', 'csv');
		const [row] = parseCsv(bytes, { columns: true }) as Array<Record<string, string>>;
		expect(row).toMatchObject({
			Total: '-150.50',
			Quantity: '-1',
			LineAmount: '-150.50',
			LineDescription: `'=1+1`,
		});
	});

	it('writes one row per PO line with the header fields repeated, and one row for a PO without lines', async () => {
		const { bytes, stats } = await writeAll(
			[po(), po({ poId: '42', poNumber: 'P00042', lines: [] })],
			'purchaseOrderFeed',
			'csv',
		);
		const rows = parseCsv(bytes, { columns: true }) as Array<Record<string, string>>;
		expect(rows.map((r) => [r.PONumber, r.LineNumber, r.LineAmount])).toEqual([
			['P00041', '1', '50.50'],
			['P00041', '2', '100'],
			['P00042', '', ''],
		]);
		expect(rows[1]).toMatchObject({
			VendorName: 'Acme Supplies',
			OrderDate: '2026-11-20',
			ProductCode: 'SRV',
		});
		expect(stats).toMatchObject({ records: 2, rows: 3 });
	});

	it('skips a bad record with a reason naming record and field, and keeps the good ones', async () => {
		const bad = po({ poNumber: 'P00099', total: '12,5x' });
		const noName = vendor({ vendorId: '9', name: '' });
		const poOut = await writeAll(
			[po(), bad, po({ poId: '43', poNumber: 'P00043' })],
			'purchaseOrderFeed',
			'csv',
		);
		expect(poOut.stats.records).toBe(2);
		expect(poOut.stats.rejectedCount).toBe(1);
		expect(poOut.stats.rejected[0]).toMatchObject({ index: 1, field: 'total' });
		expect(poOut.stats.rejected[0].message).toBe(
			'record 2 (poNumber P00099): field "total" must be a decimal string, got "12,5x"',
		);
		const vendorOut = await writeAll([noName], 'vendorFeed', 'csv');
		expect(vendorOut.stats.rejected[0].message).toContain('field "name" is required but empty');
		expect(parseCsv(vendorOut.bytes, { columns: true })).toHaveLength(0);
	});

	it('honours renamed columns, delimiter, decimal separator, date format, constants and Latin-1', async () => {
		const template = resolveTemplate(getDefaultTemplate('purchaseOrderFeed', 'csv'), {
			columns: { poNumber: 'Bestellnummer', 'lines[].amount': 'Betrag' },
			delimiter: ';',
			decimalSeparator: ',',
			dateFormat: 'DD.MM.YYYY',
			encoding: 'latin1',
			constants: [{ column: 'Source', value: 'Odoo' }],
		});
		const { bytes, stats } = await writeAll(
			[po({ vendorName: 'Müller € GmbH' })],
			'purchaseOrderFeed',
			'csv',
			template,
		);
		const rows = parseCsv(bytes.toString('latin1'), { columns: true, delimiter: ';' }) as Array<
			Record<string, string>
		>;
		expect(rows[0]).toMatchObject({
			Bestellnummer: 'P00041',
			Betrag: '50,50',
			Total: '150,50',
			OrderDate: '20.11.2026',
			Source: 'Odoo',
			VendorName: 'Müller ? GmbH',
		});
		expect(bytes.includes(Buffer.from('M\u00fcller', 'latin1'))).toBe(true);
		expect(stats.replacedCharacters).toBe(2); // the vendor name is repeated on both line rows
	});

	it('writes a UTF-8 BOM when asked and counts it in bytes and hash', async () => {
		const template = resolveTemplate(getDefaultTemplate('glAccountFeed', 'csv'), {
			encoding: 'utf8bom',
		});
		const account: GlAccount = {
			accountId: '30',
			code: '600000',
			name: 'Expenses',
			type: 'expense',
			active: true,
		};
		const { bytes, stats } = await writeAll([account], 'glAccountFeed', 'csv', template);
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(stats.bytes).toBe(bytes.length);
		expect(stats.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
	});

	it('writes only the header for an empty input', async () => {
		const { bytes, stats } = await writeAll([], 'glAccountFeed', 'csv');
		expect(bytes.toString()).toBe('AccountId,Code,Name,Type,Active\r\n');
		expect(stats).toMatchObject({ records: 0, rows: 0 });
	});
});

describe('XML feed', () => {
	const parser = new XMLParser({
		ignoreAttributes: false,
		parseTagValue: false,
		trimValues: true,
		processEntities: true,
		htmlEntities: true,
		isArray: (name) => ['Vendor', 'PurchaseOrder', 'Line'].includes(name),
	});

	it('is well-formed and escapes markup characters, quotes and CR', async () => {
		const nasty = vendor({
			name: 'A&B <Tools> "Quoted" \'single\' ]]> \r\n end',
			email: 'x\u0001y',
			address: { line1: 'a\uFFFEb', city: 'Springfield' },
		});
		const { bytes, stats } = await writeAll(
			[nasty, vendor({ vendorId: '8', address: undefined })],
			'vendorFeed',
			'xml',
		);
		const text = bytes.toString('utf8');
		expect(XMLValidator.validate(text)).toBe(true);
		const doc = parser.parse(text);
		const [first, second] = doc.VendorFeed.Vendor;
		expect(first.Name).toBe('A&B <Tools> "Quoted" \'single\' ]]> \r\n end');
		expect(first.Email).toBe('xy'); // control characters are removed, and counted
		expect(stats.removedControlCharacters).toBe(1);
		expect(first.Address.Line1).toBe('a\uFFFDb'); // another character XML cannot carry
		expect(first.Address.City).toBe('Springfield');
		expect(second.Address).toBeUndefined(); // empty optional elements are left out
		expect(second.Active).toBe('true');
		expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<VendorFeed>\n')).toBe(true);
	});

	it('nests PO lines under Lines/Line and does not neutralise by default', async () => {
		const { bytes, stats } = await writeAll(
			[po({ vendorName: '=cmd' })],
			'purchaseOrderFeed',
			'xml',
		);
		const doc = parser.parse(bytes.toString());
		const order = doc.PurchaseOrderFeed.PurchaseOrder[0];
		expect(order.Vendor[0]).toEqual({ Id: '7', Name: '=cmd' });
		expect(order.Lines.Line.map((l: { Amount: string }) => l.Amount)).toEqual(['50.50', '100']);
		expect(stats.rows).toBe(1);
	});

	it('writes attributes from @ paths and keeps non-Latin-1 characters as references in Latin-1 XML', async () => {
		const template = resolveTemplate(getDefaultTemplate('vendorFeed', 'xml'), {
			elements: { vendorId: '@id' },
			encoding: 'latin1',
		});
		const { bytes } = await writeAll(
			[vendor({ name: 'Łódź & Co "€"' })],
			'vendorFeed',
			'xml',
			template,
		);
		const text = bytes.toString('latin1');
		expect(text).toContain('encoding="ISO-8859-1"');
		expect(text).toContain('<Vendor id="7">');
		expect(text).toContain('&#321;&#243;d&#378; &amp; Co "&#8364;"'.replace('&#243;', '\u00f3'));
		expect(XMLValidator.validate(text)).toBe(true);
		expect(parser.parse(text).VendorFeed.Vendor[0].Name).toBe('Łódź & Co "€"');
	});

	it('refuses a template whose element names are not XML names', () => {
		const template = getDefaultTemplate('vendorFeed', 'xml');
		template.fields[1].xml = 'Bad Name';
		expect(() => compileFeedEncoder(template, 'xml')).toThrow(FeedTemplateError);
		expect(() => compileFeedEncoder(template, 'xml')).toThrow(
			/"Bad Name" is not a valid element name/,
		);
	});
});
