/**
 * Records in, bytes out, in constant memory: a pull-based stream (Readable.from over an async
 * generator) so the consumer — an SFTP upload — sets the pace and nothing is buffered beyond one
 * chunk. Counts rows and bytes and hashes the bytes on the way, so the file's audit record needs no
 * second pass over the file.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { TextEncoding } from '../templates/types';
import { FeedRecordError, type FeedEncoder } from './encoder';

export interface FeedReject {
	/** 0-based position of the record in the input. */
	index: number;
	field: string;
	reason: string;
	message: string;
}

export interface FeedStats {
	/** Records written. */
	records: number;
	/** Data rows written (CSV: one per PO line; XML: one per record). Header excluded. */
	rows: number;
	bytes: number;
	/** Hex SHA-256 of the bytes produced; set when the stream has ended. */
	sha256?: string;
	/** Records skipped because they could not be written. */
	rejectedCount: number;
	/** The first `maxRejectDetails` rejects, with reasons. */
	rejected: FeedReject[];
	/** Characters that the target encoding (Latin-1 CSV) could not hold and were written as `?`. */
	replacedCharacters: number;
	/** Control characters (C0 other than tab, LF, CR; DEL; C1) removed from text cells. */
	removedControlCharacters: number;
	done: boolean;
}

export interface FeedStreamOptions {
	/** Bytes gathered before a chunk is handed on. Default 64 KiB. */
	chunkBytes?: number;
	/** How many rejects keep their details (the count is always exact). Default 100. */
	maxRejectDetails?: number;
	/** Called for every rejected record, e.g. to map it back to an n8n item. */
	onReject?: (reject: FeedReject) => void;
	/** Called for every record written, with its input position. */
	onRecord?: (index: number) => void;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function textEncoder(encoding: TextEncoding, stats: FeedStats): (text: string) => Buffer {
	if (encoding !== 'latin1') return (text) => Buffer.from(text, 'utf8');
	return (text) =>
		Buffer.from(
			text.replace(/[^\u0000-\u00FF]/gu, () => {
				stats.replacedCharacters++;
				return '?';
			}),
			'latin1',
		);
}

export function newFeedStats(): FeedStats {
	return {
		records: 0,
		rows: 0,
		bytes: 0,
		rejectedCount: 0,
		rejected: [],
		replacedCharacters: 0,
		removedControlCharacters: 0,
		done: false,
	};
}

/**
 * Encodes `records` with `encoder`, yielding byte chunks. `stats` is filled in as it goes and is
 * final (with sha256) once the generator has finished.
 */
export async function* encodeFeed(
	encoder: FeedEncoder,
	records: AsyncIterable<unknown> | Iterable<unknown>,
	stats: FeedStats = newFeedStats(),
	options: FeedStreamOptions = {},
): AsyncGenerator<Buffer> {
	const chunkBytes = options.chunkBytes ?? 64 * 1024;
	const maxRejectDetails = options.maxRejectDetails ?? 100;
	const hash = createHash('sha256');
	const toBytes = textEncoder(encoder.encoding, stats);
	let pending: string[] = [];
	let pendingLength = 0;

	const flush = (): Buffer => {
		const bytes = toBytes(pending.join(''));
		pending = [];
		pendingLength = 0;
		hash.update(bytes);
		stats.bytes += bytes.length;
		return bytes;
	};
	const push = (text: string) => {
		pending.push(text);
		// UTF-16 length is a good enough proxy for bytes to decide when to flush.
		pendingLength += text.length;
	};

	if (encoder.encoding === 'utf8bom') {
		hash.update(UTF8_BOM);
		stats.bytes += UTF8_BOM.length;
		yield UTF8_BOM;
	}
	push(encoder.begin());
	let index = 0;
	for await (const record of records) {
		const at = index++;
		let failure: unknown;
		try {
			const { text, rows } = encoder.encodeRecord(record, at);
			push(text);
			stats.records++;
			stats.rows += rows;
			options.onRecord?.(at);
		} catch (error) {
			failure = error;
		}
		// Only a bad record is skipped; anything else (a bug) propagates.
		if (failure !== undefined && !(failure instanceof FeedRecordError)) throw failure;
		if (failure instanceof FeedRecordError) {
			const error = failure;
			const reject: FeedReject = {
				index: error.index,
				field: error.field,
				reason: error.reason,
				message: error.message,
			};
			stats.rejectedCount++;
			if (stats.rejected.length < maxRejectDetails) stats.rejected.push(reject);
			options.onReject?.(reject);
		}
		stats.removedControlCharacters = encoder.removedControlCharacters;
		if (pendingLength >= chunkBytes) yield flush();
	}
	push(encoder.end());
	if (pendingLength > 0) yield flush();
	stats.sha256 = hash.digest('hex');
	stats.done = true;
}

/** The same as a Node Readable (for `uploadAtomic`), with backpressure from the reader. */
export function feedReadable(
	encoder: FeedEncoder,
	records: AsyncIterable<unknown> | Iterable<unknown>,
	stats: FeedStats = newFeedStats(),
	options: FeedStreamOptions = {},
): Readable {
	return Readable.from(encodeFeed(encoder, records, stats, options), { objectMode: false });
}
