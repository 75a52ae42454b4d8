/**
 * Items the package's nodes emit → audit rows. Only named, known fields are copied, and every text
 * goes through the secret masks, so a credential riding on an item (a field called `password`, a URL
 * with user:password in an error) never reaches the store. An item of no known shape still gets a row
 * (`unrecognised`, without its content), so nothing is dropped without a trace.
 */
import { createHash } from 'node:crypto';

import { redactSecrets } from '../inbox/redact';
import { classifyItem, NotReconcilableError, recordIdentity } from '../reconciliation';
import { money } from './money';
import { AUDIT_COLUMN_NAMES, WRITTEN_ACTIONS, type AuditAction, type AuditRow } from './schema';

type Json = Record<string, unknown>;

export interface AuditContext {
	/** The flow the items come from, usually the workflow's name. */
	flow: string;
	executionId: string;
	/** When an item does not say when its event happened. */
	now: () => Date;
}

/** Longest text kept in a column: a reason can quote a whole server answer. */
const MAX_TEXT = 2000;

const isObject = (value: unknown): value is Json =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string =>
	typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

/** Masks secrets, drops control characters other than tab and newline, and bounds the length. */
export function cleanText(value: unknown): string {
	const masked = redactSecrets(text(value)).replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, ' ');
	return masked.length > MAX_TEXT ? `${masked.slice(0, MAX_TEXT - 1)}…` : masked;
}

