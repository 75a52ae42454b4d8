/**
 * Reads outside any ledger: the trigger's test event (the newest file, its first batch) and Stampli
 * Files' "Download and Parse" (one named file, inside the configured directories). Nothing is moved.
 */
import { createHash } from 'node:crypto';
import { assertSafeName } from '../sftp/names';
import { SftpError } from '../sftp/errors';
import { assertInsideDirs } from '../sftp/paths';
import type { SftpSession } from '../sftp/session';
import { parseProblem, readerFromParser, scanFile, type RecordReader } from './batches';
import type { ListedFile } from './ledger';
import type { FileOutcome, FileParser, FileProblem } from './types';

export const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export interface ReadOptions<R = unknown> {
	/** Files larger than this are refused instead of being read. Default 256 MiB. */
	maxFileBytes?: number;
	/** Files with more entries (records and invalid-record reports) than this are refused. */
	maxItems?: number;
	/** Reads a file's records as its bytes stream in; or `parse`, a parser returning the whole file. */
	reader?: RecordReader<R>;
	parse?: FileParser<R>;
}

/** The default ceiling on a file's entries for reads that return every record of a file. */
export const DEFAULT_MAX_ITEMS = 1_000_000;

/**
 * One problem that stands for all invalid records of a file (the item-level errors list each one):
 * how many of how many entries, and the first problem. `some` are the first few problems.
 */
export function summariseProblems(
	name: string,
	some: FileProblem[],
	count: number,
	items: number,
): FileProblem {
	const rows = [...new Set(some.flatMap((p) => p.rows))].sort((a, b) => a - b);
	const first = some[0];
	const where = first?.field ? ` (field ${first.field})` : '';
	return {
		file: name,
		rows,
		field: first?.field,
		reason: `${count} invalid record(s) of ${items}; first: row ${first?.rows.join(', ') ?? '?'}${where}: ${first?.reason ?? ''}`,
	};
}

/**
 * "Fetch test event": the newest matching file, its first `batchSize` entries, without touching any
 * ledger or moving anything. Undefined when the directory holds no matching file.
 */
export async function fetchNewest<R = unknown>(
	session: SftpSession,
	options: ReadOptions<R> & { dir: string; pattern?: string; batchSize: number },
): Promise<FileOutcome<R> | undefined> {
	const listing = await session.list(options.dir, options.pattern);
	const newest = listing[listing.length - 1];
	if (!newest) return undefined;
	assertSafeName(newest.name);
	return await readOne(session, newest, options, options.batchSize);
}

/**
 * Stampli Files "Download and Parse": one named file, which must lie (symlinks resolved) inside one
 * of `allowedDirs`; every record of it, up to the `maxItems` ceiling.
 */
export async function readAndParse<R = unknown>(
	session: SftpSession,
	path: string,
	options: ReadOptions<R> & { allowedDirs: string[] },
): Promise<FileOutcome<R>> {
	const resolved = await assertInsideDirs(session, path, options.allowedDirs);
	const info = await session.stat(resolved);
	if (!info) throw new Error(`No such file: ${path}`);
	assertSafeName(info.name);
	const maxItems = options.maxItems ?? DEFAULT_MAX_ITEMS;
	return await readOne(session, { ...info, path }, { ...options, maxItems }, maxItems);
}

/** One file read (streamed and hashed when parsing), outside any ledger; the first `batchSize` entries are kept. */
async function readOne<R>(
	session: SftpSession,
	file: ListedFile,
	options: ReadOptions<R>,
	batchSize: number,
): Promise<FileOutcome<R>> {
	const reader = options.reader ?? (options.parse ? readerFromParser(options.parse) : undefined);
	if (!reader) {
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
	const scan = await scanFile(session, file, reader, {
		batchSize,
		maxItems: options.maxItems,
		maxFileBytes: options.maxFileBytes,
	});
	// As when reading whole: an oversized file is an error of the call, not an outcome.
	if ('tooLarge' in scan) throw new SftpError(scan.tooLarge, 'EFBIG');
	const sized = { ...file, size: scan.bytes };
	if ('parseError' in scan)
		return {
			file: sized,
			status: 'failed',
			sha256: scan.sha256,
			bytes: scan.bytes,
			error: parseProblem(file.path, scan.parseError),
			retry: false,
		};
	if (scan.tooMany)
		throw new Error(
			`${file.path} holds more than ${options.maxItems} records (the node's Max Records per File); split the file or raise the limit`,
		);
	const status = scan.problems === 0 ? 'processed' : scan.records === 0 ? 'failed' : 'partial';
	const count = Math.max(1, Math.ceil(scan.items / Math.max(1, batchSize)));
	return {
		file: sized,
		status,
		sha256: scan.sha256,
		bytes: scan.bytes,
		parsed: {
			file: { name: file.path, sha256: scan.sha256, bytes: scan.bytes, ...scan.facts },
			records: scan.first.records,
			errors: scan.first.problems,
		},
		...(scan.problems
			? { error: summariseProblems(file.path, scan.someProblems, scan.problems, scan.items) }
			: {}),
		retry: false,
		...(count > 1
			? {
					batch: {
						index: 1,
						count,
						firstItem: scan.first.firstItem,
						lastItem: scan.first.lastItem,
						fileItems: scan.items,
						fileRecords: scan.records,
						fileInvalid: scan.problems,
					},
				}
			: {}),
	};
}
