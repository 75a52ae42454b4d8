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
		displayName: 'Ready When',
		name: 'readyWhen',
		type: 'options',
		options: [
			{
				name: 'Settled and Complete',
				value: 'settledComplete',
				description:
					'Unchanged for the settle time, not empty, and ending with a complete record (CSV: a line break; XML: the closing root tag)',
			},
			{
				name: 'Settled',
				value: 'settled',
				description:
					'Unchanged for the settle time and not empty (for exports that do not end with a line break)',
			},
			{
				name: 'Done File Exists',
				value: 'doneFile',
				description:
					'The writer creates a marker file when the export is complete (safest with writers that may stall)',
			},
		],
		default: 'settledComplete',
		description:
			'When a file counts as completely written. A file that changes after it was emitted is never archived, deleted or moved: it is read again as a new version.',
	},
	{
		displayName: 'Done File Name',
		name: 'doneFileName',
		type: 'string',
		default: '{name}.done',
		placeholder: '{name}.done',
		description:
			"Name of the marker file; {name} is the export's file name, {base} the name without its extension (e.g. {base}.ok)",
		displayOptions: { show: { readyWhen: ['doneFile'] } },
	},
	{
		displayName: 'Max Files per Poll',
		name: 'maxFiles',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 20,
		description:
			'Each file (or each batch of a large file) becomes its own execution; the rest wait for the next poll',
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
			'Applied when every execution started for the file succeeded and the file is still byte for byte what was emitted (in the same poll if the runs finish within 20 seconds, otherwise on the next poll)',
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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'If Outcome Unknown',
				name: 'ifUnknown',
				type: 'options',
				options: [
					{
						name: 'Emit the File Again',
						value: 'emitAgain',
						description:
							'Every ERP write is idempotent, so records already written come back unchanged; after 3 unknown outcomes in a row the file needs attention',
					},
					{
						name: 'Needs Attention',
						value: 'needsAttention',
						description:
							'Mark it failed ("outcome unknown") and move it to the failed directory for a person to check and replay',
					},
				],
				default: 'emitAgain',
				description: 'An unknown outcome is never taken as success',
			},
			{
				displayName: 'Max File Size (MB)',
				name: 'maxFileMb',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 256,
				description: 'A larger file is refused with a clear error and left in place',
			},
			{
				displayName: 'Max Records per Execution',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 5000,
				description:
					'A larger file is emitted in batches of this many records (one execution each, one after the other); the file is archived only when every batch succeeded',
			},
			{
				displayName: 'Max Records per File',
				name: 'maxRecordsPerFile',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 1000000,
				description:
					'A file with more records is refused with a clear error (and moved to the failed directory)',
			},
			{
				displayName: 'Outcome Unknown After (Minutes)',
				name: 'unknownAfterMinutes',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 60,
				description:
					'An execution whose end this n8n process did not see (n8n restarted, queue mode lost its job with a Redis restart, or the run is waiting in a Wait node) counts as unknown this long after it started (or after its wait). Keep it longer than your longest run.',
			},
		],
	},
];
