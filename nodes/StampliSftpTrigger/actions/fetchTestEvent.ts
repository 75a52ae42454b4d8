/** "Fetch test event": the newest file's first batch, without touching the ledger or moving anything. */
import type { INodeExecutionData } from 'n8n-workflow';
import { fetchNewest } from '../../shared/inbox';
import type { SftpSession } from '../../shared/sftp';
import type { TriggerSetup } from '../parameters';

export async function fetchTestEvent(
	session: SftpSession,
	setup: TriggerSetup,
): Promise<INodeExecutionData[][] | null> {
	const outcome = await fetchNewest(session, {
		dir: setup.dir,
		pattern: setup.pattern,
		reader: setup.reader,
		maxFileBytes: setup.maxFileBytes,
		maxItems: setup.maxItemsPerFile,
		batchSize: setup.batchSize,
	});
	if (!outcome) return null;
	const items = await setup.toItems(outcome);
	return items.length ? [items] : null;
}
