/**
 * Items → audit rows: every shape the package's nodes emit gives one row of the documented schema,
 * with the ERP id, action, amounts, rule and reason; no credential survives, whatever field or
 * message it rides in.
 */
import {
	AUDIT_COLUMN_NAMES,
	auditRowsFromItem,
	auditRowsFromItems,
	type AuditRow,
} from '../../../nodes/shared/audit';
import { context, FILE, invoice, needsAttention, SHA, written } from './items';

const rowOf = (item: unknown, executionId?: string): AuditRow => {
	const rows = auditRowsFromItem(item, context(executionId));
	expect(rows).toHaveLength(1);
	return rows[0];
};

describe('audit rows from items', () => {
	it('gives every row every column, as strings, in the documented order', () => {
		const row = rowOf(written(invoice('STI-1', 'INV-1001', '100.00'), 'created', 7));
		expect(Object.keys(row)).toEqual(AUDIT_COLUMN_NAMES);
		for (const value of Object.values(row)) expect(typeof value).toBe('string');
	});

	it('records an ERP write: file, hash, record, ERP id and key, action, amounts, rule, execution', () => {
		expect(rowOf(written(invoice('STI-1', 'INV-1001', '100.00'), 'created', 7))).toMatchObject({
			at: '2026-11-20T10:00:00.000Z',
			flow: 'Stampli → Odoo: vendor bills',
			subject: 'invoice',
			action: 'created',
			file: FILE,
			sha256: SHA,
			recordKey: 'STI-1',
			invoiceNumber: 'INV-1001',
			vendor: 'Northwind Traders',
			erp: 'odoo',
			erpId: '7',
			externalId: 'stampli.invoice_STI-1',
			amountStated: '100.00',
			amountBooked: '100.00',
			currency: 'EUR',
			rule: 'office-supplies',
			rows: '1',
			executionId: '41',
		});
	});

	it('keeps what the ERP booked beside what the file stated, signed like the record', () => {
		const credit = invoice('STI-2', 'CN-1', '50.00', { documentType: 'credit' });
		expect(rowOf(written(credit, 'created', 8, undefined, '49.99'))).toMatchObject({
			amountStated: '-50.00',
			amountBooked: '-49.99',
		});
	});

	it('records refusals, skips and Needs Attention with their reason and no booked amount', () => {
		const refused = {
			...invoice('STI-3', 'INV-1003', '10.00'),
			error: 'Odoo refused the bill: currency EUR is not active',
			errorCode: null,
		};
		expect(rowOf(refused)).toMatchObject({
			action: 'failed',
			reason: 'Odoo refused the bill: currency EUR is not active',
			amountStated: '10.00',
			amountBooked: '',
		});
		const skipped = written(invoice('STI-4', 'INV-1004', '20.00'), 'skipped', 9);
		(skipped.erp as Record<string, unknown>).reason = 'posted';
		expect(rowOf(skipped)).toMatchObject({ action: 'skipped', reason: 'posted', erpId: '9' });
		expect(rowOf(needsAttention(invoice('STI-5', 'INV-1005', '30.00')))).toMatchObject({
			action: 'needsAttention',
			reason: 'line 1: no GL rule matches code 9999',
			recordKey: 'STI-5',
		});
	});

	it("records the trigger's invalid-record reports, files, feeds, replays, moves and summaries", () => {
		expect(
			rowOf({
				error: {
					file: FILE,
					rows: [4, 5],
					field: 'total',
					reason: 'not a number',
					recordId: 'STI-6',
				},
				file: { path: FILE, status: 'partial' },
			}),
		).toMatchObject({
			subject: 'invoice',
			action: 'rejected',
			recordKey: 'STI-6',
			rows: '4,5',
			reason: 'total: not a number',
		});
		expect(
			rowOf({
				file: {
					name: 'invoices-20261120.csv',
					path: FILE,
					sha256: SHA,
					status: 'processed',
					records: 3,
					invalidRecords: 0,
					downloadedAt: '2026-11-20T09:59:00.000Z',
					server: 'stampli@127.0.0.1',
				},
			}),
		).toMatchObject({
			subject: 'file',
			action: 'downloaded',
			at: '2026-11-20T09:59:00.000Z',
			reason: '3 record(s), 0 invalid',
		});
		expect(
			rowOf({
				feed: 'vendors',
				template: 'vendor-feed@1',
				format: 'csv',
				remotePath: '/inbound/vendors_20261120.csv',
				fileName: 'vendors_20261120.csv',
				rows: 12,
				records: 12,
				bytes: 900,
				sha256: SHA,
				startedAt: '2026-11-20T02:00:00.000Z',
				finishedAt: '2026-11-20T02:00:01.000Z',
				durationMs: 1000,
				rejectedCount: 0,
				rejected: [],
			}),
		).toMatchObject({
			subject: 'feed',
			action: 'uploaded',
			file: '/inbound/vendors_20261120.csv',
			recordKey: 'vendors',
			reason: '12 record(s), 12 row(s), 900 bytes',
		});
		expect(
			rowOf({
				replayed: 'invoices-unmapped.csv',
				from: '/outbound/failed/invoices-unmapped.csv',
				to: '/outbound/invoices-unmapped.csv',
				at: '2026-11-20T11:00:00.000Z',
			}),
		).toMatchObject({
			subject: 'file',
			action: 'replayed',
			file: '/outbound/invoices-unmapped.csv',
		});
		expect(rowOf({ from: FILE, to: '/outbound/archive/x.csv' })).toMatchObject({
			action: 'archived',
		});
		expect(
			rowOf({
				file: FILE,
				sha256: SHA,
				kind: 'invoice',
				systems: ['odoo'],
				recordsIn: 2,
				created: 1,
				updated: 0,
				unchanged: 0,
				skipped: 0,
				failed: 1,
				missing: 0,
				unexpected: 0,
				split: 0,
				currency: 'EUR',
				amountIn: '30.00',
				amountWritten: '10.00',
				amountSkipped: '0.00',
				amountFailed: '20.00',
				totals: [],
				balanced: true,
				imbalance: [],
				records: [],
			}),
		).toMatchObject({
			subject: 'file',
			action: 'balanced',
			reason: '2 in: 1 created, 1 failed',
			amountStated: '30.00',
			amountBooked: '10.00',
			currency: 'EUR',
			erp: 'odoo',
		});
	});

	it('keeps a row for an item it does not know, without its content', () => {
		const row = rowOf({ hello: 'world', password: 'hunter2-secret' });
		expect(row).toMatchObject({ subject: 'item', action: 'unrecognised' });
		expect(JSON.stringify(row)).not.toMatch(/world|hunter2/);
		expect(rowOf('plain text')).toMatchObject({ action: 'unrecognised' });
	});

	it('gives the same event the same id, and a retried write can upsert on it', () => {
		const item = written(invoice('STI-1', 'INV-1001', '100.00'), 'created', 7);
		expect(rowOf(item).eventId).toBe(rowOf(item).eventId);
		expect(rowOf(item).eventId).not.toBe(rowOf(item, '42').eventId);
		expect(rowOf(item).eventId).toMatch(/^[0-9a-f]{32}$/);
	});

	it('says which item each row came from', () => {
		const rows = auditRowsFromItems(
			[written(invoice('STI-1', 'INV-1001', '1.00'), 'created', 1), { nothing: true }],
			context(),
		);
		expect(rows.map((r) => r.itemIndex)).toEqual([0, 1]);
	});
});

