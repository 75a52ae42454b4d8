import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { summariesOf } from './summaries';

/** Audit rows in → one summary per period (counts, amounts per currency, exceptions, daily series, digest). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const run = summariesOf(this);
	const paired = this.getInputData().map((_, item) => ({ item }));
	return [
		run.summaries.map((summary) => ({
			json: { ...(summary as unknown as IDataObject), rowsIgnored: run.ignored },
			pairedItem: paired,
		})),
	];
}
