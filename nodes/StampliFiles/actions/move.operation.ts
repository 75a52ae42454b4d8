import type { INodeProperties } from 'n8n-workflow';
import { show, type Operation } from './common';

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

export const execute: Operation = async function (i, { session }) {
	const from = this.getNodeParameter('path', i) as string;
	const toDir = (this.getNodeParameter('toDir', i) as string).trim();
	await session.mkdirp(toDir);
	return [{ json: { from, to: await session.move(from, toDir) } }];
};
