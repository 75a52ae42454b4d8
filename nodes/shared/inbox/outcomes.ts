/**
 * Applies what is known about the executions started for a ledger's files. Per file (all its batches):
 * one run failed → rollback; all succeeded → commit, or the next batches when some are still to be
 * emitted; still running → wait, up to the unknown-outcome time; unknown (this process never saw the
 * run, it crashed, it is waiting in a Wait node, or it never reported) → after a while emit the file
 * again or hand it to a person. Unknown is never taken as success.
 */
import { commitFile, rollbackFile, type FileCheck } from './commit';
import {
	awaitingRuns,
	identityOf,
	markForReemission,
	markRunFailed,
	markRunSucceeded,
	markSetAside,
	type FileLedger,
} from './ledger';
import {
	DEFAULT_UNKNOWN_AFTER_MS,
	MAX_REEMISSIONS,
	joinRemote,
	message,
	storedReason,
	type PollState,
	type RunFollowing,
} from './options';
import type { RunOutcome } from './runs';

/** What the poll does next with files whose outcomes were looked at. */
export interface OutcomeFollowUp {
	/** Every emitted batch succeeded and more are to be emitted: continue with the next batch. */
	resume: string[];
	/** Emitted again because nobody knows how its runs ended: read and emit it from the start now. */
	again: string[];
}

type FileRuns =
	| { state: 'succeeded' }
	| { state: 'pending'; since: number }
	| { state: 'failed'; reason: string }
	| { state: 'unknown'; reason: string; since: number };

/**
 * When a waiting run is due to resume; 0 for a wait without end (a webhook, a form or a sub-workflow:
 * n8n marks those with a date around the year 3000), which counts from the emission instead.
 */
function boundedWait(until: number | undefined): number {
	const tenYears = 10 * 365 * 24 * 60 * 60 * 1000;
	return until !== undefined && until < Date.now() + tenYears ? until : 0;
}

/** Folds the outcomes of a file's emitted batches into one. */
function fileRuns(runs: RunFollowing, awaiting: ReturnType<typeof awaitingRuns>[number]): FileRuns {
	const { name, sha256, since } = awaiting;
	const { emitted, total } = awaiting.batches;
	let pendingSince: number | undefined;
	let unknown: { reason: string; since: number } | undefined;
	for (let batch = 1; batch <= Math.max(1, emitted); batch++) {
		const outcome: 'pending' | RunOutcome | undefined = runs.tracker.lookup(runs.scope, {
			name,
			sha256,
			batch,
		});
		const where = total > 1 ? ` (batch ${batch} of ${total})` : '';
		if (outcome === 'pending') {
			const parked = runs.tracker.pendingSince(runs.scope, { name, sha256, batch }) ?? since;
			pendingSince = Math.min(pendingSince ?? parked, parked);
		} else if (outcome === undefined)
			unknown ??= {
				reason: `The outcome of the execution started at ${new Date(since).toISOString()}${where} is unknown (n8n restarted, or another n8n instance started it)`,
				since,
			};
		else if (outcome.state === 'failed') return { state: 'failed', reason: outcome.reason + where };
		else if (outcome.state === 'waiting')
			unknown ??= {
				reason: outcome.reason + where,
				since: Math.max(since, boundedWait(outcome.until)),
			};
		// Crashed or stopped: known to have ended, nothing to wait for.
		else if (outcome.state === 'unknown') unknown ??= { reason: outcome.reason + where, since: 0 };
	}
	if (pendingSince !== undefined) return { state: 'pending', since: pendingSince };
	if (unknown) return { state: 'unknown', ...unknown };
	return { state: 'succeeded' };
}

/**
 * Looks at every awaiting file of the ledger (or `only` these names). Idempotent on a ledger reloaded
 * from an older save: a file already moved is no longer there and is not moved again.
 */
