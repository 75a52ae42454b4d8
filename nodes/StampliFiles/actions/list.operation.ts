import type { INodeProperties } from 'n8n-workflow';
import { show, type Operation } from './common';

export const description: INodeProperties[] = [
	{
		displayName: 'Directory',
		name: 'directory',
		type: 'string',
		default: '',
		placeholder: '/outbound',
		description: "Empty uses the credential's outbound directory",
		displayOptions: show('list'),
	},
];

export const execute: Operation = async function (i, { session, config }) {
	const dir = (this.getNodeParameter('directory', i, '') as string).trim() || config.outboundDir;
	const files = await session.list(dir, this.getNodeParameter('pattern', i, '*') as string);
	return files.map((file) => ({ json: { ...file, mtime: new Date(file.mtimeMs).toISOString() } }));
};
