/** An activated trigger's poll: one execution per ready file, outcomes of earlier runs applied. */
import { NodeOperationError, sleep, type IPollFunctions, type IRun } from 'n8n-workflow';
import {
	ledgerFrom,
	pollOnce,
	rejectedRunOutcome,
	runOutcome,
	runTracker,
	type AfterProcessing,
	type FileEmission,
} from '../../shared/inbox';
import type { SftpSession } from '../../shared/sftp';
import { MAX_FILE_BYTES, type TriggerSetup } from '../parameters';

/** How long a poll waits for the executions it started, so quick runs are archived (or moved to failed) in the same poll. */
const RUN_WAIT_MS = 20_000;

export async function poll(
	this: IPollFunctions,
	session: SftpSession,
	setup: TriggerSetup,
): Promise<null> {
	const node = this.getNode();
	const { dir } = setup;
	const afterAction = this.getNodeParameter('afterProcessing', 'leave') as string;
	const archiveDir =
		(this.getNodeParameter('archiveDir', '') as string).trim() ||
		`${dir.replace(/\/+$/, '')}/archive`;
	const afterProcessing: AfterProcessing =
		afterAction === 'move'
			? { action: 'move', dir: archiveDir }
			: afterAction === 'delete'
				? { action: 'delete' }
				: { action: 'leave' };
	const failedDir = (this.getNodeParameter('failedDir', '') as string).trim() || undefined;

	const staticData = this.getWorkflowStaticData('node');
	const ledger = ledgerFrom(staticData.ledger);
	staticData.ledger = ledger;
	const budget = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : undefined;
	// n8n settles this promise with the run when the execution it started finishes (IRun, or undefined
	// when no execution was started). Older runtimes without the helper just do not follow runs.
	const followRuns = typeof this.helpers.createDeferredPromise === 'function';
	const scope = `${this.getWorkflow().id ?? ''}/${node.id ?? node.name}`;

	const summary = await pollOnce(session, ledger, {
		dir,
		pattern: setup.pattern,
		settleMs: Math.max(0, Number(this.getNodeParameter('settleSeconds', 60))) * 1000,
		maxFiles: Math.max(1, Number(this.getNodeParameter('maxFiles', 20))),
		maxFileBytes: MAX_FILE_BYTES,
		parse: setup.parse,
		afterProcessing,
		failedDir,
		deadline: budget && Number.isFinite(budget) ? Date.now() + budget * 0.8 : undefined,
		runs: followRuns ? { tracker: runTracker, scope, waitMs: RUN_WAIT_MS, sleep } : undefined,
		onFile: async (outcome): Promise<FileEmission | undefined> => {
			const items = await setup.toItems(outcome);
			// Reassigning marks static data changed, so n8n saves the ledger with this emission
			// (including outcomes of earlier runs that this poll applied before emitting).
			staticData.ledger = ledger;
			if (!items.length) return undefined;
			// One execution per file: each __emit starts its own workflow run.
			if (!followRuns) {
				this.__emit([items]);
				return undefined;
			}
			const done = this.helpers.createDeferredPromise<IRun | undefined>();
			this.__emit([items], undefined, done);
			return { run: done.promise.then(runOutcome, rejectedRunOutcome) };
		},
	});
	// Outcomes applied after the last emission are saved with the next one (n8n saves poll static data
	// only in __emit); until then they stay parked in the tracker and are re-applied to a reloaded ledger.
	staticData.ledger = ledger;
	if (summary.afterProcessingErrors.length) {
		const list = summary.afterProcessingErrors.map((e) => `${e.file}: ${e.reason}`).join('; ');
		throw new NodeOperationError(
			node,
			`Files were emitted but could not be moved or deleted afterwards: ${list}`,
			{
				description:
					'They are recorded as processed and will not be emitted again; fix the archive directory permissions.',
			},
		);
	}
	return null;
}
