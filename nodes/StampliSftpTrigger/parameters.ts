/** Reads what both trigger modes need (credential, directory, parser, limits) from the node's parameters. */
import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type IPollFunctions,
} from 'n8n-workflow';
import { outcomeItems, type OutputMode } from '../common/stampliFileItems';
import { parserOptionsFrom } from '../common/stampliParsing';
import {
	DEFAULT_BATCH_SIZE,
	makeStampliReader,
	type FileOutcome,
	type RecordReader,
	type ReadyWhen,
} from '../shared/inbox';
import { sftpConfigFromCredential, type SftpConfig } from '../shared/sftp';

export interface TriggerSetup {
	config: SftpConfig;
	dir: string;
	pattern: string;
	outputMode: OutputMode;
	/** Streams a file's records (records mode). */
	reader?: RecordReader;
	readyWhen: ReadyWhen;
	batchSize: number;
	maxItemsPerFile: number;
	maxFileBytes: number;
	toItems: (outcome: FileOutcome) => Promise<INodeExecutionData[]>;
}

const positive = (value: unknown, fallback: number) => {
	const n = Number(value);
	return Number.isFinite(n) && n > 0 ? n : fallback;
};

export async function triggerSetup(this: IPollFunctions): Promise<TriggerSetup> {
	let config;
	try {
		config = sftpConfigFromCredential(
			(await this.getCredentials('stampliSftpApi')) as Record<string, unknown>,
		);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), error as Error);
	}
	const dir = (this.getNodeParameter('directory', '') as string).trim() || config.outboundDir;
	const pattern = this.getNodeParameter('pattern', '*') as string;
	const outputMode = this.getNodeParameter('outputMode', 'records') as OutputMode;
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const maxFileBytes = Math.round(positive(options.maxFileMb, 256) * 1024 * 1024);
	const reader =
		outputMode === 'records'
			? makeStampliReader(
					parserOptionsFrom(
						this.getNodeParameter('fileKind', 'invoices') as string,
						this.getNodeParameter('format', 'auto') as string,
						this.getNodeParameter('templateOptions', {}) as IDataObject,
						maxFileBytes,
					),
				)
			: undefined;
	const ready = this.getNodeParameter('readyWhen', 'settledComplete') as string;
	const readyWhen: ReadyWhen =
		ready === 'doneFile'
			? {
					kind: 'doneFile',
					template:
						(this.getNodeParameter('doneFileName', '{name}.done') as string).trim() ||
						'{name}.done',
				}
			: { kind: 'settled', completeRecord: ready !== 'settled' };
	const context = { host: config.host, username: config.username, at: new Date().toISOString() };
	const toItems = async (outcome: FileOutcome) =>
		await outcomeItems(
			outcome,
			outputMode,
			context,
			async (data, name) => await this.helpers.prepareBinaryData(data, name),
		);
	return {
		config,
		dir,
		pattern,
		outputMode,
		reader,
		readyWhen,
		batchSize: Math.floor(positive(options.batchSize, DEFAULT_BATCH_SIZE)),
		maxItemsPerFile: Math.floor(positive(options.maxRecordsPerFile, 1_000_000)),
		maxFileBytes,
		toItems,
	};
}
