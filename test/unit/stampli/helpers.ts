import { StampliFileError } from '../../../nodes/shared/stampli';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'stampli');

export function fixture(name: string): Buffer {
	return readFileSync(join(FIXTURES, name));
}

/** A stream that hands the bytes over in small pieces, so chunk boundaries fall everywhere. */
export function trickle(data: Buffer, size = 7): Readable {
	return Readable.from(
		(function* () {
			for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
		})(),
	);
}

export const INVOICE_HEADER =
	'InvoiceId,InvoiceNumber,DocumentType,VendorId,VendorName,InvoiceDate,Currency,Total,TaxTotal,LineAmount,GLAccount';

/** A minimal invoice CSV from rows of the INVOICE_HEADER columns. */
export function invoiceCsv(...rows: string[]): Buffer {
	return Buffer.from([INVOICE_HEADER, ...rows].join('\r\n') + '\r\n', 'utf8');
}

/** The StampliFileError a promise rejects with (fails the test when it resolves or rejects otherwise). */
export async function fileError(promise: Promise<unknown>): Promise<StampliFileError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(StampliFileError);
	return error as StampliFileError;
}

/** An invoice row of the INVOICE_HEADER columns with sensible defaults. */
export function invoiceRow(
	id: string,
	{
		vendor = 'Acme',
		total = '10.00',
		tax = '0',
		amount = '10.00',
		type = 'bill',
		date = '2026-03-02',
		currency = 'USD',
	} = {},
): string {
	return `${id},N-${id},${type},V-1,${vendor},${date},${currency},${total},${tax},${amount},6100`;
}

/** An invoice-export XML document of the given <Invoice> elements. */
export const invoiceXml = (...invoices: string[]): Buffer =>
	Buffer.from(
		`<?xml version="1.0" encoding="UTF-8"?>\n<InvoiceExport>${invoices.join('\n')}</InvoiceExport>\n`,
	);

/** One <Invoice> element with one line; `name` and `extra` are inserted as given (markup allowed). */
export function xmlInvoice(
	id: string,
	{ name = 'One', total = '10.00', amount = '10.00', extra = '' } = {},
): string {
	return (
		`<Invoice><InvoiceId>${id}</InvoiceId><InvoiceNumber>N-${id}</InvoiceNumber><DocumentType>bill</DocumentType>` +
		`<Vendor><Id>V1</Id><Name>${name}</Name></Vendor><InvoiceDate>2026-01-05</InvoiceDate><Currency>USD</Currency>` +
		`<Total>${total}</Total>${extra}<Lines><Line><Amount>${amount}</Amount><GLAccount>6000</GLAccount></Line></Lines></Invoice>`
	);
}

/** Every row 1..n appears in exactly one record or error: nothing disappears, nothing is counted twice. */
export function expectEveryRowOnce(
	parsed: { records: Array<{ source: { rows: number[] } }>; errors: Array<{ rows: number[] }> },
	rowCount: number,
): void {
	const seen = new Map<number, number>();
	for (const record of parsed.records)
		for (const row of record.source.rows) seen.set(row, (seen.get(row) ?? 0) + 1);
	const inErrors = new Set(parsed.errors.flatMap((e) => e.rows));
	const missing: number[] = [];
	for (let row = 1; row <= rowCount; row++)
		if (!seen.has(row) && !inErrors.has(row)) missing.push(row);
	expect(missing).toEqual([]);
	expect([...seen.keys()].filter((row) => inErrors.has(row))).toEqual([]);
	expect([...seen.values()].filter((n) => n > 1)).toEqual([]);
}
