/** QuickBooks Online behind the ERP seam: its mapping target, directories, writer and error description. */
import type { ErpModule, ErpWriter, VendorInput } from '../erp';
import { INVOICE_DUPLICATES, normaliseVendorName, writeOncePerRecord } from '../erp';
import type { Invoice } from '../records/types';
import { qboDocNumber, upsertBills, type UpsertBillsOptions } from './bills';
import type { QboClient } from './client';
import { QuickBooksVendorDirectory } from './directories';
import { QuickBooksChartDirectory } from './masterData/targets';
import { QboError } from './errors';
import { quickBooksMappingTarget } from './mappingTarget';
import { syncVendors, type VendorSyncOptions } from './vendors';

export type QuickBooksWriter = ErpWriter<UpsertBillsOptions, never, VendorSyncOptions> &
	Required<Pick<ErpWriter<UpsertBillsOptions, never, VendorSyncOptions>, 'syncVendors'>>;

/**
 * Bills, vendor credits and vendors. QuickBooks has no external-id field: a document is found again
 * by its DocNumber (the invoice number, shortened when longer than 21) and vendor, a vendor by name.
 */
export function quickBooksWriter(client: QboClient): QuickBooksWriter {
	return {
		system: 'quickbooks',
		idempotencyKey: (kind, record) => {
			if (kind === 'invoice') return qboDocNumber(String((record as Invoice).invoiceNumber ?? ''));
			if (kind === 'vendor') return normaliseVendorName((record as VendorInput).name);
			throw new Error('QuickBooks payments are not written by this package');
		},
		upsertBills: (invoices, options) =>
			writeOncePerRecord(invoices, INVOICE_DUPLICATES, (unique) =>
				upsertBills(client, unique, options),
			),
		syncVendors: (vendors, options) => syncVendors(client, vendors, options),
	};
}

export const quickBooksErp: ErpModule<QboClient> = {
	system: 'quickbooks',
	label: 'QuickBooks',
	mappingTarget: quickBooksMappingTarget,
	ui: {
		targetName: 'QuickBooks Online',
		accountLookup:
			'Look account numbers, then names, up live in QuickBooks; needs the QuickBooks credential',
		vendorLookup:
			'Also look vendors up live in QuickBooks by DisplayName; needs the QuickBooks credential',
	},
	directories: (client, hints) => ({
		vendors: new QuickBooksVendorDirectory(client, { nameHints: hints?.vendorNames }),
		// The chart read once through the master-data reader: numbers, "number name", full names, names.
		accounts: new QuickBooksChartDirectory(client),
	}),
	writer: quickBooksWriter,
	describeError: (error) =>
		error instanceof QboError
			? {
					details: {
						name: error.name,
						message: error.message,
						status: error.status,
						faultType: error.faultType,
						code: error.code,
						errors: error.errors,
						...(error.intuitTid ? { intuitTid: error.intuitTid } : {}),
					},
					description: `QuickBooks error code ${error.code}`,
				}
			: undefined,
};
