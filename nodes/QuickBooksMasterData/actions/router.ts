import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { route } from '../../common/router';
import * as readItems from './readItems/execute';
import * as writeFeed from './writeFeed/execute';

/** The two outputs are the node's two modes: records as items, or a feed file written directly. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route(this, { items: readItems, writeFeed }, 'output');
}
