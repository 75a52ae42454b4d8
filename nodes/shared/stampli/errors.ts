/** Errors of the Stampli file readers: file-level (the whole file is unusable) and record-level. */

/** One invalid record (or row): reported, while the file's valid records still flow on. */
export interface RecordError {
	/** The file name exactly as given by the caller (a remote path is data, never opened locally). */
	file: string;
	/** 1-based data rows (CSV, header excluded) or record element indexes (XML). */
	rows: number[];
	/** The file's column name (CSV) or element path (XML) at fault, when one field is. */
	field?: string;
	reason: string;
	/** The record's key (e.g. the Stampli invoice id) when known. */
	recordId?: string;
}

/** The whole file cannot be read: unparsable, wrong encoding, missing required column, DOCTYPE, too big. */
export class StampliFileError extends Error {
	readonly file: string;
	readonly row?: number;
	readonly field?: string;
	readonly reason: string;

	constructor(details: { file: string; row?: number; field?: string; reason: string }) {
		const where = [
			details.row !== undefined ? `row ${details.row}` : '',
			details.field ? `field "${details.field}"` : '',
		]
			.filter(Boolean)
			.join(', ');
		super(`${JSON.stringify(details.file)}${where ? ` (${where})` : ''}: ${details.reason}`);
		this.name = 'StampliFileError';
		this.file = details.file;
		if (details.row !== undefined) this.row = details.row;
		if (details.field !== undefined) this.field = details.field;
		this.reason = details.reason;
	}
}
