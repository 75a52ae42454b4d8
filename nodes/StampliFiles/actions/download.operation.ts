import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { outcomeItems, type OutputMode } from '../../common/stampliFileItems';
import { parserOptionsFrom, parsingProperties } from '../../common/stampliParsing';
import { makeStampliParser, readAndParse } from '../../shared/inbox';
import { allowedDirs, show, type Operation } from './common';

const MAX_FILE_BYTES = 256 * 1024 * 1024;

export const description: INodeProperties[] = [
	{
		displayName: 'Output',
		name: 'outputMode',
		type: 'options',
		options: [
			{ name: 'One Item per Record', value: 'records' },
			{
				name: 'One Item per File',
				value: 'file',
				description: 'The raw file as binary data, not parsed',
			},
		],
		default: 'records',
		displayOptions: show('download'),
	},
	...parsingProperties.map((p) => ({
		...p,
		displayOptions: { show: { operation: ['download'], outputMode: ['records'] } },
	})),
];

export const execute: Operation = async function (i, { session, config, at }) {
	const mode = this.getNodeParameter('outputMode', i, 'records') as OutputMode;
	const parse =
		mode === 'records'
			? makeStampliParser(
					parserOptionsFrom(
						this.getNodeParameter('fileKind', i, 'invoices') as string,
						this.getNodeParameter('format', i, 'auto') as string,
						this.getNodeParameter('templateOptions', i, {}) as IDataObject,
						MAX_FILE_BYTES,
					),
				)
			: undefined;
	const outcome = await readAndParse(session, this.getNodeParameter('path', i) as string, {
		parse,
		maxFileBytes: MAX_FILE_BYTES,
		allowedDirs: allowedDirs.call(this, i, config),
	});
	return await outcomeItems(
		outcome,
		mode,
		{ host: config.host, username: config.username, at },
		async (data, name) => await this.helpers.prepareBinaryData(data, name),
	);
};
