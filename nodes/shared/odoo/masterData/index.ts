/** Master data from Odoo for the Stampli feeds: paged, full or incremental, mapped to canonical records. */
export * from './types';
export {
	readMasterData,
	MasterDataReader,
	DEFAULT_OVERLAP_SECONDS,
	DEFAULT_PO_STATES,
} from './reader';
export { CursorTracker, readCursor, fingerprintOf } from './cursor';
export {
	mapVendor,
	mapPurchaseOrder,
	mapGlAccount,
	mapAnalyticAccount,
	normaliseAccountType,
	accountFieldChoice,
} from './mapping';
export { odooNumber, odooDateInZone, parseDomainOption } from './convert';
export { bulkReadClient } from './bulkClient';
