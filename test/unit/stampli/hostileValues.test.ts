/**
 * Hostile and odd input the readers must answer clearly: very many lines in one invoice, mixed line
 * ends, control characters, amounts and dates that parse but are implausible, wide encodings, and
 * errors that carry their rows and field as data.
 */
import type { Invoice, Payment } from '../../../nodes/shared/records/types';
import {
	getDefaultTemplate,
	parseStampliFile,
	resolveTemplate,
	StampliFileError,
} from '../../../nodes/shared/stampli';
import {
	expectEveryRowOnce,
	fileError,
	INVOICE_HEADER,
	invoiceCsv,
	invoiceRow,
	invoiceXml,
	trickle,
	xmlInvoice,
} from './helpers';

/** Rows joined without spreading them into a call (a test file may have 130,000 of them). */
const csvOf = (rows: string[]) => Buffer.from([INVOICE_HEADER, ...rows].join('\r\n') + '\r\n');

const parseCsv = (data: Buffer, options = {}) =>
	parseStampliFile({ name: 'in/hostile.csv', data: trickle(data, 4096) }, 'invoices', options);

describe('one invoice with very many lines', () => {
	it('reads 130,000 lines of one invoice (no call spreads its lines), and the next invoice too', async () => {
		const lines = 130_000;
		const rows: string[] = [];
		for (let l = 0; l < lines; l++)
			rows.push(invoiceRow('BIG', { total: '130000.00', amount: '1.00' }));
		rows.push(invoiceRow('SMALL'));
		const parsed = await parseCsv(csvOf(rows));
		expect(parsed.errors).toEqual([]);
		const [big, small] = parsed.records as Invoice[];
		expect(big.lines).toHaveLength(lines);
		expect(big.total).toBe('130000');
		expect(small.stampliInvoiceId).toBe('SMALL');
	}, 60_000);

	it('names the rows briefly when such an invoice does not balance', async () => {
		const rows: string[] = [];
		for (let l = 0; l < 20_000; l++)
			rows.push(invoiceRow('BIG', { total: '20001.00', amount: '1.00' }));
		const parsed = await parseCsv(csvOf(rows));
		expect(parsed.records).toEqual([]);
		expect(parsed.errors).toEqual([
			expect.objectContaining({
				field: 'Total',
				recordId: 'BIG',
				reason: expect.stringContaining('line amounts sum to 20000.00 but total 20001'),
			}),
		]);
		expect(parsed.errors[0].rows).toHaveLength(20_000);
	}, 30_000);

	it('refuses an invoice with more lines than maxRecordLines, naming it, and keeps the others', async () => {
		const rows = [invoiceRow('A')];
		for (let l = 0; l < 11; l++) rows.push(invoiceRow('MANY', { total: '11.00', amount: '1.00' }));
		rows.push(invoiceRow('B'));
		const parsed = await parseCsv(csvOf(rows), { maxRecordLines: 10 });
		expect((parsed.records as Invoice[]).map((r) => r.stampliInvoiceId)).toEqual(['A', 'B']);
		expect(parsed.errors).toEqual([
			expect.objectContaining({
				rows: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
				recordId: 'MANY',
				reason: expect.stringContaining('more than 10 lines (maxRecordLines)'),
			}),
		]);
	});
});

