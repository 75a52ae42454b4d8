/**
 * One feed file, end to end, in constant memory: records (from n8n items or straight from Odoo's
 * pages) → template encoder → SFTP atomic upload (temp name in the target dir, then rename).
 * Backpressure runs the whole way: the upload pulls bytes, the encoder pulls records, the Odoo
 * reader fetches the next page only when the previous one has been written.
 * Returns the audit record of the file (what, where, how many, sha256).
 */
import type { OdooClient } from '../odoo/client';
import { readMasterData } from '../odoo/masterData/reader';
import type {
	MasterDataCursor,
	MasterDataReadOptions,
	MasterDataStats,
} from '../odoo/masterData/types';
import type { SftpSession } from '../sftp/session';
import {
	compileFeedEncoder,
	feedReadable,
	manifestContent,
	manifestFileName,
	newFeedStats,
	renderFileName,
	type FeedFormat,
	type FeedReject,
	type FeedStreamOptions,
} from '../stampli/feedEncoding';
import { getDefaultTemplate } from '../stampli/templates/defaults';
import type { Template } from '../stampli/templates/types';
import { FEED_NAMES, FEED_OF_RESOURCE, type FeedKind } from './kinds';

export interface FeedFileOptions {
	template: Template;
	format: FeedFormat;
	/** Value of `{feed}` in the file name and of `feed` in the audit record, e.g. `vendors`. */
	feed: string;
	/** e.g. `{feed}_{date:YYYYMMDD}_{time:HHmmss}.csv`. */
	fileNamePattern: string;
	/** Remote directory, normally the credential's inbound directory. */
	targetDir: string;
	timeZone?: string;
	/** Clock for the file name and the audit (tests). */
	now?: () => Date;
	/** Write a header-only file when there are no records. Default false: no file. */
	writeEmpty?: boolean;
	/** Also upload `<name>.sha256` after the data file. */
	manifest?: boolean;
	neutraliseFormulas?: boolean;
	stream?: FeedStreamOptions;
}

/** The audit record of one feed file (PRODUCT.md §10). */
export interface FeedAuditRecord {
	feed: string;
	template: string;
	format: FeedFormat;
	/** Remote path of the uploaded file; null when no file was written (empty input). */
	remotePath: string | null;
	fileName: string | null;
	/** Data rows (CSV rows, or XML record elements). */
	rows: number;
	records: number;
	bytes: number;
	sha256: string | null;
	manifestPath?: string;
	startedAt: string;
	finishedAt: string;
	durationMs: number;
	rejectedCount: number;
	/** The first rejected records with the reason (file, record, field). */
	rejected: FeedReject[];
	/** Set when no file was written. */
	skipped?: 'empty';
}

export class FeedIntegrityError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'FeedIntegrityError';
	}
}

/** Pulls the first record so an empty source can be told apart before anything is uploaded. */
async function peek<T>(
	source: AsyncIterable<T> | Iterable<T>,
): Promise<{ empty: boolean; records: AsyncIterable<T> }> {
	const iterator =
		Symbol.asyncIterator in source
			? (source as AsyncIterable<T>)[Symbol.asyncIterator]()
			: toAsync((source as Iterable<T>)[Symbol.iterator]());
	const first = await iterator.next();
	if (first.done) return { empty: true, records: emptyAsync() };
	async function* rest(): AsyncGenerator<T> {
		yield first.value;
		for (;;) {
			const next = await iterator.next();
			if (next.done) return;
			yield next.value;
		}
	}
	return { empty: false, records: rest() };
}

function toAsync<T>(iterator: Iterator<T>): AsyncIterator<T> {
	return { next: async () => iterator.next() };
}

async function* emptyAsync<T>(): AsyncGenerator<T> {}

