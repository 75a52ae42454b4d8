/**
 * Rows read back from a store: a Data Table adds `id`, `createdAt`, `updatedAt` and may hand dates
 * back in its own format; Postgres may return numbers or nulls. These become audit rows again, every
 * column a string, or are set aside with the reason when they are not audit rows at all.
 */
import { AUDIT_COLUMN_NAMES, type AuditRow } from './schema';

type Json = Record<string, unknown>;

export interface StoredRows {
	rows: AuditRow[];
	/** Input positions that were not audit rows, with why. */
	ignored: Array<{ index: number; reason: string }>;
}

function columnText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (value instanceof Date) return value.toISOString();
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return '';
}

export function rowsFromStore(items: unknown[]): StoredRows {
	const rows: AuditRow[] = [];
	const ignored: StoredRows['ignored'] = [];
	items.forEach((item, index) => {
		if (typeof item !== 'object' || item === null || Array.isArray(item)) {
			ignored.push({ index, reason: 'not a JSON object' });
			return;
		}
		const json = item as Json;
		const at = Date.parse(columnText(json.at));
		if (typeof json.action !== 'string' || Number.isNaN(at)) {
			ignored.push({ index, reason: 'no "action" and "at" columns: not an audit row' });
			return;
		}
		const row = Object.fromEntries(
			AUDIT_COLUMN_NAMES.map((name) => [name, columnText(json[name])]),
		) as unknown as AuditRow;
		row.at = new Date(at).toISOString();
		rows.push(row);
	});
	return { rows, ignored };
}

/** Oldest first; rows of the same instant keep their input order. */
export function byTime(rows: AuditRow[]): AuditRow[] {
	return rows
		.map((row, index) => ({ row, index }))
		.sort((a, b) => (a.row.at < b.row.at ? -1 : a.row.at > b.row.at ? 1 : a.index - b.index))
		.map(({ row }) => row);
}
