/** Master-data reads from Odoo: what can be read, how, and the cursor kept between runs. */
import type { GlAccount, PurchaseOrder, Vendor } from '../../records/types';
import type { OdooDomain } from '../values';

export type MasterDataResource = 'vendors' | 'purchaseOrders' | 'glAccounts' | 'analyticAccounts';

export const MASTER_DATA_RESOURCES: readonly MasterDataResource[] = [
	'vendors',
	'purchaseOrders',
	'glAccounts',
	'analyticAccounts',
];

/**
 * An analytic account (Odoo's accounting dimension). Not a Stampli feed of its own by default, but
 * handy for a custom feed or for the GL Mapper's dimension tables.
 */
export interface AnalyticAccount {
	analyticId: string;
	code?: string;
	name: string;
	/** Analytic plan name (Odoo 16+). */
	plan?: string;
	active: boolean;
	companyIds?: string[];
}

export type MasterDataRecord = Vendor | PurchaseOrder | GlAccount | AnalyticAccount;

export type ReadMode = 'full' | 'incremental';

/**
 * Where the last run stopped, kept in the node's workflow static data. `write_date` is the start of
 * the writing transaction, so a record committed after our read can carry a write_date *below* the
 * highest one we saw: the next run starts `overlapSeconds` before `writeDate` and skips what it
 * already delivered (same id, same write_date) by `recent`.
 */
export interface MasterDataCursor {
	version: 1;
	resource: MasterDataResource;
	/** Highest write_date delivered, Odoo's UTC text `YYYY-MM-DD HH:MM:SS`. */
	writeDate: string;
	/** Record id → [write_date, content fingerprint] of records delivered within the overlap window below `writeDate`. */
	recent: Record<string, [string, string]>;
	/** True when `recent` grew past its bound and was dropped: the next run may deliver some records again. */
	recentTruncated?: boolean;
	/** When the run that produced this cursor finished (ISO, for people reading static data). */
	savedAt: string;
}

export interface MasterDataReadOptions {
	resource: MasterDataResource;
	mode: ReadMode;
	/** The cursor of the previous run (incremental); absent → everything (and a cursor is produced). */
	cursor?: MasterDataCursor;
	/** How far before the cursor an incremental read starts. Default 600 s. */
	overlapSeconds?: number;
	/** Records per search_read. Default 1000. */
	pageSize?: number;
	/** Vendors: replaces the default `supplier_rank > 0`. Other resources: added to their domain. */
	domain?: OdooDomain;
	/** Purchase orders: states to read. Default `purchase`, `done`. */
	purchaseOrderStates?: string[];
	/** Include archived / deprecated records (as `active: false`). Default: on for incremental, off for full. */
	includeArchived?: boolean;
	/** Restrict to one company. */
	companyId?: number;
	/** IANA zone for turning Odoo's UTC `date_order` into an order date. Default UTC. */
	timeZone?: string;
	/** Upper bound on `recent` entries kept in the cursor (it lives in workflow static data). Default 10,000. */
	maxRecent?: number;
}

export interface MasterDataStats {
	records: number;
	/** Records read again inside the overlap window and skipped because they were already delivered. */
	skippedAlreadyDelivered: number;
	pages: number;
	/** Odoo HTTP round trips this read cost. */
	roundTrips: number;
}
