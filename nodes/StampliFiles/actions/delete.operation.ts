import type { INodeProperties } from 'n8n-workflow';
import { assertInsideDirs } from '../../shared/sftp';
import { allowedDirs, type Operation } from './common';

/** Only the shared File Path parameter. */
export const description: INodeProperties[] = [];

export const execute: Operation = async function (i, { session, config }) {
	const path = this.getNodeParameter('path', i) as string;
	await assertInsideDirs(session, path, allowedDirs.call(this, i, config));
	await session.delete(path);
	return [{ json: { deleted: path } }];
};
