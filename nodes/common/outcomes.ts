/**
 * ERP outcomes → n8n items, the same for every ERP node: a success keeps the record and adds `erp`
 * and `audit`; a failure throws the node error (see errors.ts), or under "Continue On Fail" keeps
 * the record with `error`, `errorCode` and `audit`. Every item is paired with its input item.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { auditRecord, failed, type ErpOutcome } from '../shared/erp';
import { toNodeError } from './errors';

export interface OutcomeItemsOptions {
	/** The audit record's `what`: `<system>.<record>`, e.g. `odoo.bill`. */
	what: string;
	/** The Stampli id of the record an item carries, for the audit record. */
	stampliId: (json: IDataObject) => unknown;
	/** Index of the first outcome's item in the node's input (batches). */
	start?: number;
}

type Source = { file?: string; sha256?: string; rows?: number[] } | undefined;

export function outcomeItems(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	outcomes: ErpOutcome[],
	options: OutcomeItemsOptions,
): INodeExecutionData[] {
	const start = options.start ?? 0;
	return outcomes.map((outcome, k) => {
		const index = start + k;
		const json = items[index].json;
		const id = String(options.stampliId(json) ?? '');
		const source = json.source as Source;
		if (outcome.ok) {
			const { erp } = outcome;
			return {
				json: {
					...json,
					erp: { ...erp },
					audit: { ...auditRecord(options.what, id, source, erp) },
				} as IDataObject,
				pairedItem: { item: index },
			};
		}
		if (!ctx.continueOnFail())
			throw toNodeError(ctx.getNode(), outcome.error, {
				message: outcome.reason,
				itemIndex: index,
			});
		return {
			json: {
				...json,
				error: outcome.reason,
				errorCode: outcome.code ?? null,
				audit: { ...auditRecord(options.what, id, source, undefined, outcome.reason) },
			} as IDataObject,
			pairedItem: { item: index },
		};
	});
}

/**
 * Writes items batch by batch and turns each batch's outcomes into items before the next batch is
 * written, so without "Continue On Fail" nothing is written after the first failed record's batch.
 * A batch that throws (the ERP unusable for all of it: unreachable, wrong key) fails each record.
 */
export async function writeInBatches(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	batchSize: number,
	write: (batch: INodeExecutionData[], start: number) => Promise<ErpOutcome[]>,
	options: Omit<OutcomeItemsOptions, 'start'>,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	for (let start = 0; start < items.length; start += batchSize) {
		const batch = items.slice(start, start + batchSize);
		let outcomes: ErpOutcome[];
		try {
			outcomes = await write(batch, start);
		} catch (error) {
			const failure = failed(error);
			outcomes = batch.map(() => failure);
		}
		out.push(...outcomeItems(ctx, items, outcomes, { ...options, start }));
	}
	return out;
}
