/**
 * Reads one QuickBooks master-data list for the Stampli feeds, page by page, through the shared
 * client (so its limiter, 429 handling and retries apply), as an async iterable that fetches the
 * next page only when the previous one was consumed (memory stays at one page).
 *
 * Full snapshot: `SELECT * FROM <Entity> ORDERBY Id STARTPOSITION n MAXRESULTS m`, active records
 * only unless asked (purchase orders: open ones). Incremental: change data capture
 * (`GET /cdc?entities=<Entity>&changedSince=…`), which returns every object changed since then,
 * inactive ones included and deleted ones as `status: "Deleted"`. QuickBooks keeps 30 days of
 * changes and answers at most 1,000 objects; an older cursor becomes a full read, and a full
 * answer is completed by a query on `MetaData.LastUpdatedTime` (name lists cannot be deleted, so
 * nothing is missed for them).
 *
 * The next cursor is QuickBooks' own time of the read's first answer less an overlap, so clock
 * skew between n8n and Intuit cannot lose a change; a change inside the overlap is delivered again,
 * which a feed (an upsert in Stampli) absorbs.
 */
import type { QboClient } from '../client';
import { MAX_QUERY_RESULTS, select } from '../query';
import {
	deletedRecord,
	mapAccount,
	mapDimension,
	mapPurchaseOrder,
	mapTerm,
	mapVendor,
} from './mapping';
import {
	QBO_ENTITY_OF,
	type QboMasterDataCursor,
	type QboMasterDataReadOptions,
	type QboMasterDataRecord,
	type QboMasterDataResource,
	type QboMasterDataStats,
} from './types';

/** Change data capture looks back at most this far. */
export const CDC_LOOK_BACK_DAYS = 30;
/** The most objects one change-data-capture answer holds. */
export const CDC_MAX_OBJECTS = 1000;
export const DEFAULT_OVERLAP_SECONDS = 60;
/** A cursor this close to the 30-day limit is read in full rather than risk a refused request. */
const LOOK_BACK_MARGIN_MS = 3_600_000;
const ANY_ACTIVE = 'Active IN (true, false)';

type Client = Pick<QboClient, 'call'>;
type Row = Record<string, any>;

export function mapQboRecord(resource: QboMasterDataResource, row: Row): QboMasterDataRecord {
	switch (resource) {
		case 'vendors':
			return mapVendor(row);
		case 'glAccounts':
			return mapAccount(row);
		case 'classes':
			return mapDimension(row, 'class');
		case 'departments':
			return mapDimension(row, 'department');
		case 'terms':
			return mapTerm(row);
		case 'purchaseOrders':
			return mapPurchaseOrder(row);
	}
}

/** An instant written in the same offset as `reference` (QuickBooks' company offset), shifted by `deltaMs`. */
export function shiftInstant(reference: string, deltaMs: number): string {
	const ms = Date.parse(reference);
	if (Number.isNaN(ms)) throw new Error(`Not a date-time: ${reference}`);
	const offset = /([+-])(\d{2}):(\d{2})$/.exec(reference);
	if (!offset) return new Date(ms + deltaMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
	const minutes = (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]));
	const local = new Date(ms + deltaMs + minutes * 60_000).toISOString().slice(0, 19);
	return `${local}${offset[0]}`;
}

/** Accepts what a user or an older version left in static data; anything unusable → undefined (full read). */
export function readQboCursor(
	value: unknown,
	resource: QboMasterDataResource,
): QboMasterDataCursor | undefined {
	if (!value || typeof value !== 'object') return undefined;
	const c = value as Partial<QboMasterDataCursor>;
	if (
		c.version !== 1 ||
		c.system !== 'quickbooks' ||
		c.resource !== resource ||
		typeof c.changedSince !== 'string' ||
		Number.isNaN(Date.parse(c.changedSince))
	)
		return undefined;
	return {
		version: 1,
		system: 'quickbooks',
		resource,
		changedSince: c.changedSince,
		savedAt: String(c.savedAt ?? ''),
	};
}

export class QboMasterDataReader implements AsyncIterable<QboMasterDataRecord> {
	readonly stats: QboMasterDataStats = {
		records: 0,
		inactive: 0,
		deleted: 0,
		pages: 0,
		cdcRequests: 0,
	};
	/** The `changedSince` this read used (incremental), for the audit. */
	since?: string;
	private serverTime?: string;
	private finished = false;
	private readonly entity: string;
	private readonly pageSize: number;
	private readonly overlapMs: number;
	private readonly now: () => Date;

	constructor(
		private readonly client: Client,
		private readonly options: QboMasterDataReadOptions,
	) {
		this.entity = QBO_ENTITY_OF[options.resource];
		if (!this.entity)
			throw new Error(`Unknown QuickBooks master-data resource: ${options.resource}`);
		this.pageSize = options.pageSize ?? MAX_QUERY_RESULTS;
		if (!Number.isInteger(this.pageSize) || this.pageSize < 1 || this.pageSize > MAX_QUERY_RESULTS)
			throw new Error(`Page size must be an integer from 1 to ${MAX_QUERY_RESULTS}`);
		const overlap = options.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS;
		if (!Number.isFinite(overlap) || overlap < 0)
			throw new Error(`Overlap must be zero or more seconds (got ${overlap})`);
		this.overlapMs = overlap * 1000;
		this.now = options.now ?? (() => new Date());
		const cursor = options.cursor;
		if (cursor && cursor.resource !== options.resource)
			throw new Error(
				`The saved cursor belongs to "${cursor.resource}", not "${options.resource}": reset it or use a separate node per resource`,
			);
	}