export async function applyRunOutcomes<R>(
	state: PollState<R>,
	runs: RunFollowing,
	only?: Set<string>,
): Promise<OutcomeFollowUp> {
	const { ledger, options, clock, summary } = state;
	const followUp: OutcomeFollowUp = { resume: [], again: [] };
	const unknownAfterMs = runs.unknownAfterMs ?? DEFAULT_UNKNOWN_AFTER_MS;
	for (const awaiting of awaitingRuns(ledger)) {
		if (only && !only.has(awaiting.name)) continue;
		const now = clock();
		const path = joinRemote(options.dir, awaiting.name);
		let runsOfFile = fileRuns(runs, awaiting);
		try {
			if (runsOfFile.state === 'pending') {
				// n8n never reports some runs: in queue mode, a job lost with a Redis restart (its end is
				// never published, so n8n's promise never settles). A run an earlier poll started that is
				// still unreported after the unknown-outcome time is unknown; runs this poll started are not.
				if (only || now - runsOfFile.since < unknownAfterMs) continue;
				runsOfFile = {
					state: 'unknown',
					reason: `The execution started at ${new Date(runsOfFile.since).toISOString()} has not reported how it ended (in queue mode, a job lost with a Redis restart never does)`,
					since: runsOfFile.since,
				};
			}
			if (runsOfFile.state === 'failed') {
				await rollBack(state, awaiting.name, awaiting.sha256, runsOfFile.reason, 'failed');
				continue;
			}
			if (runsOfFile.state === 'unknown') {
				if (now - runsOfFile.since < unknownAfterMs) continue;
				const entry = ledger.files[awaiting.name];
				const tries = entry?.u ?? 0;
				if ((runs.ifUnknown ?? 'emitAgain') === 'emitAgain' && tries < MAX_REEMISSIONS) {
					markForReemission(ledger, awaiting.name, awaiting.sha256, now);
					summary.runsUnknown.push({
						file: path,
						reason: storedReason(state, runsOfFile.reason),
						action: 'emittedAgain',
					});
					followUp.again.push(awaiting.name);
					continue;
				}
				const reason =
					tries >= MAX_REEMISSIONS
						? `${runsOfFile.reason}; emitted again ${tries} times without a known outcome`
						: runsOfFile.reason;
				await rollBack(state, awaiting.name, awaiting.sha256, reason, 'unknown');
				summary.runsUnknown.push({
					file: path,
					reason: storedReason(state, reason),
					action: 'needsAttention',
				});
				continue;
			}
			if (awaiting.batches.emitted < awaiting.batches.total) {
				followUp.resume.push(awaiting.name);
				continue;
			}
			const emitted = identityOf(ledger.files[awaiting.name]);
			const result = markRunSucceeded(ledger, awaiting.name, awaiting.sha256, now);
			if (!result || !emitted) continue;
			summary.runsSucceeded++;
			const commit =
				result === 'processed'
					? await commitFile(state.session, path, emitted, options.afterProcessing, options)
					: await rollbackFile(state.session, path, emitted, options.failedDir, options);
			noteCheck(state, awaiting.name, commit.check, commit.movedTo, result === 'invalidRecords');
		} catch (error) {
			summary.afterProcessingErrors.push({ file: path, reason: message(error) });
		}
	}
	return followUp;
}

/** Marks the file failed (or needing attention) and moves it to the failed directory when it is unchanged. */
async function rollBack<R>(
	state: PollState<R>,
	name: string,
	sha256: string,
	reason: string,
	kind: 'failed' | 'unknown',
): Promise<void> {
	const { ledger, options, clock, summary } = state;
	const stored = storedReason(state, reason);
	const entry = markRunFailed(ledger, name, sha256, stored, clock(), kind);
	if (!entry) return;
	const path = joinRemote(options.dir, name);
	const failure = { file: path, reason: stored, attempts: entry.a ?? 1 } as {
		file: string;
		reason: string;
		attempts: number;
		movedTo?: string;
	};
	if (kind === 'failed') summary.runsFailed.push(failure);
	const result = await rollbackFile(
		state.session,
		path,
		identityOf(entry),
		options.failedDir,
		options,
	);
	if (result.movedTo) failure.movedTo = result.movedTo;
	noteCheck(state, name, result.check, result.movedTo, true);
}

/** Records in the ledger what a commit or rollback found. */
export function noteCheck<R>(
	state: PollState<R>,
	name: string,
	check: FileCheck,
	movedTo: string | undefined,
	toFailedDir: boolean,
): void {
	if (check === 'changed') {
		// Not what was emitted: a new version, read again once it holds still.
		markChangedInPlace(state.ledger, name, state.clock());
		state.summary.changedBeforeCommit++;
	} else if (movedTo && toFailedDir) markSetAside(state.ledger, name);
}

/** A file found changed at commit time, though its size and mtime may look the same: settle and read it again. */
export function markChangedInPlace(ledger: FileLedger, name: string, now: number): void {
	const entry = ledger.files[name];
	if (!entry) return;
	entry.n = now;
	delete entry.w;
	delete entry.b;
	delete entry.c;
	delete entry.i;
	delete entry.v;
	delete entry.x;
	// The old hash must not make the new content look like a duplicate.
	if (entry.st === 'p') delete entry.st;
}