function isoInstant(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const time = Date.parse(value);
	return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

const EMPTY: Omit<AuditRow, 'eventId' | 'at' | 'flow' | 'subject' | 'action' | 'executionId'> = {
	file: '',
	sha256: '',
	recordKey: '',
	part: '',
	invoiceNumber: '',
	vendor: '',
	erp: '',
	erpId: '',
	externalId: '',
	amountStated: '',
	amountBooked: '',
	currency: '',
	rule: '',
	reason: '',
	rows: '',
};

type Draft = Partial<Omit<AuditRow, 'eventId' | 'flow' | 'executionId'>> &
	Pick<AuditRow, 'subject' | 'action'>;

/** Fills in every column (cleaned), the flow, execution and a stable event id. */
function finish(draft: Draft, context: AuditContext): AuditRow {
	const row = { ...EMPTY, ...draft } as Record<string, string>;
	for (const key of Object.keys(row)) row[key] = cleanText(row[key]);
	row.at = isoInstant(draft.at) ?? context.now().toISOString();
	row.flow = cleanText(context.flow);
	row.executionId = cleanText(context.executionId);
	const identity = [
		row.flow,
		row.executionId,
		row.subject,
		row.action,
		row.file,
		row.sha256,
		row.recordKey,
		row.part,
		row.rows,
		row.erp,
		row.erpId,
	];
	row.eventId = createHash('sha256').update(identity.join('\u0000')).digest('hex').slice(0, 32);
	return Object.fromEntries(
		AUDIT_COLUMN_NAMES.map((name) => [name, row[name]]),
	) as unknown as AuditRow;
}

/** The rule ids the GL Mapper put on the lines, in order, once each. */
function rulesOf(json: Json): string {
	const mapping = isObject(json.mapping) ? json.mapping : undefined;
	const lines = mapping && Array.isArray(mapping.lines) ? mapping.lines : [];
	const ids = lines
		.map((line) => (isObject(line) && isObject(line.rule) ? text(line.rule.id) : ''))
		.filter(Boolean);
	return [...new Set(ids)].join(',');
}

function vendorOf(json: Json): string {
	if (isObject(json.vendor)) return text(json.vendor.name) || text(json.vendor.stampliVendorId);
	return json.stampliVendorId !== undefined || json.vendorId !== undefined ? text(json.name) : '';
}

function rowsText(rows: unknown): string {
	return Array.isArray(rows) ? rows.filter((row) => typeof row === 'number').join(',') : '';
}

/** A canonical record that went through (or came from) one of the package's nodes. */
function recordRow(json: Json): Draft | undefined {
	let outcome;
	try {
		outcome = classifyItem(json);
	} catch (error) {
		if (!(error instanceof NotReconcilableError)) throw error;
		// A record as the trigger read it, before any ERP node.
		const source = isObject(json.source) ? json.source : undefined;
		if (!source || typeof source.file !== 'string') return undefined;
		const identity = recordIdentity(json);
		return {
			subject: identity.kind,
			action: 'received',
			file: source.file,
			sha256: text(source.sha256),
			recordKey: identity.recordId ?? '',
			invoiceNumber: text(json.invoiceNumber),
			vendor: vendorOf(json),
			amountStated: money(identity.amount),
			currency: identity.currency ?? '',
			rows: rowsText(source.rows),
		};
	}
	const erp = isObject(json.erp) ? json.erp : undefined;
	const audit = isObject(json.audit) ? json.audit : undefined;
	const written = WRITTEN_ACTIONS.has(outcome.status);
	const needsAttention =
		outcome.status === 'failed' && json.error === undefined && Array.isArray(json.reasons);
	const action: AuditAction = outcome.invalidRecord
		? 'rejected'
		: needsAttention
			? 'needsAttention'
			: outcome.status;
	const warnings = erp && Array.isArray(erp.warnings) ? erp.warnings.map(text) : [];
	const reason = [outcome.reason ?? '', ...warnings.filter((w) => w !== outcome.reason)]
		.filter(Boolean)
		.join('; ');
	const source = isObject(json.source) ? json.source : undefined;
	const stated = outcome.statedAmount ?? outcome.amount;
	return {
		subject: outcome.kind,
		action,
		at: text(audit?.at),
		file: outcome.file,
		sha256: outcome.sha256 ?? '',
		recordKey: outcome.recordId ?? '',
		part: outcome.part ?? '',
		invoiceNumber: outcome.number ?? '',
		vendor: vendorOf(json),
		erp: outcome.system ?? text(erp?.system),
		erpId: outcome.erpId === undefined || outcome.erpId === null ? '' : String(outcome.erpId),
		externalId: text(erp?.externalId),
		amountStated: money(stated),
		amountBooked: written ? money(outcome.amount) : '',
		currency: outcome.currency ?? '',
		rule: rulesOf(json),
		reason,
		rows: outcome.rows ? outcome.rows.join(',') : rowsText(source?.rows),
	};
}

/** The trigger's or Stampli Files' file item (`file: { path, sha256, status, … }`). */
function fileRow(json: Json): Draft | undefined {
	const file = isObject(json.file) ? json.file : undefined;
	if (!file || typeof file.path !== 'string' || typeof file.status !== 'string') return undefined;
	const failed = json.error !== undefined || file.status === 'failed';
	const counts = `${text(file.records) || '0'} record(s), ${text(file.invalidRecords) || '0'} invalid`;
	const error = isObject(json.error) ? text(json.error.reason) : text(json.error);
	return {
		subject: 'file',
		action: failed ? 'failed' : 'downloaded',
		at: text(file.downloadedAt),
		file: file.path,
		sha256: text(file.sha256),
		reason: [error, counts].filter(Boolean).join('; '),
	};
}

/** A feed file's audit record (Stampli Feed Writer, Odoo Master Data writing directly). */
function feedRow(json: Json): Draft | undefined {
	if (typeof json.feed !== 'string' || !('remotePath' in json) || typeof json.rows !== 'number')
		return undefined;
	const rejected = typeof json.rejectedCount === 'number' ? json.rejectedCount : 0;
	return {
		subject: 'feed',
		action: json.skipped ? 'skipped' : 'uploaded',
		at: text(json.finishedAt),
		file: text(json.remotePath),
		sha256: text(json.sha256),
		recordKey: json.feed,
		reason: json.skipped
			? 'no records: no file written'
			: `${text(json.records)} record(s), ${json.rows} row(s), ${text(json.bytes)} bytes${rejected ? `, ${rejected} rejected` : ''}`,
	};
}

/** A Stampli Reconcile summary of one file. */
function summaryRow(json: Json): Draft | undefined {
	if (
		typeof json.file !== 'string' ||
		typeof json.recordsIn !== 'number' ||
		typeof json.balanced !== 'boolean' ||
		!Array.isArray(json.totals)
	)
		return undefined;
	const counts = ['created', 'updated', 'unchanged', 'skipped', 'failed', 'missing', 'unexpected']
		.filter((key) => typeof json[key] === 'number' && (json[key] as number) > 0)
		.map((key) => `${json[key] as number} ${key}`);
	const imbalance = Array.isArray(json.imbalance) ? json.imbalance.map(text) : [];
	const single = typeof json.currency === 'string';
	return {
		subject: 'file',
		action: json.balanced ? 'balanced' : 'unbalanced',
		file: json.file,
		sha256: text(json.sha256),
		erp: Array.isArray(json.systems) ? json.systems.map(text).join(',') : '',
		amountStated: single ? money(json.amountIn) : '',
		amountBooked: single ? money(json.amountWritten) : '',
		currency: single ? (json.currency as string) : '',
		reason: [
			`${json.recordsIn} in${counts.length ? `: ${counts.join(', ')}` : ''}`,
			...imbalance,
		].join('; '),
	};
}

/** Stampli Files' replay (`replayed`, `from`, `to`) and move (`from`, `to`) results. */
function movedRow(json: Json): Draft | undefined {
	if (typeof json.from !== 'string' || typeof json.to !== 'string') return undefined;
	const replay = typeof json.replayed === 'string';
	return {
		subject: 'file',
		action: replay ? 'replayed' : 'archived',
		at: text(json.at),
		file: json.to,
		reason: `moved from ${json.from}`,
	};
}

/** One item → its audit rows (one, today; a list so a shape may later yield several). */
export function auditRowsFromItem(json: unknown, context: AuditContext): AuditRow[] {
	if (!isObject(json))
		return [
			finish({ subject: 'item', action: 'unrecognised', reason: 'not a JSON object' }, context),
		];
	const draft =
		summaryRow(json) ?? feedRow(json) ?? movedRow(json) ?? recordRow(json) ?? fileRow(json);
	if (draft) return [finish(draft, context)];
	return [
		finish(
			{
				subject: 'item',
				action: 'unrecognised',
				reason:
					'not an item of the Stampli nodes (record, file, feed, replay or reconciliation summary)',
			},
			context,
		),
	];
}

/** Every item → rows, in order; `itemIndex` says which item each row came from. */
export function auditRowsFromItems(
	items: unknown[],
	context: AuditContext,
): Array<{ row: AuditRow; itemIndex: number }> {
	return items.flatMap((json, itemIndex) =>
		auditRowsFromItem(json, context).map((row) => ({ row, itemIndex })),
	);
}
