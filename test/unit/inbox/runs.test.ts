import { sleep } from 'n8n-workflow';
import {
	RunTracker,
	awaitingRuns,
	describeEntry,
	emptyLedger,
	failedEntries,
	isDuplicateContent,
	markAwaitingRun,
	markRunFailed,
	markRunSucceeded,
	markFailed,
	markProcessed,
	planPoll,
	redactSecrets,
	rejectedRunOutcome,
	runOutcome,
	type ListedFile,
} from '../../../nodes/shared/inbox';

const T0 = Date.UTC(2026, 10, 20, 10, 0, 0);
const file = (name: string, size: number, mtimeMs: number): ListedFile => ({
	name,
	path: `/out/${name}`,
	size,
	mtimeMs,
});
const SETTLE = 30_000;

describe('ledger: downstream execution outcomes', () => {
	it('a processed file awaiting its run is skipped, then marked failed with reason, attempts and time', () => {
		const ledger = emptyLedger();
		const f = file('a.csv', 10, T0 - 60_000);
		markProcessed(ledger, f, 'h1');
		markAwaitingRun(ledger, 'a.csv', T0);
		expect(awaitingRuns(ledger)).toEqual([{ name: 'a.csv', sha256: 'h1', since: T0 }]);
		expect(describeEntry('a.csv', ledger.files['a.csv'])).toMatchObject({
			state: 'processed',
			awaitingRun: true,
		});
		// Not emitted again while its run is going.
		expect(planPoll(ledger, [f], { settleMs: SETTLE, now: T0 + 1000, maxFiles: 10 }).emit).toEqual(
			[],
		);

		const entry = markRunFailed(
			ledger,
			'a.csv',
			'h1',
			'Execution failed in node "Odoo": 502',
			T0 + 5000,
		);
		expect(entry).toMatchObject({
			st: 'f',
			h: 'h1',
			a: 1,
			t: T0 + 5000,
			r: 'Execution failed in node "Odoo": 502',
			d: 1,
		});
		expect(entry!.w).toBeUndefined();
		expect(awaitingRuns(ledger)).toEqual([]);
		expect(failedEntries(ledger)).toEqual([
			expect.objectContaining({
				name: 'a.csv',
				state: 'failed',
				failedIn: 'execution',
				attempts: 1,
				reason: 'Execution failed in node "Odoo": 502',
				lastAttemptAt: new Date(T0 + 5000).toISOString(),
			}),
		]);
		// Applying the same outcome twice does nothing (the entry no longer awaits a run).
		expect(markRunFailed(ledger, 'a.csv', 'h1', 'again', T0 + 6000)).toBeUndefined();
		expect(ledger.files['a.csv'].a).toBe(1);
	});

	it('a downstream failure is retried when the file changes or is touched, and attempts keep counting until a run succeeds', () => {
		const ledger = emptyLedger();
		const v1 = file('a.csv', 10, T0 - 120_000);
		markProcessed(ledger, v1, 'h1');
		markAwaitingRun(ledger, 'a.csv', T0);
		markRunFailed(ledger, 'a.csv', 'h1', 'boom', T0 + 1000);
		// Unchanged: stays failed, not re-emitted.
		expect(planPoll(ledger, [v1], { settleMs: SETTLE, now: T0 + 2000, maxFiles: 10 }).skipped).toBe(
			1,
		);
		// Touched with the same bytes: a failed file is never a duplicate, so it is emitted again.
		const touched = file('a.csv', 10, T0 + 3000);
		planPoll(ledger, [touched], { settleMs: SETTLE, now: T0 + 3000, maxFiles: 10 });
		expect(
			planPoll(ledger, [touched], { settleMs: SETTLE, now: T0 + 3000 + SETTLE, maxFiles: 10 }).emit,
		).toHaveLength(1);
		expect(isDuplicateContent(ledger, 'a.csv', 'h1')).toBe(false);
		markProcessed(ledger, touched, 'h1');
		expect(ledger.files['a.csv'].a).toBe(1);
		markAwaitingRun(ledger, 'a.csv', T0 + 40_000);
		expect(markRunFailed(ledger, 'a.csv', 'h1', 'boom again', T0 + 41_000)!.a).toBe(2);
		// Third try succeeds: plainly processed, attempts cleared.
		markProcessed(ledger, touched, 'h1');
		markAwaitingRun(ledger, 'a.csv', T0 + 50_000);
		expect(markRunSucceeded(ledger, 'a.csv', 'h1')).toBe(true);
		expect(ledger.files['a.csv']).toEqual({
			s: 10,
			m: Math.floor((T0 + 3000) / 1000),
			st: 'p',
			h: 'h1',
		});
		expect(markRunSucceeded(ledger, 'a.csv', 'h1')).toBe(false);
	});

	it('ignores an outcome for content that changed or was pruned since it was emitted', () => {
		const ledger = emptyLedger();
		const v1 = file('a.csv', 10, T0 - 120_000);
		markProcessed(ledger, v1, 'h1');
		markAwaitingRun(ledger, 'a.csv', T0);
		// Rewritten while its run was going: the new look no longer awaits the old run.
		planPoll(ledger, [file('a.csv', 20, T0 + 1000)], {
			settleMs: SETTLE,
			now: T0 + 1000,
			maxFiles: 10,
		});
		expect(ledger.files['a.csv'].w).toBeUndefined();
		expect(markRunFailed(ledger, 'a.csv', 'h1', 'old run failed', T0 + 2000)).toBeUndefined();
		expect(ledger.files['a.csv'].st).toBe('p');
		// Different hash than the one awaited.
		markProcessed(ledger, file('a.csv', 20, T0 + 1000), 'h2');
		markAwaitingRun(ledger, 'a.csv', T0 + 40_000);
		expect(markRunFailed(ledger, 'a.csv', 'h1', 'x', T0 + 41_000)).toBeUndefined();
		expect(markRunFailed(ledger, 'gone.csv', 'h1', 'x', T0 + 41_000)).toBeUndefined();
	});

	it('a file that failed to parse keeps reporting failedIn "file"', () => {
		const ledger = emptyLedger();
		markFailed(ledger, file('b.csv', 5, T0 - 60_000), 'hb', 'row 3: bad date', T0);
		expect(failedEntries(ledger)[0]).toMatchObject({ failedIn: 'file', awaitingRun: false });
	});
});

