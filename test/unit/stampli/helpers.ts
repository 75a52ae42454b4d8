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
