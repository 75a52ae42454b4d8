/**
 * The parse pipeline, collecting: every record and error of a file in one result. For small files
 * and callers that want the whole file at once; large files are read with streamStampliFile
 * (streamFile.ts), whose events this gathers. Rows of one record are grouped wherever they are in
 * the file.
 */
import type { Invoice, Payment, Vendor } from '../records/types';
import type { RecordError } from './errors';
import type { ParseOptions } from './parseOptions';
import { fileEvents } from './streamFile';
import type { FileSummary, StampliFileInput, StampliFileKind } from './streamFile';
import type { TemplateKind } from './templates';

export interface ParsedFile<T> {
	file: FileSummary;
	records: T[];
	errors: RecordError[];
	/** Non-blocking findings, e.g. quantity × unit price differing from the line amount by more than a cent. */
	warnings: RecordError[];
}

/**
 * Reads one Stampli file into canonical records. Invalid records are reported in `errors` (file,
 * rows, field, reason) and left out; the valid ones are returned — unless `allOrNothing`.
 * Throws StampliFileError when the file as a whole cannot be read, TemplateError for a bad template.
 * `input.name` is data (a remote path): it is reported, never opened.
 */
export async function parseStampliFile(
	input: StampliFileInput,
	kind: StampliFileKind,
	options: ParseOptions = {},
): Promise<ParsedFile<Invoice | Payment | Vendor>> {
	return (await parseWithTemplate(input, kind, options)) as unknown as ParsedFile<
		Invoice | Payment | Vendor
	>;
}

/**
 * The same reader for any template kind, feeds included (so a written feed file can be read back
 * and checked). Records are canonical-shaped objects of the template's kind.
 */
export async function parseWithTemplate(
	input: StampliFileInput,
	kind: TemplateKind,
	options: ParseOptions = {},
): Promise<ParsedFile<Record<string, unknown>>> {
	const records: Array<Record<string, any>> = [];
	const errors: RecordError[] = [];
	const warnings: RecordError[] = [];
	let file: FileSummary | undefined;
	for await (const event of fileEvents(input, kind, options, false)) {
		if (event.type === 'end') file = event.file;
		else {
			for (const warning of event.warnings) warnings.push(warning);
			if (event.type === 'record') records.push(event.record);
			else for (const error of event.errors) errors.push(error);
		}
	}
	const summary = file!;
	for (const record of records) record.source.sha256 = summary.sha256;
	errors.sort((a, b) => (a.rows[0] ?? 0) - (b.rows[0] ?? 0));
	if (options.allOrNothing && errors.length && records.length) {
		errors.push({
			file: summary.name,
			rows: [],
			reason: `all-or-nothing: ${records.length} valid record(s) withheld because ${errors.length} problem(s) were found in the file`,
		});
		records.length = 0;
	}
	return { file: summary, records, errors, warnings };
}
