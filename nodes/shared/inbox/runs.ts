/**
 * Outcome of the workflow executions each emitted file (or batch of a file) started: a file is
 * committed only when every run succeeded, rolled back when one failed, and emitted again (or handed
 * to a person) when nobody knows. No n8n imports: the node turns n8n's run into `RunOutcome`.
 *
 * Why a process-wide tracker: n8n settles a run after the poll that emitted it has returned, and a
 * poll's static data is saved with its emissions (and, on n8n 2.x with durable poll cursors, after a
 * poll that emits nothing), so outcomes that arrive later are parked here and the next poll applies
 * them to the ledger it is given (see outcomes.ts). An outcome stays parked for `keepMs` after it
 * settled, so re-applying it to a ledger reloaded from an older save gives the same result. Lost on a
 * process restart: the poll then treats the run as unknown, which is never taken as success.
 */
import type { Sleep } from '../sftp/backoff';
import { redactSecrets } from './redact';

export type RunOutcome =
	| { state: 'succeeded' }
	| { state: 'failed'; reason: string }
	/** Paused (Wait node, waiting sub-workflow): n8n resumes it as a new run this process is not told about. */
	| { state: 'waiting'; until?: number; reason: string }
	/** Crashed, stopped by a shutdown, or never created: whether its writes happened is not known. */
	| { state: 'unknown'; reason: string };

/** The parts of n8n's IRun that tell how the execution ended. */
export interface RunLike {
	status?: string;
	finished?: boolean;
	waitTill?: Date | string | null;
	data?: {
		resultData?: {
			error?: { message?: unknown; node?: { name?: unknown } } | null;
			lastNodeExecuted?: unknown;
		};
	};
}

const MAX_REASON = 280;
const FAILED_STATUSES = new Set(['error', 'canceled']);
/**
 * Errors n8n records for a run whose end it did not see itself: in queue mode a job whose worker died
 * (Bull's stalled job, n8n's MaxStalledCountError), or a run whose result could not be read back.
 */
const UNKNOWN_END =
	/failed to be processed too many times|stalled more than|result could not be read/i;

function bounded(text: string): string {
	const oneLine = text.replace(/\s+/g, ' ').trim();
	return oneLine.length > MAX_REASON ? oneLine.slice(0, MAX_REASON - 1) + '…' : oneLine;
}

/**
 * Reads n8n's run: failed when it has an error or ended as error/canceled; waiting while paused;
 * unknown when it crashed, is still marked running, or no execution was started (no run at all:
 * n8n 2.x does not create the execution when its poll lost the scheduler's lease).
 */
export function runOutcome(run: RunLike | undefined | null): RunOutcome {
	if (!run) return { state: 'unknown', reason: 'No execution was started for the emission' };
	const error = run.data?.resultData?.error;
	const status = run.status;
	if (error && typeof error.message === 'string' && UNKNOWN_END.test(error.message))
		return {
			state: 'unknown',
			reason: bounded(redactSecrets(`Execution did not complete: ${error.message}`)),
		};
	if (error || FAILED_STATUSES.has(String(status))) {
		const nodeName = error?.node?.name ?? run.data?.resultData?.lastNodeExecuted;
		const message =
			typeof error?.message === 'string' && error.message
				? error.message
				: `execution ended with status ${String(status ?? 'unknown')}`;
		const where = typeof nodeName === 'string' && nodeName ? ` in node "${nodeName}"` : '';
		return {
			state: 'failed',
			reason: bounded(redactSecrets(`Execution failed${where}: ${message}`)),
		};
	}
	if (status === 'success' || (status === undefined && run.finished === true))
		return { state: 'succeeded' };
	if (status === 'waiting') {
		const until = run.waitTill ? new Date(run.waitTill).getTime() : undefined;
		return {
			state: 'waiting',
			...(until !== undefined && Number.isFinite(until) ? { until } : {}),
			reason:
				'The execution is waiting (Wait node or sub-workflow); n8n resumes it as a run the trigger cannot follow',
		};
	}
	return {
		state: 'unknown',
		reason: `The execution ended with status ${String(status ?? 'unknown')}; whether its writes happened is not known`,
	};
}

/**
 * A done promise that rejected. A cancellation by a person fails the file; a shutdown of n8n or a
 * queue-mode job whose worker died (stalled) leaves the outcome unknown.
 */
export function rejectedRunOutcome(error: unknown): RunOutcome {
	const name = error instanceof Error ? error.name : '';
	const message = error instanceof Error ? error.message : String(error);
	const reason = bounded(redactSecrets(`Execution did not complete: ${message}`));
	if (/shutdown|stalled|crash|lost|connection|redis/i.test(`${name} ${message}`))
		return { state: 'unknown', reason };
	return { state: 'failed', reason };
}

