/** The bill writer's options, outcomes and the desired state of a bill it works towards. */
import type { ErpOutcome } from '../../erp';
import type { Invoice } from '../../records/types';
import type { ChunkingOptions } from '../chunking';
import type { PoLineNotFoundPolicy } from '../purchaseLines';
import type { TotalMismatchPolicy } from '../totals';

export type PostedBillPolicy = 'skip' | 'resetUpdateRepost';

/** What a chatter note or attachment that Odoo refused does to the item: a warning (default) or a failure. */
export type AuditFailurePolicy = 'warn' | 'fail';

export interface BillAttachment {
	fileName: string;
	mimeType: string;
	/** File content, base64. */
	base64: string;
}

export interface BillUpsertOptions {
	/** Purchase journal; Odoo's default purchase journal when absent. */
	journalId?: number;
	/** What to do with a bill that is already posted and differs: leave it (default) or reset, update, re-post. */
	postedPolicy?: PostedBillPolicy;
	/** Post created and updated bills (`action_post`). */
	autoPost?: boolean;
	/** Write a chatter note on created and updated bills (default true). */
	chatterNote?: boolean;
	/** Source file per invoice (same index), attached to created and updated bills. */
	attachments?: Array<BillAttachment | undefined>;
	/** A chatter note or attachment Odoo refused: `warn` (default) says so on the item, `fail` fails it. */
	auditFailure?: AuditFailurePolicy;
	/**
	 * A line's PO line reference (invoice `poNumber` + line `poLine`) that cannot be honoured: PO or
	 * line not in Odoo, PO of another vendor, PO not confirmed. `unlinkAndWarn` (default) creates the
	 * bill with that line unlinked and says so in `erp.reason`, `erp.warnings` and the chatter note;
	 * `fail` fails the invoice.
	 */
	poLineNotFound?: PoLineNotFoundPolicy;
	/**
	 * Odoo's computed total (taxes included) differs from the Stampli total: `warn` (default) keeps
	 * the bill as written and says so in `erp.reason`, `erp.warnings` and the chatter note; `fail`
	 * fails the invoice and leaves its bill in draft (never auto-posted) for a person to fix.
	 * `notChecked` skips the read-back: for measuring what the check costs, not offered in the node.
	 */
	totalMismatch?: TotalMismatchPolicy;
	/** How creates and posts are cut into requests (sizes measured as the batch goes). */
	chunking?: ChunkingOptions;
}

export type BillOutcome = ErpOutcome<{ moveName?: string }>;

/** Odoo computed a bill whose total differs from what Stampli approved (policy `fail`). */
export class BillTotalMismatchError extends Error {
	constructor(
		message: string,
		readonly moveId: number,
		readonly amountTotal: string | undefined,
	) {
		super(message);
		this.name = 'BillTotalMismatchError';
	}
}

export interface DesiredLine {
	name: string;
	quantity: string;
	priceUnit: string;
	accountId: number;
	taxIds: number[];
	analytic?: Record<string, number>;
	purchaseLineId?: number;
}

export interface BillHeader {
	move_type: 'in_invoice' | 'in_refund';
	partner_id: number;
	ref: string;
	invoice_date: string;
	invoice_date_due?: string;
	currency_id: number;
	journal_id?: number;
}

/** What the bill of one invoice must look like in Odoo. */
export interface DesiredBill {
	/** The invoice's position in the batch. */
	index: number;
	invoice: Invoice;
	/** Our `ir.model.data` name for it (module `stampli`). */
	externalName: string;
	header: BillHeader;
	lines: DesiredLine[];
	/** Per line, the PO line it is linked to, in words (chatter note). */
	poLinks: Array<string | undefined>;
	/** PO references not honoured, and other things the user should know; reported on every run. */
	warnings: string[];
	/** The vendor was found by VAT or ref: remember it under an external id for next time. */
	newVendorXmlId?: { name: string; partnerId: number };
}
