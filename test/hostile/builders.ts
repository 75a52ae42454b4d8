/**
 * Small builders for generated Stampli exports: invoice, payment and vendor rows (CSV) and
 * elements (XML) with sensible defaults that a case overrides field by field.
 */

export const INVOICE_COLUMNS = [
	'InvoiceId',
	'InvoiceNumber',
	'DocumentType',
	'VendorId',
	'VendorName',
	'InvoiceDate',
	'Currency',
	'Total',
	'TaxTotal',
	'LineNumber',
	'LineDescription',
	'Quantity',
	'UnitPrice',
	'LineAmount',
	'GLAccount',
	'ApprovedAt',
] as const;

export type InvoiceColumn = (typeof INVOICE_COLUMNS)[number];
export type InvoiceCells = Partial<Record<InvoiceColumn, string>>;

/** One invoice line row; every cell can be overridden (given text is written as is, quotes included). */
export function invoiceRow(id: string, cells: InvoiceCells = {}): InvoiceCells {
	return {
		InvoiceId: id,
		InvoiceNumber: `N-${id}`,
		DocumentType: 'bill',
		VendorId: 'V-1',
		VendorName: 'Acme',
		InvoiceDate: '2026-03-02',
		Currency: 'USD',
		Total: '10.00',
		TaxTotal: '0',
		LineNumber: '1',
		LineDescription: 'Paper',
		Quantity: '1',
		UnitPrice: '10.00',
		LineAmount: '10.00',
		GLAccount: '6100',
		ApprovedAt: '2026-03-05T14:22:10Z',
		...cells,
	};
}

/** Lines of one invoice that balance: `count` lines of 1.00, total = count. */
export function invoiceLines(id: string, count: number, cells: InvoiceCells = {}): InvoiceCells[] {
	const rows: InvoiceCells[] = [];
	for (let l = 1; l <= count; l++)
		rows.push(
			invoiceRow(id, {
				Total: `${count}.00`,
				LineNumber: String(l),
				UnitPrice: '1.00',
				LineAmount: '1.00',
				...cells,
			}),
		);
	return rows;
}

export function csvText(
	rows: InvoiceCells[],
	{ eol = '\r\n', columns = INVOICE_COLUMNS as readonly string[], delimiter = ',' } = {},
): string {
	const lines = [columns.join(delimiter)];
	for (const row of rows)
		lines.push(columns.map((c) => (row as Record<string, string>)[c] ?? '').join(delimiter));
	return lines.join(eol) + eol;
}

export const csv = (rows: InvoiceCells[], options?: Parameters<typeof csvText>[1]): Buffer =>
	Buffer.from(csvText(rows, options), 'utf8');

export interface XmlInvoiceParts {
	name?: string;
	total?: string;
	amount?: string;
	currency?: string;
	date?: string;
	/** Inserted into the record element before its lines (markup allowed). */
	extra?: string;
	/** Replaces the whole <Lines> element. */
	lines?: string;
}

/** One <Invoice> element; text is inserted as given, so markup and references can be tested. */
export function xmlInvoice(id: string, parts: XmlInvoiceParts = {}): string {
	const {
		name = 'One',
		total = '10.00',
		amount = '10.00',
		currency = 'USD',
		date = '2026-01-05',
	} = parts;
	const lines =
		parts.lines ??
		`<Lines><Line><Amount>${amount}</Amount><GLAccount>6000</GLAccount></Line></Lines>`;
	return (
		`  <Invoice><InvoiceId>${id}</InvoiceId><InvoiceNumber>N-${id}</InvoiceNumber><DocumentType>bill</DocumentType>` +
		`<Vendor><Id>V1</Id><Name>${name}</Name></Vendor><InvoiceDate>${date}</InvoiceDate><Currency>${currency}</Currency>` +
		`<Total>${total}</Total>${parts.extra ?? ''}${lines}</Invoice>\n`
	);
}

export function xmlText(
	records: string[],
	{
		declaration = '<?xml version="1.0" encoding="UTF-8"?>\n',
		root = 'InvoiceExport',
		prolog = '',
	} = {},
): string {
	return `${declaration}${prolog}<${root}>\n${records.join('')}</${root}>\n`;
}

export const xml = (records: string[], options?: Parameters<typeof xmlText>[1]): Buffer =>
	Buffer.from(xmlText(records, options), 'utf8');

export const PAYMENT_HEADER =
	'PaymentId,InvoiceId,InvoiceNumber,VendorId,VendorName,PaymentDate,Amount,Currency';

export function paymentRow(
	id: string,
	amount = '10.00',
	date = '2026-03-20',
	currency = 'USD',
): string {
	return `${id},I-${id},N-${id},V-1,Acme,${date},${amount},${currency}`;
}

export const payments = (rows: string[], eol = '\r\n'): Buffer =>
	Buffer.from([PAYMENT_HEADER, ...rows].join(eol) + eol);

export const VENDOR_HEADER = 'VendorId,VendorName,TaxId,Email,Phone,Active';

export const vendors = (rows: string[]): Buffer =>
	Buffer.from([VENDOR_HEADER, ...rows].join('\r\n') + '\r\n');

/** Big-endian UTF-16 of a string (Node only writes little-endian). */
export function utf16be(text: string): Buffer {
	const bytes = Buffer.from(text, 'utf16le');
	for (let i = 0; i + 1 < bytes.length; i += 2) [bytes[i], bytes[i + 1]] = [bytes[i + 1], bytes[i]];
	return bytes;
}
