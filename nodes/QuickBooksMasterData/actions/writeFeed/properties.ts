import type { INodeProperties } from 'n8n-workflow';

import { feedFileProperties } from '../../../common/feedProperties';

export const WRITE_FEED = 'writeFeed';

/** The feed file's parameters, shown when the output is the feed. */
export const properties: INodeProperties[] = feedFileProperties({ output: [WRITE_FEED] });
