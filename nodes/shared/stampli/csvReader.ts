/**
 * CSV reader (RFC 4180, header row) streaming through csv-parse: bytes are checked (encoding,
 * control characters) and decoded chunk by chunk, rows are grouped into records by the template's
 * record key (recordGrouping.ts), and header fields repeated on every line row must agree. Line
 * ends may be mixed (CRLF, LF, a lone CR): each ends a row, so no row can swallow the next.
 */
import { once } from 'node:events';
import { CsvError, parse } from 'csv-parse';
import type { Parser } from 'csv-parse';
import {
	controlCharacterReason,
	hasControlCharacter,
	stripControlCharacters,
} from './controlCharacters';
import { StampliFileError } from './errors';
import type { RecordError } from './errors';
import type { FieldPlan, Plan, RawRecord } from './plan';
import { RecordGrouper } from './recordGrouping';
import type { ReaderLimits } from './parseOptions';
import { checkCsvEncoding } from './textEncoding';

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

/** Turns parsed rows into records: one call per data row, plain loops, no per-cell closures. */
class CsvRecords {
	/** Set once any chunk may hold a control character; until then cells are not checked. */
	checkControls = false;
	private readonly grouper: RecordGrouper;
	private headerNames: string[] = [];
	private headerColumns: number[] = [];
	private lineColumns: number[] = [];
	/** Columns the template reads: the only ones checked for control characters. */
	private mappedColumns: number[] = [];
	private keyColumn = -1;
	private width = 0;
	/** 0 is the header; data rows are 1-based. */
	row = -1;

	constructor(
		private readonly plan: Plan,
		limits: ReaderLimits,
		release: (raw: RawRecord) => void,
	) {
		this.grouper = new RecordGrouper(
			{ ...limits, file: plan.file, keyLabel: plan.key.label, unitNoun: 'rows' },
			release,
		);
	}

	onRow(cells: string[]): void {
		this.row++;
		if (this.row === 0) return this.onHeader(cells);
		const found = this.checkControls ? this.controlProblems(cells) : undefined;
		const key = this.keyColumn >= 0 ? (this.cell(cells, this.keyColumn) ?? '') : '';
		const widthProblem =
			cells.length !== this.width
				? `row ${this.row} has ${cells.length} cells but the header has ${this.width}`
				: undefined;
		if (!key) {
			const keyLabel = this.plan.key.label;
			this.grouper.reject(this.row, {
				file: this.plan.file,
				rows: [this.row],
				field: keyLabel,
				reason: widthProblem ?? `${keyLabel} is empty, so the row belongs to no record`,
			});
			return this.grouper.advance(this.row);
		}
		const raw = this.grouper.place(key, this.row);
		const { fresh, collect } = this.grouper;
		if (fresh) this.takeHeader(raw, cells);
		else if (collect && this.plan.lines.length) this.compareHeader(raw, cells);
		if (widthProblem)
			raw.problems.push({
				file: this.plan.file,
				rows: [this.row],
				reason: widthProblem,
				recordId: key,
			});
		if (found) this.attach(raw, found);
		if (collect && this.plan.lines.length) this.takeLine(raw, cells);
		this.grouper.advance(this.row, raw);
	}

	finish(): void {
		if (this.row < 0)
			throw new StampliFileError({
				file: this.plan.file,
				reason: 'the file is empty: a header row is required',
			});
		this.grouper.finish();
	}

	private onHeader(cells: string[]): void {
		const header = cells.map((c) => c.trim());
		const { plan } = this;
		this.headerNames = header;
		this.width = header.length;
		this.headerColumns = locateColumns(plan.header, header, plan.file);
		this.lineColumns = locateColumns(plan.lines, header, plan.file);
		this.keyColumn = this.headerColumns[plan.header.indexOf(plan.key)];
		this.mappedColumns = [
			...new Set(this.headerColumns.concat(this.lineColumns).filter((c) => c >= 0)),
		];
	}

	private cell(cells: string[], at: number): string | undefined {
		return at < 0 || at >= cells.length ? undefined : trimmed(cells[at]);
	}

	private takeHeader(raw: RawRecord, cells: string[]): void {
		const columns = this.headerColumns;
		const header = new Array<string | undefined>(columns.length);
		for (let i = 0; i < columns.length; i++) header[i] = this.cell(cells, columns[i]);
		raw.header = header;
	}

	/** Header fields repeated on a line row must agree with the record's first row. */
	private compareHeader(raw: RawRecord, cells: string[]): void {
		const columns = this.headerColumns;
		const header = raw.header;
		for (let i = 0; i < columns.length; i++) {
			const at = columns[i];
			// Repeated header cells are nearly always byte-identical to the first row's: compare before trimming.
			const text = at < 0 || at >= cells.length ? undefined : cells[at];
			if (text === header[i]) continue;
			const value = text === undefined ? undefined : trimmed(text);
			if (value !== header[i]) this.conflict(raw, i, value);
		}
	}

