/** Reads what both trigger modes need (credential, directory, parser) from the node's parameters. */
import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type IPollFunctions,
} from 'n8n-workflow';
import { outcomeItems, type OutputMode } from '../common/stampliFileItems';
import { parserOptionsFrom } from '../common/stampliParsing';
import { makeStampliParser, type FileOutcome, type FileParser } from '../shared/inbox';
import { sftpConfigFromCredential, type SftpConfig } from '../shared/sftp';

export const MAX_FILE_BYTES = 256 * 1024 * 1024;

export interface TriggerSetup {
	config: SftpConfig;
	dir: string;
	pattern: string;
	outputMode: OutputMode;
	parse?: FileParser;
	toItems: (outcome: FileOutcome) => Promise<INodeExecutionData[]>;
}

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
	const parse =
		outputMode === 'records'
			? makeStampliParser(
					parserOptionsFrom(
						this.getNodeParameter('fileKind', 'invoices') as string,
						this.getNodeParameter('format', 'auto') as string,
						this.getNodeParameter('templateOptions', {}) as IDataObject,
						MAX_FILE_BYTES,
					),
				)
			: undefined;
	const context = { host: config.host, username: config.username, at: new Date().toISOString() };
	const toItems = async (outcome: FileOutcome) =>
		await outcomeItems(
			outcome,
			outputMode,
			context,
			async (data, name) => await this.helpers.prepareBinaryData(data, name),
		);
	return { config, dir, pattern, outputMode, parse, toItems };
}