type Parked =
	{ state: 'pending'; since: number } | { state: 'done'; outcome: RunOutcome; at: number };

/** One emitted execution: a batch (1-based) of one version of one file. */
export interface RunKey {
	name: string;
	sha256: string;
	batch: number;
}

export interface TrackerOptions {
	/** How long a settled outcome stays available for re-application. Default 24 h. */
	keepMs?: number;
	/** Hard bound on parked outcomes per process; the oldest settled ones go first. Default 20,000. */
	maxEntries?: number;
	clock?: () => number;
}

export class RunTracker {
	private readonly parked = new Map<string, Parked>();
	private readonly waiters = new Set<() => void>();
	private readonly keepMs: number;
	private readonly maxEntries: number;
	private readonly clock: () => number;

	constructor(options: TrackerOptions = {}) {
		this.keepMs = options.keepMs ?? 24 * 60 * 60 * 1000;
		this.maxEntries = options.maxEntries ?? 20_000;
		this.clock = options.clock ?? Date.now;
	}

	private readonly polling = new Set<string>();

	private static key(scope: string, run: RunKey): string {
		return `${scope}\u0000${run.name}\u0000${run.sha256}\u0000${run.batch}`;
	}

	/**
	 * Marks a poll of `scope` as running in this process; undefined when one already is (a slow poll
	 * overlapping the next scheduled one must not emit the same files twice). Call the returned release.
	 */
	beginPoll(scope: string): (() => void) | undefined {
		if (this.polling.has(scope)) return undefined;
		this.polling.add(scope);
		return () => this.polling.delete(scope);
	}

	/** Parks the run of one emitted batch; a rejection of `run` is read with `rejectedRunOutcome`. */
	expect(scope: string, run: RunKey, outcome: Promise<RunOutcome>): void {
		const key = RunTracker.key(scope, run);
		this.parked.set(key, { state: 'pending', since: this.clock() });
		this.trim();
		void outcome
			.catch((error: unknown) => rejectedRunOutcome(error))
			.then((settled) => {
				this.parked.set(key, { state: 'done', outcome: settled, at: this.clock() });
				for (const wake of [...this.waiters]) wake();
			});
	}

	/** When this process parked a run that is still pending; undefined once it settled or when never seen. */
	pendingSince(scope: string, run: RunKey): number | undefined {
		const parked = this.parked.get(RunTracker.key(scope, run));
		return parked?.state === 'pending' ? parked.since : undefined;
	}

	/** `pending` while the run is going, its outcome once settled, undefined when this process never saw the emission. */
	lookup(scope: string, run: RunKey): 'pending' | RunOutcome | undefined {
		const parked = this.parked.get(RunTracker.key(scope, run));
		if (!parked) return undefined;
		return parked.state === 'pending' ? 'pending' : parked.outcome;
	}

	/**
	 * Resolves when none of the given runs is pending any more, or after `ms`, whichever comes first.
	 * The timer is n8n's (`sleep`); without one it does not wait.
	 */
	async waitFor(scope: string, runs: RunKey[], ms: number, sleep?: Sleep): Promise<void> {
		const stillPending = () => runs.some((run) => this.lookup(scope, run) === 'pending');
		if (ms <= 0 || !sleep || !stillPending()) return;
		const timer = new AbortController();
		let check = () => undefined as void;
		const settled = new Promise<void>((resolve) => {
			check = () => {
				if (!stillPending()) resolve();
			};
			this.waiters.add(check);
		});
		try {
			await Promise.race([settled, sleep(ms, timer.signal).catch(() => undefined)]);
		} finally {
			this.waiters.delete(check);
			timer.abort();
		}
	}

	get size(): number {
		return this.parked.size;
	}

	private trim(): void {
		const now = this.clock();
		for (const [key, parked] of this.parked) {
			if (parked.state === 'done' && now - parked.at > this.keepMs) this.parked.delete(key);
		}
		if (this.parked.size <= this.maxEntries) return;
		// Map order is insertion order: drop the oldest settled outcomes first, never a pending run.
		for (const [key, parked] of this.parked) {
			if (this.parked.size <= this.maxEntries) break;
			if (parked.state === 'done') this.parked.delete(key);
		}
	}
}

/** The tracker the trigger node uses: one per n8n process, shared by all its workflows (scoped by workflow and node id). */
export const runTracker = new RunTracker();