describe('no secrets in audit rows', () => {
	const SECRETS = [
		'hunter2-Pa55word',
		'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
		'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
		'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
		'odoo-api-key-93f1c2d4e5',
	];
	const credentialsLooking = {
		password: SECRETS[0],
		apiKey: SECRETS[1],
		accessToken: SECRETS[2],
		privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${SECRETS[3]}\n-----END OPENSSH PRIVATE KEY-----`,
		credentials: { stampliOdooApi: { apiKey: SECRETS[4] } },
		headers: { Authorization: `Bearer ${SECRETS[2]}` },
	};

	it.each([
		[
			'a written record carrying credential fields',
			written({ ...invoice('STI-1', 'INV-1', '1.00'), ...credentialsLooking }, 'created', 1),
		],
		[
			'a source carrying them',
			{
				...invoice('STI-1', 'INV-1', '1.00'),
				source: { file: FILE, sha256: SHA, rows: [1], ...credentialsLooking },
			},
		],
		[
			'an error message quoting them',
			{
				...invoice('STI-1', 'INV-1', '1.00'),
				error: `POST https://admin:${SECRETS[0]}@odoo.example/json/2/account.move failed: Authorization: Bearer ${SECRETS[2]}; api_key=${SECRETS[4]}; token ${SECRETS[1]}`,
			},
		],
		[
			'a file item with them',
			{ file: { path: FILE, status: 'processed', records: 1, ...credentialsLooking } },
		],
		[
			'a feed audit with them',
			{ feed: 'vendors', remotePath: '/inbound/v.csv', rows: 1, records: 1, ...credentialsLooking },
		],
		['an unknown item', credentialsLooking],
	])('%s', (_name, item) => {
		const text = JSON.stringify(auditRowsFromItem(item, context()));
		for (const secret of SECRETS) expect(text).not.toContain(secret);
		expect(text).not.toMatch(/PRIVATE KEY/);
	});
});

describe('hostile text', () => {
	it('bounds long reasons and strips control characters', () => {
		const row = rowOf({
			...invoice('STI-1', 'INV\u0000-1\u001b[31m', '1.00'),
			error: 'x'.repeat(10_000),
		});
		expect(row.reason.length).toBeLessThanOrEqual(2000);
		expect(row.invoiceNumber).toBe('INV -1 [31m');
	});
});
