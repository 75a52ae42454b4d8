/**
 * The seam every ERP plugs into. An ERP is a folder (beside odoo/ and quickbooks/) that exports
 * one `ErpModule`, registered in ../erps.ts: its mapping target for the GL Mapper, its directories
 * (vendor and account lookups shared by the GL Mapper and the writers), its writer, and how its own
 * errors are described. Nothing outside that folder names the ERP.
 */
import type { Address, Invoice, Payment } from '../records/types';
import type { AccountDirectory } from './accounts';
import type { MappingTarget } from './mappingTarget';
import type { ErpOutcome } from './outcome';
import type { VendorDirectory } from './vendors';

/** What both a canonical `Vendor` and an invoice's `VendorRef` carry, for a vendor sync. */
export interface VendorInput {
	name: string;
	stampliVendorId?: string;
	taxId?: string;
	address?: Address;
	email?: string;
	phone?: string;
	active?: boolean;
}

export interface ErpDirectories {
	vendors: VendorDirectory;
	accounts: AccountDirectory;
}

export interface DirectoryHints {
	/** Vendor names as they appear on the invoices of this execution (for ERPs that match whole names only). */
	vendorNames?: string[];
}

export type ErpRecordKind = 'invoice' | 'payment' | 'vendor';

/**
 * Writes canonical records to one ERP. Each method returns one outcome per record, in input order,
 * and never throws for a problem of one record; it throws only when the ERP cannot be used at all
 * (unreachable, wrong credential), since then no record can succeed.
 */
export interface ErpWriter<
	BillOptions = unknown,
	PaymentOptions = unknown,
	VendorOptions = unknown,
> {
	readonly system: string;
	/** The key under which the ERP remembers a Stampli record, so a re-run finds it instead of writing it twice. */
	idempotencyKey(kind: ErpRecordKind, record: Invoice | Payment | VendorInput): string;
	/** Creates or updates one document (bill or credit) per approved invoice. */
	upsertBills(invoices: Invoice[], options?: BillOptions): Promise<ErpOutcome[]>;
	/** Registers each payment on the document imported for its invoice. */
	registerPayments?(payments: Payment[], options?: PaymentOptions): Promise<ErpOutcome[]>;
	/** Makes the ERP hold each vendor: found, created or updated. */
	syncVendors?(vendors: VendorInput[], options?: VendorOptions): Promise<ErpOutcome[]>;
}

/** How an ERP's own error is shown to a user (n8n's NodeApiError carries `details`). */
export interface ErpErrorDescription {
	details: Record<string, unknown>;
	description?: string;
}

export interface ErpModule<Client = unknown> {
	/** The name records carry (`mapping.target`, `erp.system`) and the rule table's target key. */
	readonly system: string;
	/** For people: "Odoo", "QuickBooks". */
	readonly label: string;
	readonly mappingTarget: MappingTarget;
	/** The GL Mapper's wording: the target's option name, and what a live lookup in this ERP does. */
	readonly ui: { targetName: string; accountLookup: string; vendorLookup: string };
	directories(client: Client, hints?: DirectoryHints): ErpDirectories;
	writer(client: Client): ErpWriter;
	/** Undefined for errors that are not this ERP's. */
	describeError(error: unknown): ErpErrorDescription | undefined;
}
