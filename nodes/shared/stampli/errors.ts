/** Errors of the Stampli file readers: file-level (the whole file is unusable) and record-level. */

/** One invalid record (or row): reported, while the file's valid records still flow on. */
export interface RecordError {
	/** The file name exactly as given by the caller (a remote path is data, never opened locally). */
	file: string;
	/** 1-based data rows (CSV, header excluded) or record element indexes (XML). */
	rows: number[];
	/** The file's column name (CSV) or element path (XML) at fault, when one field is. */
	field?: string;
	/** What is wrong; never repeats the file name (that is in `file`). */
	reason: string;
	/** The record's key (e.g. the Stampli invoice id) when known. */
	recordId?: string;
}

export interface FileErrorDetails {
	file: string;
	/** The data row (CSV) or record element (XML) where reading stopped, when known. */
	row?: number;
	field?: string;
	reason: string;
}

/**
 * The whole file cannot be read: unparsable, wrong encoding, missing required column, DOCTYPE, a
 * ceiling passed. `reason` never names the file; the message names it once, in front.
 */
export class StampliFileError extends Error {
	readonly file: string;
	readonly row?: number;
	/** `[row]` when the row is known, else empty: the same shape as RecordError.rows. */
	readonly rows: number[];
	readonly field?: string;
	readonly reason: string;

	constructor(details: FileErrorDetails) {
		const where = [
			details.row !== undefined ? `row ${details.row}` : '',
			details.field ? `field "${details.field}"` : '',
		]
			.filter(Boolean)
			.join(', ');
		super(`${JSON.stringify(details.file)}${where ? ` (${where})` : ''}: ${details.reason}`);
		this.name = 'StampliFileError';
		this.file = details.file;
		this.rows = details.row !== undefined ? [details.row] : [];
		if (details.row !== undefined) this.row = details.row;
		if (details.field !== undefined) this.field = details.field;
		this.reason = details.reason;
	}

	/** The same facts as a RecordError, for callers that report file and record problems alike. */
	toRecordError(): RecordError {
		const problem: RecordError = { file: this.file, rows: this.rows.slice(), reason: this.reason };
		if (this.field !== undefined) problem.field = this.field;
		return problem;
	}
}

/**
 * Row numbers for a message: consecutive runs shortened (`3–130002`), at most `limit` runs shown,
 * so an error about a 130,000-line invoice stays one readable line.
 */
export function describeRows(rows: readonly number[], limit = 8): string {
	const runs: string[] = [];
	let i = 0;
	while (i < rows.length && runs.length < limit) {
		let j = i;
		while (j + 1 < rows.length && rows[j + 1] === rows[j] + 1) j++;
		runs.push(j > i ? `${rows[i]}–${rows[j]}` : `${rows[i]}`);
		i = j + 1;
	}
	const rest = rows.length - i;
	return rest > 0 ? `${runs.join(', ')} and ${rest} more` : runs.join(', ');
}

/** A cell value for a message: JSON-quoted (control characters visible) and cut, so a hostile cell cannot flood a log. */
export function quoted(value: string, limit = 60): string {
	return JSON.stringify(value.length > limit ? `${value.slice(0, limit)}…` : value);
}
