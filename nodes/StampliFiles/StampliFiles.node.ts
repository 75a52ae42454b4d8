import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import {
	connectSftp,
	makeStampliParser,
	readAndParse,
	replayFiles,
	sftpConfigFromCredential,
	type SftpSession,
} from '../shared/sftp';
import { stampliSftpConnectionTest } from '../common/credentialTests';
import { outcomeItems, type OutputMode } from '../StampliSftpTrigger/items';
import { parserOptionsFrom, parsingProperties } from '../StampliSftpTrigger/parsing';

const MAX_FILE_BYTES = 256 * 1024 * 1024;
const show = (...operation: string[]) => ({ show: { operation } });

export class StampliFiles implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Stampli Files',
		name: 'stampliFiles',
		icon: { light: 'file:stampliFiles.svg', dark: 'file:stampliFiles.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
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
			{
				displayName: 'Directory',
				name: 'directory',
				type: 'string',
				default: '',
				placeholder: '/outbound',
				description: "Empty uses the credential's outbound directory",
				displayOptions: show('list'),
			},
			{
				displayName: 'File Path',
				name: 'path',
				type: 'string',
				default: '={{ $json.file?.path ?? $json.path }}',
				required: true,
				description: 'Remote path of the file, e.g. from a List item or a trigger error item',
				displayOptions: show('download', 'move', 'delete'),
			},
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
			{
				displayName: 'File Name Pattern',
				name: 'pattern',
				type: 'string',
				default: '*',
				displayOptions: show('list', 'replay'),
			},
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
		],
	};

	methods = { credentialTest: { stampliSftpConnectionTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const node = this.getNode();
		const operation = this.getNodeParameter('operation', 0) as string;
		let config;
		try {
			config = sftpConfigFromCredential(
				(await this.getCredentials('stampliSftpApi')) as Record<string, unknown>,
			);
		} catch (error) {
			throw new NodeOperationError(node, error as Error);
		}
		let session: SftpSession;
		try {
			session = await connectSftp(config);
		} catch (error) {
			throw new NodeOperationError(node, error as Error);
		}
		const out: INodeExecutionData[] = [];
		const context = { host: config.host, username: config.username, at: new Date().toISOString() };
		try {
			for (let i = 0; i < items.length; i++) {
				const pairedItem = { item: i };
				try {
					if (operation === 'list') {
						const dir =
							(this.getNodeParameter('directory', i, '') as string).trim() || config.outboundDir;
						for (const file of await session.list(
							dir,
							this.getNodeParameter('pattern', i, '*') as string,
						)) {
							out.push({
								json: { ...file, mtime: new Date(file.mtimeMs).toISOString() },
								pairedItem,
							});
						}
					} else if (operation === 'download') {
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
						const outcome = await readAndParse(
							session,
							this.getNodeParameter('path', i) as string,
							{ parse, maxFileBytes: MAX_FILE_BYTES },
						);
						const produced = await outcomeItems(
							outcome,
							mode,
							context,
							async (data, name) => await this.helpers.prepareBinaryData(data, name),
						);
						for (const item of produced) out.push({ ...item, pairedItem });
					} else if (operation === 'move') {
						const from = this.getNodeParameter('path', i) as string;
						const toDir = (this.getNodeParameter('toDir', i) as string).trim();
						await session.mkdirp(toDir);
						out.push({ json: { from, to: await session.move(from, toDir) }, pairedItem });
					} else if (operation === 'delete') {
						const path = this.getNodeParameter('path', i) as string;
						await session.delete(path);
						out.push({ json: { deleted: path }, pairedItem });
					} else if (operation === 'replay') {
						const names = (this.getNodeParameter('names', i, '') as string)
							.split(',')
							.map((n) => n.trim())
							.filter(Boolean);
						const moved = await replayFiles(session, {
							fromDir: (this.getNodeParameter('fromDir', i) as string).trim(),
							toDir:
								(this.getNodeParameter('watchedDir', i, '') as string).trim() || config.outboundDir,
							pattern: this.getNodeParameter('pattern', i, '*') as string,
							names,
						});
						for (const m of moved)
							out.push({
								json: { replayed: m.name, from: m.from, to: m.to, at: context.at },
								pairedItem,
							});
					}
				} catch (error) {
					if (this.continueOnFail()) {
						out.push({ json: { error: (error as Error).message }, pairedItem });
						continue;
					}
					throw new NodeOperationError(node, error as Error, { itemIndex: i });
				}
			}
		} finally {
			await session.close();
		}
		return [out];
	}
}
