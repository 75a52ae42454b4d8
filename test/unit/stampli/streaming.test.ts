/**
 * streamStampliFile: records and rejections yielded one at a time, in file order, while the bytes
 * stream in, so a consumer can cut bounded batches; the file's SHA-256 at the end; ceilings.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Invoice } from '../../../nodes/shared/records/types';
import {
	parseStampliFile,
	StampliFileError,
	streamStampliFile,
	type StampliFileEvent,
} from '../../../nodes/shared/stampli';
import { fileError, INVOICE_HEADER, invoiceRow, invoiceXml, xmlInvoice } from './helpers';

type Event = StampliFileEvent<unknown>;

async function collect(events: AsyncIterable<Event>): Promise<Event[]> {
	const all: Event[] = [];
	for await (const event of events) all.push(event);
	return all;
}

/** A CSV of `count` one-line invoices, generated as it is read; `pulled()` tells how many rows were handed out so far. */
function lazyCsv(count: number, rowsPerChunk = 100) {
	let pulled = 0;
	const hash = createHash('sha256');
	const stream = Readable.from(
		(function* () {
			let text = `${INVOICE_HEADER}\r\n`;
			for (let i = 1; i <= count; i++) {
				text += `${invoiceRow(`I-${i}`)}\r\n`;
				if (i % rowsPerChunk && i < count) continue;
				pulled = i;
				const chunk = Buffer.from(text);
				hash.update(chunk);
				text = '';
				yield chunk;
			}
		})(),
	);
	return { stream, pulled: () => pulled, sha256: () => hash.digest('hex') };
}

