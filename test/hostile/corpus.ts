/**
 * A generated corpus of broken and hostile Stampli exports (nothing is stored: every file is built
 * here). Each case states what a correct reader does with it: parse it (and which records), flag
 * records (naming file, rows or record, field and reason) while the others survive, or refuse the
 * whole file with an error naming it (and the row and field when they are known).
 */
import type { ParseOptions, StampliFileKind } from '../../nodes/shared/stampli';
import { getDefaultTemplate, resolveTemplate } from '../../nodes/shared/stampli';
import {
	csv,
	csvText,
	INVOICE_COLUMNS,
	invoiceLines,
	invoiceRow,
	PAYMENT_HEADER,
	paymentRow,
	payments,
	utf16be,
	vendors,
	xml,
	xmlInvoice,
	xmlText,
} from './builders';

export interface ExpectedProblem {
	rows?: number[];
	recordId?: string;
	field?: string;
	reason: RegExp;
}

export interface Expectation {
	/** Ids of the valid records, in file order. */
	records?: string[];
	/** Record-level errors (each must be found; no other error may appear). */
	rejected?: ExpectedProblem[];
	/** Warnings (each must be found; no other warning may appear). */
	warnings?: ExpectedProblem[];
	/** The whole file is refused. */
	refused?: { reason: RegExp; rows?: number[]; field?: string };
	/** Extra checks on the records: a description of what is wrong, or undefined. */
	check?: (records: Array<Record<string, any>>) => string | undefined;
}

export interface HostileCase {
	/** Family of the case (the table groups by it). */
	family: string;
	/** File name given to the parser (reported verbatim). */
	name: string;
	kind: StampliFileKind;
	data: () => Buffer;
	options?: ParseOptions;
	expect: Expectation;
}

const latin1Template = () =>
	resolveTemplate(getDefaultTemplate('invoices'), { encoding: 'latin1' });

/** Cases are added per family by small functions, so each family reads on its own. */
type Add = (c: Omit<HostileCase, 'family'>) => void;

function truncations(add: Add): void {
	const whole = csvText([invoiceRow('I-1'), invoiceRow('I-2'), invoiceRow('I-3')]);
	const cutAt = (marker: string) => whole.slice(0, whole.lastIndexOf(marker));
	add({
		name: 'cut-mid-row.csv',
		kind: 'invoices',
		data: () => Buffer.from(cutAt(',2026-03-02,USD')),
		expect: {
			records: ['I-1', 'I-2'],
			rejected: [{ rows: [3], recordId: 'I-3', reason: /row 3 has 5 cells but the header has 16/ }],
		},
	});
	add({
		name: 'cut-in-amount.csv',
		kind: 'invoices',
		data: () => Buffer.from(cutAt('0,1,Paper')),
		expect: {
			records: ['I-1', 'I-2'],
			rejected: [{ rows: [3], recordId: 'I-3', reason: /row 3 has \d+ cells/ }],
		},
	});
	add({
		name: 'cut-in-quote.csv',
		kind: 'invoices',
		data: () =>
			Buffer.from(
				csvText([invoiceRow('I-1'), invoiceRow('I-2', { VendorName: '"Acme, Inc.' })]).trimEnd(),
			),
		expect: { refused: { reason: /not valid CSV: Quote Not Closed/, rows: [2] } },
	});
	add({
		name: 'header-only.csv',
		kind: 'invoices',
		data: () => Buffer.from(INVOICE_COLUMNS.join(',')),
		expect: { records: [] },
	});
	add({
		name: 'header-cut.csv',
		kind: 'invoices',
		data: () => Buffer.from('InvoiceId,InvoiceNum'),
		expect: { refused: { reason: /required column "InvoiceNumber"/, field: 'InvoiceNumber' } },
	});
	add({
		name: 'empty.csv',
		kind: 'invoices',
		data: () => Buffer.alloc(0),
		expect: { refused: { reason: /the file is empty/ } },
	});
	add({
		name: 'bom-only.csv',
		kind: 'invoices',
		data: () => Buffer.from([0xef, 0xbb, 0xbf]),
		expect: { refused: { reason: /the file is empty/ } },
	});
	const doc = xmlText([xmlInvoice('A'), xmlInvoice('B')]);
	add({
		name: 'cut-mid-record.xml',
		kind: 'invoices',
		data: () => Buffer.from(doc.slice(0, doc.indexOf('<Total>', doc.indexOf('B</InvoiceId>')))),
		expect: {
			refused: {
				reason: /ends before <\/Vendor>|ends before <\/Invoice>|document ends/,
				rows: [2],
			},
		},
	});
	add({
		name: 'cut-mid-tag.xml',
		kind: 'invoices',
		data: () => Buffer.from(doc.slice(0, doc.indexOf('B</InvoiceId>') + 5)),
		expect: { refused: { reason: /the document ends inside a tag/, rows: [2] } },
	});
	add({
		name: 'cut-before-root-end.xml',
		kind: 'invoices',
		data: () => Buffer.from(doc.slice(0, doc.lastIndexOf('</InvoiceExport>'))),
		expect: { refused: { reason: /ends before <\/InvoiceExport>/ } },
	});
	add({
		name: 'empty.xml',
		kind: 'invoices',
		data: () => Buffer.alloc(0),
		expect: { refused: { reason: /the file is empty/ } },
	});
	add({
		name: 'declaration-only.xml',
		kind: 'invoices',
		data: () => Buffer.from('<?xml version="1.0"?>\n'),
		expect: { refused: { reason: /no root element/ } },
	});
}