	/** The cursor to commit once these records are safely delivered; undefined before the read ended. */
	cursor(): QboMasterDataCursor | undefined {
		if (!this.finished || !this.serverTime) return undefined;
		return {
			version: 1,
			system: 'quickbooks',
			resource: this.options.resource,
			changedSince: shiftInstant(this.serverTime, -this.overlapMs),
			savedAt: this.now().toISOString(),
		};
	}

	async *[Symbol.asyncIterator](): AsyncGenerator<QboMasterDataRecord> {
		const { mode, cursor } = this.options;
		if (mode === 'incremental' && cursor) {
			const age = this.now().getTime() - Date.parse(cursor.changedSince);
			if (age < CDC_LOOK_BACK_DAYS * 86_400_000 - LOOK_BACK_MARGIN_MS) {
				this.since = cursor.changedSince;
				yield* this.changes(cursor.changedSince);
				this.finished = true;
				return;
			}
			this.stats.fullReadBecause = 'cursor older than 30 days';
		} else if (mode === 'incremental') this.stats.fullReadBecause = 'no cursor';
		yield* this.snapshot();
		this.finished = true;
	}

	private includeInactive(): boolean {
		return this.options.includeInactive ?? this.options.mode === 'incremental';
	}

	private deliver(row: Row): QboMasterDataRecord {
		const record = mapQboRecord(this.options.resource, row);
		this.stats.records++;
		if ((record as { active?: boolean }).active === false) this.stats.inactive++;
		return record;
	}

	/** Every page of `where`, ordered by Id so pages neither overlap nor skip. */
	private async *pages(where: string[]): AsyncGenerator<Row[]> {
		for (let start = 1; ; start += this.pageSize) {
			const statement = select(this.entity, {
				where,
				orderBy: 'Id',
				startPosition: start,
				maxResults: this.pageSize,
			});
			const body = await this.client.call('GET', 'query', { qs: { query: statement } });
			this.serverTime ??= typeof body?.time === 'string' ? body.time : undefined;
			this.stats.pages++;
			const rows = (body?.QueryResponse?.[this.entity] as Row[] | undefined) ?? [];
			if (rows.length) yield rows;
			if (rows.length < this.pageSize) return;
		}
	}

	private async *snapshot(): AsyncGenerator<QboMasterDataRecord> {
		const purchaseOrders = this.options.resource === 'purchaseOrders';
		// Purchase orders have no Active flag; the open ones are kept here (POStatus is not among the
		// fields Intuit documents as filterable).
		const where = purchaseOrders || !this.includeInactive() ? [] : [ANY_ACTIVE];
		for await (const rows of this.pages(where))
			for (const row of rows) {
				if (purchaseOrders && row.POStatus === 'Closed' && !this.includeInactive()) continue;
				yield this.deliver(row);
			}
	}

	private async *changes(since: string): AsyncGenerator<QboMasterDataRecord> {
		const body = await this.client.call('GET', 'cdc', {
			qs: { entities: this.entity, changedSince: since },
		});
		this.stats.cdcRequests++;
		this.serverTime = typeof body?.time === 'string' ? body.time : undefined;
		if (!this.serverTime) throw new Error('QuickBooks answered change data capture without a time');
		const groups: Row[] = body?.CDCResponse?.[0]?.QueryResponse ?? [];
		const objects: Row[] = groups.flatMap((g) => (g?.[this.entity] as Row[] | undefined) ?? []);
		const deleted = objects.filter((o) => o.status === 'Deleted');
		if (objects.length >= CDC_MAX_OBJECTS) {
			// The answer may have been cut at its maximum: read the changed records by query instead.
			this.stats.cdcOverflow = true;
			const where = [`MetaData.LastUpdatedTime >= '${since}'`];
			if (this.options.resource !== 'purchaseOrders') where.push(ANY_ACTIVE);
			for await (const rows of this.pages(where)) for (const row of rows) yield this.deliver(row);
		} else {
			for (const row of objects) if (row.status !== 'Deleted') yield this.deliver(row);
		}
		for (const row of deleted) {
			this.stats.records++;
			this.stats.deleted++;
			yield deletedRecord(this.options.resource, String(row.Id)) as QboMasterDataRecord;
		}
	}
}

export function readQboMasterData(
	client: Client,
	options: QboMasterDataReadOptions,
): QboMasterDataReader {
	return new QboMasterDataReader(client, options);
}

/** The feed a resource's records go to (terms have none of their own). */
export const QBO_FEED_OF_RESOURCE = {
	vendors: 'vendorFeed',
	glAccounts: 'glAccountFeed',
	classes: 'classFeed',
	departments: 'departmentFeed',
	purchaseOrders: 'purchaseOrderFeed',
} as const satisfies Partial<Record<QboMasterDataResource, string>>;
