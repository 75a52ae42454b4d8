/**
 * The XML reader streams: one record element at a time is cut out of the decoded text, whatever
 * the chunk boundaries, and the document is never held whole. (How much memory reading a large
 * export takes is measured by `npm run bench -- stampli-parse`, not here.)
 */
import { Readable } from 'node:stream';
import type { Invoice } from '../../../nodes/shared/records/types';
import { parseStampliFile, StampliFileError } from '../../../nodes/shared/stampli';
import { XmlRecordSplitter, XmlSplitError } from '../../../nodes/shared/stampli/xmlSplitter';
import type { XmlRecordText } from '../../../nodes/shared/stampli/xmlSplitter';
import { fixture, trickle } from './helpers';

/** Feeds `text` to a splitter in pieces of the given sizes (cycled), returning the records. */
function split(
	text: string,
	sizes: number[] = [text.length],
	root = 'InvoiceExport',
	record = 'Invoice',
): XmlRecordText[] {
	const records: XmlRecordText[] = [];
	const splitter = new XmlRecordSplitter(root, record, (r) => records.push(r));
	for (let at = 0, i = 0; at < text.length; i++) {
		const size = sizes[i % sizes.length];
		splitter.feed(text.slice(at, at + size));
		at += size;
	}
	splitter.end();
	return records;
}

function splitError(text: string, sizes?: number[]): XmlSplitError {
	try {
		split(text, sizes);
	} catch (error) {
		expect(error).toBeInstanceOf(XmlSplitError);
		return error as XmlSplitError;
	}
	throw new Error('expected the splitter to fail');
}

async function fileError(promise: Promise<unknown>): Promise<StampliFileError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(StampliFileError);
	return error as StampliFileError;
}

/** A stream of pieces of 1 to 7 bytes, sizes varying, so boundaries fall inside every construct. */
function ragged(data: Buffer, seed = 1): Readable {
	return Readable.from(
		(function* () {
			for (let at = 0, i = seed; at < data.length; i++) {
				const size = (i % 7) + 1;
				yield data.subarray(at, at + size);
				at += size;
			}
		})(),
	);
}

const invoice = (id: string, extra = '', lineExtra = '') =>
	`<Invoice><InvoiceId>${id}</InvoiceId><InvoiceNumber>N-${id}</InvoiceNumber><DocumentType>bill</DocumentType><Vendor><Id>V1</Id><Name>One</Name></Vendor>` +
	`<InvoiceDate>2026-01-05</InvoiceDate><Currency>USD</Currency><Total>10.00</Total>${extra}<Lines><Line>${lineExtra}<Amount>10.00</Amount><GLAccount>6000</GLAccount></Line></Lines></Invoice>`;

// Markup that a naive splitter gets wrong: ">" and "</Invoice>" inside attributes, comments, CDATA and PIs.
const tricky = Buffer.from(
	`<?xml version="1.0" encoding="UTF-8"?>\n<?stampli export="a>b"?>\n<!-- header: <Invoice> is not a record here -->\n` +
		`<InvoiceExport generated="2026-03-01T10:00:00Z" note="a > b &amp; c &lt; d">\n` +
		`  <!-- </Invoice> in a comment -->\n` +
		invoice(
			'T-1',
			'<PONumber note=\'</Invoice>\' other="x>y">PO-1</PONumber>',
			'<Description><![CDATA[widgets </Invoice> <Line> ]] > & more]]></Description>',
		) +
		'\n  <?pi <Invoice>?>\n' +
		invoice(
			'T-2',
			'<!-- <Invoice><InvoiceId>ghost</InvoiceId></Invoice> -->',
			'<Description>Größe – ü</Description>',
		) +
		'\n  <Summary count="2"><Invoice>not a record: not a direct child of the root</Invoice></Summary>\n' +
		'</InvoiceExport>\n<!-- trailer -->\n',
);