describe('mixed line ends', () => {
	it('ends a row at LF, CRLF and a lone CR alike: every row is a record, none is merged or lost', async () => {
		const text =
			`${INVOICE_HEADER}\n` +
			`${invoiceRow('I-1')}\r\n` +
			`${invoiceRow('I-2')}\r` +
			`${invoiceRow('I-3')}\n` +
			`${invoiceRow('I-4')}\r\n` +
			`${invoiceRow('I-5')}`;
		for (const size of [1, 7, 4096]) {
			const parsed = await parseStampliFile(
				{ name: 'mixed.csv', data: trickle(Buffer.from(text), size) },
				'invoices',
			);
			expect(parsed.errors).toEqual([]);
			expect((parsed.records as Invoice[]).map((r) => [r.stampliInvoiceId, r.source.rows])).toEqual(
				[
					['I-1', [1]],
					['I-2', [2]],
					['I-3', [3]],
					['I-4', [4]],
					['I-5', [5]],
				],
			);
		}
	});

	it('keeps a CR or LF inside a quoted cell as text', async () => {
		const text = `${INVOICE_HEADER}\r\n${invoiceRow('I-1', { vendor: '"Acme\rNorth\nWest"' })}\r${invoiceRow('I-2')}`;
		const parsed = await parseCsv(Buffer.from(text));
		expect((parsed.records as Invoice[]).map((r) => r.vendor.name)).toEqual([
			'Acme\rNorth\nWest',
			'Acme',
		]);
	});

	it('accounts for every row of a file with bad rows between good ones', async () => {
		const text = [
			INVOICE_HEADER,
			invoiceRow('I-1'),
			',,,,,,,,,,',
			invoiceRow('I-2', { amount: 'x' }),
			invoiceRow('I-3') + ',extra',
			invoiceRow('I-4'),
		].join('\r');
		const parsed = await parseCsv(Buffer.from(text));
		expect((parsed.records as Invoice[]).map((r) => r.stampliInvoiceId)).toEqual(['I-1', 'I-4']);
		expectEveryRowOnce(parsed as never, 5);
	});
});

describe('control characters in values', () => {
	it('rejects a CSV value holding NUL, naming the field and character, and keeps the other invoices', async () => {
		const parsed = await parseCsv(
			invoiceCsv(invoiceRow('A'), invoiceRow('B', { vendor: 'Acme\u0000Corp' }), invoiceRow('C')),
		);
		expect((parsed.records as Invoice[]).map((r) => r.stampliInvoiceId)).toEqual(['A', 'C']);
		expect(parsed.errors).toEqual([
			{
				file: 'in/hostile.csv',
				rows: [2],
				field: 'VendorName',
				recordId: 'B',
				reason: expect.stringContaining('control character U+0000 (NUL) at character 5'),
			},
		]);
	});

	it('strips control characters when the template says so, with a warning', async () => {
		const template = resolveTemplate(getDefaultTemplate('invoices'), {
			controlCharacters: 'strip',
		});
		const parsed = await parseCsv(
			invoiceCsv(invoiceRow('B', { vendor: 'Acme\u0000\u0007Corp\u007f' })),
			{ template },
		);
		expect(parsed.errors).toEqual([]);
		expect((parsed.records[0] as Invoice).vendor.name).toBe('AcmeCorp');
		expect(parsed.warnings).toEqual([
			expect.objectContaining({
				field: 'VendorName',
				rows: [1],
				reason: expect.stringContaining('control characters were removed'),
			}),
		]);
	});

	it('flags C1 characters in a Latin-1 file as a likely Windows-1252 file', async () => {
		const template = resolveTemplate(getDefaultTemplate('invoices'), { encoding: 'latin1' });
		// 0x92 is the right single quote in Windows-1252, a C1 control in ISO-8859-1.
		const data = Buffer.from(
			`${INVOICE_HEADER}\r\n${invoiceRow('A', { vendor: 'O\u0092Brien' })}\r\n${invoiceRow('B')}\r\n`,
			'latin1',
		);
		const parsed = await parseCsv(data, { template });
		expect((parsed.records as Invoice[]).map((r) => r.stampliInvoiceId)).toEqual(['B']);
		expect(parsed.errors[0]).toMatchObject({
			field: 'VendorName',
			reason: expect.stringMatching(/U\+0092 .*Windows-1252/),
		});
	});

	it('rejects a C1 control in an XML value by element path', async () => {
		const parsed = await parseStampliFile(
			{
				name: 'c1.xml',
				data: invoiceXml(xmlInvoice('A', { name: 'Bad&#x85;Name' }), xmlInvoice('B')),
			},
			'invoices',
		);
		expect((parsed.records as Invoice[]).map((r) => r.stampliInvoiceId)).toEqual(['B']);
		expect(parsed.errors).toEqual([
			expect.objectContaining({
				field: 'Vendor/Name',
				rows: [1],
				reason: expect.stringContaining('U+0085'),
			}),
		]);
	});
});