/** Encodes `records` and uploads them atomically as one feed file. */
export async function writeFeedFile(
	session: SftpSession,
	records: AsyncIterable<unknown> | Iterable<unknown>,
	options: FeedFileOptions,
): Promise<FeedAuditRecord> {
	const now = options.now ?? (() => new Date());
	const started = now();
	const startedMs = Date.now();
	const templateId = `${options.template.name}@${options.template.version}`;
	const encoder = compileFeedEncoder(options.template, options.format, {
		neutraliseFormulas: options.neutraliseFormulas,
	});
	const fileName = renderFileName(options.fileNamePattern, {
		feed: options.feed,
		ext: options.format,
		now: started,
		timeZone: options.timeZone,
	});
	const stats = newFeedStats();
	const base = {
		feed: options.feed,
		template: templateId,
		format: options.format,
		startedAt: started.toISOString(),
	};

	const { empty, records: source } = await peek(records);
	if (empty && !options.writeEmpty) {
		const finished = now();
		return {
			...base,
			remotePath: null,
			fileName: null,
			rows: 0,
			records: 0,
			bytes: 0,
			sha256: null,
			finishedAt: finished.toISOString(),
			durationMs: Date.now() - startedMs,
			rejectedCount: 0,
			rejected: [],
			skipped: 'empty',
		};
	}
	const upload = await session.uploadAtomic(
		options.targetDir,
		fileName,
		feedReadable(encoder, source, stats, options.stream),
	);
	// Two independent hashes of the same bytes (ours before the wire, the session's at the wire) must agree.
	if (!stats.done || upload.bytes !== stats.bytes || upload.sha256 !== stats.sha256) {
		throw new FeedIntegrityError(
			`${upload.path}: uploaded ${upload.bytes} bytes (sha256 ${upload.sha256}) but the writer produced ${stats.bytes} (sha256 ${stats.sha256})`,
		);
	}
	let manifestPath: string | undefined;
	if (options.manifest) {
		const manifest = await session.uploadAtomic(
			options.targetDir,
			manifestFileName(fileName),
			manifestContent(fileName, upload.sha256),
		);
		manifestPath = manifest.path;
	}
	const finished = now();
	const audit: FeedAuditRecord = {
		...base,
		remotePath: upload.path,
		fileName,
		rows: stats.rows,
		records: stats.records,
		bytes: upload.bytes,
		sha256: upload.sha256,
		finishedAt: finished.toISOString(),
		durationMs: Date.now() - startedMs,
		rejectedCount: stats.rejectedCount,
		rejected: stats.rejected,
	};
	if (manifestPath) audit.manifestPath = manifestPath;
	return audit;
}

/** A reader a feed file can be streamed from: its records once, then the cursor of what it read. */
export interface FeedSource<Cursor> extends AsyncIterable<unknown> {
	/** Only meaningful once the records were read to the end. */
	cursor(): Cursor | undefined;
}

/**
 * Streams a reader's records into one feed file and returns the reader's cursor beside the file's
 * audit record. The cursor is returned, not saved: the caller commits it only when this resolved,
 * so a failed upload re-reads the same changes next time.
 */
export async function streamFeed<Cursor>(
	session: SftpSession,
	source: FeedSource<Cursor>,
	options: FeedFileOptions,
): Promise<{ audit: FeedAuditRecord; cursor: Cursor | undefined }> {
	const audit = await writeFeedFile(session, source, options);
	return { audit, cursor: source.cursor() };
}

/** `streamFeed` for a master-data reader, with the read's figures for the audit item. */
export async function streamReaderFeed<Cursor, Stats extends object>(
	session: SftpSession,
	reader: FeedSource<Cursor> & { stats: Stats; since?: string },
	options: FeedFileOptions,
	read: { mode: string; resource: string },
): Promise<{
	audit: FeedAuditRecord;
	cursor: Cursor | undefined;
	read: Stats & { since?: string; mode: string; resource: string };
}> {
	const { audit, cursor } = await streamFeed(session, reader, options);
	return { audit, cursor, read: { ...reader.stats, since: reader.since, ...read } };
}

export interface OdooFeedOptions extends Omit<FeedFileOptions, 'template' | 'feed'> {
	read: MasterDataReadOptions;
	/** Defaults to the resource's default feed template. */
	template?: Template;
	feed?: string;
}

export interface OdooFeedResult {
	audit: FeedAuditRecord;
	/** The cursor to keep for the next incremental run (only after the upload succeeded). */
	cursor: MasterDataCursor | undefined;
	read: MasterDataStats & { since?: string; mode: string; resource: string };
}

/** The default template of a master-data resource's feed, or an error for resources without one. */
export function feedKindOf(resource: MasterDataReadOptions['resource']): FeedKind {
	const kind = FEED_OF_RESOURCE[resource];
	if (!kind)
		throw new Error(`There is no default Stampli feed for "${resource}": supply a template`);
	return kind;
}

/**
 * Odoo → feed file → SFTP in one streaming step, for volumes where n8n's item model (every item of
 * a run held in memory) would not fit.
 */
export async function streamOdooFeed(
	client: OdooClient,
	session: SftpSession,
	options: OdooFeedOptions,
): Promise<OdooFeedResult> {
	const template =
		options.template ?? getDefaultTemplate(feedKindOf(options.read.resource), options.format);
	const feed =
		options.feed ??
		(FEED_OF_RESOURCE[options.read.resource]
			? FEED_NAMES[feedKindOf(options.read.resource)]
			: options.read.resource);
	const reader = readMasterData(client, options.read);
	return streamReaderFeed(session, reader, { ...options, template, feed }, options.read);
}