describe('XmlRecordSplitter', () => {
	it('yields the exact text of each record, with index, line and column, however the text is cut', () => {
		const text = tricky.toString('utf8');
		const whole = split(text);
		expect(whole.map((r) => [r.index, r.line, r.column])).toEqual([
			[1, 6, 1],
			[2, 8, 1],
		]);
		expect(whole[0].text).toBe(
			text.slice(text.indexOf('<Invoice><InvoiceId>T-1'), text.indexOf('\n  <?pi')),
		);
		for (const sizes of [[1], [2], [3], [5], [7], [1, 6, 2, 7, 3], [64]]) {
			expect(split(text, sizes)).toEqual(whole);
		}
	});

	it('counts depth, so a nested element of the record element’s name does not end the record', () => {
		const nested = `<InvoiceExport><Invoice><InvoiceId>A</InvoiceId><Related><Invoice><InvoiceId>X</InvoiceId><Invoice/></Invoice></Related></Invoice><Invoice><InvoiceId>B</InvoiceId></Invoice></InvoiceExport>`;
		for (const sizes of [[nested.length], [1], [4]]) {
			const records = split(nested, sizes);
			expect(records.map((r) => r.text)).toEqual([
				'<Invoice><InvoiceId>A</InvoiceId><Related><Invoice><InvoiceId>X</InvoiceId><Invoice/></Invoice></Related></Invoice>',
				'<Invoice><InvoiceId>B</InvoiceId></Invoice>',
			]);
			expect(records.map((r) => r.index)).toEqual([1, 2]);
		}
	});

	it('refuses a DTD declaration wherever a chunk boundary cuts it', () => {
		for (const [doc, keyword] of [
			[
				`<InvoiceExport>${invoice('A')}</InvoiceExport>`.replace(
					'<InvoiceExport>',
					'<!DOCTYPE InvoiceExport><InvoiceExport>',
				),
				'DOCTYPE',
			],
			[
				`<InvoiceExport>${invoice('A')}${invoice('B').replace('<Total>', '<!ENTITY x "y"><Total>')}</InvoiceExport>`,
				'ENTITY',
			],
			[`<InvoiceExport>${invoice('A')}<!-- <!ATTLIST x> --></InvoiceExport>`, 'ATTLIST'],
		] as const) {
			const at = doc.indexOf('<!' + keyword[0]);
			for (let cut = at - 1; cut <= at + keyword.length + 2; cut++) {
				const error = splitError(doc, [cut, doc.length]);
				expect(error.problem).toEqual({ kind: 'forbidden', keyword });
			}
		}
	});

	it.each([
		[
			'a mismatched end tag',
			'<InvoiceExport>\n<Invoice>\n<InvoiceId>A</Id>\n</Invoice></InvoiceExport>',
			{ line: 3, column: 13, record: 1, message: '</Id> does not close <InvoiceId>' },
		],
		[
			'an unclosed record',
			'<InvoiceExport><Invoice>',
			{
				line: 1,
				column: 25,
				record: 1,
				message: expect.stringContaining('unclosed <InvoiceExport>, <Invoice>'),
			},
		],
		[
			'text after the root',
			'<InvoiceExport></InvoiceExport>\n\nstray',
			{ line: 3, column: 1, message: 'text after the root element' },
		],
		[
			'a second root',
			'<InvoiceExport/><InvoiceExport/>',
			{ line: 1, column: 17, message: expect.stringContaining('a second root element') },
		],
		[
			'no root at all',
			'<?xml version="1.0"?>\n<!-- nothing -->\n',
			{ message: 'the document has no root element' },
		],
		[
			'an unterminated comment',
			'<InvoiceExport><!-- open',
			{ message: 'the document ends inside a comment' },
		],
	])('reports %s with line and column', (_label, doc, expected) => {
		for (const sizes of [[doc.length], [1], [3]]) {
			const { problem } = splitError(doc, sizes);
			expect(problem).toEqual({
				kind: 'malformed',
				line: expect.any(Number),
				column: expect.any(Number),
				record: undefined,
				...expected,
			});
		}
	});

	it('names the root it found when it is not the expected one', () => {
		expect(splitError('<?xml version="1.0"?><PaymentExport/>', [5]).problem).toEqual({
			kind: 'root',
			found: 'PaymentExport',
		});
	});
});

