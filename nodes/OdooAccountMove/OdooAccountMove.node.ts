import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type JsonObject,
} from 'n8n-workflow';

import type { Invoice, Payment } from '../shared/records/types';
import {
	OdooError,
	auditRecord,
	createOdooClient,
	odooConfigFromCredential,
	registerPayments,
	upsertVendorBills,
	type BillAttachment,
	type BillOutcome,
	type OdooClient,
	type PaymentOutcome,
	type PoLineNotFoundPolicy,
	type PostedBillPolicy,
	type TotalMismatchPolicy,
} from '../shared/odoo';
import { stampliOdooConnectionTest } from '../credentialTests';

const CREDENTIAL = 'stampliOdooApi';

/** Approved Stampli invoices → Odoo vendor bills and credits; Stampli payments → payments on those bills. */
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- batch writer of accounting records between nodes; not a meaningful AI-agent tool
export class OdooAccountMove implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Odoo Account Move',
		name: 'odooAccountMove',
		icon: { light: 'file:odooAccountMove.svg', dark: 'file:odooAccountMove.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle:
			'={{$parameter["operation"] === "registerPayments" ? "Register Payments" : "Upsert Vendor Bills"}}',
		description:
			'Create or update Odoo vendor bills from approved Stampli invoices, and register Stampli payments on them',
		defaults: { name: 'Odoo Account Move' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL, required: true, testedBy: 'stampliOdooConnectionTest' }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Upsert Vendor Bills',
						value: 'upsertVendorBills',
						description:
							'Create or update one vendor bill (credits: a refund) per canonical invoice, never twice',
						action: 'Upsert vendor bills',
					},
					{
						name: 'Register Payments',
						value: 'registerPayments',
						description:
							'Register each canonical payment on the bill imported for its Stampli invoice, never twice',
						action: 'Register payments',
					},
				],
				default: 'upsertVendorBills',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: { show: { operation: ['upsertVendorBills'] } },
				options: [
					{
						displayName: 'Attach Source File',
						name: 'attachSourceFile',
						type: 'boolean',
						default: false,
						description:
							'Whether to attach the file in the binary property below to each created or updated bill',
					},
					{
						displayName: 'Auto-Post',
						name: 'autoPost',
						type: 'boolean',
						default: false,
						description:
							'Whether to post (confirm) created and updated bills; otherwise they stay in draft for review',
					},
					{
						displayName: 'Batch Size',
						name: 'batchSize',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 5000 },
						default: 1000,
						description:
							'Invoices written per batch; each batch costs a constant number of calls to Odoo',
					},
					{
						displayName: 'Binary Property',
						name: 'binaryPropertyName',
						type: 'string',
						default: 'data',
						description: 'Binary property holding the Stampli source file, when attaching it',
					},
					{
						displayName: 'Chatter Note',
						name: 'chatterNote',
						type: 'boolean',
						default: true,
						description:
							'Whether to write a note on each bill naming the Stampli invoice, source file, SHA-256 and GL mapping rules',
					},
					{
						displayName: 'Journal ID',
						name: 'journalId',
						type: 'number',
						default: 0,
						description:
							"ID of the purchase journal for the bills. 0 = Odoo's default purchase journal.",
					},
					{
						displayName: 'PO Line Not Found',
						name: 'poLineNotFound',
						type: 'options',
						options: [
							{
								name: 'Unlink and Warn',
								value: 'unlinkAndWarn',
								description:
									'Create the bill; the line goes without PO link, and the reason is in erp.reason and the chatter note',
							},
							{
								name: 'Fail the Invoice',
								value: 'fail',
								description: 'Do not write the bill; the item fails with the reason',
							},
						],
						default: 'unlinkAndWarn',
						description:
							"What to do when an invoice line's PO line (invoice PO number + line PO line) is not in Odoo, belongs to another vendor's PO, or the PO is not confirmed",
					},
					{
						displayName: 'Posted Bill Policy',
						name: 'postedPolicy',
						type: 'options',
						options: [
							{
								name: 'Skip',
								value: 'skip',
								description: 'Leave a posted bill as it is and report it as skipped: posted',
							},
							{
								name: 'Reset, Update, Re-Post',
								value: 'resetUpdateRepost',
								description: 'Reset an unpaid posted bill to draft, update it and post it again',
							},
						],
						default: 'skip',
						description: 'What to do when the invoice changed but its Odoo bill is already posted',
					},
					{
						displayName: 'Total Mismatch',
						name: 'totalMismatch',
						type: 'options',
						options: [
							{
								name: 'Warn',
								value: 'warn',
								description:
									"Keep the bill as written; Odoo's and Stampli's totals are in erp.reason, erp.warnings and the chatter note",
							},
							{
								name: 'Fail the Invoice',
								value: 'fail',
								description:
									'The item fails naming both totals; the bill stays in Odoo as a draft (never auto-posted) for a person to fix',
							},
						],
						default: 'warn',
						description:
							"What to do when the total Odoo computed for a bill (taxes included, read back after writing) differs from the total Stampli approved, e.g. a GL rule that carries no tax. Odoo's total is in erp.amountTotal either way.",
					},
				],
			},
			{
				displayName: 'Options',
				name: 'paymentOptions',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: { show: { operation: ['registerPayments'] } },
				options: [
					{
						displayName: 'Batch Size',
						name: 'batchSize',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 5000 },
						default: 1000,
						description: 'Payments looked up per batch',
					},
					{
						displayName: 'Chatter Note',
						name: 'chatterNote',
						type: 'boolean',
						default: true,
						description:
							'Whether to write a note on the bill naming the Stampli payment and source file',
					},
					{
						displayName: 'Journal ID',
						name: 'journalId',
						type: 'number',
						default: 0,
						description: "ID of the bank or cash journal to pay from. 0 = Odoo's default.",
					},
				],
			},
		],
	};

	methods = { credentialTest: { stampliOdooConnectionTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const operation = this.getNodeParameter('operation', 0) as string;
		const options = this.getNodeParameter(
			operation === 'registerPayments' ? 'paymentOptions' : 'options',
			0,
			{},
		) as IDataObject;
		let client: OdooClient;
		try {
			client = createOdooClient(
				odooConfigFromCredential(
					(await this.getCredentials(CREDENTIAL)) as Record<string, unknown>,
				),
			);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), (error as Error).message);
		}
		const batchSize = Math.max(1, Number(options.batchSize) || 1000);
		const journalId = Number(options.journalId) > 0 ? Number(options.journalId) : undefined;
		const out: INodeExecutionData[] = [];

		for (let start = 0; start < items.length; start += batchSize) {
			const batch = items.slice(start, start + batchSize);
			let outcomes: Array<BillOutcome | PaymentOutcome>;
			try {
				if (operation === 'registerPayments') {
					outcomes = await registerPayments(
						client,
						batch.map((item) => item.json as unknown as Payment),
						{ journalId, chatterNote: options.chatterNote as boolean | undefined },
					);
				} else {
					const attachments = options.attachSourceFile
						? await readAttachments(
								this,
								batch,
								start,
								String(options.binaryPropertyName || 'data'),
							)
						: undefined;
					outcomes = await upsertVendorBills(
						client,
						batch.map((item) => item.json as unknown as Invoice),
						{
							journalId,
							postedPolicy: (options.postedPolicy as PostedBillPolicy) || 'skip',
							autoPost: options.autoPost as boolean | undefined,
							poLineNotFound: (options.poLineNotFound as PoLineNotFoundPolicy) || 'unlinkAndWarn',
							// Always checked from the node: only Warn or Fail are offered.
							totalMismatch:
								options.totalMismatch === 'fail' ? 'fail' : ('warn' satisfies TotalMismatchPolicy),
							chatterNote: options.chatterNote as boolean | undefined,
							attachments,
						},
					);
				}
			} catch (error) {
				// Odoo unusable for the whole batch (unreachable, wrong key): every item of it failed.
				const failure = {
					ok: false as const,
					error: error as Error,
					reason: (error as Error).message,
				};
				outcomes = batch.map(() => failure);
			}
			outcomes.forEach((outcome, k) => {
				const index = start + k;
				const json = items[index].json;
				const what = operation === 'registerPayments' ? 'odoo.payment' : 'odoo.bill';
				const stampliId = String(
					(operation === 'registerPayments' ? json.stampliPaymentId : json.stampliInvoiceId) ?? '',
				);
				const source = json.source as
					{ file?: string; sha256?: string; rows?: number[] } | undefined;
				if (outcome.ok) {
					out.push({
						json: {
							...json,
							erp: { ...outcome.erp },
							audit: { ...auditRecord(what, stampliId, source, outcome.erp) },
						} as IDataObject,
						pairedItem: { item: index },
					});
					return;
				}
				if (!this.continueOnFail()) throw nodeError(this, outcome.error, index);
				out.push({
					json: {
						...json,
						error: outcome.reason,
						audit: { ...auditRecord(what, stampliId, source, undefined, outcome.reason) },
					} as IDataObject,
					pairedItem: { item: index },
				});
			});
		}
		return [out];
	}
}

/** Source files from a binary property, base64, aligned with the batch. */
async function readAttachments(
	ctx: IExecuteFunctions,
	batch: INodeExecutionData[],
	start: number,
	property: string,
): Promise<Array<BillAttachment | undefined>> {
	return await Promise.all(
		batch.map(async (item, k) => {
			const binary = item.binary?.[property];
			if (!binary) return undefined;
			const buffer = await ctx.helpers.getBinaryDataBuffer(start + k, property);
			return {
				fileName: binary.fileName ?? 'stampli-source',
				mimeType: binary.mimeType || 'application/octet-stream',
				base64: buffer.toString('base64'),
			};
		}),
	);
}

/** Odoo's refusals become NodeApiError (with Odoo's message, never the key); bad input NodeOperationError. */
function nodeError(ctx: IExecuteFunctions, error: Error, itemIndex: number): Error {
	if (error instanceof OdooError) {
		return new NodeApiError(ctx.getNode(), error.toJSON() as JsonObject, {
			message: error.message,
			description: error.operation ? `Odoo call ${error.operation} (${error.kind})` : undefined,
			itemIndex,
		});
	}
	return new NodeOperationError(ctx.getNode(), error.message, { itemIndex });
}