	private conflict(raw: RawRecord, i: number, value: string | undefined): void {
		const field = this.plan.header[i];
		const first = raw.rows[0];
		raw.problems.push({
			file: this.plan.file,
			rows: [first, this.row],
			field: field.label,
			reason: `${field.label} (${field.path}): conflicting values across rows of ${raw.key}: ${JSON.stringify(raw.header[i] ?? '')} (row ${first}) and ${JSON.stringify(value ?? '')} (row ${this.row})`,
			recordId: raw.key,
		});
	}

	private takeLine(raw: RawRecord, cells: string[]): void {
		const columns = this.lineColumns;
		const lineCells = new Array<string | undefined>(columns.length);
		for (let i = 0; i < columns.length; i++) lineCells[i] = this.cell(cells, columns[i]);
		raw.lines.push({ row: this.row, cells: lineCells });
	}

	/** Strips (policy strip) or reports (policy reject) control characters in the columns the template reads. */
	private controlProblems(
		cells: string[],
	): { problems: RecordError[]; strip: boolean } | undefined {
		const policy = this.plan.template.controlCharacters ?? 'reject';
		let problems: RecordError[] | undefined;
		for (const c of this.mappedColumns) {
			const text = cells[c];
			if (text === undefined || !hasControlCharacter(text)) continue;
			const field = this.headerNames[c];
			(problems ??= []).push({
				file: this.plan.file,
				rows: [this.row],
				field,
				reason: `${field}: ${controlCharacterReason(text, policy)}`,
			});
			if (policy === 'strip') cells[c] = stripControlCharacters(text);
		}
		return problems && { problems, strip: policy === 'strip' };
	}

	private attach(raw: RawRecord, found: { problems: RecordError[]; strip: boolean }): void {
		for (const problem of found.problems) problem.recordId = raw.key;
		if (found.strip) (raw.warnings ??= []).push(...found.problems);
		else raw.problems.push(...found.problems);
	}
}

function csvParser(plan: Plan, limits: ReaderLimits): Parser {
	const { csv } = plan.template;
	return parse({
		delimiter: csv.delimiter,
		quote: csv.quote,
		escape: csv.quote,
		record_delimiter: ['\r\n', '\n', '\r'],
		relax_column_count: true,
		skip_empty_lines: true,
		max_record_size: limits.maxElementBytes,
		// Bytes go in undecoded; csv-parse decodes each field (cheaper than decoding the text twice).
		encoding: csv.encoding === 'latin1' ? 'latin1' : 'utf8',
		bom: csv.encoding !== 'latin1',
	});
}

/** csv-parse's errors as the file's error, naming the data row where parsing stopped. */
function asFileError(failure: unknown, file: string, limits: ReaderLimits): unknown {
	if (failure instanceof StampliFileError) return failure;
	if (!(failure instanceof CsvError)) return failure;
	const csvError = failure;
	// csv-parse counts the header among its records, so its count is the failing data row (0: the header).
	const records = typeof csvError.records === 'number' ? csvError.records : undefined;
	const row = records ? records : undefined;
	const where = records === 0 ? 'the header row: ' : '';
	if (csvError.code === 'CSV_MAX_RECORD_SIZE')
		return new StampliFileError({
			file,
			row,
			reason: `${where}a row is longer than ${limits.maxElementBytes} characters (maxElementBytes); an unclosed quote makes a row run on to the end of the file`,
		});
	return new StampliFileError({ file, row, reason: `not valid CSV: ${where}${csvError.message}` });
}

/**
 * Reads the file's records as they complete, in batches (one per input chunk), in the order of
 * their first row. Throws StampliFileError for a file-level problem.
 */
export async function* readCsv(
	chunks: AsyncIterable<Buffer>,
	plan: Plan,
	limits: ReaderLimits,
): AsyncGenerator<RawRecord[]> {
	let ready: RawRecord[] = [];
	const records = new CsvRecords(plan, limits, (raw) => ready.push(raw));
	const parser = csvParser(plan, limits);
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
	// objects per row, and iterating the stream would queue every row.
	parser.on('data', (cells: string[]) => {
		if (failure) return;
		try {
			records.onRow(cells);
		} catch (error) {
			failure ??= error;
			parser.destroy();
		}
	});
	const encoding = plan.template.csv.encoding;
	const onControl = () => (records.checkControls = true);
	try {
		try {
			for await (const bytes of checkCsvEncoding(chunks, encoding, plan.file, onControl)) {
				if (failure) break;
				if (!parser.write(bytes)) await Promise.race([once(parser, 'drain'), finished]);
				if (ready.length) {
					const batch = ready;
					ready = [];
					yield batch;
				}
			}
			if (!failure) parser.end();
		} catch (error) {
			failure ??= error;
			parser.destroy();
		}
		await finished;
		if (failure) throw asFileError(failure, plan.file, limits);
		records.finish();
		if (ready.length) yield ready;
	} finally {
		// Also when the consumer stops early: csv-parse holds no more than its buffer, release it.
		parser.destroy();
	}
}
