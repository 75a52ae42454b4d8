/** Odoo: client, transports, typed faults, version-aware fields, directories, bill and payment writers. */
export * from './errors';
export * from './values';
export * from './http';
export { createOdooClient, iterateSearchRead, clearOdooClientCaches } from './client';
export type {
	OdooClient,
	OdooClientConfig,
	OdooClientOptions,
	OdooServerVersion,
	SearchReadOptions,
} from './client';
export type { OdooProtocol } from './transport';
export * from './accountFields';
export { upsertBills, BillTotalMismatchError } from './bills';
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
export { registerPayments } from './payments';
export type { PaymentRegisterOptions, PaymentOutcome } from './payments';
export { externalName, fullExternalId, EXTERNAL_ID_MODULE } from './externalIds';
export { billNoteHtml, paymentNoteHtml } from './audit';
export {
	runIsolated,
	createIsolated,
	callIsolated,
	isNoneMarshalFault,
	type Isolated,
} from './faultIsolation';
export {
	odooConfigFromCredential,
	testOdooConnection,
	type OdooConnectionTestResult,
} from './connection';
export {
	OdooAccountDirectory,
	OdooVendorDirectory,
	nameCandidateWord,
	taxIdPattern,
	type OdooVendorDirectoryOptions,
} from './directories';
export * from './mappingTarget';
export { odooErp, odooWriter, type OdooWriter } from './erp';
export {
	pickOdooAccounts,
	pickOdooAnalyticAccounts,
	pickOdooJournals,
	pickOdooTaxes,
	odooRecordUrl,
	type OdooJournalUse,
} from './pickers';