describe('parseStampliFile on XML streams cut anywhere', () => {
	it('reads the sample from 1–7-byte chunks exactly as from one buffer', async () => {
		const whole = await parseStampliFile(
			{ name: 'invoice-export.xml', data: fixture('invoice-export.xml') },
			'invoices',
		);
		expect(whole.records).toHaveLength(2);
		for (const seed of [0, 3, 5]) {
			const streamed = await parseStampliFile(
				{ name: 'invoice-export.xml', data: ragged(fixture('invoice-export.xml'), seed) },
				'invoices',
			);
			expect(streamed).toEqual(whole);
		}
	});

	it('reads the tricky document (comments, CDATA, PIs, ">" in attributes, UTF-8 split mid-character) from 1–7-byte chunks', async () => {
		const whole = await parseStampliFile({ name: 'tricky.xml', data: tricky }, 'invoices');
		expect(whole.errors).toEqual([]);
		const [first, second] = whole.records as Invoice[];
		expect(first).toMatchObject({
			stampliInvoiceId: 'T-1',
			poNumber: 'PO-1',
			source: { rows: [1] },
		});
		expect(first.lines[0].description).toBe('widgets </Invoice> <Line> ]] > & more');
		expect(second).toMatchObject({ stampliInvoiceId: 'T-2', source: { rows: [2] } });
		expect(second.lines[0].description).toBe('Größe – ü');
		for (const seed of [0, 1, 2, 6]) {
			expect(
				await parseStampliFile({ name: 'tricky.xml', data: ragged(tricky, seed) }, 'invoices'),
			).toEqual(whole);
		}
	});

	it('reads Latin-1 and a BOM from single-byte chunks', async () => {
		const latin1 = Buffer.from(
			`<?xml version="1.0" encoding="ISO-8859-1"?><InvoiceExport>${invoice('A').replace('<Name>One</Name>', '<Name>Société</Name>')}</InvoiceExport>`,
			'latin1',
		);
		expect(
			(await parseStampliFile({ name: 'l.xml', data: trickle(latin1, 1) }, 'invoices')).records[0],
		).toMatchObject({ vendor: { name: 'Société' } });
		const bom = Buffer.concat([
			Buffer.from([0xef, 0xbb, 0xbf]),
			Buffer.from(`<InvoiceExport>${invoice('B')}</InvoiceExport>`),
		]);
		expect(
			(await parseStampliFile({ name: 'b.xml', data: trickle(bom, 1) }, 'invoices')).records,
		).toEqual([expect.objectContaining({ stampliInvoiceId: 'B' })]);
	});

	it('keeps an unknown entity a record error, and rejects a malformed record alone, by record element and line', async () => {
		const data = Buffer.from(
			`<InvoiceExport>\n${invoice('A', '<PONumber>&nbsp;</PONumber>')}\n${invoice('B')}\n</InvoiceExport>`,
		);
		const parsed = await parseStampliFile({ name: 'e.xml', data: trickle(data, 3) }, 'invoices');
		expect(parsed.records).toEqual([expect.objectContaining({ stampliInvoiceId: 'B' })]);
		expect(parsed.errors).toEqual([
			expect.objectContaining({
				rows: [1],
				field: 'PONumber',
				reason: expect.stringContaining('undeclared entity &nbsp;'),
			}),
		]);

		const broken = Buffer.from(
			`<InvoiceExport>\n${invoice('A')}\n${invoice('B').replace('<Total>', '<Total a="1" a="2">')}\n</InvoiceExport>`,
		);
		const rejected = await parseStampliFile(
			{ name: 'broken.xml', data: trickle(broken, 5) },
			'invoices',
		);
		expect(rejected.records).toEqual([expect.objectContaining({ stampliInvoiceId: 'A' })]);
		expect(rejected.errors).toEqual([
			{
				file: 'broken.xml',
				rows: [2],
				field: 'Total',
				recordId: 'B',
				reason: expect.stringMatching(
					/^not well-formed XML at line 3, column \d+ \(record element 2 \(line 3, column 1\), element Total\): .*repeated/,
				),
			},
		]);
	});

	it('refuses a DOCTYPE late in the file that a chunk boundary cuts in two', async () => {
		const head = `<InvoiceExport>${invoice('A')}${invoice('B')}`;
		const data = Buffer.from(
			`${head}<!DOCTYPE x [<!ENTITY y "z">]>${invoice('C')}</InvoiceExport>`,
		);
		for (const cut of [head.length + 1, head.length + 4, head.length + 8]) {
			const stream = Readable.from([data.subarray(0, cut), data.subarray(cut)]);
			const error = await fileError(
				parseStampliFile({ name: 'late.xml', data: stream }, 'invoices'),
			);
			expect(error.reason).toContain('<!DOCTYPE> declaration');
			expect(error.reason).toContain('no entity is ever expanded');
		}
	});
});
