/**
 * Bounded batches: a file is read as a sequence of entries (valid records and invalid-record reports, in
 * file order) and emitted in batches of at most `batchSize` entries, so neither the trigger nor one
 * execution holds a large file whole. A first pass hashes the whole file, counts its entries and keeps
 * the first batch; later batches come from another streaming pass that skips the entries already
 * emitted (also how a file whose batches span several polls is resumed).
 */
import type { Readable } from 'node:stream';
import { SftpError } from '../sftp/errors';
import type { HashedReadStream, SftpSession } from '../sftp/session';
import type { ListedFile } from './ledger';
import type { FileParser, FileProblem } from './types';

/** One entry of a file, in file order. */
export type FileEntry<R> = { record: R } | { problem: FileProblem };

/** Format and template, known once the reader has seen enough of the file (at the latest at its end). */
export interface FileFacts {
	format: string;
	template: string;
}

/**
 * Reads a file's entries as its bytes stream in. Throws for a file that cannot be read as a whole
 * (with `rows` when known). `facts` is called once the entries ended.
 */
export interface RecordReading<R> {
	entries: AsyncIterable<FileEntry<R>>;
	facts(): FileFacts;
}

export type RecordReader<R = unknown> = (input: {
	name: string;
	path: string;
	data: Readable;
}) => RecordReading<R>;

const firstRow = (value: unknown): number | undefined => {
	const rows = (value as { source?: { rows?: unknown } })?.source?.rows;
	return Array.isArray(rows) && typeof rows[0] === 'number' ? rows[0] : undefined;
};

/**
 * Adapts a parser that returns the whole file (`parseStampliFile`) to a record reader: its records and
 * problems merged back into file order by their first row (problems without a row come last). Memory
 * is bounded only by such a parser's own; a streaming parser plugs in as a `RecordReader` directly.
 */
export function readerFromParser<R>(parse: FileParser<R>): RecordReader<R> {
	return (input) => {
		let facts: FileFacts | undefined;
		async function* entries(): AsyncGenerator<FileEntry<R>> {
			const parsed = await parse(input);
			facts = { format: parsed.file.format, template: parsed.file.template };
			const records = parsed.records;
			const problems = parsed.errors;
			let p = 0;
			for (const record of records) {
				const row = firstRow(record);
				while (
					p < problems.length &&
					problems[p].rows.length > 0 &&
					row !== undefined &&
					problems[p].rows[0] < row
				)
					yield { problem: problems[p++] };
				yield { record };
			}
			while (p < problems.length) yield { problem: problems[p++] };
		}
		return {
			entries: entries(),
			facts: () => facts ?? { format: 'unknown', template: 'unknown' },
		};
	};
}

export interface Batch<R> {
	/** 1-based. */
	index: number;
	/** 1-based positions of the batch's first and last entries in the file. */
	firstItem: number;
	lastItem: number;
	records: R[];
	problems: FileProblem[];
}

export interface ScanOptions {
	batchSize: number;
	/** Ceiling on a file's entries; a file with more is refused. */
	maxItems?: number;
	maxFileBytes?: number;
}

