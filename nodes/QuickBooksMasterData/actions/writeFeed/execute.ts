import {
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { CREDENTIALS } from '../../../common/credentials';
import { readFeedUiSettings } from '../../../common/feedProperties';
import {
	QBO_FEED_TEMPLATE,
	feedTemplateFrom,
	qboFeedKindOf,
	streamQuickBooksFeed,
} from '../../../shared/feeds';
import { connectSftp, sftpConfigFromCredential } from '../../../shared/sftp';
import { failedRun, prepareRead } from '../read';

/**
 * QuickBooks pages streamed into one feed file on Stampli's SFTP, in constant memory; the only item
 * is the file's audit record. The cursor is committed only after the file is on the server under
 * its final name.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { read, client, cursors, cursorKey } = await prepareRead(this);
	try {
		const ui = readFeedUiSettings((name, fallback) => this.getNodeParameter(name, 0, fallback));
		const kind = qboFeedKindOf(read.resource);
		const template = feedTemplateFrom(kind, ui.format, ui.template, QBO_FEED_TEMPLATE[kind]);
		const sftp = sftpConfigFromCredential(
			(await this.getCredentials(CREDENTIALS.sftp)) as Record<string, unknown>,
		);
		const session = await connectSftp(sftp, { sleep });
		try {
			const result = await streamQuickBooksFeed(client, session, {
				read,
				template,
				format: ui.format,
				fileNamePattern: ui.fileNamePattern,
				targetDir: ui.targetDir || sftp.inboundDir,
				timeZone: this.getTimezone(),
				writeEmpty: ui.options.writeEmpty,
				manifest: ui.options.manifest,
				neutraliseFormulas: ui.format === 'csv' ? (ui.options.neutraliseFormulas ?? true) : false,
			});
			if (result.cursor) cursors.commit(cursorKey, result.cursor, result.audit.remotePath);
			const json = { ...result.audit, read: result.read } as unknown as IDataObject;
			return [[{ json, pairedItem: { item: 0 } }]];
		} finally {
			await session.close();
		}
	} catch (error) {
		return failedRun(this, error);
	}
}
