/** Which feed a canonical record belongs to, and the feed names used in file names and audit records. */
import type { TemplateKind } from '../stampli/templates/types';
import type { MasterDataResource } from '../odoo/masterData/types';

export type FeedKind = Extract<
	TemplateKind,
	'vendorFeed' | 'purchaseOrderFeed' | 'glAccountFeed' | 'classFeed' | 'departmentFeed'
>;

export const FEED_KINDS: readonly FeedKind[] = [
	'vendorFeed',
	'purchaseOrderFeed',
	'glAccountFeed',
	'classFeed',
	'departmentFeed',
];

/** The `{feed}` placeholder's value per feed. */
export const FEED_NAMES: Record<FeedKind, string> = {
	vendorFeed: 'vendors',
	purchaseOrderFeed: 'purchase-orders',
	glAccountFeed: 'gl-accounts',
	classFeed: 'classes',
	departmentFeed: 'departments',
};

export const FEED_OF_RESOURCE: Partial<Record<MasterDataResource, FeedKind>> = {
	vendors: 'vendorFeed',
	purchaseOrders: 'purchaseOrderFeed',
	glAccounts: 'glAccountFeed',
};

/**
 * Tells a canonical record's feed by its shape (canonical records carry no type tag, and a user may have
 * built them in a Set or Code node): a PO has `poId`/`poNumber` and `lines`, a GL account
 * `accountId` and `code`, a vendor `vendorId` and `name`, a class or department `dimensionId` and its
 * `dimension`. Undefined when it is none of them.
 */
export function detectFeedKind(record: unknown): FeedKind | undefined {
	if (record === null || typeof record !== 'object' || Array.isArray(record)) return undefined;
	const r = record as Record<string, unknown>;
	if (('poNumber' in r || 'poId' in r) && 'vendorId' in r) return 'purchaseOrderFeed';
	if ('accountId' in r && 'code' in r) return 'glAccountFeed';
	if ('vendorId' in r && 'name' in r) return 'vendorFeed';
	if ('dimensionId' in r && r.dimension === 'class') return 'classFeed';
	if ('dimensionId' in r && r.dimension === 'department') return 'departmentFeed';
	return undefined;
}

/**
 * Record indexes grouped by feed, in feed order; `records` that are none of the feeds are returned
 * apart, with why. With a fixed feed every record is taken as that feed (and its group exists even
 * when empty, so an empty feed can still be written). `indexes` gives each record's index as the
 * caller numbers them (n8n item indexes); by default its position.
 */
export function groupByFeed(
	records: unknown[],
	feed: 'auto' | FeedKind,
	indexes?: number[],
): { groups: Map<FeedKind, number[]>; unknown: Array<{ index: number; reason: string }> } {
	const groups = new Map<FeedKind, number[]>();
	const unknown: Array<{ index: number; reason: string }> = [];
	if (feed !== 'auto') groups.set(feed, []);
	records.forEach((record, position) => {
		const index = indexes?.[position] ?? position;
		const kind = feed === 'auto' ? detectFeedKind(record) : feed;
		if (!kind) {
			unknown.push({
				index,
				reason: `Item ${index}: not a canonical vendor, purchase order or GL account record (expected vendorId+name, poNumber+vendorId+lines, accountId+code, or dimensionId+dimension)`,
			});
			return;
		}
		if (!groups.has(kind)) groups.set(kind, []);
		groups.get(kind)!.push(index);
	});
	return { groups, unknown };
}
