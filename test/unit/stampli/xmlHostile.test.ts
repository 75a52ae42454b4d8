/**
 * XML the reader must answer record by record: text fidelity (CDATA literal, characters XML 1.0
 * forbids), nesting too deep, one element too large, and whatever the XML library throws — each
 * named by file, record element and field, while the other records are read on.
 */
import { XMLParser } from 'fast-xml-parser';
import type { Invoice } from '../../../nodes/shared/records/types';
import { parseStampliFile } from '../../../nodes/shared/stampli';
import { fileError, invoiceXml, trickle, xmlInvoice } from './helpers';

const parseXml = (data: Buffer, options = {}) =>
	parseStampliFile({ name: 'in/hostile.xml', data: trickle(data, 1000) }, 'invoices', options);
const ids = (records: unknown[]) => (records as Invoice[]).map((r) => r.stampliInvoiceId);

describe('XML text fidelity', () => {
	it('keeps CDATA content literal: no entity decoding inside it', async () => {
		const parsed = await parseXml(
			invoiceXml(
				xmlInvoice('A', { name: '<![CDATA[AT&amp;T & Sons <b> &chips;]]>' }),
				xmlInvoice('B', { name: 'AT&amp;T <![CDATA[& Co]]>' }),
			),
		);
		expect(parsed.errors).toEqual([]);
		expect((parsed.records as Invoice[]).map((r) => r.vendor.name)).toEqual([
			'AT&amp;T & Sons <b> &chips;',
			'AT&T & Co',
		]);
	});

	it.each([
		['a literal U+0001', 'Bad\u0001Name', 'the character U+0001'],
		['&#1;', 'Bad&#1;Name', 'the character reference &#1; (U+0001)'],
		['&#0;', 'Bad&#0;Name', 'the character reference &#0; (U+0000)'],
		['a lone surrogate &#xD800;', 'Bad&#xD800;Name', 'the character reference &#xD800; (U+D800)'],
		['&#xFFFE;', 'Bad&#xFFFE;Name', 'the character reference &#xFFFE; (U+FFFE)'],
		['a literal U+FFFF', 'Bad\uffffName', 'the character U+FFFF'],
		['a reference beyond Unicode', 'Bad&#x110000;Name', 'the character reference &#x110000;'],
	])(
		'rejects %s as not well-formed, naming record, element and field; the others survive',
		async (_name, text, what) => {
			const parsed = await parseXml(
				invoiceXml(xmlInvoice('A'), xmlInvoice('B', { name: text }), xmlInvoice('C')),
			);
			expect(ids(parsed.records)).toEqual(['A', 'C']);
			expect(parsed.errors).toEqual([
				{
					file: 'in/hostile.xml',
					rows: [2],
					field: 'Vendor/Name',
					recordId: 'B',
					reason: expect.stringContaining(`${what}`),
				},
			]);
			expect(parsed.errors[0].reason).toMatch(
				/not well-formed.*record element 2.*element Vendor\/Name/,
			);
			expect(parsed.errors[0].reason).not.toContain('undeclared entity');
		},
	);

	it('rejects a forbidden character in an element the template does not map, by its element path', async () => {
		const parsed = await parseXml(
			invoiceXml(
				xmlInvoice('A', { extra: '<Notes><Text>x&#x1F;y</Text></Notes>' }),
				xmlInvoice('B'),
			),
		);
		expect(ids(parsed.records)).toEqual(['B']);
		expect(parsed.errors[0]).toMatchObject({ rows: [1], field: 'Notes/Text', recordId: 'A' });
	});

	it('still decodes allowed references, astral ones included', async () => {
		const parsed = await parseXml(
			invoiceXml(xmlInvoice('A', { name: 'Caf&#xE9; &#x1F600; &#9;x' })),
		);
		expect((parsed.records[0] as Invoice).vendor.name).toBe('Café 😀 \tx');
	});
});

describe('nesting and library errors', () => {
	const nested = (depth: number) => `${'<x>'.repeat(depth)}v${'</x>'.repeat(depth)}`;

	it('rejects a record nested deeper than maxDepth on its own, naming file and record; the others survive', async () => {
		for (const depth of [100, 5000]) {
			const parsed = await parseXml(
				invoiceXml(
					xmlInvoice('A'),
					xmlInvoice('B', { extra: `<Deep>${nested(depth)}</Deep>` }),
					xmlInvoice('C'),
				),
			);
			expect(ids(parsed.records)).toEqual(['A', 'C']);
			expect(parsed.errors).toEqual([
				expect.objectContaining({
					file: 'in/hostile.xml',
					rows: [2],
					recordId: 'B',
					reason: expect.stringContaining('nested more than 64 deep inside the record'),
				}),
			]);
		}
	});

	it('honours a larger maxDepth', async () => {
		const parsed = await parseXml(
			invoiceXml(xmlInvoice('A', { extra: `<Deep>${nested(150)}</Deep>` })),
			{ maxDepth: 200 },
		);
		expect(parsed.errors).toEqual([]);
		expect(ids(parsed.records)).toEqual(['A']);
	});

	it('wraps whatever the XML library throws into that record’s error', async () => {
		const parse = XMLParser.prototype.parse;
		const spy = jest.spyOn(XMLParser.prototype, 'parse').mockImplementation(function (
			this: XMLParser,
			text: Parameters<XMLParser['parse']>[0],
			validation: Parameters<XMLParser['parse']>[1],
		) {
			if (String(text).includes('<InvoiceId>B<')) throw new Error('Maximum nested tags exceeded');
			return parse.call(this, text, validation);
		});
		try {
			const parsed = await parseXml(invoiceXml(xmlInvoice('A'), xmlInvoice('B'), xmlInvoice('C')));
			expect(ids(parsed.records)).toEqual(['A', 'C']);
			expect(parsed.errors).toEqual([
				{
					file: 'in/hostile.xml',
					rows: [2],
					recordId: 'B',
					reason: expect.stringMatching(
						/record element 2 \(line \d+, column \d+\).*the XML parser failed: Maximum nested tags exceeded/,
					),
				},
			]);
		} finally {
			spy.mockRestore();
		}
	});
});

describe('one huge element', () => {
	it('refuses a record element larger than maxElementBytes on its own, naming it and its key', async () => {
		const huge = 'x'.repeat(3 * 1024 * 1024);
		const parsed = await parseXml(
			invoiceXml(
				xmlInvoice('A'),
				xmlInvoice('BIG', { extra: `<Notes>${huge}</Notes>` }),
				xmlInvoice('C'),
			),
			{ maxElementBytes: 1024 * 1024 },
		);
		expect(ids(parsed.records)).toEqual(['A', 'C']);
		expect(parsed.errors).toEqual([
			{
				file: 'in/hostile.xml',
				rows: [2],
				recordId: 'BIG',
				reason: expect.stringMatching(
					/^record element 2 \(line 3, column 1\): the record element is larger than 1048576 characters \(maxElementBytes\)$/,
				),
			},
		]);
	});

	it('refuses a huge attribute value or element name the same way', async () => {
		const huge = 'y'.repeat(2 * 1024 * 1024);
		const parsed = await parseXml(
			invoiceXml(xmlInvoice('A', { extra: `<Notes a="${huge}"/>` }), xmlInvoice('B')),
			{ maxElementBytes: 1024 * 1024 },
		);
		expect(ids(parsed.records)).toEqual(['B']);
		const name = await fileError(parseXml(invoiceXml(`<${'N'.repeat(5000)}/>`)));
		expect(name.reason).toContain('an element name longer than 1000 characters');
	});
});
