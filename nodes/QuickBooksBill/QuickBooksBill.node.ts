import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import type { Invoice, Vendor } from '../shared/records';
import {
	QboClient,
	syncVendors,
	upsertBills,
	type BillOutcome,
	type VendorInput,
	type VendorOutcome,
} from '../shared/quickbooks';
import { n8nTransport, QBO_CREDENTIAL, readConnection } from './transport';

/** Approved Stampli invoices → QuickBooks Online Bills / Vendor Credits; Stampli vendors → QuickBooks Vendors. */
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- batch writer of invoice records between nodes; not a meaningful AI-agent tool
export class QuickBooksBill implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'QuickBooks Bill',
		name: 'quickBooksBill',
		icon: { light: 'file:quickBooksBill.svg', dark: 'file:quickBooksBill.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "syncVendors" ? "Sync Vendors" : "Upsert Bills"}}',
		description:
			'Post approved Stampli invoices to QuickBooks Online as Bills and keep vendors in sync',
		defaults: { name: 'QuickBooks Bill' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: QBO_CREDENTIAL, required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Upsert Bills',
						value: 'upsertBills',
						description:
							'Create or update a Bill (credits: a Vendor Credit) per canonical invoice, never twice',
						action: 'Upsert bills',
					},
					{
						name: 'Sync Vendors',
						value: 'syncVendors',
						description:
							'Create or update QuickBooks Vendors from canonical vendor records or invoices',
						action: 'Sync vendors',
					},
				],
				default: 'upsertBills',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: { show: { operation: ['upsertBills'] } },
				options: [
					{
						displayName: 'Create Missing Vendors',
						name: 'createMissingVendors',
						type: 'boolean',
						default: true,
						description:
							'Whether to create a vendor that is not found by name, with the address and tax ID from Stampli',
					},
					{
						displayName: 'Duplicate Name Suffix',
						name: 'duplicateNameSuffix',
						type: 'string',
						default: '',
						placeholder: ' (Vendor)',
						description:
							'When a customer or employee already uses the vendor name, create the vendor as name + this suffix',
					},
					{
						displayName: 'Long Invoice Numbers',
						name: 'longDocNumber',
						type: 'options',
						options: [
							{
								name: 'Shorten With Hash Suffix',
								value: 'shorten',
								description:
									'First 14 characters + "~" + 6 hex of SHA-256; full number kept in the private note',
							},
							{
								name: 'Reject',
								value: 'reject',
								description: 'Fail the invoice with a clear error',
							},
						],
						default: 'shorten',
						description: 'QuickBooks allows 21 characters in a bill number',
					},
					{
						displayName: 'Tax Account ID',
						name: 'taxAccountId',
						type: 'string',
						default: '',
						description:
							'QuickBooks account ID for the invoice tax total, posted as its own line. Invoices with tax are refused without it.',
					},
					{
						displayName: 'Update Existing',
						name: 'updateExisting',
						type: 'boolean',
						default: true,
						description:
							'Whether to update a bill that exists with different content (otherwise it is reported as skipped)',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'vendorOptions',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: { show: { operation: ['syncVendors'] } },
				options: [
					{
						displayName: 'Create Missing',
						name: 'createMissing',
						type: 'boolean',
						default: true,
						description: 'Whether to create vendors that are not found by name',
					},
					{
						displayName: 'Duplicate Name Suffix',
						name: 'duplicateNameSuffix',
						type: 'string',
						default: '',
						placeholder: ' (Vendor)',
						description:
							'When a customer or employee already uses the vendor name, create the vendor as name + this suffix',
					},
					{
						displayName: 'Update Existing',
						name: 'updateExisting',
						type: 'boolean',
						default: true,
						description: 'Whether to update address, tax ID, email and phone when they differ',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const operation = this.getNodeParameter('operation', 0) as string;
		let connection;
		try {
			connection = await readConnection(this);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), (error as Error).message);
		}
		const client = new QboClient({ transport: n8nTransport(this), ...connection });

		let outcomes: Array<BillOutcome | VendorOutcome>;
		if (operation === 'syncVendors') {
			const options = this.getNodeParameter('vendorOptions', 0, {}) as IDataObject;
			const vendors = items.map((item) => toVendorInput(item.json));
			outcomes = await syncVendors(client, vendors, {
				createMissing: options.createMissing as boolean | undefined,
				updateExisting: options.updateExisting as boolean | undefined,
				duplicateNameSuffix: (options.duplicateNameSuffix as string) || undefined,
			});
		} else {
			const options = this.getNodeParameter('options', 0, {}) as IDataObject;
			outcomes = await upsertBills(
				client,
				items.map((item) => item.json as unknown as Invoice),
				{
					createMissingVendors: options.createMissingVendors as boolean | undefined,
					updateExisting: options.updateExisting as boolean | undefined,
					longDocNumber: options.longDocNumber as 'shorten' | 'reject' | undefined,
					taxAccountId: (options.taxAccountId as string) || undefined,
					duplicateNameSuffix: (options.duplicateNameSuffix as string) || undefined,
				},
			);
		}

		const out: INodeExecutionData[] = [];
		outcomes.forEach((outcome, i) => {
			if (outcome.ok) {
				out.push({
					json: { ...items[i].json, erp: { ...outcome.erp } } as IDataObject,
					pairedItem: { item: i },
				});
				return;
			}
			if (!this.continueOnFail()) {
				throw new NodeOperationError(this.getNode(), outcome.error, {
					itemIndex: i,
					description: outcome.code ? `QuickBooks / validation code ${outcome.code}` : undefined,
				});
			}
			out.push({
				json: { ...items[i].json, error: outcome.error, errorCode: outcome.code ?? null },
				pairedItem: { item: i },
			});
		});
		return [out];
	}
}

/** A canonical vendor record, or an invoice whose vendor should be synced. */
function toVendorInput(json: IDataObject): VendorInput {
	const source = (json.stampliInvoiceId !== undefined &&
	json.vendor &&
	typeof json.vendor === 'object'
		? json.vendor
		: json) as unknown as Partial<Vendor>;
	return {
		name: String(source.name ?? ''),
		taxId: source.taxId,
		address: source.address,
		email: source.email,
		phone: source.phone,
		active: source.active,
	};
}
