import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { quickBooksClientOf } from '../../../common/connections';
import { locatorValue } from '../../../common/locators';
import { outcomeItems } from '../../../common/outcomes';
import { quickBooksWriter } from '../../../shared/quickbooks';
import type { Invoice } from '../../../shared/records';

/** Approved invoices → one QuickBooks Bill (credits: a Vendor Credit) each, vendors created when missing. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const writer = quickBooksWriter(await quickBooksClientOf(this));
	const outcomes = await writer.upsertBills(
		items.map((item) => item.json as unknown as Invoice),
		{
			createMissingVendors: options.createMissingVendors as boolean | undefined,
			updateExisting: options.updateExisting as boolean | undefined,
			longDocNumber: options.longDocNumber as 'shorten' | 'reject' | undefined,
			taxAccountId: locatorValue(options.taxAccountId) || undefined,
			duplicateNameSuffix: (options.duplicateNameSuffix as string) || undefined,
		},
	);
	return [
		outcomeItems(this, items, outcomes, {
			what: 'quickbooks.bill',
			stampliId: (json) => json.stampliInvoiceId,
		}),
	];
}
