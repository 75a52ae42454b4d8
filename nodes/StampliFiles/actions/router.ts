/** One SFTP session for the whole run; each input item goes to its operation's execute. */
import {
	NodeOperationError,
	sleep,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { connectSftp, sftpConfigFromCredential, type SftpSession } from '../../shared/sftp';
import type { Operation } from './common';
import * as del from './delete.operation';
import * as download from './download.operation';
import * as list from './list.operation';
import * as move from './move.operation';
import * as replay from './replay.operation';

const operations: Record<string, Operation> = {
	list: list.execute,
	download: download.execute,
	move: move.execute,
	delete: del.execute,
	replay: replay.execute,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = operations[operation];
	if (!execute) throw new NodeOperationError(node, `Unknown operation "${operation}"`);
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
		session = await connectSftp(config, { sleep });
	} catch (error) {
		throw new NodeOperationError(node, error as Error);
	}
	const out: INodeExecutionData[] = [];
	const context = { session, config, at: new Date().toISOString() };
	try {
		for (let i = 0; i < items.length; i++) {
			const pairedItem = { item: i };
			try {
				for (const item of await execute.call(this, i, context)) out.push({ ...item, pairedItem });
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
