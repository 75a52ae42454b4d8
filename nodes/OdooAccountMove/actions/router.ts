import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { route } from '../../common/router';
import * as registerPayments from './registerPayments/execute';
import * as upsertVendorBills from './upsertVendorBills/execute';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route(this, { upsertVendorBills, registerPayments });
}