/** A case whose whole file is refused with a reason matching `reason`. */
function refusedCase(
	name: string,
	data: () => Buffer,
	reason: RegExp,
	options?: ParseOptions,
): Omit<HostileCase, 'family'> {
	return { name, kind: 'invoices', options, data, expect: { refused: { reason } } };
}

function encodings(add: Add): void {
	const text = csvText([invoiceRow('I-1', { VendorName: 'Société Générale' })]);
	const bom16le = Buffer.from([0xff, 0xfe]);
	const bom16be = Buffer.from([0xfe, 0xff]);
	const utf16 = /encoded as UTF-16/;
	const latin1 = { template: latin1Template() };
	const xmlDoc = xmlText([xmlInvoice('A', { name: 'Société' })], {
		declaration: '<?xml version="1.0" encoding="UTF-16"?>\n',
	});
	const bytes = Buffer.from(text);
	for (const c of [
		refusedCase(
			'utf16le-bom.csv',
			() => Buffer.concat([bom16le, Buffer.from(text, 'utf16le')]),
			utf16,
		),
		refusedCase('utf16be-bom.csv', () => Buffer.concat([bom16be, utf16be(text)]), utf16),
		refusedCase('utf16le-nobom.csv', () => Buffer.from(text, 'utf16le'), utf16),
		refusedCase('utf16be-nobom.csv', () => utf16be(text), utf16),
		refusedCase('utf16le-as-latin1.csv', () => Buffer.from(text, 'utf16le'), utf16, latin1),
		refusedCase(
			'utf32le-bom.csv',
			() => Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), bytes]),
			/encoded as UTF-32/,
		),
		refusedCase(
			'utf16le-bom.xml',
			() => Buffer.concat([bom16le, Buffer.from(xmlDoc, 'utf16le')]),
			utf16,
		),
		refusedCase('utf16be-nobom.xml', () => utf16be(xmlDoc), utf16),
		refusedCase(
			'utf16-declared-in-utf8.xml',
			() => Buffer.from(xmlDoc),
			/unsupported XML encoding "utf-16"/,
		),
		refusedCase(
			'latin1-read-as-utf8.csv',
			() => Buffer.from(text, 'latin1'),
			/not valid UTF-8 .*select the Latin-1 encoding/,
		),
		refusedCase(
			'utf8-bom-under-latin1.csv',
			() => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]),
			/byte-order mark but the Latin-1 encoding is selected/,
			latin1,
		),
		refusedCase(
			'invalid-utf8-overlong.csv',
			() =>
				Buffer.concat([
					Buffer.from(text.slice(0, -10)),
					Buffer.from([0xc0, 0x80]),
					Buffer.from('\r\n'),
				]),
			/not valid UTF-8/,
		),
		refusedCase(
			'utf8-cut-in-character.csv',
			() => bytes.subarray(0, bytes.indexOf('é') + 1),
			/ends inside a multi-byte character/,
		),
		refusedCase(
			'cp1252-declared.xml',
			() =>
				xml([xmlInvoice('A')], { declaration: '<?xml version="1.0" encoding="windows-1252"?>\n' }),
			/unsupported XML encoding "windows-1252"/,
		),
		refusedCase(
			'invalid-utf8.xml',
			() =>
				Buffer.concat([
					Buffer.from('<InvoiceExport>'),
					Buffer.from([0xff, 0xfe, 0xfd]),
					Buffer.from('</InvoiceExport>'),
				]),
			/not valid UTF-8/,
		),
	])
		add(c);
	add({
		name: 'latin1-selected.csv',
		kind: 'invoices',
		options: latin1,
		data: () => Buffer.from(text, 'latin1'),
		expect: {
			records: ['I-1'],
			check: (r) =>
				r[0].vendor.name === 'Société Générale' ? undefined : `name ${r[0].vendor.name}`,
		},
	});
	const latin1Xml = xmlText([xmlInvoice('A', { name: 'Société' })], {
		declaration: '<?xml version="1.0" encoding="ISO-8859-1"?>\n',
	});
	add({
		name: 'latin1-declared.xml',
		kind: 'invoices',
		data: () => Buffer.from(latin1Xml, 'latin1'),
		expect: {
			records: ['A'],
			check: (r) => (r[0].vendor.name === 'Société' ? undefined : r[0].vendor.name),
		},
	});
}

function boms(add: Add): void {
	const text = csvText([invoiceRow('I-1')]);
	const bom = Buffer.from([0xef, 0xbb, 0xbf]);
	add({
		name: 'utf8-bom.csv',
		kind: 'invoices',
		data: () => Buffer.concat([bom, Buffer.from(text)]),
		expect: { records: ['I-1'] },
	});
	add({
		name: 'double-bom.csv',
		kind: 'invoices',
		data: () => Buffer.concat([bom, bom, Buffer.from(text)]),
		expect: { records: ['I-1'] },
	});
	add({
		name: 'bom-inside-cell.csv',
		kind: 'invoices',
		data: () => csv([invoiceRow('I-1', { VendorName: '\uFEFFAcme' })]),
		expect: {
			records: ['I-1'],
			check: (r) => (r[0].vendor.name === 'Acme' ? undefined : JSON.stringify(r[0].vendor.name)),
		},
	});
	add({
		name: 'utf8-bom.xml',
		kind: 'invoices',
		data: () => Buffer.concat([bom, xml([xmlInvoice('A')])]),
		expect: { records: ['A'] },
	});
}

