import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { quickBooksClientOf } from '../../../common/connections';
import { outcomeItems } from '../../../common/outcomes';
import type { VendorInput } from '../../../shared/erp';
import { quickBooksWriter } from '../../../shared/quickbooks';
import type { Vendor } from '../../../shared/records';

/** A canonical vendor record, or an invoice whose vendor should be synced. */
export function vendorOf(json: IDataObject): VendorInput {
	const source = (json.stampliInvoiceId !== undefined &&
	json.vendor &&
	typeof json.vendor === 'object'
		? json.vendor
		: json) as unknown as Partial<Vendor>;
	return {
		name: String(source.name ?? ''),
		stampliVendorId: source.stampliVendorId,
		taxId: source.taxId,
		address: source.address,
		email: source.email,
		phone: source.phone,
		active: source.active,
	};
}

/** Stampli vendors → QuickBooks Vendors, found by name, created or updated. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const options = this.getNodeParameter('vendorOptions', 0, {}) as IDataObject;
	const writer = quickBooksWriter(await quickBooksClientOf(this));
	const vendors = items.map((item) => vendorOf(item.json));
	const outcomes = await writer.syncVendors(vendors, {
		createMissing: options.createMissing as boolean | undefined,
		updateExisting: options.updateExisting as boolean | undefined,
		duplicateNameSuffix: (options.duplicateNameSuffix as string) || undefined,
	});
	return [
		outcomeItems(this, items, outcomes, {
			what: 'quickbooks.vendor',
			stampliId: (json) => vendorOf(json).stampliVendorId ?? json.vendorId ?? vendorOf(json).name,
		}),
	];
}
