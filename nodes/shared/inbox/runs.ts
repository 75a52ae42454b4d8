/**
 * Outcome of the workflow execution each emitted file started: a file whose execution failed is
 * recorded and retried, never archived. No n8n imports: the node turns n8n's run into `RunOutcome`.
 *
 * Why a process-wide tracker: n8n settles the run after the poll that emitted the file has returned,
 * and only saves poll-trigger static data inside `__emit`. With the durable scheduler every poll even
 * reads a fresh copy of static data from the database. So the run's outcome is parked here and the
 * next poll applies it to the ledger it is given (see outcomes.ts). An outcome stays
 * parked for `keepMs` after it settled, so re-applying it to a reloaded, not yet saved ledger gives
 * the same result. Lost on a process restart; the poll then falls back to `unknown` (see outcomes.ts).
 */

export type RunOutcome = { ok: true } | { ok: false; reason: string };

/** The parts of n8n's IRun that tell whether the execution failed. */
export interface RunLike {
	status?: string;
	data?: {
		resultData?: {
			error?: { message?: unknown; node?: { name?: unknown } } | null;
			lastNodeExecuted?: unknown;
		};
	};
}

import type { Sleep } from '../sftp/backoff';
import { redactSecrets } from './redact';

const MAX_REASON = 280;
const FAILED_STATUSES = new Set(['error', 'crashed', 'canceled']);

function bounded(text: string): string {
	const oneLine = text.replace(/\s+/g, ' ').trim();
	return oneLine.length > MAX_REASON ? oneLine.slice(0, MAX_REASON - 1) + '…' : oneLine;
}

/** Failed when the run has an error or ended as error/crashed/canceled. Undefined means no run started (e.g. a deduplicated emission). */
export function runOutcome(run: RunLike | undefined | null): RunOutcome {
	if (!run) return { ok: true };
	const error = run.data?.resultData?.error;
	if (!error && !FAILED_STATUSES.has(String(run.status))) return { ok: true };
	const nodeName = error?.node?.name ?? run.data?.resultData?.lastNodeExecuted;
	const message =
		typeof error?.message === 'string' && error.message
			? error.message
			: `execution ended with status ${String(run.status ?? 'unknown')}`;
	const where = typeof nodeName === 'string' && nodeName ? ` in node "${nodeName}"` : '';
	return { ok: false, reason: bounded(redactSecrets(`Execution failed${where}: ${message}`)) };
}

/** A done promise that rejected: n8n rejects it when the execution was cancelled or could not be started. */
export function rejectedRunOutcome(error: unknown): RunOutcome {
	const message = error instanceof Error ? error.message : String(error);
	return { ok: false, reason: bounded(redactSecrets(`Execution did not complete: ${message}`)) };
}

type Parked =
	{ state: 'pending'; since: number } | { state: 'done'; outcome: RunOutcome; at: number };

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

	private static key(scope: string, name: string, sha256: string): string {
		return `${scope}\u0000${name}\u0000${sha256}`;
	}

	/** Parks the run of one emitted file; `run` must not reject (map rejections with `rejectedRunOutcome`). */
	expect(scope: string, name: string, sha256: string, run: Promise<RunOutcome>): void {
		const key = RunTracker.key(scope, name, sha256);
		this.parked.set(key, { state: 'pending', since: this.clock() });
		this.trim();
		void run
			.catch((error: unknown) => rejectedRunOutcome(error))
			.then((outcome) => {
				this.parked.set(key, { state: 'done', outcome, at: this.clock() });
				for (const wake of [...this.waiters]) wake();
			});
	}

	/** `pending` while the run is going, the outcome once settled, undefined when this process never saw the emission. */
	lookup(scope: string, name: string, sha256: string): 'pending' | RunOutcome | undefined {
		const parked = this.parked.get(RunTracker.key(scope, name, sha256));
		if (!parked) return undefined;
		return parked.state === 'pending' ? 'pending' : parked.outcome;
	}

	/**
	 * Resolves when none of the given files is pending any more, or after `ms`, whichever comes first.
	 * The timer is n8n's (`sleep`); without one it does not wait.
	 */
	async waitFor(
		scope: string,
		files: Array<{ name: string; sha256: string }>,
		ms: number,
		sleep?: Sleep,
	): Promise<void> {
		const stillPending = () =>
			files.some((f) => this.lookup(scope, f.name, f.sha256) === 'pending');
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
