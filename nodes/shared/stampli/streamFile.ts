/**
 * The parse pipeline, streaming: bytes → format → reader (CSV or XML) → record grouping → record
 * builder → events, with memory bounded by the ceilings in parseOptions.ts, not by the file.
 *
 * `streamStampliFile(input, kind, options)` is an async generator of StampliFileEvent:
 *
 * - `{ type: 'record', record, warnings }` — one valid canonical record (`record.source.rows` are
 *   its rows; `record.source.sha256` is `options.sha256` when given, else `''` until the end).
 * - `{ type: 'rejected', rows, recordId?, errors, warnings }` — one invalid record, or rows that
 *   belong to no record; `errors` (never empty) name file, rows, field and reason.
 * - `{ type: 'end', file, counts }` — last, once every byte was read: `file.sha256` is the SHA-256
 *   of the whole file, `counts` the rows (CSV data rows / XML record elements), records, rejected
 *   units and warnings of the whole stream.
 *
 * Ordering: records and rejections come in the order of their first row (record element), each
 * unit exactly once, and every row of the file is in exactly one unit's rows; so `counts.rows` is
 * the sum of their row counts. A unit is yielded once it is complete: for CSV when
 * `groupWindowRows` rows of other records followed its last row (or the file ended); XML record
 * elements are complete at their end tag but wait the same window for duplicates of their key.
 * Rows of a key that come after it was yielded are a rejected unit of their own, never merged.
 *
 * A file-level problem (encoding, header, not well-formed outside a record, a ceiling) throws
 * StampliFileError — possibly after records were yielded; the file as a whole has then failed. An
 * error of the input stream itself (a dropped connection) is rethrown unchanged. Stopping the
 * iteration early destroys the input stream.
 */
import type { Invoice, Payment, Vendor } from '../records/types';
import { ByteSource, isInputError, prepend } from './byteSource';
import { StampliFileError } from './errors';
import type { RecordError } from './errors';
import { formatByExtension, sniffFormat } from './fileFormat';
import { readCsv } from './csvReader';
import { resolveParseSettings } from './parseOptions';
import type { ParseOptions, ParseSettings } from './parseOptions';
import { compilePlan } from './plan';
import type { FileFormat, Plan, RawRecord } from './plan';
import { buildRecord } from './recordBuilder';
import { getDefaultTemplate, TemplateError } from './templates';
import type { TemplateKind } from './templates';
import { readXml } from './xmlReader';

export type StampliFileKind = 'invoices' | 'payments' | 'vendors';

export interface StampliFileInput {
	/** Reported verbatim (a remote path is data, never opened). */
	name: string;
	data: Buffer | NodeJS.ReadableStream;
}

export interface FileSummary {
	name: string;
	sha256: string;
	bytes: number;
	format: FileFormat;
	template: string;
}

export interface StreamCounts {
	/** CSV data rows (header and blank lines excluded) or XML record elements. */
	rows: number;
	records: number;
	rejected: number;
	warnings: number;
}

export type StampliFileEvent<R> =
	| { type: 'record'; record: R; warnings: RecordError[] }
	| {
			type: 'rejected';
			rows: number[];
			recordId?: string;
			errors: RecordError[];
			warnings: RecordError[];
	  }
	| { type: 'end'; file: FileSummary; counts: StreamCounts };

type AnyRecord = Record<string, unknown>;

/** Streams a Stampli invoice, payment or vendor export (see the module comment for the events). */
export function streamStampliFile(
	input: StampliFileInput,
	kind: StampliFileKind,
	options: ParseOptions = {},
): AsyncGenerator<StampliFileEvent<Invoice | Payment | Vendor>> {
	return fileEvents(input, kind, options, true) as AsyncGenerator<
		StampliFileEvent<Invoice | Payment | Vendor>
	>;
}

/** The same for any template kind, feeds included (so a written feed file can be read back). */
export function streamWithTemplate(
	input: StampliFileInput,
	kind: TemplateKind,
	options: ParseOptions = {},
): AsyncGenerator<StampliFileEvent<AnyRecord>> {
	return fileEvents(input, kind, options, true);
}