describe('streamStampliFile', () => {
	it('yields each record while the file is still being read, within the window, and the SHA-256 at the end', async () => {
		const count = 20_000;
		const source = lazyCsv(count);
		let ahead = 0;
		let records = 0;
		let end: Extract<Event, { type: 'end' }> | undefined;
		for await (const event of streamStampliFile(
			{ name: 'big.csv', data: source.stream },
			'invoices',
			{ groupWindowRows: 1000 },
		)) {
			if (event.type === 'record') {
				records++;
				const { rows, sha256 } = (event.record as Invoice).source;
				if (rows[0] !== records || sha256 !== '')
					throw new Error(`record ${records}: rows ${rows}`);
				// The reader is never more than the window plus one chunk ahead of what it yields.
				ahead = Math.max(ahead, source.pulled() - rows[0]);
			} else if (event.type === 'end') end = event;
			else throw new Error(`unexpected ${JSON.stringify(event)}`);
		}
		expect(records).toBe(count);
		expect(ahead).toBeLessThanOrEqual(1000 + 100 + 1);
		expect(end).toEqual({
			type: 'end',
			file: {
				name: 'big.csv',
				sha256: source.sha256(),
				bytes: expect.any(Number),
				format: 'csv',
				template: 'invoice-export@1',
			},
			counts: { rows: count, records: count, rejected: 0, warnings: 0 },
		});
	});

	it('puts a known SHA-256 on every record, and refuses the file when the bytes hash differently', async () => {
		const data = Buffer.from(`${INVOICE_HEADER}\r\n${invoiceRow('A')}\r\n`);
		const sha256 = createHash('sha256').update(data).digest('hex');
		const events = await collect(
			streamStampliFile({ name: 'a.csv', data }, 'invoices', { sha256 }),
		);
		expect((events[0] as { record: Invoice }).record.source.sha256).toBe(sha256);
		const wrong = '0'.repeat(64);
		const error = await fileError(
			collect(streamStampliFile({ name: 'a.csv', data }, 'invoices', { sha256: wrong })),
		);
		expect(error.reason).toContain('the file changed between reads');
	});

	it('yields records and rejections in the order of their first row, every row exactly once', async () => {
		const data = Buffer.from(
			[
				INVOICE_HEADER,
				invoiceRow('A'),
				',,,,,,,,,,',
				invoiceRow('B', { amount: 'x' }),
				invoiceRow('C', { total: '20.00' }),
				invoiceRow('D'),
				invoiceRow('C', { total: '20.00' }),
			].join('\n'),
		);
		const events = await collect(
			streamStampliFile({ name: 'o.csv', data }, 'invoices', { groupWindowRows: 5 }),
		);
		expect(
			events.map((e) =>
				e.type === 'record'
					? ['record', (e.record as Invoice).stampliInvoiceId, (e.record as Invoice).source.rows]
					: e.type === 'rejected'
						? ['rejected', e.recordId, e.rows]
						: ['end', e.counts],
			),
		).toEqual([
			['record', 'A', [1]],
			['rejected', undefined, [2]],
			['rejected', 'B', [3]],
			['record', 'C', [4, 6]],
			['record', 'D', [5]],
			['end', { rows: 6, records: 3, rejected: 2, warnings: 0 }],
		]);
	});

	it('rejects rows of an invoice that come after the invoice was handed on, naming them — never merges or drops them', async () => {
		const rows = [invoiceRow('SPLIT', { total: '20.00' })];
		for (let i = 1; i <= 10; i++) rows.push(invoiceRow(`F-${i}`));
		rows.push(invoiceRow('SPLIT', { total: '20.00' }), invoiceRow('SPLIT', { total: '20.00' }));
		const data = Buffer.from([INVOICE_HEADER, ...rows].join('\r\n'));
		const events = await collect(
			streamStampliFile({ name: 's.csv', data }, 'invoices', { groupWindowRows: 3 }),
		);
		const rejected = events.filter((e) => e.type === 'rejected');
		expect(rejected).toEqual([
			expect.objectContaining({
				rows: [1],
				recordId: 'SPLIT',
				errors: [
					expect.objectContaining({
						field: 'Total',
						reason: expect.stringContaining('line amounts sum to 10.00'),
					}),
				],
			}),
			{
				type: 'rejected',
				rows: [12, 13],
				recordId: 'SPLIT',
				warnings: [],
				errors: [
					{
						file: 's.csv',
						rows: [12, 13],
						field: 'InvoiceId',
						recordId: 'SPLIT',
						reason: expect.stringContaining(
							'rows 12–13 of InvoiceId "SPLIT" come after its earlier rows were complete and passed on; the rows of one record must be at most 3 apart (groupWindowRows)',
						),
					},
				],
			},
		]);
		// Collected whole, the same file groups the invoice wherever its rows are.
		const whole = await parseStampliFile({ name: 's.csv', data }, 'invoices');
		expect(whole.errors).toEqual([
			expect.objectContaining({
				rows: [1, 12, 13],
				reason: expect.stringContaining('line amounts sum to 30.00'),
			}),
		]);
	});

	it('keeps memory bounded when two invoices interleave through the whole file: the window caps what is held', async () => {
		const rows: string[] = [];
		for (let i = 0; i < 50; i++)
			rows.push(invoiceRow('X', { total: '1.00', amount: '1.00' }), invoiceRow('Y'));
		const data = Buffer.from([INVOICE_HEADER, ...rows].join('\n'));
		const events = await collect(
			streamStampliFile({ name: 'i.csv', data }, 'invoices', { groupWindowRows: 10 }),
		);
		const end = events.at(-1) as Extract<Event, { type: 'end' }>;
		expect(end.counts.rows).toBe(100);
		const covered = events.flatMap((e) =>
			e.type === 'record' ? (e.record as Invoice).source.rows : e.type === 'rejected' ? e.rows : [],
		);
		expect(covered.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
	});

	it('streams XML record elements the same way', async () => {
		const data = invoiceXml(xmlInvoice('A'), xmlInvoice('B', { total: '11.00' }), xmlInvoice('C'));
		const events = await collect(streamStampliFile({ name: 'x.xml', data }, 'invoices'));
		expect(events.map((e) => e.type)).toEqual(['record', 'rejected', 'record', 'end']);
		expect(events[3]).toMatchObject({
			counts: { rows: 3, records: 2, rejected: 1 },
			file: { format: 'xml' },
		});
	});

	it('refuses a file with more records than maxRecords, naming the file and the row', async () => {
		const data = Buffer.from(
			[INVOICE_HEADER, invoiceRow('A'), invoiceRow('B'), invoiceRow('C')].join('\n'),
		);
		const events: Event[] = [];
		const error = await fileError(
			(async () => {
				for await (const e of streamStampliFile({ name: 'm.csv', data }, 'invoices', {
					maxRecords: 2,
					groupWindowRows: 0,
				}))
					events.push(e);
			})(),
		);
		expect(error.message).toBe(
			'"m.csv" (row 3): the file holds more than 2 records (maxRecords); refusing to read further',
		);
		expect(error.rows).toEqual([3]);
		// What was complete before the ceiling was passed may have been yielded; the file as a whole failed.
		expect(events.every((e) => e.type === 'record')).toBe(true);
		expect(events.length).toBeLessThanOrEqual(2);
	});

	it('refuses a file larger than maxBytes', async () => {
		const data = Buffer.from([INVOICE_HEADER, invoiceRow('A')].join('\n'));
		const error = await fileError(
			collect(streamStampliFile({ name: 'b.csv', data }, 'invoices', { maxBytes: 50 })),
		);
		expect(error.reason).toContain('larger than the 50-byte limit');
	});

	it('destroys the input stream when the consumer stops early', async () => {
		const source = lazyCsv(10_000);
		for await (const event of streamStampliFile(
			{ name: 'e.csv', data: source.stream },
			'invoices',
			{ groupWindowRows: 0 },
		)) {
			expect(event.type).toBe('record');
			break;
		}
		expect(source.stream.destroyed).toBe(true);
		expect(source.pulled()).toBeLessThan(10_000);
	});

	it('passes an error of the input stream through unchanged (a dropped connection is not a bad file)', async () => {
		const dropped = new Error('connection lost');
		const stream = Readable.from(
			(async function* () {
				yield Buffer.from(`${INVOICE_HEADER}\r\n${invoiceRow('A')}\r\n`);
				throw dropped;
			})(),
		);
		const error = await collect(
			streamStampliFile({ name: 'd.csv', data: stream }, 'invoices'),
		).catch((e: unknown) => e);
		expect(error).toBe(dropped);
		expect(error).not.toBeInstanceOf(StampliFileError);
	});

	it('checks its options, naming the one that is wrong', async () => {
		const data = Buffer.from(INVOICE_HEADER);
		for (const [options, field] of [
			[{ maxRecords: 0 }, 'maxRecords'],
			[{ maxElementBytes: -1 }, 'maxElementBytes'],
			[{ groupWindowRows: -1 }, 'groupWindowRows'],
			[{ plausibility: 'maybe' }, 'plausibility'],
			[{ dateRange: { from: '2030-01-01', to: '2020-01-01' } }, 'dateRange'],
			[{ sha256: 'abc' }, 'sha256'],
		] as const) {
			const error = await fileError(
				collect(streamStampliFile({ name: 'o.csv', data }, 'invoices', options as never)),
			);
			expect(error.field).toBe(field);
		}
	});
});
