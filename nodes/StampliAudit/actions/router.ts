import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { route } from '../../common/router';
import * as buildRows from './buildRows/execute';
import * as findInvoice from './findInvoice/execute';
import * as buildReport from './period/buildReport';
import * as summarisePeriod from './period/summarisePeriod';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route(this, { buildRows, findInvoice, summarisePeriod, buildReport });
}
