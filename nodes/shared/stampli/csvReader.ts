/**
 * CSV reader (RFC 4180, header row) streaming through csv-parse: bytes are decoded chunk by chunk
 * (UTF-8 with or without BOM, strictly validated; or Latin-1), rows are grouped into records by the
 * template's record key, and header fields repeated on every line row must agree.
 */
import { isUtf8 } from 'node:buffer';
import { once } from 'node:events';
import { parse } from 'csv-parse';
import type { CsvError } from 'csv-parse';
import { StampliFileError } from './errors';
import type { RecordError } from './errors';
import type { FieldPlan, Plan, RawRecord } from './plan';
import type { TextEncoding } from './templates';

export interface ReadResult {
	records: RawRecord[];
	/** Rows that cannot belong to any record (no key). */
	errors: RecordError[];
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Where an incomplete UTF-8 sequence at the end of `chunk` starts (chunk.length when it ends cleanly). */
function completeUtf8Length(chunk: Buffer): number {
	let at = chunk.length - 1;
	let continuation = 0;
	while (at >= 0 && continuation < 3 && (chunk[at] & 0xc0) === 0x80) {
		at--;
		continuation++;
	}
	if (at < 0) return chunk.length;
	const lead = chunk[at];
	const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
	return chunk.length - at < needed ? at : chunk.length;
}

/**
 * Passes the bytes through while checking the encoding: UTF-8 is validated (simdutf, chunk-boundary
 * aware) so a Latin-1 file read as UTF-8 stops with a clear error instead of producing mojibake;
 * a UTF-8 BOM under a Latin-1 setting is refused. csv-parse decodes the fields itself.
 */
export async function* checkEncoding(
	chunks: AsyncIterable<Buffer>,
	encoding: TextEncoding,
	file: string,
): AsyncGenerator<Buffer> {
	let offset = 0;
	let first = true;
	let carry: Buffer | undefined;
	for await (const chunk of chunks) {
		if (first && encoding === 'latin1' && UTF8_BOM.every((b, i) => chunk[i] === b)) {
			throw new StampliFileError({
				file,
				reason:
					'the file starts with a UTF-8 byte-order mark but the Latin-1 encoding is selected; select UTF-8',
			});
		}
		first = false;
		if (encoding !== 'latin1') {
			const bytes = carry ? Buffer.concat([carry, chunk]) : chunk;
			const complete = completeUtf8Length(bytes);
			if (!isUtf8(bytes.subarray(0, complete))) {
				throw new StampliFileError({
					file,
					reason: `the file is not valid UTF-8 (invalid bytes between offsets ${offset - (carry?.length ?? 0)} and ${offset + chunk.length}); if it is Latin-1 (ISO-8859-1), select the Latin-1 encoding`,
				});
			}
			carry = complete < bytes.length ? Buffer.from(bytes.subarray(complete)) : undefined;
		}
		offset += chunk.length;
		yield chunk;
	}
	if (carry)
		throw new StampliFileError({
			file,
			reason: 'the file is not valid UTF-8 (it ends inside a multi-byte character)',
		});
}

function locateColumns(plans: FieldPlan[], header: string[], file: string): number[] {
	const exact = new Map<string, number>();
	const folded = new Map<string, number>();
	header.forEach((name, i) => {
		if (!exact.has(name)) exact.set(name, i);
		if (!folded.has(name.toLowerCase())) folded.set(name.toLowerCase(), i);
	});
	return plans.map((plan) => {
		if (plan.column === undefined) return -1;
		const at = exact.get(plan.column) ?? folded.get(plan.column.toLowerCase()) ?? -1;
		if (at >= 0) {
			const again = header.findIndex(
				(name, i) => i !== at && name.toLowerCase() === plan.column!.toLowerCase(),
			);
			if (again >= 0)
				throw new StampliFileError({
					file,
					field: plan.column,
					reason: `the header names column "${plan.column}" twice (columns ${at + 1} and ${again + 1})`,
				});
		}
		if (at < 0 && plan.required && plan.constant === undefined) {
			throw new StampliFileError({
				file,
				field: plan.column,
				reason: `required column "${plan.column}" (${plan.path}) is missing from the header; found: ${header.map((h) => JSON.stringify(h)).join(', ')}`,
			});
		}
		return at;
	});
}

/** Printable ASCII other than space: never whitespace. Anything else (incl. NBSP, U+FEFF) goes to trim(). */
const isPlainAscii = (code: number) => code > 32 && code < 127;

/** Cells are trimmed; most need nothing, so the common case returns the same string without a copy. */
function trimmed(text: string): string {
	const last = text.length - 1;
	if (last < 0 || (isPlainAscii(text.charCodeAt(0)) && isPlainAscii(text.charCodeAt(last))))
		return text;
	return text.trim();
}

export async function readCsv(chunks: AsyncIterable<Buffer>, plan: Plan): Promise<ReadResult> {
	const { template, file } = plan;
	const groups = new Map<string, RawRecord>();
	const errors: RecordError[] = [];
	let headerColumns: number[] = [];
	let lineColumns: number[] = [];
	let keyColumn = -1;
	let width = 0;
	let row = -1; // 0 is the header; data rows are 1-based
	const headerPlans = plan.header;
	const hasLines = plan.lines.length > 0;
	const keyLabel = plan.key.label;
	const cell = (cells: string[], at: number): string | undefined =>
		at < 0 || at >= cells.length ? undefined : trimmed(cells[at]);

	const onHeader = (cells: string[]): void => {
		const header = cells.map((c) => c.trim());
		width = header.length;
		headerColumns = locateColumns(headerPlans, header, file);
		lineColumns = locateColumns(plan.lines, header, file);
		keyColumn = headerColumns[headerPlans.indexOf(plan.key)];
	};

	const conflict = (group: RawRecord, i: number, value: string | undefined): void => {
		const label = headerPlans[i].label;
		const firstValue = group.header[i];
		group.problems.push({
			file,
			rows: [group.rows[0], row],
			field: label,
			reason: `${label} (${headerPlans[i].path}): conflicting values across rows of ${group.key}: ${JSON.stringify(firstValue ?? '')} (row ${group.rows[0]}) and ${JSON.stringify(value ?? '')} (row ${row})`,
			recordId: group.key,
		});
	};

	// The hot path: one call per data row, plain loops, no per-cell closures.
	const onRow = (cells: string[]): void => {
		row++;
		if (row === 0) return onHeader(cells);
		const key = keyColumn >= 0 ? (cell(cells, keyColumn) ?? '') : '';
		const widthProblem =
			cells.length !== width
				? `row ${row} has ${cells.length} cells but the header has ${width}`
				: undefined;
		if (!key) {
			errors.push({
				file,
				rows: [row],
				field: keyLabel,
				reason: widthProblem ?? `${keyLabel} is empty, so the row belongs to no record`,
			});
			return;
		}
		let group = groups.get(key);
		if (!group) {
			const header = new Array<string | undefined>(headerColumns.length);
			for (let i = 0; i < headerColumns.length; i++) header[i] = cell(cells, headerColumns[i]);
			group = { key, rows: [row], header, lines: [], problems: [] };
			groups.set(key, group);
		} else {
			group.rows.push(row);
			// Without line fields a repeated key is a duplicate record (reported once by buildRecord).
			if (!hasLines) return;
			const header = group.header;
			for (let i = 0; i < headerColumns.length; i++) {
				const at = headerColumns[i];
				// Repeated header cells are nearly always byte-identical to the first row's: compare before trimming.
				const text = at < 0 || at >= cells.length ? undefined : cells[at];
				if (text === header[i]) continue;
				const value = text === undefined ? undefined : trimmed(text);
				if (value !== header[i]) conflict(group, i, value);
			}
		}
		if (widthProblem)
			group.problems.push({ file, rows: [row], reason: widthProblem, recordId: key });
		if (hasLines) {
			const lineCells = new Array<string | undefined>(lineColumns.length);
			for (let i = 0; i < lineColumns.length; i++) lineCells[i] = cell(cells, lineColumns[i]);
			group.lines.push({ row, cells: lineCells });
		}
	};

	const parser = parse({
		delimiter: template.csv.delimiter,
		quote: template.csv.quote,
		escape: template.csv.quote,
		relax_column_count: true,
		skip_empty_lines: true,
		// Bytes go in undecoded; csv-parse decodes each field (cheaper than decoding the text twice).
		encoding: template.csv.encoding === 'latin1' ? 'latin1' : 'utf8',
		bom: template.csv.encoding !== 'latin1',
	});
	let failure: unknown;
	const finished = new Promise<void>((resolve) => {
		parser.once('error', (error) => {
			failure ??= error;
			resolve();
		});
		parser.once('end', resolve);
		parser.once('close', resolve);
	});
	// Rows arrive as 'data' events in flowing mode: csv-parse's on_record hook would build two info
	// objects per row (measured ~15 % of the parse), and iterating the stream would queue every row.
	parser.on('data', (cells: string[]) => {
		if (failure) return;
		try {
			onRow(cells);
		} catch (error) {
			failure ??= error;
			parser.destroy();
		}
	});
	try {
		for await (const bytes of checkEncoding(chunks, template.csv.encoding, file)) {
			if (failure) break;
			if (!parser.write(bytes)) await Promise.race([once(parser, 'drain'), finished]);
		}
		if (!failure) parser.end();
	} catch (error) {
		failure ??= error;
		parser.destroy();
	}
	await finished;

	// Decoding and header problems arrive already explained; csv-parse errors get file and row.
	if (failure instanceof StampliFileError) throw failure;
	if (failure) {
		const csvError = failure as CsvError;
		const at = typeof csvError.records === 'number' ? csvError.records : undefined;
		throw new StampliFileError({ file, row: at, reason: `not valid CSV: ${csvError.message}` });
	}
	if (row < 0)
		throw new StampliFileError({ file, reason: 'the file is empty: a header row is required' });
	return { records: [...groups.values()], errors };
}
