/**
 * Reads vendors, purchase orders (with lines), GL accounts or analytic accounts from Odoo as an
 * async stream of canonical records, one page in memory at a time.
 *
 * Paging is by id (keyset: `id > last`, ordered by id), not by offset: a record written while a
 * 100k-record read is under way cannot shift later pages and make us skip or repeat rows.
 * Purchase orders cost a constant number of calls per page (orders, then their lines with an `in`
 * domain), never one call per order.
 */
import type { OdooClient } from '../client';
import { OdooError } from '../errors';
import { many2oneId, type OdooDomain, type OdooRecord } from '../values';
import { odooDatetimeMs } from './convert';
import { CursorTracker } from './cursor';
import {
	accountFieldChoice,
	analyticFields,
	mapAnalyticAccount,
	mapGlAccount,
	mapPurchaseOrder,
	mapVendor,
	orderFields,
	orderLineFields,
	partnerFields,
	withMagic,
	type FieldSet,
} from './mapping';
import type {
	MasterDataCursor,
	MasterDataReadOptions,
	MasterDataRecord,
	MasterDataStats,
} from './types';

const MAX_PAGES = 100_000;
const DEFAULT_PAGE_SIZE = 1000;
/** XML-RPC pages decode into far more short-lived garbage than JSON: half the page keeps a 100k-record read under 100 MB RSS (bench/feeds.bench.ts). */
const XMLRPC_PAGE_SIZE = 500;
export const DEFAULT_OVERLAP_SECONDS = 600;
export const DEFAULT_PO_STATES = ['purchase', 'done'];

const MODEL_OF = {
	vendors: 'res.partner',
	purchaseOrders: 'purchase.order',
	glAccounts: 'account.account',
	analyticAccounts: 'account.analytic.account',
} as const;

export class MasterDataReader implements AsyncIterable<MasterDataRecord> {
	readonly stats: MasterDataStats = {
		records: 0,
		skippedAlreadyDelivered: 0,
		pages: 0,
		roundTrips: 0,
	};
	private readonly tracker: CursorTracker;
	private pageSize: number;
	private readonly fieldCache = new Map<string, FieldSet>();
	private finished = false;
	private started = false;

	constructor(
		private readonly client: OdooClient,
		private readonly options: MasterDataReadOptions,
	) {
		this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE; // the transport may lower the default on first read
		if (!Number.isInteger(this.pageSize) || this.pageSize < 1 || this.pageSize > 10_000) {
			throw new OdooError(
				`Page size must be a whole number from 1 to 10000 (got ${options.pageSize})`,
			);
		}
		const previous = options.mode === 'incremental' ? options.cursor : undefined;
		this.tracker = new CursorTracker(
			options.resource,
			previous,
			options.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS,
			options.maxRecent,
		);
	}

	/** The lower write_date bound of this run (incremental with a cursor), for the audit output. */
	get since(): string | undefined {
		return this.tracker.since();
	}

	/** The cursor to keep for the next run; only meaningful once the records were read to the end. */
	cursor(now = new Date()): MasterDataCursor | undefined {
		if (!this.finished)
			throw new OdooError(
				'The master-data read has not finished: the cursor would skip unread records',
			);
		return this.tracker.next(now);
	}

	async *[Symbol.asyncIterator](): AsyncIterator<MasterDataRecord> {
		if (this.started) throw new OdooError('A master-data reader can be iterated once');
		this.started = true;
		if (this.options.pageSize === undefined && (await this.client.protocol()) === 'xmlrpc')
			this.pageSize = XMLRPC_PAGE_SIZE;
		const tripsBefore = this.client.roundTrips;
		try {
			switch (this.options.resource) {
				case 'vendors':
					yield* this.vendors();
					break;
				case 'purchaseOrders':
					yield* this.purchaseOrders();
					break;
				case 'glAccounts':
					yield* this.glAccounts();
					break;
				case 'analyticAccounts':
					yield* this.analyticAccounts();
					break;
				default:
					throw new OdooError(`Unknown master-data resource "${String(this.options.resource)}"`);
			}
			this.finished = true;
		} finally {
			this.stats.roundTrips = this.client.roundTrips - tripsBefore;
		}
	}

