import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { odooClientOf } from '../../../common/connections';
import { locatorRecordId } from '../../../common/locators';
import { writeInBatches } from '../../../common/outcomes';
import {
	odooWriter,
	type BillAttachment,
	type BillUpsertOptions,
	type PoLineNotFoundPolicy,
	type PostedBillPolicy,
} from '../../../shared/odoo';
import type { Invoice } from '../../../shared/records/types';

/** The node's options → the bill writer's. */
export function billOptions(options: IDataObject): BillUpsertOptions {
	return {
		journalId: locatorRecordId(options.journalId),
		postedPolicy: (options.postedPolicy as PostedBillPolicy) || 'skip',
		autoPost: options.autoPost as boolean | undefined,
		poLineNotFound: (options.poLineNotFound as PoLineNotFoundPolicy) || 'unlinkAndWarn',
		// Always checked from the node: only Warn or Fail are offered.
		totalMismatch: options.totalMismatch === 'fail' ? 'fail' : 'warn',
		chatterNote: options.chatterNote as boolean | undefined,
		auditFailure: options.auditFailure === 'fail' ? 'fail' : 'warn',
		chunking: { concurrency: Math.max(1, Number(options.concurrency) || 1) },
	};
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

/** Approved invoices → one Odoo vendor bill (credits: a refund) each, in batches of constant cost. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const writer = odooWriter(await odooClientOf(this));
	const upsert = billOptions(options);
	const batchSize = Math.max(1, Number(options.batchSize) || 1000);
	const property = String(options.binaryPropertyName || 'data');
	const out = await writeInBatches(
		this,
		items,
		batchSize,
		async (batch, start) =>
			await writer.upsertBills(
				batch.map((item) => item.json as unknown as Invoice),
				{
					...upsert,
					attachments: options.attachSourceFile
						? await readAttachments(this, batch, start, property)
						: undefined,
				},
			),
		{ what: 'odoo.bill', stampliId: (json) => json.stampliInvoiceId },
	);
	return [out];
}
