/** What every Stampli Files operation gets: the open session, the credential's directories, the item index. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
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

/** Operations that take a file path from a parameter or an item. */
export const PATH_OPERATIONS = ['download', 'move', 'delete'];

export const allowedDirsProperty: INodeProperties = {
	displayName: 'Additional Allowed Directories',
	name: 'allowedDirs',
	type: 'string',
	default: '',
	placeholder: '/archive, /stampli/failed',
	description:
		"Comma-separated directories a file path may lie in besides the credential's inbound and outbound directories (and their subdirectories). Paths elsewhere, or symlinks pointing elsewhere, are refused.",
	displayOptions: show(...PATH_OPERATIONS),
};

/** The directories a given file path must lie in: the credential's two, plus any the user added. */
export function allowedDirs(this: IExecuteFunctions, i: number, config: SftpConfig): string[] {
	const extra = (this.getNodeParameter('allowedDirs', i, '') as string)
		.split(',')
		.map((d) => d.trim())
		.filter(Boolean);
	return [config.inboundDir, config.outboundDir, ...extra];
}
