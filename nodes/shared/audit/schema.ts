/**
 * The audit row: one flat record per event (a record written or refused, a file downloaded, uploaded,
 * replayed or archived, a file reconciled), so any table store (n8n Data Tables, Postgres) can hold it
 * and a person can filter it. The columns and their meaning are a stable contract: new columns may be
 * added at the end, none is renamed or removed. Money is a decimal string, never a number.
 */

/** What a row is about. */
export type AuditSubject = 'invoice' | 'payment' | 'vendor' | 'file' | 'feed' | 'item';

/**
 * What happened. Records: the ERP action (`created`, `updated`, `unchanged`, `skipped`), `failed`
 * (the ERP refused or could not be reached), `needsAttention` (the GL Mapper could not map it),
 * `rejected` (the file's row could not be read). Files: `downloaded`, `failed` (unreadable),
 * `uploaded` (a feed), `replayed`, `archived`, `balanced` / `unbalanced` (a reconciliation).
 * `received`: a record as read from its file, before any ERP node (when a flow records that too).
 * `unrecognised`: an item none of the package's nodes emits; kept so nothing is silently dropped.
 */
export type AuditAction =
	| 'created'
	| 'updated'
	| 'unchanged'
	| 'skipped'
	| 'failed'
	| 'needsAttention'
	| 'rejected'
	| 'downloaded'
	| 'uploaded'
	| 'replayed'
	| 'archived'
	| 'balanced'
	| 'unbalanced'
	| 'received'
	| 'unrecognised';

export interface AuditRow {
	/** Stable id of the event (same event, same id), so a retried write can upsert instead of duplicating. */
	eventId: string;
	/** ISO-8601 UTC instant of the event. */
	at: string;
	/** The flow (usually the workflow's name) that produced the event. */
	flow: string;
	subject: AuditSubject;
	action: AuditAction;
	/** Remote path of the Stampli file (for a replay: where it was moved back to). */
	file: string;
	sha256: string;
	/** The Stampli id of the record (invoice, payment or vendor id); empty on file events. */
	recordKey: string;
	/** Set on one part of an invoice the GL Mapper split: `mapped` or `needsAttention`. */
	part: string;
	invoiceNumber: string;
	vendor: string;
	/** The ERP written to (`odoo`, `quickbooks`). */
	erp: string;
	erpId: string;
	/** The ERP-side idempotency key, e.g. Odoo's `stampli.invoice_…`. */
	externalId: string;
	/** What the file stated, signed (credits negative). */
	amountStated: string;
	/** What the ERP booked when it reported it, else what was written; empty when nothing was written. */
	amountBooked: string;
	currency: string;
	/** The GL Mapper rules that mapped the record's lines, comma-separated. */
	rule: string;
	/** Why it failed, was skipped or differs; warnings; for files, counts in words. */
	reason: string;
	/** 1-based rows of the file the record came from, comma-separated. */
	rows: string;
	executionId: string;
}

/** The columns in their stable order, with the type a table store gives them. */
export const AUDIT_COLUMNS: ReadonlyArray<{ name: keyof AuditRow; type: 'string' | 'date' }> = [
	{ name: 'eventId', type: 'string' },
	{ name: 'at', type: 'date' },
	{ name: 'flow', type: 'string' },
	{ name: 'subject', type: 'string' },
	{ name: 'action', type: 'string' },
	{ name: 'file', type: 'string' },
	{ name: 'sha256', type: 'string' },
	{ name: 'recordKey', type: 'string' },
	{ name: 'part', type: 'string' },
	{ name: 'invoiceNumber', type: 'string' },
	{ name: 'vendor', type: 'string' },
	{ name: 'erp', type: 'string' },
	{ name: 'erpId', type: 'string' },
	{ name: 'externalId', type: 'string' },
	{ name: 'amountStated', type: 'string' },
	{ name: 'amountBooked', type: 'string' },
	{ name: 'currency', type: 'string' },
	{ name: 'rule', type: 'string' },
	{ name: 'reason', type: 'string' },
	{ name: 'rows', type: 'string' },
	{ name: 'executionId', type: 'string' },
];

export const AUDIT_COLUMN_NAMES = AUDIT_COLUMNS.map((column) => column.name);

/** Record outcomes that put the record in the ERP. */
export const WRITTEN_ACTIONS: ReadonlySet<string> = new Set(['created', 'updated', 'unchanged']);
/** Record outcomes a person has to look at. */
export const EXCEPTION_ACTIONS: ReadonlySet<string> = new Set([
	'failed',
	'needsAttention',
	'rejected',
	'unbalanced',
	'unrecognised',
]);