describe('amounts and dates', () => {
	it('refuses the double negative (-5) instead of reading +5', async () => {
		const parsed = await parseCsv(invoiceCsv(invoiceRow('A', { total: '(-5)', amount: '(-5)' })));
		expect(parsed.records).toEqual([]);
		expect(parsed.errors.map((e) => [e.field, e.reason])).toEqual([
			['Total', expect.stringContaining('sign inside accounting parentheses')],
			['LineAmount', expect.stringContaining('sign inside accounting parentheses')],
		]);
	});

	it('still reads (5) as -5', async () => {
		const parsed = await parseCsv(
			invoiceCsv(invoiceRow('A', { type: 'credit', total: '(5.00)', amount: '(5.00)' })),
		);
		expect(parsed.errors).toEqual([]);
		expect((parsed.records[0] as Invoice).total).toBe('5');
	});

	it('warns about sub-cent amounts, a negative bill, an unknown currency and an insane date; rejects them on request', async () => {
		const data = invoiceCsv(
			invoiceRow('FINE', { total: '12.345', amount: '12.345' }),
			invoiceRow('NEG', { total: '-5.00', amount: '-5.00' }),
			invoiceRow('YEN', { total: '100.5', amount: '100.5', currency: 'JPY' }),
			invoiceRow('XYZ', { currency: 'XYZ' }),
			invoiceRow('OLD', { date: '0000-01-01' }),
			invoiceRow('OK'),
		);
		const warned = await parseCsv(data);
		expect(warned.errors).toEqual([]);
		expect(warned.records).toHaveLength(6);
		expect(warned.warnings.map((w) => [w.recordId, w.field, w.rows])).toEqual([
			['FINE', 'Total', [1]],
			['FINE', 'LineAmount', [1]],
			['NEG', 'Total', [2]],
			['YEN', 'Total', [3]],
			['YEN', 'LineAmount', [3]],
			['XYZ', 'Currency', [4]],
			['OLD', 'InvoiceDate', [5]],
		]);
		expect(warned.warnings[0].reason).toBe('Total (total): 12.345 has 3 decimals but USD has 2');
		expect(warned.warnings[5].reason).toContain('"XYZ" is not an ISO 4217 currency code');
		expect(warned.warnings[6].reason).toContain(
			'0000-01-01 is outside the accepted dates 1900-01-01 … 2100-12-31',
		);
		const rejected = await parseCsv(data, { plausibility: 'reject' });
		expect((rejected.records as Invoice[]).map((r) => r.stampliInvoiceId)).toEqual(['OK']);
		expect(rejected.errors).toHaveLength(7);
	});

	it('warns about zero and negative payments', async () => {
		const header =
			'PaymentId,InvoiceId,InvoiceNumber,VendorId,VendorName,PaymentDate,Amount,Currency';
		const data = Buffer.from(
			[
				header,
				'P1,I1,N1,V1,Acme,2026-03-20,0,USD',
				'P2,I2,N2,V1,Acme,2026-03-20,-5.00,USD',
				'P3,I3,N3,V1,Acme,2026-03-20,5.00,USD',
			].join('\n'),
		);
		const parsed = await parseStampliFile({ name: 'pay.csv', data }, 'payments');
		expect((parsed.records as Payment[]).map((p) => p.stampliPaymentId)).toEqual([
			'P1',
			'P2',
			'P3',
		]);
		expect(parsed.warnings.map((w) => [w.recordId, w.field, w.reason])).toEqual([
			['P1', 'Amount', 'Amount (amount): a payment of 0; a payment must be more than zero'],
			['P2', 'Amount', 'Amount (amount): a payment of -5; a payment must be more than zero'],
		]);
	});

	it('refuses an amount of more than 50 characters without echoing it whole', async () => {
		const parsed = await parseCsv(invoiceCsv(invoiceRow('A', { total: '9'.repeat(5000) })));
		expect(parsed.errors[0]).toMatchObject({
			field: 'Total',
			reason: expect.stringContaining('longer than 50 characters'),
		});
		expect(parsed.errors[0].reason.length).toBeLessThan(200);
	});
});

