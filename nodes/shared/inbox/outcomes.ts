/**
 * Applies the outcomes of executions started for files of a ledger: success → commit (archive or
 * delete), failure → failed entry (reason, attempts, time) and rollback to the failed directory.
 */
import type { SftpSession } from '../sftp/session';
import { commitFile, rollbackFile } from './commit';
import { awaitingRuns, markRunFailed, markRunSucceeded, type FileLedger } from './ledger';
import type { PollOptions, PollSummary, RunFollowing } from './poll';
import { message } from './read';

const joinRemote = (dir: string, name: string) =>
	dir.endsWith('/') ? dir + name : `${dir}/${name}`;

/**
 * All awaiting files, or `only` these names. Runs still going stay awaiting. Idempotent on a ledger
 * reloaded from an older save: a file already moved is no longer there and is not moved again.
 */
export async function applyRunOutcomes<R>(
	session: SftpSession,
	ledger: FileLedger,
	options: Pick<PollOptions<R>, 'dir' | 'afterProcessing' | 'failedDir'>,
	runs: RunFollowing,
	clock: () => number,
	summary: Pick<PollSummary, 'runsFailed' | 'runsSucceeded' | 'afterProcessingErrors'>,
	only?: Set<string>,
): Promise<void> {
	const unknownAfterMs = runs.unknownAfterMs ?? 15 * 60 * 1000;
	for (const awaiting of awaitingRuns(ledger)) {
		if (only && !only.has(awaiting.name)) continue;
		const now = clock();
		let outcome = runs.tracker.lookup(runs.scope, awaiting.name, awaiting.sha256);
		if (outcome === 'pending') continue;
		if (outcome === undefined) {
			if (now - awaiting.since < unknownAfterMs) continue;
			// Emitted before a restart: n8n's execution list and error workflow hold the outcome; keep the old behaviour.
			outcome = { ok: true };
		}
		const path = joinRemote(options.dir, awaiting.name);
		try {
			if (outcome.ok) {
				markRunSucceeded(ledger, awaiting.name, awaiting.sha256);
				summary.runsSucceeded++;
				await commitFile(session, path, options.afterProcessing);
				continue;
			}
			const entry = markRunFailed(ledger, awaiting.name, awaiting.sha256, outcome.reason, now);
			if (!entry) continue;
			const failure: PollSummary['runsFailed'][number] = {
				file: path,
				reason: outcome.reason,
				attempts: entry.a ?? 1,
			};
			summary.runsFailed.push(failure);
			failure.movedTo = await rollbackFile(session, path, options.failedDir);
		} catch (error) {
			summary.afterProcessingErrors.push({ file: path, reason: message(error) });
		}
	}
}
