/** Odoo behind the ERP seam: its mapping target, directories, writer and error description. */
import type { ErpModule, ErpRecordKind, ErpWriter, VendorInput } from '../erp';
import { INVOICE_DUPLICATES, PAYMENT_DUPLICATES, writeOncePerRecord } from '../erp';
import type { Invoice, Payment } from '../records/types';
import { upsertBills, type BillUpsertOptions } from './bills';
import type { OdooClient } from './client';
import { OdooAccountDirectory, OdooVendorDirectory } from './directories';
import { OdooError } from './errors';
import { externalName, fullExternalId } from './externalIds';
import { odooMappingTarget } from './mappingTarget';
import { registerPayments, type PaymentRegisterOptions } from './payments';

function stampliId(kind: ErpRecordKind, record: Invoice | Payment | VendorInput): string {
	const id =
		kind === 'invoice'
			? (record as Invoice).stampliInvoiceId
			: kind === 'payment'
				? (record as Payment).stampliPaymentId
				: (record as VendorInput).stampliVendorId;
	if (!id) throw new Error(`An Odoo external id needs the Stampli ${kind} id`);
	return id;
}

export type OdooWriter = ErpWriter<BillUpsertOptions, PaymentRegisterOptions> &
	Required<Pick<ErpWriter<BillUpsertOptions, PaymentRegisterOptions>, 'registerPayments'>>;

/** Bills, credits and payments; the idempotency key is the `ir.model.data` external id `stampli.<kind>_<id>`. */
export function odooWriter(client: OdooClient): OdooWriter {
	return {
		system: 'odoo',
		idempotencyKey: (kind, record) => fullExternalId(externalName(kind, stampliId(kind, record))),
		// The same record twice in a batch: the seam's one rule, before Odoo sees the batch.
		upsertBills: (invoices, options) =>
			writeOncePerRecord(invoices, INVOICE_DUPLICATES, (unique) =>
				upsertBills(client, unique, options),
			),
		registerPayments: (payments, options) =>
			writeOncePerRecord(payments, PAYMENT_DUPLICATES, (unique) =>
				registerPayments(client, unique, options),
			),
	};
}

export const odooErp: ErpModule<OdooClient> = {
	system: 'odoo',
	label: 'Odoo',
	mappingTarget: odooMappingTarget,
	ui: {
		targetName: 'Odoo',
		accountLookup: 'Look codes up live in Odoo; needs the Odoo credential',
		vendorLookup:
			'Also look vendors up live in Odoo (external ID, VAT, normalised name); needs the Odoo credential',
	},
	directories: (client) => ({
		vendors: new OdooVendorDirectory(client),
		accounts: new OdooAccountDirectory(client),
	}),
	writer: odooWriter,
	describeError: (error) =>
		error instanceof OdooError
			? {
					details: error.toJSON(),
					description: error.operation ? `Odoo call ${error.operation} (${error.kind})` : undefined,
				}
			: undefined,
};
