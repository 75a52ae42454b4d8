/** An activated trigger's poll: outcomes of earlier runs applied, then one execution per ready file or batch. */
import {
	NodeOperationError,
	sleep,
	type IDataObject,
	type IPollFunctions,
	type IRun,
} from 'n8n-workflow';
import {
	DEFAULT_UNKNOWN_AFTER_MS,
	ledgerFrom,
	pollOnce,
	rejectedRunOutcome,
	runOutcome,
	runTracker,
	type AfterProcessing,
	type FileEmission,
	type UnknownOutcomePolicy,
} from '../../shared/inbox';
import type { SftpSession } from '../../shared/sftp';
import type { TriggerSetup } from '../parameters';

/** How long a poll waits for the executions it started, so quick runs are archived (or moved to failed) in the same poll. */
const RUN_WAIT_MS = 20_000;
/** Without a budget from n8n (1.x), a poll stops starting files and batches after this long. */
const DEFAULT_POLL_BUDGET_MS = 5 * 60 * 1000;

export async function poll(
	this: IPollFunctions,
	session: SftpSession,
	setup: TriggerSetup,
): Promise<null> {
	const node = this.getNode();
	const { dir, config } = setup;
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
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const unknownAfterMinutes = Number(options.unknownAfterMinutes);
	const unknownAfterMs = Number.isFinite(unknownAfterMinutes)
		? Math.max(0, unknownAfterMinutes) * 60_000
		: DEFAULT_UNKNOWN_AFTER_MS;
	const ifUnknown: UnknownOutcomePolicy =
		options.ifUnknown === 'needsAttention' ? 'needsAttention' : 'emitAgain';

	// n8n settles this promise with the run when the execution it started finishes (IRun, or undefined
	// when no execution was started). Runtimes without the helper do not follow runs.
	const followRuns = typeof this.helpers.createDeferredPromise === 'function';
	const scope = `${this.getWorkflow().id ?? ''}/${node.id ?? node.name}`;
	// A slow poll overlapping the next scheduled one of the same trigger in this process: skip the newer.
	const release = runTracker.beginPoll(scope);
	if (!release) return null;
	try {
		const staticData = this.getWorkflowStaticData('node');
		const ledger = ledgerFrom(staticData.ledger);
		staticData.ledger = ledger;
		const budget = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : undefined;
		const budgetMs =
			budget && Number.isFinite(budget)
				? Math.min(budget, DEFAULT_POLL_BUDGET_MS)
				: DEFAULT_POLL_BUDGET_MS;

		const summary = await pollOnce(session, ledger, {
			dir,
			pattern: setup.pattern,
			settleMs: Math.max(0, Number(this.getNodeParameter('settleSeconds', 60))) * 1000,
			readyWhen: setup.readyWhen,
			maxFiles: Math.max(1, Number(this.getNodeParameter('maxFiles', 20))),
			maxFileBytes: setup.maxFileBytes,
			maxItemsPerFile: setup.maxItemsPerFile,
			batchSize: setup.batchSize,
			reader: setup.reader,
			afterProcessing,
			failedDir,
			secrets: [config.password, config.privateKey, config.passphrase].filter(
				(s): s is string => !!s,
			),
			deadline: Date.now() + budgetMs * 0.8,
			runs: followRuns
				? { tracker: runTracker, scope, waitMs: RUN_WAIT_MS, sleep, unknownAfterMs, ifUnknown }
				: undefined,
			onFile: async (outcome): Promise<FileEmission | undefined> => {
				const items = await setup.toItems(outcome);
				// Reassigning marks static data changed, so n8n saves the ledger with this emission
				// (including what this poll applied before emitting).
				staticData.ledger = ledger;
				if (!items.length) return undefined;
				// One execution per file or batch: each __emit starts its own workflow run.
				if (!followRuns) {
					this.__emit([items]);
					return undefined;
				}
				const done = this.helpers.createDeferredPromise<IRun | undefined>();
				this.__emit([items], undefined, done);
				return { run: done.promise.then(runOutcome, rejectedRunOutcome) };
			},
		});
		// Saved by n8n 2.x after a poll that emitted nothing (durable poll cursors), otherwise with the next
		// emission; until then outcomes stay parked in the tracker and are re-applied to a reloaded ledger.
		staticData.ledger = ledger;
		if (summary.afterProcessingErrors.length) {
			const list = summary.afterProcessingErrors.map((e) => `${e.file}: ${e.reason}`).join('; ');
			throw new NodeOperationError(
				node,
				`Files were emitted but could not be archived, deleted or moved afterwards: ${list}`,
				{
					description:
						'Their runs are recorded; the next poll tries again. Check the permissions of the archive and failed directories.',
				},
			);
		}
		return null;
	} finally {
		release();
	}
}
