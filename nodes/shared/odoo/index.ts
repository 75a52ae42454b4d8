/** Odoo: client, transports, typed faults, version-aware fields, bill and payment upserts. */
export * from './errors';
export * from './values';
export { createOdooClient, iterateSearchRead, clearOdooClientCaches } from './client';
export type {
	OdooClient,
	OdooClientConfig,
	OdooClientOptions,
	OdooServerVersion,
	SearchReadOptions,
} from './client';
export type { OdooProtocol } from './transport';
export * from './fields';
export {
	upsertVendorBills,
	validateInvoice,
	InvoiceInputError,
	BillTotalMismatchError,
} from './bills';
export { checkBillTotals, expectedTotals, currencyScale, odooMoney, TOTAL_FIELDS } from './totals';
export type { TotalCheck, TotalMismatchPolicy } from './totals';
export type { BillUpsertOptions, BillOutcome, BillAttachment, PostedBillPolicy } from './bills';
export { readPoLines, resolvePoLines, poLineLookupDomain, indexPoLines } from './purchaseLines';
export type {
	PoLineNotFoundPolicy,
	PoLineIndex,
	PoLineResolution,
	PoOrder,
	PoLine,
} from './purchaseLines';
export { registerPayments, validatePayment } from './payments';
export type { PaymentRegisterOptions, PaymentOutcome } from './payments';
export { externalName, fullExternalId, EXTERNAL_ID_MODULE } from './externalIds';
export { auditRecord, billNoteHtml, type AuditRecord } from './audit';
export {
	runIsolated,
	createIsolated,
	callIsolated,
	isNoneMarshalFault,
	type Isolated,
} from './batch';
export {
	odooConfigFromCredential,
	testOdooConnection,
	type OdooConnectionTestResult,
} from './connection';
