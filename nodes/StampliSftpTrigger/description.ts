/** The Stampli SFTP Trigger's parameters as n8n shows them. */
import type { INodeProperties } from 'n8n-workflow';
import { parsingProperties } from '../common/stampliParsing';

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Directory',
		name: 'directory',
		type: 'string',
		default: '',
		placeholder: '/outbound',
		description: "Directory to watch; empty uses the credential's outbound directory",
	},
	{
		displayName: 'File Name Pattern',
		name: 'pattern',
		type: 'string',
		default: '*.{csv,xml}',
		description:
			'Glob over file names: * any characters, ? one character, {csv,xml} alternatives; case-insensitive',
	},
	{
		displayName: 'Output',
		name: 'outputMode',
		type: 'options',
		options: [
			{
				name: 'One Item per Record',
				value: 'records',
				description:
					'Canonical invoices/payments/vendors, plus one item with "error" per invalid record',
			},
			{
				name: 'One Item per File',
				value: 'file',
				description: 'The raw file as binary data, not parsed',
			},
		],
		default: 'records',
	},
	...parsingProperties.map((p) => ({
		...p,
		displayOptions: { show: { outputMode: ['records'] } },
	})),
	{
		displayName: 'Settle Time (Seconds)',
		name: 'settleSeconds',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 60,
		description:
			'A file whose size or modification time changed within this time is still being written and waits for the next poll',
	},
	{
		displayName: 'Max Files per Poll',
		name: 'maxFiles',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 20,
		description: 'Each file becomes its own execution; the rest wait for the next poll',
	},
	{
		displayName: 'After Processing',
		name: 'afterProcessing',
		type: 'options',
		options: [
			{
				name: 'Leave in Place',
				value: 'leave',
				description: 'The ledger remembers it was processed',
			},
			{
				name: 'Move to Archive Directory',
				value: 'move',
				description: 'Once the execution it started succeeded',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Once the execution it started succeeded',
			},
		],
		default: 'leave',
		description:
			'Applied when the execution started for the file succeeded (in the same poll if it finishes within 20 seconds, otherwise on the next poll)',
	},
	{
		displayName: 'Archive Directory',
		name: 'archiveDir',
		type: 'string',
		default: '',
		placeholder: '/outbound/archive',
		description: 'Empty means an "archive" folder inside the watched directory; created if missing',
		displayOptions: { show: { afterProcessing: ['move'] } },
	},
	{
		displayName: 'Failed Files Directory',
		name: 'failedDir',
		type: 'string',
		default: '',
		placeholder: '/outbound/failed',
		description:
			'Move files with invalid records, or whose execution failed, here for the replay workflow (Stampli Files → Replay). Empty leaves them in place; they are retried when they change.',
	},
];
