/** What every Stampli Files operation gets: the open session, the credential's directories, the item index. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { SftpConfig, SftpSession } from '../../shared/sftp';

export interface OperationContext {
	session: SftpSession;
	config: SftpConfig;
	/** When this run started, for the items' audit facts. */
	at: string;
}

export type Operation = (
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
) => Promise<INodeExecutionData[]>;

export const show = (...operation: string[]) => ({ show: { operation } });
