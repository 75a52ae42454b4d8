import type { INodeProperties } from 'n8n-workflow';
import type { Operation } from './common';

/** Only the shared File Path parameter. */
export const description: INodeProperties[] = [];

export const execute: Operation = async function (i, { session }) {
	const path = this.getNodeParameter('path', i) as string;
	await session.delete(path);
	return [{ json: { deleted: path } }];
};