function destroyQuietly(data: Buffer | NodeJS.ReadableStream): void {
	const stream = data as { destroy?: () => void };
	if (!Buffer.isBuffer(data) && typeof stream.destroy === 'function') stream.destroy();
}

/** The format and the chunks, the first chunk read ahead when the content has to decide. */
async function openFormat(
	source: ByteSource,
	file: string,
	choice: ParseOptions['format'],
): Promise<{ format: FileFormat; chunks: AsyncIterable<Buffer> }> {
	const iterator = source.chunks()[Symbol.asyncIterator]();
	let format = choice && choice !== 'auto' ? choice : formatByExtension(file);
	let first: Buffer | undefined;
	if (!format) {
		const next = await iterator.next();
		first = next.done ? undefined : next.value;
		format = sniffFormat(first);
	}
	return { format, chunks: prepend(first, iterator) };
}

function toEvent(
	plan: Plan,
	raw: RawRecord,
	settings: ParseSettings,
	counts: StreamCounts,
): StampliFileEvent<AnyRecord> {
	counts.rows += raw.rows.length;
	if (raw.rejected) {
		counts.rejected++;
		const recordId = raw.key || raw.problems.find((p) => p.recordId)?.recordId;
		const warnings = raw.warnings ?? [];
		counts.warnings += warnings.length;
		return { type: 'rejected', rows: raw.rows, recordId, errors: raw.problems, warnings };
	}
	const built = buildRecord(plan, raw, settings);
	counts.warnings += built.warnings.length;
	if (!built.record) {
		counts.rejected++;
		const { errors, warnings } = built;
		return { type: 'rejected', rows: raw.rows, recordId: raw.key, errors, warnings };
	}
	counts.records++;
	built.record.source.sha256 = settings.sha256 ?? '';
	return { type: 'record', record: built.record, warnings: built.warnings };
}

/** A failure of our own code becomes the file's error; the input's own errors pass unchanged. */
function asFileError(error: unknown, file: string): unknown {
	if (error instanceof StampliFileError || error instanceof TemplateError || isInputError(error))
		return error;
	const reason = `the file could not be read: ${(error as Error)?.message ?? String(error)}`;
	return Object.assign(new StampliFileError({ file, reason }), { cause: error });
}

function checkDigest(settings: ParseSettings, sha256: string): void {
	if (settings.sha256 !== undefined && settings.sha256 !== sha256)
		throw new StampliFileError({
			file: settings.file,
			reason: `the bytes read hash to SHA-256 ${sha256}, not the expected ${settings.sha256}: the file changed between reads`,
		});
}

/** The pipeline behind both the streaming and the collecting API. */
export async function* fileEvents(
	input: StampliFileInput,
	kind: TemplateKind,
	options: ParseOptions,
	streaming: boolean,
): AsyncGenerator<StampliFileEvent<AnyRecord>> {
	const file = input.name;
	let consumed = false;
	try {
		const settings = resolveParseSettings(file, kind, options, streaming);
		const source = new ByteSource(file, input.data, settings.maxBytes);
		const { format, chunks } = await openFormat(source, file, options.format);
		const plan = compilePlan(settings.template ?? getDefaultTemplate(kind, format), format, file);
		const read = format === 'csv' ? readCsv : readXml;
		const counts: StreamCounts = { rows: 0, records: 0, rejected: 0, warnings: 0 };
		for await (const batch of read(chunks, plan, settings.limits))
			for (const raw of batch) yield toEvent(plan, raw, settings, counts);
		const sha256 = source.sha256;
		checkDigest(settings, sha256);
		consumed = true;
		const summary = { name: file, sha256, bytes: source.bytes, format, template: plan.templateId };
		yield { type: 'end', file: summary, counts };
	} catch (error) {
		throw asFileError(error, file);
	} finally {
		if (!consumed) destroyQuietly(input.data);
	}
}