function quoting(add: Add): void {
	add({
		name: 'quoted-delimiters-newlines.csv',
		kind: 'invoices',
		data: () =>
			csv([
				invoiceRow('I-1', {
					VendorName: '"Acme, ""North""\r\nDivision"',
					LineDescription: '"a,b;c"',
				}),
			]),
		expect: {
			records: ['I-1'],
			check: (r) =>
				r[0].vendor.name === 'Acme, "North"\r\nDivision' && r[0].lines[0].description === 'a,b;c'
					? undefined
					: JSON.stringify(r[0].vendor.name),
		},
	});
	add({
		name: 'quote-mid-field.csv',
		kind: 'invoices',
		data: () => csv([invoiceRow('I-1'), invoiceRow('I-2', { VendorName: 'Ac"me' })]),
		expect: { refused: { reason: /not valid CSV: Invalid Opening Quote/, rows: [2] } },
	});
	add({
		name: 'unclosed-quote-mid-file.csv',
		kind: 'invoices',
		options: { maxElementBytes: 4096 },
		data: () =>
			csv([
				invoiceRow('I-1'),
				invoiceRow('I-2', { VendorName: '"Acme' }),
				...invoiceLines('I-3', 60),
			]),
		expect: {
			refused: {
				reason: /a row is longer than 4096 characters \(maxElementBytes\); an unclosed quote/,
				rows: [2],
			},
		},
	});
	add({
		name: 'quoted-key-with-blanks.csv',
		kind: 'invoices',
		data: () => csv([invoiceRow('I-1', { InvoiceId: '" I-1 "' })]),
		expect: { records: ['I-1'] },
	});
	add({
		name: 'empty-quoted-cells.csv',
		kind: 'invoices',
		data: () => csv([invoiceRow('I-1', { TaxTotal: '""', LineDescription: '""' })]),
		expect: { records: ['I-1'] },
	});
	add({
		name: 'semicolons-read-as-commas.csv',
		kind: 'invoices',
		data: () => csv([invoiceRow('I-1')], { delimiter: ';' }),
		expect: {
			refused: { reason: /required column "InvoiceId" .* is missing/, field: 'InvoiceId' },
		},
	});
}

function amounts(add: Add): void {
	const one = (
		name: string,
		cells: Parameters<typeof invoiceRow>[1],
		expect: Expectation,
		options?: ParseOptions,
	) =>
		add({
			name,
			kind: 'invoices',
			options,
			data: () => csv([invoiceRow('OK'), invoiceRow('X', cells)]),
			expect: { ...expect, records: ['OK', ...(expect.records ?? [])] },
		});
	const bad = (reason: RegExp, field = 'Total'): Expectation => ({
		records: [],
		rejected: [{ rows: [2], recordId: 'X', field, reason }],
	});
	one(
		'double-negative.csv',
		{ Total: '(-5)', LineAmount: '(-5)', UnitPrice: '5' },
		{
			records: [],
			rejected: [
				{ rows: [2], recordId: 'X', field: 'Total', reason: /sign inside accounting parentheses/ },
				{
					rows: [2],
					recordId: 'X',
					field: 'LineAmount',
					reason: /sign inside accounting parentheses/,
				},
			],
		},
	);
	one('grouping-without-separator.csv', { Total: '"1,234.50"' }, bad(/a "," is not allowed/));
	one('exponent.csv', { Total: '1e5' }, bad(/unexpected characters/));
	one('nan.csv', { Total: 'NaN' }, bad(/unexpected characters/));
	one('infinity.csv', { Total: 'Infinity' }, bad(/unexpected characters/));
	one('hex.csv', { Total: '0x10' }, bad(/unexpected characters/));
	one('unicode-minus.csv', { Total: '\u22125.00' }, bad(/unexpected characters/));
	one('arabic-digits.csv', { Total: '\u0661\u0660' }, bad(/unexpected characters/));
	one('sixty-digits.csv', { Total: '9'.repeat(60) }, bad(/longer than 50 characters/));
	one('empty-total.csv', { Total: '' }, bad(/a value is required/));
	one('unbalanced.csv', { Total: '11.00' }, bad(/line amounts sum to 10.00 but total 11/));
	one('within-tolerance.csv', { Total: '10.01' }, { records: ['X'] }, { sumTolerance: '0.01' });
	one(
		'sub-cent.csv',
		{ Total: '12.345', LineAmount: '12.345', UnitPrice: '12.345' },
		{
			records: ['X'],
			warnings: [
				{ rows: [2], recordId: 'X', field: 'Total', reason: /3 decimals but USD has 2/ },
				{ rows: [2], recordId: 'X', field: 'LineAmount', reason: /3 decimals/ },
			],
		},
	);
	one(
		'sub-cent-rejected.csv',
		{ Total: '12.345', LineAmount: '12.345', UnitPrice: '12.345' },
		{
			records: [],
			rejected: [
				{ rows: [2], field: 'Total', reason: /3 decimals/ },
				{ rows: [2], field: 'LineAmount', reason: /3 decimals/ },
			],
		},
		{ plausibility: 'reject' },
	);
	one(
		'yen-fraction.csv',
		{ Currency: 'JPY', Total: '100.5', LineAmount: '100.5', UnitPrice: '100.5' },
		{
			records: ['X'],
			warnings: [
				{ field: 'Total', reason: /JPY has 0/ },
				{ field: 'LineAmount', reason: /JPY has 0/ },
			],
		},
	);
	one(
		'negative-bill.csv',
		{ Total: '-10.00', LineAmount: '-10.00', UnitPrice: '-10.00' },
		{ records: ['X'], warnings: [{ field: 'Total', reason: /a bill with a negative total/ }] },
	);
	one(
		'unknown-currency.csv',
		{ Currency: 'XYZ' },
		{ records: ['X'], warnings: [{ field: 'Currency', reason: /not an ISO 4217 currency code/ }] },
	);
	one(
		'dot-five.csv',
		{ Total: '.5', LineAmount: '.5', UnitPrice: '.5' },
		{ records: ['X'], check: (r) => (r[1].total === '0.5' ? undefined : r[1].total) },
	);
	one(
		'minus-zero.csv',
		{ Total: '-0', LineAmount: '0', UnitPrice: '0' },
		{ records: ['X'], check: (r) => (r[1].total === '0' ? undefined : r[1].total) },
	);
	one('padded-amount.csv', { Total: '"  10.00 "' }, { records: ['X'] });
	one(
		'accounting-negative-credit.csv',
		{ DocumentType: 'credit', Total: '(10.00)', LineAmount: '(10.00)', UnitPrice: '10.00' },
		{ records: ['X'], check: (r) => (r[1].total === '10' ? undefined : r[1].total) },
	);
	add({
		name: 'payment-zero-negative.csv',
		kind: 'payments',
		data: () => payments([paymentRow('P1', '0'), paymentRow('P2', '-5.00'), paymentRow('P3')]),
		expect: {
			records: ['P1', 'P2', 'P3'],
			warnings: [
				{ rows: [1], recordId: 'P1', field: 'Amount', reason: /a payment of 0/ },
				{ rows: [2], recordId: 'P2', field: 'Amount', reason: /a payment of -5/ },
			],
		},
	});
	add({
		name: 'payment-duplicate.csv',
		kind: 'payments',
		data: () => payments([paymentRow('P1'), paymentRow('P2'), paymentRow('P1')]),
		expect: {
			records: ['P2'],
			rejected: [{ rows: [1, 3], recordId: 'P1', field: 'PaymentId', reason: /appears 2 times/ }],
		},
	});
}