export type ScanResult<R> =
	| { tooLarge: string }
	| { sha256: string; bytes: number; parseError: unknown }
	| {
			sha256: string;
			bytes: number;
			facts: FileFacts;
			/** The first batch (all of a small file). */
			first: Batch<R>;
			items: number;
			records: number;
			problems: number;
			/** Up to the first 20 problems, for the file's summary. */
			someProblems: FileProblem[];
			/** More entries than `maxItems`: counted up to there, the rest only hashed. */
			tooMany?: boolean;
	  };

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * A reader's whole-file refusal as a problem: its row and field kept structured when the error knows
 * them (the Stampli readers' StampliFileError does), its reason without the path repeated.
 */
export function parseProblem(path: string, error: unknown): FileProblem {
	const known = error as { rows?: unknown; field?: unknown; reason?: unknown };
	const rows = Array.isArray(known?.rows) ? (known.rows as number[]) : [];
	const reason = typeof known?.reason === 'string' ? known.reason : message(error);
	return {
		file: path,
		rows,
		...(typeof known?.field === 'string' ? { field: known.field } : {}),
		reason,
	};
}

async function openStream(
	session: SftpSession,
	path: string,
	maxBytes: number | undefined,
): Promise<HashedReadStream | { tooLarge: string }> {
	try {
		return await session.readStream(path, maxBytes);
	} catch (error) {
		if (error instanceof SftpError && error.code === 'EFBIG') return { tooLarge: message(error) };
		throw error;
	}
}

/** Reads the rest of a stream for its hash only. */
async function drain(stream: HashedReadStream): Promise<void> {
	if (stream.sha256 !== undefined || stream.destroyed) return;
	for await (const _chunk of stream) {
		// only the hash is wanted
	}
}

function readFailure(stream: HashedReadStream): { tooLarge: string } | undefined {
	if (!stream.readError) return undefined;
	if (stream.readError.code === 'EFBIG') return { tooLarge: stream.readError.message };
	// Connection trouble: the poll fails visibly and the file stays pending.
	throw stream.readError;
}

/**
 * The first pass over a file: hashes all of it, counts its entries and keeps the first batch. A read
 * error (connection trouble) is thrown; a file over the size cap comes back as `tooLarge`; a file the
 * reader refuses as a whole comes back as `parseError` with its hash.
 */
export async function scanFile<R>(
	session: SftpSession,
	file: ListedFile,
	reader: RecordReader<R>,
	options: ScanOptions,
): Promise<ScanResult<R>> {
	const stream = await openStream(session, file.path, options.maxFileBytes);
	if ('tooLarge' in stream) return stream;
	const batchSize = Math.max(1, Math.floor(options.batchSize));
	const first: Batch<R> = { index: 1, firstItem: 1, lastItem: 0, records: [], problems: [] };
	let items = 0;
	let records = 0;
	let problems = 0;
	const someProblems: FileProblem[] = [];
	let tooMany = false;
	let reading: RecordReading<R> | undefined;
	try {
		reading = reader({ name: file.name, path: file.path, data: stream });
		for await (const entry of reading.entries) {
			items++;
			if (options.maxItems !== undefined && items > options.maxItems) {
				tooMany = true;
				break;
			}
			if ('record' in entry) records++;
			else {
				problems++;
				if (someProblems.length < 20) someProblems.push(entry.problem);
			}
			if (items <= batchSize) {
				first.lastItem = items;
				if ('record' in entry) first.records.push(entry.record);
				else first.problems.push(entry.problem);
			}
		}
		await drain(stream);
	} catch (parseError) {
		const failure = readFailure(stream);
		if (failure) return failure;
		stream.destroy();
		const whole = await hashOnly(session, file.path, options.maxFileBytes);
		if ('tooLarge' in whole) return whole;
		return { ...whole, parseError };
	}
	const failure = readFailure(stream);
	if (failure) return failure;
	return {
		sha256: stream.sha256!,
		bytes: stream.bytes,
		facts: reading.facts(),
		first,
		items: tooMany ? options.maxItems! + 1 : items,
		records,
		problems,
		someProblems,
		...(tooMany ? { tooMany } : {}),
	};
}

/** SHA-256 of a whole file in one streaming pass (no copy kept). */
export async function hashOnly(
	session: SftpSession,
	path: string,
	maxBytes?: number,
): Promise<{ sha256: string; bytes: number } | { tooLarge: string }> {
	const stream = await openStream(session, path, maxBytes);
	if ('tooLarge' in stream) return stream;
	try {
		await drain(stream);
	} catch {
		// the read error is kept on the stream
	}
	const failure = readFailure(stream);
	if (failure) return failure;
	return { sha256: stream.sha256!, bytes: stream.bytes };
}

export interface BatchPass<R> {
	batches: AsyncIterable<Batch<R>>;
	/** After the batches ended: the hash of the whole file as this pass read it (undefined if stopped early). */
	sha256(): string | undefined;
	/** Format and template as far as known (at the latest once the batches ended). */
	facts(): FileFacts;
	/** Stops reading (the remote read stops too). */
	stop(): void;
}

/**
 * Another streaming pass: batches of `batchSize` entries starting with the entry at 0-based `startItem`
 * (batch numbers continue from there). Entries before it are read and dropped; nothing is held but the
 * batch being filled.
 */
export async function batchesFrom<R>(
	session: SftpSession,
	file: ListedFile,
	reader: RecordReader<R>,
	options: { batchSize: number; startItem: number; maxFileBytes?: number },
): Promise<BatchPass<R>> {
	const opened = await openStream(session, file.path, options.maxFileBytes);
	if ('tooLarge' in opened) throw new SftpError(opened.tooLarge, 'EFBIG');
	const stream: HashedReadStream = opened;
	const batchSize = Math.max(1, Math.floor(options.batchSize));
	const reading = reader({ name: file.name, path: file.path, data: stream });
	let stopped = false;
	async function* batches(): AsyncGenerator<Batch<R>> {
		let item = 0;
		let index = Math.floor(options.startItem / batchSize);
		let current: Batch<R> | undefined;
		try {
			for await (const entry of reading.entries) {
				item++;
				if (item <= options.startItem) continue;
				current ??= { index: ++index, firstItem: item, lastItem: item, records: [], problems: [] };
				current.lastItem = item;
				if ('record' in entry) current.records.push(entry.record);
				else current.problems.push(entry.problem);
				if (item - current.firstItem + 1 >= batchSize) {
					const full = current;
					current = undefined;
					yield full;
					if (stopped) return;
				}
			}
			if (current) yield current;
			await drain(stream);
		} finally {
			if (stream.sha256 === undefined) stream.destroy();
		}
		const failure = readFailure(stream);
		if (failure) throw new SftpError(failure.tooLarge, 'EFBIG');
	}
	return {
		batches: batches(),
		sha256: () => stream.sha256,
		facts: () => reading.facts(),
		stop: () => {
			stopped = true;
			stream.destroy();
		},
	};
}
