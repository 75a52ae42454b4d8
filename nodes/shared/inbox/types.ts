/** Shapes shared by the inbox's poll loop, reader and file operations. */
import type { Readable } from 'node:stream';
import type { SourceBatch } from '../records/types';
import type { ListedFile } from './ledger';

/** What a file parser returns (the shape of `parseStampliFile` in nodes/shared/stampli). */
export interface ParsedFile<R = unknown> {
	file: { name: string; sha256: string; bytes: number; format: string; template: string };
	records: R[];
	errors: FileProblem[];
}

export interface FileProblem {
	file: string;
	rows: number[];
	field?: string;
	reason: string;
	recordId?: string;
}

/**
 * `data` is the file's byte stream as it downloads (hashed on the way by the poller), so a file is
 * never held whole; a parser must consume it (or reject). Buffers are accepted too (tests, replays).
 */
export type FileParser<R = unknown> = (input: {
	name: string;
	path: string;
	data: Readable | Buffer;
}) => Promise<ParsedFile<R>>;

export type AfterProcessing =
	{ action: 'leave' } | { action: 'move'; dir: string } | { action: 'delete' };

export interface FileOutcome<R = unknown> {
	file: ListedFile;
	/** `processed`: every record valid. `partial`: some records invalid (the good ones are in `parsed.records`).
	 *  `failed`: nothing usable (file-level error, no valid record, unsafe name, too large). */
	status: 'processed' | 'partial' | 'failed';
	sha256?: string;
	bytes?: number;
	/** The raw bytes, in binary output mode only (no parser); records mode streams the file and keeps no copy. */
	data?: Buffer;
	parsed?: ParsedFile<R>;
	/** File-level failure, or a summary of the invalid records for `partial`. */
	error?: FileProblem;
	/** Emitted again: the file changed after failing, was replayed, or the outcome of its last emission is unknown. */
	retry: boolean;
	attempts?: number;
	/** Which part of the file this emission carries (absent when the file is emitted whole, e.g. as binary). */
	batch?: BatchInfo;
}

/** One batch of a file: its place in the file and the file's totals (as records carry it in `source.batch`). */
export type BatchInfo = SourceBatch;
