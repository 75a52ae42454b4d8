/**
 * The report's detail as CSV: one line per audit row, every column of the schema in its stable order,
 * RFC 4180 quoting, and text cells a spreadsheet would read as a formula neutralised (plain numbers such
 * as negative amounts stay numbers), since file names and reasons come from outside.
 */
import { neutraliseFormula } from '../../stampli/feedEncoding/neutralise';
import { AUDIT_COLUMN_NAMES, type AuditRow } from '../schema';

const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

export function reportCsv(rows: AuditRow[]): string {
	const lines = [AUDIT_COLUMN_NAMES.join(',')];
	for (const row of rows)
		lines.push(
			AUDIT_COLUMN_NAMES.map((name) => quote(neutraliseFormula(String(row[name] ?? '')))).join(','),
		);
	return `${lines.join('\r\n')}\r\n`;
}
