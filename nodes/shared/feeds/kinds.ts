/** Which feed a canonical record belongs to, and the feed names used in file names and audit records. */
import type { TemplateKind } from '../stampli/templates/types';
import type { MasterDataResource } from '../odoo/masterData/types';

export type FeedKind = Extract<TemplateKind, 'vendorFeed' | 'purchaseOrderFeed' | 'glAccountFeed'>;

export const FEED_KINDS: readonly FeedKind[] = ['vendorFeed', 'purchaseOrderFeed', 'glAccountFeed'];

/** The `{feed}` placeholder's value per feed. */
export const FEED_NAMES: Record<FeedKind, string> = {
	vendorFeed: 'vendors',
	purchaseOrderFeed: 'purchase-orders',
	glAccountFeed: 'gl-accounts',
};

export const FEED_OF_RESOURCE: Partial<Record<MasterDataResource, FeedKind>> = {
	vendors: 'vendorFeed',
	purchaseOrders: 'purchaseOrderFeed',
	glAccounts: 'glAccountFeed',
};

/**
 * Tells a canonical record's feed by its shape (§3 records carry no type tag, and a user may have
 * built them in a Set or Code node): a PO has `poId`/`poNumber` and `lines`, a GL account
 * `accountId` and `code`, a vendor `vendorId` and `name`. Undefined when it is none of them.
 */
export function detectFeedKind(record: unknown): FeedKind | undefined {
	if (record === null || typeof record !== 'object' || Array.isArray(record)) return undefined;
	const r = record as Record<string, unknown>;
	if (('poNumber' in r || 'poId' in r) && 'vendorId' in r) return 'purchaseOrderFeed';
	if ('accountId' in r && 'code' in r) return 'glAccountFeed';
	if ('vendorId' in r && 'name' in r) return 'vendorFeed';
	return undefined;
}