	// ---------- shared ----------

	private async fields(model: string): Promise<FieldSet> {
		let fields = this.fieldCache.get(model);
		if (!fields) {
			const described = await this.client.call<Record<string, unknown>>(model, 'fields_get', [], {
				attributes: ['type'],
			});
			fields = withMagic(Object.keys(described ?? {}));
			this.fieldCache.set(model, fields);
		}
		return fields;
	}

	/** Domain parts every resource shares: changed-since, archived, company. */
	private async commonDomain(
		model: string,
		companyField?: 'company_id' | 'company_ids',
	): Promise<OdooDomain> {
		const available = await this.fields(model);
		const domain: OdooDomain = [];
		const since = this.tracker.since();
		if (since) domain.push(['write_date', '>=', since]);
		const includeArchived = this.options.includeArchived ?? this.options.mode === 'incremental';
		// Mentioning `active` switches Odoo's implicit active filter off; the OR form is understood by every version.
		if (includeArchived && available.has('active'))
			domain.push('|', ['active', '=', true], ['active', '=', false]);
		const company = companyField ?? (available.has('company_id') ? 'company_id' : undefined);
		if (this.options.companyId !== undefined && company) {
			domain.push(
				company === 'company_ids'
					? [company, 'in', [this.options.companyId]]
					: [company, 'in', [this.options.companyId, false]],
			);
		}
		return domain;
	}

	/** Keyset pages: `id > last`, ascending, `pageSize` at a time. */
	private async *pages(
		model: string,
		domain: OdooDomain,
		fields: string[],
		pageSize = this.pageSize,
	): AsyncGenerator<OdooRecord[]> {
		let lastId = 0;
		for (let page = 0; page < MAX_PAGES; page++) {
			const rows = await this.client.searchRead(model, [...domain, ['id', '>', lastId]], {
				fields,
				limit: pageSize,
				order: 'id asc',
			});
			this.stats.pages++;
			if (rows.length > 0) yield rows;
			if (rows.length < pageSize) return;
			const nextId = Number(rows[rows.length - 1].id);
			if (!(nextId > lastId))
				throw new OdooError(
					`${model}: search_read did not return rows in ascending id order; cannot page safely`,
				);
			lastId = nextId;
		}
		throw new OdooError(`${model}: stopped after ${MAX_PAGES} pages of ${pageSize}`);
	}

	private deliver(id: string, writeDate: unknown, record: MasterDataRecord): boolean {
		if (this.tracker.consider(id, writeDate, record)) {
			this.stats.records++;
			return true;
		}
		this.stats.skippedAlreadyDelivered++;
		return false;
	}

	// ---------- resources ----------

	private async *vendors(): AsyncGenerator<MasterDataRecord> {
		const model = MODEL_OF.vendors;
		const fields = partnerFields(await this.fields(model));
		const base: OdooDomain =
			this.options.domain && this.options.domain.length > 0
				? this.options.domain
				: [['supplier_rank', '>', 0]];
		const domain = [...base, ...(await this.commonDomain(model))];
		for await (const rows of this.pages(model, domain, fields)) {
			for (const row of rows) {
				const vendor = mapVendor(row);
				if (this.deliver(String(row.id), row.write_date, vendor)) yield vendor;
			}
		}
	}

	private async *glAccounts(): AsyncGenerator<MasterDataRecord> {
		const model = MODEL_OF.glAccounts;
		const choice = accountFieldChoice(await this.fields(model));
		const domain = [
			...(this.options.domain ?? []),
			...(await this.commonDomain(model, choice.company)),
		];
		// Before 19 a retired account is `deprecated`, which search does not hide: filter it like 19's `active`.
		const includeArchived = this.options.includeArchived ?? this.options.mode === 'incremental';
		if (!includeArchived && choice.usable === 'deprecated') domain.push(['deprecated', '=', false]);
		for await (const rows of this.pages(model, domain, choice.fields)) {
			for (const row of rows) {
				const account = mapGlAccount(row, choice);
				if (this.deliver(String(row.id), row.write_date, account)) yield account;
			}
		}
	}