function dates(add: Add): void {
	const one = (name: string, cells: Parameters<typeof invoiceRow>[1], expect: Expectation) =>
		add({ name, kind: 'invoices', data: () => csv([invoiceRow('X', cells)]), expect });
	one(
		'february-30.csv',
		{ InvoiceDate: '2026-02-30' },
		{ rejected: [{ rows: [1], field: 'InvoiceDate', reason: /has no day 30/ }] },
	);
	one(
		'month-13.csv',
		{ InvoiceDate: '2026-13-01' },
		{ rejected: [{ field: 'InvoiceDate', reason: /month 13/ }] },
	);
	one(
		'two-digit-year.csv',
		{ InvoiceDate: '26-03-02' },
		{ rejected: [{ field: 'InvoiceDate', reason: /does not match the date format YYYY-MM-DD/ }] },
	);
	one(
		'unpadded.csv',
		{ InvoiceDate: '2026-3-2' },
		{ rejected: [{ field: 'InvoiceDate', reason: /does not match/ }] },
	);
	one(
		'year-zero.csv',
		{ InvoiceDate: '0000-01-01' },
		{ records: ['X'], warnings: [{ field: 'InvoiceDate', reason: /outside the accepted dates/ }] },
	);
	one(
		'year-9999.csv',
		{ InvoiceDate: '9999-12-31' },
		{ records: ['X'], warnings: [{ field: 'InvoiceDate', reason: /outside the accepted dates/ }] },
	);
	one(
		'hour-25.csv',
		{ ApprovedAt: '2026-03-05T25:00:00Z' },
		{ rejected: [{ field: 'ApprovedAt', reason: /not a valid date-time/ }] },
	);
	one(
		'instant-offset.csv',
		{ ApprovedAt: '2026-03-05T14:22:10+02:00' },
		{
			records: ['X'],
			check: (r) => (r[0].approvedAt === '2026-03-05T12:22:10.000Z' ? undefined : r[0].approvedAt),
		},
	);
	one(
		'date-with-time.csv',
		{ InvoiceDate: '2026-03-02T00:00:00' },
		{ rejected: [{ field: 'InvoiceDate', reason: /does not match/ }] },
	);
}

function names(add: Add): void {
	const vendorName = (name: string, value: string) =>
		add({
			name,
			kind: 'invoices',
			data: () => csv([invoiceRow('I-1', { VendorName: value })]),
			expect: {
				records: ['I-1'],
				check: (r) =>
					r[0].vendor.name === value.replace(/^"|"$/g, '').replace(/""/g, '"')
						? undefined
						: JSON.stringify(r[0].vendor.name),
			},
		});
	vendorName('emoji-rtl.csv', 'Acme 😀 شركة');
	vendorName('combining.csv', 'Cafe\u0301 Ltd');
	vendorName('zero-width.csv', 'Ac\u200Bme\u200D');
	vendorName('formula-name.csv', '"=HYPERLINK(""http://x"",""y"")"');
	vendorName('long-name.csv', 'N'.repeat(100_000));
	for (const file of [
		'../../etc/passwd.csv',
		'a b;rm -rf ~.csv',
		'$(reboot).csv',
		'outbound/ünïcödé.csv',
		'line\nbreak.csv',
		'C:\\temp\\x.csv',
	])
		add({
			name: file,
			kind: 'invoices',
			data: () => csv([invoiceRow('I-1')]),
			expect: {
				records: ['I-1'],
				check: (r) => (r[0].source.file === file ? undefined : r[0].source.file),
			},
		});
}

