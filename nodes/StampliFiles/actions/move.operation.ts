import type { INodeProperties } from 'n8n-workflow';
import { assertInsideDirs } from '../../shared/sftp';
import { allowedDirs, show, type Operation } from './common';

export const description: INodeProperties[] = [
	{
		displayName: 'Destination Directory',
		name: 'toDir',
		type: 'string',
		default: '',
		required: true,
		placeholder: '/outbound/archive',
		description:
			'Created if missing; the file keeps its name and replaces a file of the same name there',
		displayOptions: show('move'),
	},
];

export const execute: Operation = async function (i, { session, config }) {
	const from = this.getNodeParameter('path', i) as string;
	const toDir = (this.getNodeParameter('toDir', i) as string).trim();
	const dirs = allowedDirs.call(this, i, config);
	await assertInsideDirs(session, from, dirs);
	await assertInsideDirs(session, toDir, dirs, { mayNotExist: true });
	await session.mkdirp(toDir);
	await assertInsideDirs(session, toDir, dirs);
	return [{ json: { from, to: await session.move(from, toDir) } }];
};
