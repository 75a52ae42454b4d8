/**
 * Canonical records: the JSON contract between the package's nodes.
 * Any n8n node may sit between ours, so these are plain JSON: money, quantities and rates
 * are decimal strings ("1234.50"), dates ISO `YYYY-MM-DD`, instants ISO-8601 UTC.
 */

/** A decimal number as a string, e.g. "1234.50" or "-3". Never a JS float. */
export type DecimalString = string;
/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;
/** An instant, ISO-8601 in UTC, e.g. `2026-11-20T10:00:00.000Z`. */
export type IsoInstant = string;

export type DocumentType = 'bill' | 'credit';

/** Where a record came from: enough to find the exact bytes and rows again. */
export interface SourceRef {
	/** Remote path of the file as listed on the SFTP server. */
	file: string;
	/** Hex SHA-256 of the file's bytes. */
	sha256: string;
	format: 'csv' | 'xml';
	/** Template name and version, e.g. `invoice-export@1`. */
	template: string;
	/** 1-based data row numbers (CSV, header excluded) or element indexes (XML) the record was built from. */
	rows: number[];
	/** Set by the SFTP trigger when it emitted the file in batches: which part of the file this record came with. */
	batch?: SourceBatch;
}

/** One batch of a file emitted in several executions. */
export interface SourceBatch {
	/** 1-based, of `count`. */
	index: number;
	count: number;
	/** 1-based positions of the batch's first and last entries (records and invalid-record reports) in the file. */
	firstItem: number;
	lastItem: number;
	/** The whole file: entries, valid records, invalid records. */
	fileItems: number;
	fileRecords: number;
	fileInvalid: number;
}

export interface Address {
	line1?: string;
	line2?: string;
	city?: string;
	region?: string;
	postalCode?: string;
	country?: string;
}

export interface VendorRef {
	stampliVendorId: string;
	name: string;
	taxId?: string;
	address?: Address;
	/** Set when the ERP vendor is already known (from the export or a mapping). */
	erpVendorId?: string;
}

/** Free-form accounting dimensions; the well-known ones are named. */
export interface Dimensions {
	department?: string;
	class?: string;
	location?: string;
	project?: string;
	[custom: string]: string | undefined;
}

export interface InvoiceLine {
	lineNumber: number;
	description: string;
	quantity: DecimalString;
	unitPrice: DecimalString;
	amount: DecimalString;
	/** The GL code as coded in Stampli. */
	glAccount: string;
	dimensions: Dimensions;
	poLine?: string;
	taxCode?: string;
}

export interface Invoice {
	stampliInvoiceId: string;
	invoiceNumber: string;
	documentType: DocumentType;
	vendor: VendorRef;
	invoiceDate: IsoDate;
	dueDate?: IsoDate;
	/** ISO 4217 code. */
	currency: string;
	total: DecimalString;
	taxTotal?: DecimalString;
	poNumber?: string;
	approvedAt?: IsoInstant;
	lines: InvoiceLine[];
	source: SourceRef;
	/** Added by the GL Mapper. */
	mapping?: InvoiceMapping;
	/** Added by an ERP node. */
	erp?: ErpResult;
}

export interface Payment {
	stampliPaymentId: string;
	stampliInvoiceId: string;
	invoiceNumber: string;
	vendor: VendorRef;
	paymentDate: IsoDate;
	amount: DecimalString;
	currency: string;
	method?: string;
	reference?: string;
	source: SourceRef;
	erp?: ErpResult;
}

/** Vendor master record, for feeds (ERP → Stampli) and vendor exports (Stampli → QBO). */
export interface Vendor {
	/** The ERP's id when the record comes from the ERP; Stampli's vendor id in a Stampli export. */
	vendorId: string;
	name: string;
	taxId?: string;
	email?: string;
	phone?: string;
	address?: Address;
	currency?: string;
	paymentTerms?: string;
	active: boolean;
	/** Present on Stampli vendor exports. */
	stampliVendorId?: string;
	source?: SourceRef;
	erp?: ErpResult;
}

export interface PurchaseOrderLine {
	lineId: string;
	lineNumber: number;
	description: string;
	quantity: DecimalString;
	quantityReceived?: DecimalString;
	quantityBilled?: DecimalString;
	unitPrice: DecimalString;
	amount: DecimalString;
	glAccount?: string;
	productCode?: string;
}

export interface PurchaseOrder {
	poId: string;
	poNumber: string;
	vendorId: string;
	vendorName: string;
	orderDate: IsoDate;
	currency: string;
	total: DecimalString;
	status: string;
	lines: PurchaseOrderLine[];
}

export interface GlAccount {
	accountId: string;
	code: string;
	name: string;
	/** Normalised type, e.g. `expense`, `liability_payable` (Odoo's `account_type` vocabulary). */
	type: string;
	active: boolean;
	companyIds?: string[];
}

/**
 * Each ERP's target for a mapped line, under its system name. Each ERP folder adds its own entry
 * with `declare module`, e.g. `odoo?: { accountId?: number; … }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LineTargets {}

/** One line's mapping target, as decided by the GL Mapper: the target ERP's entry and the rule. */
export type LineMapping = LineTargets & {
	lineNumber: number;
	/** Which rule produced this mapping, and why it matched. */
	rule: { id: string; reason: string };
};

export interface InvoiceMapping {
	/** The ERP the lines were mapped for (its system name). */
	target: string;
	vendor?: { erpVendorId: string; method: string };
	lines: LineMapping[];
	/** Set only when the GL Mapper split an invoice: this item carries just some of the original lines. */
	partial?: {
		part: 'mapped' | 'needsAttention';
		lineNumbers: number[];
		otherLineNumbers: number[];
	};
}

export type ErpAction = 'created' | 'updated' | 'unchanged' | 'skipped';

export interface ErpResult {
	/** The ERP written to (its system name, e.g. `odoo`). */
	system: string;
	id: string | number | null;
	externalId?: string;
	action: ErpAction;
	reason?: string;
	/** Things done differently from what the record asked (e.g. a PO line left unlinked); also in `reason`. */
	warnings?: string[];
	/** The total the ERP itself computed for the written document, decimal string, unsigned (credits too). */
	amountTotal?: string;
	/** The tax the ERP computed, decimal string, unsigned. */
	amountTax?: string;
	/** The document's state in the ERP after the write (Odoo: `draft`, `posted`). */
	state?: string;
	/** The date the ERP booked the document on (Odoo's accounting `date`; a lock date can move it). */
	accountingDate?: string;
	/**
	 * The document was already in the ERP without its idempotency key (an earlier run committed it
	 * but did not finish) and this run recorded the key instead of writing it again.
	 */
	adopted?: boolean;
}
