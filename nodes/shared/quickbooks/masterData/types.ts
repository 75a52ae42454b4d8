/** Master-data reads from QuickBooks Online: what can be read, the records they give, the cursor kept between runs. */
import type { GlAccount, PurchaseOrder, Vendor } from '../../records/types';

export type QboMasterDataResource =
	'vendors' | 'glAccounts' | 'classes' | 'departments' | 'terms' | 'purchaseOrders';

export const QBO_MASTER_DATA_RESOURCES: readonly QboMasterDataResource[] = [
	'vendors',
	'glAccounts',
	'classes',
	'departments',
	'terms',
	'purchaseOrders',
];

/** The QuickBooks entity behind each resource. */
export const QBO_ENTITY_OF: Record<QboMasterDataResource, string> = {
	vendors: 'Vendor',
	glAccounts: 'Account',
	classes: 'Class',
	departments: 'Department',
	terms: 'Term',
	purchaseOrders: 'PurchaseOrder',
};

/** Set on a record QuickBooks reported deleted (only transactions such as purchase orders can be). */
interface Deletable {
	deleted?: true;
}

/** A vendor, with the Stampli vendor id its Notes carry when Stampli created or matched it. */
export type QboVendorRecord = Vendor & Deletable;

/** A GL account with QuickBooks' own type, sub-type and `Parent:Child` name beside the normalised type. */
export interface QboGlAccountRecord extends GlAccount, Deletable {
	fullyQualifiedName: string;
	quickbooksType?: string;
	quickbooksSubType?: string;
	parentId?: string;
	currency?: string;
}

/** A class or a department (QuickBooks' "location"): an accounting dimension Stampli codes lines to. */
export interface DimensionRecord extends Deletable {
	dimensionId: string;
	dimension: 'class' | 'department';
	name: string;
	fullyQualifiedName: string;
	parentId?: string;
	active: boolean;
}

/** A payment term. Not a Stampli feed by default; vendors name theirs in `paymentTerms`. */
export interface TermRecord extends Deletable {
	termId: string;
	name: string;
	/** `STANDARD` (due after days) or `DATE_DRIVEN` (due on a day of the month). */
	type?: string;
	dueDays?: number;
	discountDays?: number;
	discountPercent?: string;
	dayOfMonthDue?: number;
	active: boolean;
}

/** An open (or, in incremental reads, closed or deleted) purchase order with its lines. */
export type QboPurchaseOrderRecord = Omit<PurchaseOrder, 'vendorId' | 'vendorName'> &
	Deletable & { vendorId?: string; vendorName?: string };

export type QboMasterDataRecord =
	QboVendorRecord | QboGlAccountRecord | DimensionRecord | TermRecord | QboPurchaseOrderRecord;

export type QboReadMode = 'full' | 'incremental';

/**
 * Where the last read stopped: the server's time of the read's first answer (QuickBooks' own
 * clock, with the company's offset), less the overlap. The next incremental read asks change data
 * capture for everything changed since then.
 */
export interface QboMasterDataCursor {
	version: 1;
	system: 'quickbooks';
	resource: QboMasterDataResource;
	/** `changedSince` for the next read, e.g. `2026-11-30T04:12:00-07:00`. */
	changedSince: string;
	/** When the read that produced it finished (ISO, for people reading static data). */
	savedAt: string;
}

export interface QboMasterDataReadOptions {
	resource: QboMasterDataResource;
	mode: QboReadMode;
	/** The committed cursor (incremental); absent → a full read that produces one. */
	cursor?: QboMasterDataCursor;
	/** Include inactive records (as `active: false`). Default: on for incremental, off for full. */
	includeInactive?: boolean;
	/** Records per query page (STARTPOSITION / MAXRESULTS). Default and maximum 1000. */
	pageSize?: number;
	/** Seconds subtracted from the server's time for the next `changedSince`. Default 60. */
	overlapSeconds?: number;
	/** Now, for the 30-day look-back check (tests). */
	now?: () => Date;
}

export interface QboMasterDataStats {
	records: number;
	inactive: number;
	deleted: number;
	/** Query pages read (full reads, and incremental reads that outgrew one change-data-capture answer). */
	pages: number;
	/** Change-data-capture requests. */
	cdcRequests: number;
	/** Why an incremental read became a full one, if it did. */
	fullReadBecause?: 'no cursor' | 'cursor older than 30 days';
	/** Set when one change-data-capture answer held the 1,000-object maximum and a query read the rest. */
	cdcOverflow?: boolean;
}