describe('wide encodings and structured file errors', () => {
	const csvText = `${INVOICE_HEADER}\r\n${invoiceRow('A')}\r\n`;
	const utf16be = (text: string) => {
		const le = Buffer.from(text, 'utf16le');
		for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
		return le;
	};
	it.each([
		[
			'UTF-16 little-endian (byte-order mark FF FE)',
			Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csvText, 'utf16le')]),
		],
		[
			'UTF-16 big-endian (byte-order mark FE FF)',
			Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(csvText)]),
		],
		['UTF-16 little-endian (no byte-order mark)', Buffer.from(csvText, 'utf16le')],
		['UTF-16 big-endian (no byte-order mark)', utf16be(csvText)],
	])('names %s in CSV and XML instead of suggesting Latin-1', async (encoding, data) => {
		for (const latin1 of [false, true]) {
			const template = latin1
				? resolveTemplate(getDefaultTemplate('invoices'), { encoding: 'latin1' })
				: undefined;
			const error = await fileError(parseCsv(data, { template }));
			expect(error.reason).toContain(`encoded as ${encoding}`);
			expect(error.reason).not.toContain('select the Latin-1');
		}
		const xml = encoding.includes('little')
			? Buffer.from('<?xml version="1.0"?><InvoiceExport></InvoiceExport>', 'utf16le')
			: utf16be('<?xml version="1.0"?><InvoiceExport></InvoiceExport>');
		const withBom = encoding.includes('mark F')
			? Buffer.concat([Buffer.from(encoding.includes('little') ? [0xff, 0xfe] : [0xfe, 0xff]), xml])
			: xml;
		const xmlError = await fileError(
			parseStampliFile({ name: 'w.xml', data: withBom }, 'invoices'),
		);
		expect(xmlError.reason).toContain(`encoded as ${encoding}`);
	});

	it('carries the row and field of a file error as data, and names the file once', async () => {
		const broken = Buffer.from(
			`${INVOICE_HEADER}\r\n${invoiceRow('A')}\r\n"unclosed,${invoiceRow('B')}\r\n${invoiceRow('C')}\r\n${invoiceRow('D')}\r\n`,
		);
		const error = await fileError(parseCsv(broken, { maxElementBytes: 150 }));
		expect(error.rows).toEqual([2]);
		expect(error.reason).not.toContain('hostile.csv');
		expect(error.message.split('in/hostile.csv').length - 1).toBe(1);
		expect(error.toRecordError()).toEqual({
			file: 'in/hostile.csv',
			rows: [2],
			reason: error.reason,
		});
		const missing = await fileError(parseCsv(Buffer.from('InvoiceId,Total\r\nA,1\r\n')));
		expect(missing.toRecordError()).toMatchObject({ rows: [], field: 'InvoiceNumber' });
	});

	it('is a StampliFileError with rows for a malformed document', async () => {
		const error = await fileError(
			parseStampliFile(
				{ name: 'x.xml', data: invoiceXml(xmlInvoice('A'), '<Invoice><InvoiceId>B</Id>') },
				'invoices',
			),
		);
		expect(error).toBeInstanceOf(StampliFileError);
		expect(error.rows).toEqual([2]);
	});
});