	private async *analyticAccounts(): AsyncGenerator<MasterDataRecord> {
		const model = MODEL_OF.analyticAccounts;
		const fields = analyticFields(await this.fields(model));
		const domain = [...(this.options.domain ?? []), ...(await this.commonDomain(model))];
		for await (const rows of this.pages(model, domain, fields)) {
			for (const row of rows) {
				const analytic = mapAnalyticAccount(row);
				if (this.deliver(String(row.id), row.write_date, analytic)) yield analytic;
			}
		}
	}

	private async *purchaseOrders(): AsyncGenerator<MasterDataRecord> {
		const model = MODEL_OF.purchaseOrders;
		const lineModel = 'purchase.order.line';
		const fields = orderFields(await this.fields(model));
		const lineFields = orderLineFields(await this.fields(lineModel));
		const states = this.options.purchaseOrderStates ?? DEFAULT_PO_STATES;
		const filter: OdooDomain = [...(this.options.domain ?? [])];
		if (states.length > 0) filter.push(['state', 'in', states]);
		const common = await this.commonDomain(model);
		const since = this.tracker.since();
		// Orders changed since the cursor, and (incremental only) orders whose lines changed:
		// receiving goods updates a line's qty_received without touching the order.
		const delivered = since ? new Set<number>() : undefined;
		for await (const orders of this.pages(model, [...filter, ...common], fields)) {
			yield* this.ordersWithLines(orders, lineModel, lineFields, delivered);
		}
		if (!since || !delivered) return;
		const viaLines = new Set<number>();
		for await (const lines of this.pages(
			lineModel,
			[['write_date', '>=', since]],
			['id', 'order_id'],
		)) {
			for (const line of lines) {
				const orderId = many2oneId(line.order_id);
				if (orderId !== null && !delivered.has(orderId)) viaLines.add(orderId);
			}
		}
		const ids = [...viaLines].sort((a, b) => a - b);
		const commonWithoutSince = common.filter(
			(leaf) => !(Array.isArray(leaf) && leaf[0] === 'write_date'),
		);
		for (let i = 0; i < ids.length; i += this.pageSize) {
			const chunk = ids.slice(i, i + this.pageSize);
			const orders = await this.client.searchRead(
				model,
				[...filter, ...commonWithoutSince, ['id', 'in', chunk]],
				{ fields, order: 'id asc' },
			);
			this.stats.pages++;
			yield* this.ordersWithLines(orders, lineModel, lineFields, undefined);
		}
	}

	private async *ordersWithLines(
		orders: OdooRecord[],
		lineModel: string,
		lineFields: string[],
		delivered: Set<number> | undefined,
	): AsyncGenerator<MasterDataRecord> {
		if (orders.length === 0) return;
		const byOrder = new Map<number, OdooRecord[]>();
		const ids = orders.map((o) => Number(o.id));
		for await (const lines of this.pages(
			lineModel,
			[['order_id', 'in', ids]],
			lineFields,
			Math.max(this.pageSize, 2000),
		)) {
			for (const line of lines) {
				const orderId = many2oneId(line.order_id);
				if (orderId === null) continue;
				let list = byOrder.get(orderId);
				if (!list) byOrder.set(orderId, (list = []));
				list.push(line);
			}
		}
		for (const order of orders) {
			const lines = byOrder.get(Number(order.id)) ?? [];
			const purchaseOrder = mapPurchaseOrder(order, lines, this.options.timeZone);
			// The order's effective change time is its own or its newest line's.
			let writeDate = typeof order.write_date === 'string' ? order.write_date : undefined;
			for (const line of lines) {
				if (
					typeof line.write_date === 'string' &&
					(writeDate === undefined || odooDatetimeMs(line.write_date) > odooDatetimeMs(writeDate))
				)
					writeDate = line.write_date;
			}
			delivered?.add(Number(order.id));
			if (this.deliver(String(order.id), writeDate, purchaseOrder)) yield purchaseOrder;
		}
	}
}

export function readMasterData(
	client: OdooClient,
	options: MasterDataReadOptions,
): MasterDataReader {
	return new MasterDataReader(client, options);
}
