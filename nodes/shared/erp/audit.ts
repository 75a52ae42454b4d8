/**
 * The audit record every ERP node puts on its items (`audit`), so a user can route it to any store:
 * what was written where, from which file, rows and hash, with the ERP id and action or the reason
 * it failed. Built from the canonical record and the outcome only, so no credential can reach it.
 */
import type { ErpResult } from '../records/types';

export interface AuditRecord {
	at: string;
	/** `<system>.<record>`, e.g. `odoo.bill`, `quickbooks.vendor`. */
	what: string;
	stampliId: string;
	file?: string;
	sha256?: string;
	rows?: number[];
	erpId: string | number | null;
	externalId?: string;
	action: ErpResult['action'] | 'failed';
	reason?: string;
}

export function auditRecord(
	what: AuditRecord['what'],
	stampliId: string,
	source: { file?: string; sha256?: string; rows?: number[] } | undefined,
	erp: ErpResult | undefined,
	failureReason?: string,
): AuditRecord {
	return {
		at: new Date().toISOString(),
		what,
		stampliId,
		file: source?.file,
		sha256: source?.sha256,
		rows: source?.rows,
		erpId: erp?.id ?? null,
		externalId: erp?.externalId,
		action: erp?.action ?? 'failed',
		...(failureReason ? { reason: failureReason } : erp?.reason ? { reason: erp.reason } : {}),
	};
}
