/**
 * CSV reader (RFC 4180, header row) streaming through csv-parse: bytes are decoded chunk by chunk
 * (UTF-8 with or without BOM, strictly validated; or Latin-1), rows are grouped into records by the
 * template's record key, and header fields repeated on every line row must agree.
 */
import { once } from 'node:events';
import { parse } from 'csv-parse';
import type { CsvError } from 'csv-parse';
import { StampliFileError } from './errors';
import type { RecordError } from './errors';
import type { FieldPlan, Plan, RawRecord } from './assemble';
import type { TextEncoding } from './templates';

export interface ReadResult {
	records: RawRecord[];
	/** Rows that cannot belong to any record (no key). */
	errors: RecordError[];
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Decodes chunks to text; a byte sequence that is not UTF-8 stops the file with a clear error. */
export async function* decodeText(chunks: AsyncIterable<Buffer>, encoding: TextEncoding, file: string): AsyncGenerator<string> {
	let offset = 0;
	let first = true;
	if (encoding === 'latin1') {
		for await (const chunk of chunks) {
			if (first && UTF8_BOM.every((b, i) => chunk[i] === b)) {
				throw new StampliFileError({ file, reason: 'the file starts with a UTF-8 byte-order mark but the Latin-1 encoding is selected; select UTF-8' });
			}
			first = false;
			yield chunk.toString('latin1');
		}
		return;
	}
	const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
	for await (const chunk of chunks) {
		let text: string | undefined;
		try {
			text = decoder.decode(chunk, { stream: true });
		} catch {
			text = undefined;
		}
		if (text === undefined) {
			throw new StampliFileError({
				file,
				reason: `the file is not valid UTF-8 (invalid bytes between offsets ${offset} and ${offset + chunk.length}); if it is Latin-1 (ISO-8859-1), select the Latin-1 encoding`,
			});
		}
		offset += chunk.length;
		if (text) yield text;
	}
	let tail: string | undefined;
	try {
		tail = decoder.decode();
	} catch {
		tail = undefined;
	}
	if (tail === undefined) throw new StampliFileError({ file, reason: 'the file is not valid UTF-8 (it ends inside a multi-byte character)' });
	if (tail) yield tail;
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
			const again = header.findIndex((name, i) => i !== at && name.toLowerCase() === plan.column!.toLowerCase());
			if (again >= 0) throw new StampliFileError({ file, field: plan.column, reason: `the header names column "${plan.column}" twice (columns ${at + 1} and ${again + 1})` });
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

export async function readCsv(chunks: AsyncIterable<Buffer>, plan: Plan): Promise<ReadResult> {
	const { template, file } = plan;
	const parser = parse({
		delimiter: template.csv.delimiter,
		quote: template.csv.quote,
		escape: template.csv.quote,
		relax_column_count: true,
		skip_empty_lines: true,
		bom: false,
	});
	// Feed decoded text with backpressure; a decoding failure aborts the parser with that error.
	const pump = (async () => {
		try {
			for await (const text of decodeText(chunks, template.csv.encoding, file)) {
				if (!parser.write(text)) await once(parser, 'drain');
			}
			parser.end();
		} catch (error) {
			parser.destroy(error as Error);
		}
	})();

	const groups = new Map<string, RawRecord>();
	const errors: RecordError[] = [];
	let headerColumns: number[] = [];
	let lineColumns: number[] = [];
	let keyColumn = -1;
	let width = 0;
	let row = -1; // 0 is the header; data rows are 1-based
	const headerPlans = plan.header;
	const keyLabel = plan.key.label;
	const cell = (cells: string[], at: number): string | undefined => (at < 0 || at >= cells.length ? undefined : cells[at].trim());

	let failure: unknown;
	try {
		for await (const cells of parser as AsyncIterable<string[]>) {
			row++;
			if (row === 0) {
				const header = cells.map((c) => c.trim());
				width = header.length;
				headerColumns = locateColumns(headerPlans, header, file);
				lineColumns = locateColumns(plan.lines, header, file);
				keyColumn = headerColumns[headerPlans.indexOf(plan.key)];
				continue;
			}
			const key = keyColumn >= 0 ? (cell(cells, keyColumn) ?? '') : '';
			const widthProblem = cells.length !== width ? `row ${row} has ${cells.length} cells but the header has ${width}` : undefined;
			if (!key) {
				errors.push({ file, rows: [row], field: keyLabel, reason: widthProblem ?? `${keyLabel} is empty, so the row belongs to no record` });
				continue;
			}
			let group = groups.get(key);
			if (!group) {
				group = { key, rows: [row], header: headerColumns.map((at) => cell(cells, at)), lines: [], problems: [] };
				groups.set(key, group);
			} else {
				group.rows.push(row);
				for (let i = 0; i < headerColumns.length; i++) {
					const value = cell(cells, headerColumns[i]);
					const firstValue = group.header[i];
					if (value !== firstValue) {
						const label = headerPlans[i].label;
						group.problems.push({
							file,
							rows: [group.rows[0], row],
							field: label,
							reason: `${label} (${headerPlans[i].path}): conflicting values across rows of ${key}: ${JSON.stringify(firstValue ?? '')} (row ${group.rows[0]}) and ${JSON.stringify(value ?? '')} (row ${row})`,
							recordId: key,
						});
					}
				}
			}
			if (widthProblem) group.problems.push({ file, rows: [row], reason: widthProblem, recordId: key });
			if (lineColumns.length) group.lines.push({ row, cells: lineColumns.map((at) => cell(cells, at)) });
		}
	} catch (error) {
		failure = error;
	}
	// Decoding and header problems arrive already explained; csv-parse errors get file and row.
	if (failure instanceof StampliFileError) throw failure;
	if (failure) {
		const csvError = failure as CsvError;
		const row = typeof csvError.records === 'number' ? csvError.records : undefined;
		throw new StampliFileError({ file, row, reason: `not valid CSV: ${csvError.message}` });
	}
	await pump;
	if (row < 0) throw new StampliFileError({ file, reason: 'the file is empty: a header row is required' });
	return { records: [...groups.values()], errors };
}
