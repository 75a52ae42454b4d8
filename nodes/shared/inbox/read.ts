/**
 * Reading one remote file: a single streaming pass hashes the bytes (SHA-256) and feeds the parser,
 * so no copy of the file is held. Also the two reads outside any ledger: the trigger's test event
 * (newest file) and Stampli Files' "Download and Parse".
 */
import { createHash } from 'node:crypto';
import { assertSafeName } from '../sftp/names';
import { SftpError } from '../sftp/errors';
import type { HashedReadStream, SftpSession } from '../sftp/session';
import type { ListedFile } from './ledger';
import type { FileOutcome, FileParser, FileProblem, ParsedFile } from './types';

export const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export interface ReadOptions<R = unknown> {
	/** Files larger than this fail with a clear reason instead of being read. Default 256 MiB. */
	maxFileBytes?: number;
	/** Without a parser, files are read whole (binary output mode). */
	parse?: FileParser<R>;
}

/** One problem that stands for all invalid records of a file (the item-level errors list each one). */
export function summariseProblems(
	name: string,
	problems: FileProblem[],
	total: number,
): FileProblem {
	const rows = [...new Set(problems.flatMap((p) => p.rows))].sort((a, b) => a - b);
	const first = problems[0];
	const where = first.field ? ` (field ${first.field})` : '';
	return {
		file: name,
		rows,
		field: first.field,
		reason: `${problems.length} invalid record(s) of ${total + problems.length}; first: row ${first.rows.join(', ')}${where}: ${first.reason}`,
	};
}

export type StreamedParse<R> = { sha256: string; bytes: number } & (
	{ parsed: ParsedFile<R> } | { parseError: unknown }
);

/**
 * Downloads `path` once through a hashing stream straight into the parser. A read error (connection
 * trouble) is thrown, so the poll fails visibly; a file over the size cap comes back as `tooLarge`.
 * When the parser gives up early, the hash is completed by a second streaming pass (failures only).
 */
export async function streamAndParse<R>(
	session: SftpSession,
	path: string,
	name: string,
	options: ReadOptions<R>,
): Promise<StreamedParse<R> | { tooLarge: string }> {
	const readError = (error: unknown) => {
		if (error instanceof SftpError && error.code === 'EFBIG') return { tooLarge: message(error) };
		throw error;
	};
	let stream: HashedReadStream;
	try {
		stream = await session.readStream(path, options.maxFileBytes);
	} catch (error) {
		return readError(error);
	}
	try {
		const parsed = await options.parse!({ name, path, data: stream });
		if (stream.readError) return readError(stream.readError);
		if (stream.sha256 === undefined)
			throw new Error(`the parser for ${path} returned before reading the whole file`);
		return { sha256: stream.sha256, bytes: stream.bytes, parsed };
	} catch (parseError) {
		if (stream.readError) return readError(stream.readError);
		stream.destroy();
		const whole =
			stream.sha256 !== undefined ? stream : await hashWhole(session, path, options.maxFileBytes);
		if ('tooLarge' in whole) return whole;
		return { sha256: whole.sha256!, bytes: whole.bytes, parseError };
	}
}

/** SHA-256 of a whole file in one streaming pass (no copy kept). */
export async function hashWhole(
	session: SftpSession,
	path: string,
	maxBytes?: number,
): Promise<{ sha256: string; bytes: number } | { tooLarge: string }> {
	try {
		const stream = await session.readStream(path, maxBytes);
		for await (const _chunk of stream) {
			// only the hash is wanted
		}
		return { sha256: stream.sha256!, bytes: stream.bytes };
	} catch (error) {
		if (error instanceof SftpError && error.code === 'EFBIG') return { tooLarge: message(error) };
		throw error;
	}
}

/**
 * "Fetch test event": the newest matching file, parsed, without touching any ledger or moving anything.
 * Undefined when the directory holds no matching file.
 */
export async function fetchNewest<R = unknown>(
	session: SftpSession,
	options: ReadOptions<R> & { dir: string; pattern?: string },
): Promise<FileOutcome<R> | undefined> {
	const listing = await session.list(options.dir, options.pattern);
	const newest = listing[listing.length - 1];
	if (!newest) return undefined;
	assertSafeName(newest.name);
	return await readOne(session, newest, options);
}

/** One file read and parsed (streamed when parsing), outside any ledger. */
async function readOne<R>(
	session: SftpSession,
	file: ListedFile,
	options: ReadOptions<R>,
): Promise<FileOutcome<R>> {
	if (!options.parse) {
		const data = await session.read(file.path, options.maxFileBytes);
		const sha256 = createHash('sha256').update(data).digest('hex');
		return {
			file: { ...file, size: data.length },
			status: 'processed',
			sha256,
			bytes: data.length,
			data,
			retry: false,
		};
	}
	const read = await streamAndParse(session, file.path, file.name, options);
	// As when reading whole: an oversized file is an error of the call, not an outcome.
	if ('tooLarge' in read) throw new SftpError(read.tooLarge, 'EFBIG');
	const { sha256, bytes } = read;
	const sized = { ...file, size: bytes };
	if ('parseError' in read)
		return {
			file: sized,
			status: 'failed',
			sha256,
			bytes,
			error: { file: file.path, rows: [], reason: message(read.parseError) },
			retry: false,
		};
	const { parsed } = read;
	const status =
		parsed.errors.length === 0 ? 'processed' : parsed.records.length > 0 ? 'partial' : 'failed';
	const error = parsed.errors.length
		? summariseProblems(file.path, parsed.errors, parsed.records.length)
		: undefined;
	return { file: sized, status, sha256, bytes, parsed, error, retry: false };
}

/** Stampli Files "Download & Parse": one named file, read and parsed; nothing is moved and no ledger is involved. */
export async function readAndParse<R = unknown>(
	session: SftpSession,
	path: string,
	options: ReadOptions<R>,
): Promise<FileOutcome<R>> {
	const info = await session.stat(path);
	if (!info) throw new Error(`No such file: ${path}`);
	assertSafeName(info.name);
	return await readOne(session, info, options);
}
