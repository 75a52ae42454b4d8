import type { INodeProperties } from 'n8n-workflow';
import { replayFiles } from '../../shared/inbox';
import { show, type Operation } from './common';

export const description: INodeProperties[] = [
	{
		displayName: 'Failed Files Directory',
		name: 'fromDir',
		type: 'string',
		default: '',
		required: true,
		placeholder: '/outbound/failed',
		description: "The trigger's Failed Files Directory",
		displayOptions: show('replay'),
	},
	{
		displayName: 'Watched Directory',
		name: 'watchedDir',
		type: 'string',
		default: '',
		placeholder: '/outbound',
		description:
			"The directory the trigger watches; empty uses the credential's outbound directory",
		displayOptions: show('replay'),
	},
	{
		displayName: 'File Names',
		name: 'names',
		type: 'string',
		default: '',
		placeholder: 'invoices-2026-11-20.csv, payments-2026-11-20.csv',
		description: 'Comma-separated names to replay; empty replays every matching file',
		displayOptions: show('replay'),
	},
];

export const execute: Operation = async function (i, { session, config, at }) {
	const names = (this.getNodeParameter('names', i, '') as string)
		.split(',')
		.map((n) => n.trim())
		.filter(Boolean);
	const moved = await replayFiles(session, {
		fromDir: (this.getNodeParameter('fromDir', i) as string).trim(),
		toDir: (this.getNodeParameter('watchedDir', i, '') as string).trim() || config.outboundDir,
		pattern: this.getNodeParameter('pattern', i, '*') as string,
		names,
	});
	return moved.map((m) => ({ json: { replayed: m.name, from: m.from, to: m.to, at } }));
};