describe('runOutcome', () => {
	it('reads success, errors and failing statuses from an n8n run', () => {
		expect(runOutcome({ status: 'success', data: { resultData: {} } })).toEqual({ ok: true });
		expect(runOutcome(undefined)).toEqual({ ok: true });
		expect(runOutcome({ status: 'waiting', data: { resultData: {} } })).toEqual({ ok: true });
		expect(
			runOutcome({
				status: 'error',
				data: {
					resultData: { error: { message: 'Vendor not found', node: { name: 'Odoo Bills' } } },
				},
			}),
		).toEqual({
			ok: false,
			reason: 'Execution failed in node "Odoo Bills": Vendor not found',
		});
		// An error recorded without the status (older runtimes) still counts.
		expect(
			runOutcome({
				status: 'success',
				data: { resultData: { error: { message: 'late' }, lastNodeExecuted: 'Code' } },
			}),
		).toEqual({
			ok: false,
			reason: 'Execution failed in node "Code": late',
		});
		expect(runOutcome({ status: 'crashed', data: { resultData: {} } })).toEqual({
			ok: false,
			reason: 'Execution failed: execution ended with status crashed',
		});
		expect(runOutcome({ status: 'canceled' })).toMatchObject({ ok: false });
		expect(rejectedRunOutcome(new Error('The execution was cancelled'))).toEqual({
			ok: false,
			reason: 'Execution did not complete: The execution was cancelled',
		});
	});

	it('never keeps credentials from an error message, and bounds the reason', () => {
		const secretish =
			'Request to https://admin:S3cr3t!@odoo.example.com/jsonrpc failed; Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig; password=hunter22 api_key="k-123456789"';
		const { reason } = runOutcome({
			status: 'error',
			data: { resultData: { error: { message: secretish + ' ' + 'x'.repeat(500) } } },
		}) as { reason: string };
		for (const secret of ['S3cr3t!', 'eyJhbGciOiJIUzI1NiJ9', 'hunter22', 'k-123456789'])
			expect(reason).not.toContain(secret);
		expect(reason).toContain('https://***@odoo.example.com/jsonrpc');
		expect(reason.length).toBeLessThanOrEqual(280);
		expect(redactSecrets('token: abc.def client_secret=xyz')).toBe('token: *** client_secret=***');
	});
});

