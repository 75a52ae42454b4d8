/**
 * "What happened to invoice NW-4410?": every audit row of the records that match, across files, flows
 * and ERPs, oldest first, with the events of the files they came in (downloaded, replayed, archived,
 * reconciled), so the history reads exception → replay → bill.
 */
import { adviceFor } from './advice';
import { EXCEPTION_ACTIONS, WRITTEN_ACTIONS, type AuditRow } from './schema';
import { byTime } from './stored';

/** `number`: the invoice number or the Stampli id, whichever matches. */
export type LookupBy = 'number' | 'stampliId' | 'invoiceNumber' | 'vendor';

export interface RecordHistory {
	subject: string;
	recordKey: string;
	invoiceNumbers: string[];
	vendors: string[];
	/** The latest outcome: the last record row's action. */
	status: string;
	/** The ERP documents written, as `erp:id`. */
	erpDocuments: string[];
	files: string[];
	exceptions: number;
	/** What a person should do when the latest outcome is an exception. */
	advice?: string;
	history: AuditRow[];
}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const fold = (text: string) => text.normalize('NFKC').toLocaleLowerCase('en').trim();

function matches(row: AuditRow, by: LookupBy, value: string): boolean {
	if (by === 'stampliId') return row.recordKey === value.trim();
	if (by === 'invoiceNumber') return fold(row.invoiceNumber) === fold(value);
	if (by === 'number')
		return row.recordKey === value.trim() || fold(row.invoiceNumber) === fold(value);
	return fold(row.vendor).includes(fold(value));
}

/** Histories of the records matching `value`, one per Stampli record, in order of first appearance. */
export function findRecords(rows: AuditRow[], by: LookupBy, value: string): RecordHistory[] {
	if (!value.trim())
		throw new Error('Say what to look for: a Stampli id, invoice number or vendor');
	const sorted = byTime(rows);
	const keys = new Set(
		sorted
			.filter((row) => row.recordKey && row.subject !== 'file' && row.subject !== 'feed')
			.filter((row) => matches(row, by, value))
			.map((row) => `${row.subject}\u0000${row.recordKey}`),
	);
	return [...keys].map((key) => {
		const [subject, recordKey] = key.split('\u0000');
		const own = sorted.filter((row) => row.subject === subject && row.recordKey === recordKey);
		const fileNames = new Set(own.map((row) => baseName(row.file)));
		const first = own[0].at;
		// The events of its files since the record first appeared (a replay moves a file to another directory).
		const fileEvents = sorted.filter(
			(row) => row.subject === 'file' && fileNames.has(baseName(row.file)) && row.at >= first,
		);
		const history = byTime([...own, ...fileEvents]);
		const last = own[own.length - 1];
		const unique = (values: string[]) => [...new Set(values.filter(Boolean))];
		return {
			subject,
			recordKey,
			invoiceNumbers: unique(own.map((row) => row.invoiceNumber)),
			vendors: unique(own.map((row) => row.vendor)),
			status: last.action,
			erpDocuments: unique(
				own
					.filter((row) => WRITTEN_ACTIONS.has(row.action) || row.action === 'skipped')
					.map((row) => (row.erpId ? `${row.erp}:${row.erpId}` : '')),
			),
			files: unique(own.map((row) => row.file)),
			exceptions: own.filter((row) => EXCEPTION_ACTIONS.has(row.action)).length,
			...(EXCEPTION_ACTIONS.has(last.action) ? { advice: adviceFor(last) } : {}),
			history,
		};
	});
}
