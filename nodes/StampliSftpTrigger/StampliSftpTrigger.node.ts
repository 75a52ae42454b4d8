import {
	NodeConnectionTypes,
	NodeOperationError,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
	sleep,
} from 'n8n-workflow';
import { connectSftp } from '../shared/sftp';
import { stampliSftpConnectionTest } from '../common/credentialTests';
import { parsingProperties } from '../common/stampliParsing';
import { optionLabel, subtitleOf } from '../common/subtitles';
import { fetchTestEvent } from './actions/fetchTestEvent';
import { poll } from './actions/poll';
import { triggerProperties } from './description';
import { triggerSetup } from './parameters';

export class StampliSftpTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Stampli SFTP Trigger',
		name: 'stampliSftpTrigger',
		icon: { light: 'file:stampliSftp.svg', dark: 'file:stampliSftp.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: subtitleOf(optionLabel('fileKind', parsingProperties)),
		description:
			'Starts one execution per new Stampli export file (approved invoices, payments, vendors) on SFTP',
		defaults: { name: 'Stampli SFTP Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'stampliSftpApi', required: true, testedBy: 'stampliSftpConnectionTest' },
		],
		properties: triggerProperties,
	};

	methods = { credentialTest: { stampliSftpConnectionTest } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const node = this.getNode();
		const setup = await triggerSetup.call(this);
		const failedPoll = `Polling ${setup.dir} on ${setup.config.host} failed; the next poll will try again.`;
		let session;
		try {
			session = await connectSftp(setup.config, { attempts: 4, sleep });
		} catch (error) {
			throw new NodeOperationError(node, error as Error, { description: failedPoll });
		}
		try {
			if (this.getMode() === 'manual') return await fetchTestEvent(session, setup);
			return await poll.call(this, session, setup);
		} catch (error) {
			// A NodeOperationError already has its own description.
			throw error instanceof NodeOperationError
				? error
				: new NodeOperationError(node, error as Error, { description: failedPoll });
		} finally {
			await session.close();
		}
	}
}
