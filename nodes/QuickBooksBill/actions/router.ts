import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { route } from '../../common/router';
import * as syncVendors from './syncVendors/execute';
import * as upsertBills from './upsertBills/execute';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route(this, { upsertBills, syncVendors });
}