describe('RunTracker', () => {
	it('reports pending, then the outcome; unknown emissions are undefined; scopes are separate', async () => {
		const tracker = new RunTracker();
		let finish!: (o: { ok: false; reason: string }) => void;
		tracker.expect('wf1/n1', 'a.csv', 'h1', new Promise((resolve) => (finish = resolve)));
		expect(tracker.lookup('wf1/n1', 'a.csv', 'h1')).toBe('pending');
		expect(tracker.lookup('wf2/n1', 'a.csv', 'h1')).toBeUndefined();
		expect(tracker.lookup('wf1/n1', 'a.csv', 'h2')).toBeUndefined();
		const waiting = tracker.waitFor('wf1/n1', [{ name: 'a.csv', sha256: 'h1' }], 60_000, sleep);
		finish({ ok: false, reason: 'boom' });
		await waiting;
		expect(tracker.lookup('wf1/n1', 'a.csv', 'h1')).toEqual({ ok: false, reason: 'boom' });
	});

	it('turns a rejected run into a failure and drops settled outcomes after keepMs, never pending ones', async () => {
		let now = T0;
		const tracker = new RunTracker({ keepMs: 1000, maxEntries: 2, clock: () => now });
		tracker.expect('s', 'a', 'h', Promise.reject(new Error('cancelled')));
		tracker.expect('s', 'p', 'h', new Promise(() => undefined));
		await tracker.waitFor('s', [{ name: 'a', sha256: 'h' }], 60_000, sleep);
		expect(tracker.lookup('s', 'a', 'h')).toEqual({
			ok: false,
			reason: 'Execution did not complete: cancelled',
		});
		now += 2000;
		tracker.expect('s', 'b', 'h', Promise.resolve({ ok: true }));
		expect(tracker.lookup('s', 'a', 'h')).toBeUndefined();
		expect(tracker.lookup('s', 'p', 'h')).toBe('pending');
		expect(tracker.size).toBe(2);
	});
});

describe('timers come from n8n', () => {
	it('waitFor waits on the injected sleep and stops it once the runs settled; without one it does not wait', async () => {
		const tracker = new RunTracker();
		let finish!: (o: { ok: true }) => void;
		tracker.expect('s', 'a', 'h', new Promise((resolve) => (finish = resolve)));
		const asked: number[] = [];
		let aborted = false;
		const fakeSleep = async (ms: number, signal?: AbortSignal) => {
			asked.push(ms);
			await new Promise<void>((_, reject) =>
				signal?.addEventListener('abort', () => {
					aborted = true;
					reject(new Error('aborted'));
				}),
			);
		};
		const waiting = tracker.waitFor('s', [{ name: 'a', sha256: 'h' }], 5_000, fakeSleep);
		finish({ ok: true });
		await waiting;
		expect(asked).toEqual([5_000]);
		expect(aborted).toBe(true);

		tracker.expect('s', 'b', 'h', new Promise(() => undefined));
		// No timer injected: returns at once although the run is still pending.
		await tracker.waitFor('s', [{ name: 'b', sha256: 'h' }], 60_000);
		expect(tracker.lookup('s', 'b', 'h')).toBe('pending');
	});
});