function xmlAttacks(add: Add): void {
	const doctype = /<!DOCTYPE> declaration; DTDs and entity declarations are refused/;
	const body = xmlText([xmlInvoice('A', { name: '&xxe;' })]).replace(
		'<?xml version="1.0" encoding="UTF-8"?>\n',
		'',
	);
	const withProlog = (prolog: string) => () =>
		Buffer.from(`<?xml version="1.0"?>\n${prolog}${body}`);
	add({
		name: 'xxe-file.xml',
		kind: 'invoices',
		data: withProlog('<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'),
		expect: { refused: { reason: doctype } },
	});
	add({
		name: 'xxe-http.xml',
		kind: 'invoices',
		data: withProlog('<!DOCTYPE x [<!ENTITY xxe SYSTEM "http://127.0.0.1:1/x">]>\n'),
		expect: { refused: { reason: doctype } },
	});
	add({
		name: 'billion-laughs.xml',
		kind: 'invoices',
		data: withProlog(
			`<!DOCTYPE x [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]>\n`,
		),
		expect: { refused: { reason: doctype } },
	});
	add({
		name: 'external-dtd.xml',
		kind: 'invoices',
		data: withProlog('<!DOCTYPE InvoiceExport SYSTEM "http://127.0.0.1:1/x.dtd">\n'),
		expect: { refused: { reason: doctype } },
	});
	add({
		name: 'parameter-entity.xml',
		kind: 'invoices',
		data: withProlog('<!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:1/p"> %p;]>\n'),
		expect: { refused: { reason: doctype } },
	});
	add({
		name: 'entity-in-cdata.xml',
		kind: 'invoices',
		data: () => xml([xmlInvoice('A', { extra: '<Notes><![CDATA[<!ENTITY x "y">]]></Notes>' })]),
		expect: { refused: { reason: /<!ENTITY> declaration/ } },
	});
	add({
		name: 'undeclared-entity.xml',
		kind: 'invoices',
		data: () => xml([xmlInvoice('A', { name: 'x&nbsp;y' }), xmlInvoice('B')]),
		expect: {
			records: ['B'],
			rejected: [
				{ rows: [1], recordId: 'A', field: 'Vendor/Name', reason: /undeclared entity &nbsp;/ },
			],
		},
	});
	const deep = (n: number) => `<Deep>${'<d>'.repeat(n)}x${'</d>'.repeat(n)}</Deep>`;
	add({
		name: 'deep-nesting-in-record.xml',
		kind: 'invoices',
		data: () => xml([xmlInvoice('A'), xmlInvoice('B', { extra: deep(2000) }), xmlInvoice('C')]),
		expect: {
			records: ['A', 'C'],
			rejected: [
				{ rows: [2], recordId: 'B', reason: /nested more than 64 deep inside the record/ },
			],
		},
	});
	add({
		name: 'deep-nesting-outside-records.xml',
		kind: 'invoices',
		data: () => xml([`<Header>${deep(2000)}</Header>`, xmlInvoice('A')]),
		expect: { refused: { reason: /nested more than 64 deep inside <Header>/ } },
	});
	add({
		name: 'huge-element.xml',
		kind: 'invoices',
		options: { maxElementBytes: 64 * 1024 },
		data: () =>
			xml([
				xmlInvoice('A'),
				xmlInvoice('BIG', { extra: `<Notes>${'n'.repeat(200_000)}</Notes>` }),
				xmlInvoice('C'),
			]),
		expect: {
			records: ['A', 'C'],
			rejected: [
				{ rows: [2], recordId: 'BIG', reason: /larger than 65536 characters \(maxElementBytes\)/ },
			],
		},
	});
	add({
		name: 'huge-attribute.xml',
		kind: 'invoices',
		options: { maxElementBytes: 64 * 1024 },
		data: () =>
			xml([xmlInvoice('A', { extra: `<Notes a="${'q'.repeat(200_000)}"/>` }), xmlInvoice('B')]),
		expect: {
			records: ['B'],
			rejected: [{ rows: [1], recordId: 'A', reason: /larger than 65536 characters/ }],
		},
	});
	add({
		name: 'cdata-literal.xml',
		kind: 'invoices',
		data: () => xml([xmlInvoice('A', { name: '<![CDATA[AT&amp;T <&chips;>]]>' })]),
		expect: {
			records: ['A'],
			check: (r) => (r[0].vendor.name === 'AT&amp;T <&chips;>' ? undefined : r[0].vendor.name),
		},
	});
	for (const [file, text, what] of [
		['forbidden-u0001.xml', 'a\u0001b', /the character U\+0001 is not allowed in XML 1\.0/],
		['forbidden-ref-0.xml', 'a&#0;b', /&#0; \(U\+0000\) is not allowed/],
		['forbidden-ref-d800.xml', 'a&#xD800;b', /&#xD800; \(U\+D800\)/],
		['forbidden-ref-fffe.xml', 'a&#xFFFE;b', /&#xFFFE; \(U\+FFFE\)/],
		['forbidden-ref-1.xml', 'a&#1;b', /&#1; \(U\+0001\)/],
	] as const)
		add({
			name: file,
			kind: 'invoices',
			data: () => xml([xmlInvoice('A', { name: text }), xmlInvoice('B')]),
			expect: {
				records: ['B'],
				rejected: [{ rows: [1], recordId: 'A', field: 'Vendor/Name', reason: what }],
			},
		});
	add({
		name: 'comments-and-pis.xml',
		kind: 'invoices',
		data: () => xml([`<!-- a > b --><?pi x?>${xmlInvoice('A', { name: 'O<!-- c -->ne' })}<!---->`]),
		expect: {
			records: ['A'],
			check: (r) => (r[0].vendor.name === 'One' ? undefined : r[0].vendor.name),
		},
	});
	add({
		name: 'gt-in-attribute.xml',
		kind: 'invoices',
		data: () => xml([xmlInvoice('A').replace('<Invoice>', '<Invoice note="a>b">')]),
		expect: { records: ['A'] },
	});
	add({
		name: 'duplicate-attribute.xml',
		kind: 'invoices',
		data: () => xml([xmlInvoice('A').replace('<Total>', '<Total a="1" a="2">'), xmlInvoice('B')]),
		expect: {
			records: ['B'],
			rejected: [
				{ rows: [1], recordId: 'A', field: 'Total', reason: /not well-formed XML .*repeated/ },
			],
		},
	});
	add({
		name: 'wrong-root.xml',
		kind: 'invoices',
		data: () => xml([xmlInvoice('A')], { root: 'PaymentExport' }),
		expect: {
			refused: {
				reason: /expected the root element <InvoiceExport>, found <PaymentExport>/,
				field: 'InvoiceExport',
			},
		},
	});
	add({
		name: 'namespaced-root.xml',
		kind: 'invoices',
		data: () => xml([xmlInvoice('A')], { root: 'ns:InvoiceExport' }),
		expect: { refused: { reason: /found <ns:InvoiceExport>/ } },
	});
	add({
		name: 'two-roots.xml',
		kind: 'invoices',
		data: () => Buffer.from(xmlText([xmlInvoice('A')]) + '<InvoiceExport></InvoiceExport>'),
		expect: { refused: { reason: /a second root element/ } },
	});
	add({
		name: 'text-after-root.xml',
		kind: 'invoices',
		data: () => Buffer.from(xmlText([xmlInvoice('A')]) + 'trailing'),
		expect: { refused: { reason: /text after the root element/ } },
	});
	add({
		name: 'mismatched-tag.xml',
		kind: 'invoices',
		data: () => xml([xmlInvoice('A'), xmlInvoice('B').replace('</Vendor>', '</Vendr>')]),
		expect: { refused: { reason: /<\/Vendr> does not close <Vendor>/, rows: [2] } },
	});
	add({
		name: 'duplicate-invoice-elements.xml',
		kind: 'invoices',
		data: () => xml([xmlInvoice('A'), xmlInvoice('B'), xmlInvoice('A')]),
		expect: {
			records: ['B'],
			rejected: [
				{ rows: [1, 3], recordId: 'A', reason: /appears 2 times \(record elements 1, 3\)/ },
			],
		},
	});
	add({
		name: 'repeated-value-element.xml',
		kind: 'invoices',
		data: () => xml([xmlInvoice('A', { extra: '<Currency>EUR</Currency>' })]),
		expect: {
			rejected: [
				{ rows: [1], recordId: 'A', field: 'Currency', reason: /<Currency> appears 2 times/ },
			],
		},
	});
}

function sizes(add: Add): void {
	add({
		name: 'over-max-bytes.csv',
		kind: 'invoices',
		options: { maxBytes: 1024 },
		data: () => csv(invoiceLines('I-1', 40)),
		expect: { refused: { reason: /larger than the 1024-byte limit \(maxBytes\)/ } },
	});
	add({
		name: 'over-max-records.csv',
		kind: 'invoices',
		options: { maxRecords: 3 },
		data: () => csv(['A', 'B', 'C', 'D', 'E'].map((id) => invoiceRow(id))),
		expect: { refused: { reason: /more than 3 records \(maxRecords\)/, rows: [4] } },
	});
	add({
		name: 'over-max-lines.csv',
		kind: 'invoices',
		options: { maxRecordLines: 100 },
		data: () => csv([invoiceRow('A'), ...invoiceLines('MANY', 101), invoiceRow('B')]),
		expect: {
			records: ['A', 'B'],
			rejected: [{ recordId: 'MANY', reason: /more than 100 lines \(maxRecordLines\)/ }],
		},
	});
	add({
		name: 'over-max-bytes.xml',
		kind: 'invoices',
		options: { maxBytes: 1024 },
		data: () => xml(Array.from({ length: 20 }, (_, i) => xmlInvoice(`I-${i}`))),
		expect: { refused: { reason: /larger than the 1024-byte limit/ } },
	});
	add({
		name: 'over-max-records.xml',
		kind: 'invoices',
		options: { maxRecords: 2 },
		data: () => xml(['A', 'B', 'C'].map((id) => xmlInvoice(id))),
		expect: { refused: { reason: /more than 2 records/, rows: [3] } },
	});
	add({
		name: 'many-small-invoices.csv',
		kind: 'invoices',
		data: () => csv(Array.from({ length: 2000 }, (_, i) => invoiceRow(`I-${i}`))),
		expect: { records: Array.from({ length: 2000 }, (_, i) => `I-${i}`) },
	});
}

function lineEnds(add: Add): void {
	const rows = ['I-1', 'I-2', 'I-3', 'I-4'].map((id) => invoiceRow(id));
	const lines = csvText(rows, { eol: '\n' }).split('\n');
	add({
		name: 'mixed-lf-crlf-cr.csv',
		kind: 'invoices',
		data: () => Buffer.from(`${lines[0]}\n${lines[1]}\r\n${lines[2]}\r${lines[3]}\n${lines[4]}`),
		expect: { records: ['I-1', 'I-2', 'I-3', 'I-4'] },
	});
	add({
		name: 'cr-only.csv',
		kind: 'invoices',
		data: () => csv(rows, { eol: '\r' }),
		expect: { records: ['I-1', 'I-2', 'I-3', 'I-4'] },
	});
	add({
		name: 'lf-only.csv',
		kind: 'invoices',
		data: () => csv(rows, { eol: '\n' }),
		expect: { records: ['I-1', 'I-2', 'I-3', 'I-4'] },
	});
	add({
		name: 'blank-lines.csv',
		kind: 'invoices',
		data: () => Buffer.from(`${lines[0]}\r\n\r\n${lines[1]}\r\n\n\r${lines[2]}\r\n\r\n\r\n`),
		expect: { records: ['I-1', 'I-2'] },
	});
	add({
		name: 'cr-inside-quotes.csv',
		kind: 'invoices',
		data: () =>
			csv([invoiceRow('I-1', { LineDescription: '"a\rb"' }), invoiceRow('I-2')], { eol: '\r' }),
		expect: {
			records: ['I-1', 'I-2'],
			check: (r) =>
				r[0].lines[0].description === 'a\rb'
					? undefined
					: JSON.stringify(r[0].lines[0].description),
		},
	});
}

function controls(add: Add): void {
	const one = (
		name: string,
		cells: Parameters<typeof invoiceRow>[1],
		field: string,
		what: RegExp,
		options?: ParseOptions,
	) =>
		add({
			name,
			kind: 'invoices',
			options,
			data: () => csv([invoiceRow('OK'), invoiceRow('X', cells)]),
			expect: { records: ['OK'], rejected: [{ rows: [2], recordId: 'X', field, reason: what }] },
		});
	one(
		'nul-in-name.csv',
		{ VendorName: 'Acme\u0000Corp' },
		'VendorName',
		/U\+0000 \(NUL\) at character 5/,
	);
	one('bell-in-description.csv', { LineDescription: 'ring\u0007' }, 'LineDescription', /U\+0007/);
	one('escape-in-gl.csv', { GLAccount: '61\u001b00' }, 'GLAccount', /U\+001B/);
	one('del-in-name.csv', { VendorName: 'Acme\u007f' }, 'VendorName', /U\+007F \(DEL\)/);
	one('c1-in-name.csv', { VendorName: 'Acme\u0085' }, 'VendorName', /U\+0085/);
	add({
		name: 'nul-in-key.csv',
		kind: 'invoices',
		data: () => csv([invoiceRow('OK'), invoiceRow('X\u0000')]),
		expect: {
			records: ['OK'],
			rejected: [{ rows: [2], recordId: 'X\u0000', field: 'InvoiceId', reason: /U\+0000/ }],
		},
	});
	add({
		name: 'controls-stripped.csv',
		kind: 'invoices',
		options: {
			template: resolveTemplate(getDefaultTemplate('invoices'), { controlCharacters: 'strip' }),
		},
		data: () => csv([invoiceRow('X', { VendorName: 'Ac\u0000me\u0085' })]),
		expect: {
			records: ['X'],
			warnings: [{ rows: [1], field: 'VendorName', reason: /control characters were removed/ }],
			check: (r) => (r[0].vendor.name === 'Acme' ? undefined : JSON.stringify(r[0].vendor.name)),
		},
	});
	add({
		name: 'cp1252-quote-as-latin1.csv',
		kind: 'invoices',
		options: { template: latin1Template() },
		data: () => Buffer.from(csvText([invoiceRow('X', { VendorName: 'O\u0092Brien' })]), 'latin1'),
		expect: { rejected: [{ rows: [1], field: 'VendorName', reason: /Windows-1252/ }] },
	});
	add({
		name: 'tab-in-cell-kept.csv',
		kind: 'invoices',
		data: () => csv([invoiceRow('X', { LineDescription: '"a\tb"' })]),
		expect: {
			records: ['X'],
			check: (r) => (r[0].lines[0].description === 'a\tb' ? undefined : 'tab lost'),
		},
	});
	add({
		name: 'c1-ref.xml',
		kind: 'invoices',
		data: () => xml([xmlInvoice('A', { name: 'a&#x9B;b' }), xmlInvoice('B')]),
		expect: { records: ['B'], rejected: [{ rows: [1], field: 'Vendor/Name', reason: /U\+009B/ }] },
	});
}

function manyLines(add: Add): void {
	add({
		name: 'five-thousand-lines.csv',
		kind: 'invoices',
		data: () => csv([...invoiceLines('BIG', 5000), invoiceRow('NEXT')]),
		expect: {
			records: ['BIG', 'NEXT'],
			check: (r) => (r[0].lines.length === 5000 ? undefined : String(r[0].lines.length)),
		},
	});
	add({
		name: 'lines-not-contiguous.csv',
		kind: 'invoices',
		// Invoice A's four lines, with B's row between its second and third.
		data: () => {
			const a = invoiceLines('A', 4);
			return csv([a[0], a[1], invoiceRow('B'), a[2], a[3]]);
		},
		expect: {
			records: ['A', 'B'],
			check: (r) =>
				r[0].lines.length === 4 && r[0].source.rows.join() === '1,2,4,5'
					? undefined
					: r[0].source.rows.join(),
		},
	});
	add({
		name: 'duplicate-line-numbers.csv',
		kind: 'invoices',
		data: () => csv(invoiceLines('A', 2, { LineNumber: '1' })),
		expect: {
			rejected: [
				{ rows: [1, 2], recordId: 'A', field: 'LineNumber', reason: /line number 1 appears twice/ },
			],
		},
	});
	add({
		name: 'conflicting-header-values.csv',
		kind: 'invoices',
		data: () =>
			csv([
				...invoiceLines('A', 1),
				...invoiceLines('A', 1, { VendorName: 'Other', Total: '2.00', LineNumber: '2' }).map(
					(r) => ({ ...r, Total: '1.00' }),
				),
			]),
		expect: {
			rejected: [
				{
					rows: [1, 2],
					recordId: 'A',
					field: 'VendorName',
					reason: /conflicting values across rows of A/,
				},
			],
		},
	});
	add({
		name: 'xml-many-lines.xml',
		kind: 'invoices',
		data: () =>
			xml([
				xmlInvoice('A', {
					total: '3000.00',
					lines: `<Lines>${'<Line><Amount>1.00</Amount><GLAccount>6000</GLAccount></Line>'.repeat(3000)}</Lines>`,
				}),
			]),
		expect: { records: ['A'] },
	});
}

function structure(add: Add): void {
	const columns = INVOICE_COLUMNS as readonly string[];
	add({
		name: 'missing-required-column.csv',
		kind: 'invoices',
		data: () => csv([invoiceRow('A')], { columns: columns.filter((c) => c !== 'GLAccount') }),
		expect: { refused: { reason: /required column "GLAccount"/, field: 'GLAccount' } },
	});
	add({
		name: 'duplicate-column.csv',
		kind: 'invoices',
		data: () => csv([invoiceRow('A')], { columns: [...columns, 'total'] }),
		expect: { refused: { reason: /names column "Total" twice/, field: 'Total' } },
	});
	add({
		name: 'reordered-extra-columns.csv',
		kind: 'invoices',
		data: () => csv([invoiceRow('A')], { columns: ['Extra', ...[...columns].reverse()] }),
		expect: { records: ['A'] },
	});
	add({
		name: 'header-case-and-blanks.csv',
		kind: 'invoices',
		data: () =>
			Buffer.from(
				csvText([invoiceRow('A')]).replace(
					'InvoiceId,InvoiceNumber',
					' invoiceid , INVOICENUMBER ',
				),
			),
		expect: { records: ['A'] },
	});
	add({
		name: 'row-without-key.csv',
		kind: 'invoices',
		data: () => csv([invoiceRow('A'), invoiceRow('')]),
		expect: {
			records: ['A'],
			rejected: [
				{
					rows: [2],
					field: 'InvoiceId',
					reason: /InvoiceId is empty, so the row belongs to no record/,
				},
			],
		},
	});
	add({
		name: 'row-too-wide.csv',
		kind: 'invoices',
		data: () =>
			Buffer.from(csvText([invoiceRow('A'), invoiceRow('B')]).replace(/\r\n$/, ',x,y\r\n')),
		expect: {
			records: ['A'],
			rejected: [{ rows: [2], recordId: 'B', reason: /row 2 has 18 cells but the header has 16/ }],
		},
	});
	add({
		name: 'delimiter-only-row.csv',
		kind: 'invoices',
		data: () => Buffer.from(csvText([invoiceRow('A')]) + ','.repeat(15) + '\r\n'),
		expect: { records: ['A'], rejected: [{ rows: [2], field: 'InvoiceId', reason: /is empty/ }] },
	});
	add({
		name: 'repeated-header-mid-file.csv',
		kind: 'invoices',
		data: () => Buffer.from(csvText([invoiceRow('A')]) + columns.join(',') + '\r\n'),
		expect: { records: ['A'], rejected: [{ rows: [2], recordId: 'InvoiceId', reason: /./ }] },
	});
	add({
		name: 'unknown-document-type.csv',
		kind: 'invoices',
		data: () => csv([invoiceRow('A', { DocumentType: 'receipt' })]),
		expect: { rejected: [{ field: 'DocumentType', reason: /"receipt" is not a document type/ }] },
	});
	add({
		name: 'vendors.csv',
		kind: 'vendors',
		data: () =>
			vendors([
				'V1,Acme,12-3,ap@acme.example,+1 555 0100,yes',
				'V2,=cmd,,,,maybe',
				'V1,Again,,,,true',
			]),
		expect: {
			records: [],
			rejected: [
				{ rows: [1, 3], recordId: 'V1', reason: /appears 2 times/ },
				{ rows: [2], recordId: 'V2', field: 'Active', reason: /"maybe" is not a yes\/no value/ },
			],
		},
	});
	add({
		name: 'payments-lf.csv',
		kind: 'payments',
		data: () =>
			Buffer.from(
				[PAYMENT_HEADER, paymentRow('P1'), paymentRow('P2', '1.5', '2026-02-30')].join('\n'),
			),
		expect: {
			records: ['P1'],
			rejected: [{ rows: [2], recordId: 'P2', field: 'PaymentDate', reason: /has no day 30/ }],
		},
	});
}

/** Every case of the corpus, small enough for the unit tests. */
export function hostileCorpus(): HostileCase[] {
	const cases: HostileCase[] = [];
	const families: Array<[string, (add: Add) => void]> = [
		['truncation', truncations],
		['encoding', encodings],
		['BOM', boms],
		['quoting', quoting],
		['amounts', amounts],
		['dates', dates],
		['names', names],
		['XML attacks', xmlAttacks],
		['sizes', sizes],
		['line ends', lineEnds],
		['NUL/control', controls],
		['many lines', manyLines],
		['structure', structure],
	];
	for (const [family, addAll] of families) addAll((c) => cases.push({ family, ...c }));
	return cases;
}
