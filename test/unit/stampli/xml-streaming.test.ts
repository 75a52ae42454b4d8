/**
 * The XML reader streams: one record element at a time is cut out of the decoded text, whatever
 * the chunk boundaries, and the document is never held whole.
 */
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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

describe('memory', () => {
	// gc without --expose-gc on the command line, so the measurement is of live objects, not garbage.
	setFlagsFromString('--expose-gc');
	const gc = runInNewContext('gc') as () => void;

	// A Stampli-like export: mapped header and lines plus an approval trail and notes the template does not map.
	function invoiceElement(i: number): string {
		const lines = Array.from(
			{ length: 5 },
			(_, l) =>
				`      <Line>\n        <LineNumber>${l + 1}</LineNumber>\n        <Description>Item ${l} for invoice ${i}</Description>\n        <Quantity>1</Quantity>\n        <UnitPrice>10.00</UnitPrice>\n` +
				`        <Amount>10.00</Amount>\n        <GLAccount>${6000 + l * 100}</GLAccount>\n        <Dimensions><Department>Dept${l}</Department><Location>HQ</Location></Dimensions>\n      </Line>\n`,
		).join('');
		const approvals = ['Requester', 'Manager', 'Controller']
			.map(
				(role, a) =>
					`      <Approval step="${a + 1}" role="${role}">\n        <By>user${(i + a) % 40}@example.com</By>\n        <At>2026-03-0${a + 1}T10:0${a}:00Z</At>\n        <Comment>Approved by ${role.toLowerCase()} after review of invoice ${i}</Comment>\n      </Approval>\n`,
			)
			.join('');
		return (
			`  <Invoice>\n    <InvoiceId>INV-${100000 + i}</InvoiceId>\n    <InvoiceNumber>A-${i}</InvoiceNumber>\n    <DocumentType>Invoice</DocumentType>\n` +
			`    <Vendor><Id>V-${i % 500}</Id><Name>Vendor ${i % 500}, Inc.</Name></Vendor>\n    <InvoiceDate>2026-03-02</InvoiceDate>\n    <Currency>USD</Currency>\n` +
			`    <Total>55.00</Total>\n    <TaxTotal>5.00</TaxTotal>\n    <ApprovalHistory>\n${approvals}    </ApprovalHistory>\n` +
			`    <Notes><![CDATA[Scanned from email; OCR confidence 0.97 <high>.]]></Notes>\n    <Lines>\n${lines}    </Lines>\n  </Invoice>\n`
		);
	}

	it('parses 20,000 invoices from a stream with peak live memory while reading below the file size', async () => {
		const invoices = 20_000;
		let fileBytes = 0;
		let peak = 0;
		let sinceSample = 0;
		// Live heap plus Buffers: a reader that collected the chunks first would show the whole file here.
		const live = () => {
			gc();
			const usage = process.memoryUsage();
			return usage.heapUsed + usage.arrayBuffers;
		};
		const baseline = live();
		// Generated as it is read, so the test itself holds no copy of the file.
		const source = Readable.from(
			(function* () {
				let pending = '<?xml version="1.0" encoding="UTF-8"?>\n<InvoiceExport>\n';
				for (let i = 0; i <= invoices; i++) {
					pending += i < invoices ? invoiceElement(i) : '</InvoiceExport>\n';
					if (pending.length < 64 * 1024 && i < invoices) continue;
					const chunk = Buffer.from(pending, 'utf8');
					pending = '';
					fileBytes += chunk.length;
					sinceSample += chunk.length;
					if (sinceSample >= 4 * 1024 * 1024) {
						sinceSample = 0;
						peak = Math.max(peak, live() - baseline);
					}
					yield chunk;
				}
			})(),
		);
		const parsed = await parseStampliFile({ name: 'big.xml', data: source }, 'invoices');
		// What the caller keeps: the canonical invoices themselves.
		const retained = live() - baseline;
		expect(parsed.errors).toEqual([]);
		expect(parsed.records).toHaveLength(invoices);
		expect(parsed.records[invoices - 1]).toMatchObject({
			stampliInvoiceId: `INV-${100000 + invoices - 1}`,
			total: '55',
		});
		expect(fileBytes).toBeGreaterThan(50 * 1024 * 1024);
		const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
		console.log(
			`XML memory: file ${mb(fileBytes)}, peak live growth while reading ${mb(peak)}, returned invoices ${mb(retained)}`,
		);
		// While reading: one record plus the records collected so far (about 1.7 KB each in the raw form
		// assemble.ts takes) — not the document, whose bytes alone would be the whole file size.
		expect(peak).toBeLessThan(fileBytes * 0.75);
		expect(retained).toBeLessThan(fileBytes * 0.75);
	}, 120_000);
});
