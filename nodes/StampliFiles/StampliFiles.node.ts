import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { stampliSftpConnectionTest } from '../common/credentialTests';
import { optionLabel, subtitleOf } from '../common/subtitles';
import { allowedDirsProperty, show } from './actions/common';
import * as download from './actions/download.operation';
import * as list from './actions/list.operation';
import * as move from './actions/move.operation';
import * as replay from './actions/replay.operation';
import { router } from './actions/router';

export class StampliFiles implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Stampli Files',
		name: 'stampliFiles',
		icon: { light: 'file:stampliFiles.svg', dark: 'file:stampliFiles.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: subtitleOf(
			optionLabel('operation', {
				delete: 'Delete',
				download: 'Download and Parse',
				list: 'List',
				move: 'Move',
				replay: 'Replay',
			}),
		),
		description: 'List, download and parse, move, delete and replay Stampli files on SFTP',
		defaults: { name: 'Stampli Files' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [
			{ name: 'stampliSftpApi', required: true, testedBy: 'stampliSftpConnectionTest' },
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Delete', value: 'delete', action: 'Delete a file' },
					{ name: 'Download and Parse', value: 'download', action: 'Download and parse a file' },
					{ name: 'List', value: 'list', action: 'List files in a directory' },
					{ name: 'Move', value: 'move', action: 'Move a file to another directory' },
					{
						name: 'Replay',
						value: 'replay',
						action: 'Replay failed files',
						description:
							'Move files from the failed directory back into the watched directory so the trigger processes them again',
					},
				],
				default: 'list',
			},
			...list.description,
			{
				displayName: 'File Path',
				name: 'path',
				type: 'string',
				default: '={{ $json.file?.path ?? $json.path }}',
				required: true,
				description: 'Remote path of the file, e.g. from a List item or a trigger error item',
				displayOptions: show('download', 'move', 'delete'),
			},
			allowedDirsProperty,
			...move.description,
			...replay.description,
			{
				displayName: 'File Name Pattern',
				name: 'pattern',
				type: 'string',
				default: '*',
				displayOptions: show('list', 'replay'),
			},
			...download.description,
		],
	};

	methods = { credentialTest: { stampliSftpConnectionTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
