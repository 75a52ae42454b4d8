import { sleep } from 'n8n-workflow';
import {
	RunTracker,
	awaitingRuns,
	describeEntry,
	emptyLedger,
	failedEntries,
	isDuplicateContent,
	markEmitted,
	markRunFailed,
	markRunSucceeded,
	markFailed,
	planPoll,
	redactSecrets,
	rejectedRunOutcome,
	runOutcome,
} from '../../../nodes/shared/inbox';

import { SETTLE, T0, file } from './listing';

describe('ledger: execution outcomes', () => {
	it('an emitted file awaiting its runs is skipped, then marked failed with reason, attempts and time', () => {
		const ledger = emptyLedger();
		const f = file('a.csv', 10, T0 - 60_000);
		markEmitted(ledger, f, 'h1', { awaitingSince: T0, batches: 1 });
		expect(awaitingRuns(ledger)).toEqual([
			{ name: 'a.csv', sha256: 'h1', since: T0, batches: { emitted: 0, total: 1, nextItem: 0 } },
		]);
		expect(describeEntry('a.csv', ledger.files['a.csv'])).toMatchObject({
			state: 'awaitingRun',
			awaitingRun: true,
		});
		// Not emitted again while its run is going (and the same content read again is a duplicate).
		expect(planPoll(ledger, [f], { settleMs: SETTLE, now: T0 + 1000, maxFiles: 10 }).emit).toEqual(
			[],
		);
		expect(isDuplicateContent(ledger, 'a.csv', 'h1')).toBe(true);

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

	it('a failure is retried when the file changes or is touched, and attempts keep counting until a run succeeds', () => {
		const ledger = emptyLedger();
		const v1 = file('a.csv', 10, T0 - 120_000);
		markEmitted(ledger, v1, 'h1', { awaitingSince: T0 });
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
		markEmitted(ledger, touched, 'h1', { awaitingSince: T0 + 40_000 });
		expect(ledger.files['a.csv'].a).toBe(1);
		expect(markRunFailed(ledger, 'a.csv', 'h1', 'boom again', T0 + 41_000)!.a).toBe(2);
		// Third try succeeds: plainly processed, attempts cleared.
		markEmitted(ledger, touched, 'h1', { awaitingSince: T0 + 50_000 });
		expect(markRunSucceeded(ledger, 'a.csv', 'h1', T0 + 51_000)).toBe('processed');
		expect(ledger.files['a.csv']).toEqual({
			s: 10,
			m: Math.floor((T0 + 3000) / 1000),
			st: 'p',
			h: 'h1',
		});
		expect(markRunSucceeded(ledger, 'a.csv', 'h1', T0 + 52_000)).toBeUndefined();
	});

	it('a file with invalid records becomes failed for them once its runs succeeded', () => {
		const ledger = emptyLedger();
		markEmitted(ledger, file('p.csv', 10, T0 - 60_000), 'hp', {
			awaitingSince: T0,
			invalid: '1 invalid record(s) of 3; first: row 2 (field Total): not a number',
		});
		expect(markRunSucceeded(ledger, 'p.csv', 'hp', T0 + 1)).toBe('invalidRecords');
		expect(describeEntry('p.csv', ledger.files['p.csv'])).toMatchObject({
			state: 'failed',
			failedIn: 'file',
			attempts: 1,
			reason: expect.stringContaining('row 2 (field Total)'),
		});
	});

	it('ignores an outcome for content that changed or was pruned since it was emitted', () => {
		const ledger = emptyLedger();
		const v1 = file('a.csv', 10, T0 - 120_000);
		markEmitted(ledger, v1, 'h1', { awaitingSince: T0 });
		// Rewritten while its run was going: the new look no longer awaits the old run.
		planPoll(ledger, [file('a.csv', 20, T0 + 1000)], {
			settleMs: SETTLE,
			now: T0 + 1000,
			maxFiles: 10,
		});
		expect(ledger.files['a.csv'].w).toBeUndefined();
		expect(markRunFailed(ledger, 'a.csv', 'h1', 'old run failed', T0 + 2000)).toBeUndefined();
		expect(markRunSucceeded(ledger, 'a.csv', 'h1', T0 + 2000)).toBeUndefined();
		// Different hash than the one awaited.
		markEmitted(ledger, file('a.csv', 20, T0 + 1000), 'h2', { awaitingSince: T0 + 40_000 });
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
		expect(runOutcome({ status: 'success', data: { resultData: {} } })).toEqual({
			state: 'succeeded',
		});
		expect(
			runOutcome({
				status: 'error',
				data: {
					resultData: { error: { message: 'Vendor not found', node: { name: 'Odoo Bills' } } },
				},
			}),
		).toEqual({
			state: 'failed',
			reason: 'Execution failed in node "Odoo Bills": Vendor not found',
		});
		// An error recorded without the status (older runtimes) still counts.
		expect(
			runOutcome({
				status: 'success',
				data: { resultData: { error: { message: 'late' }, lastNodeExecuted: 'Code' } },
			}),
		).toEqual({ state: 'failed', reason: 'Execution failed in node "Code": late' });
		expect(runOutcome({ status: 'canceled' })).toMatchObject({ state: 'failed' });
		expect(rejectedRunOutcome(new Error('The execution was cancelled'))).toEqual({
			state: 'failed',
			reason: 'Execution did not complete: The execution was cancelled',
		});
	});

	it('never reads success into a run that is waiting, crashed, still running, or was never started', () => {
		const until = new Date(T0 + 3_600_000);
		expect(runOutcome({ status: 'waiting', waitTill: until, data: { resultData: {} } })).toEqual({
			state: 'waiting',
			until: until.getTime(),
			reason: expect.stringContaining('waiting'),
		});
		expect(runOutcome({ status: 'crashed', data: { resultData: {} } })).toMatchObject({
			state: 'unknown',
		});
		expect(runOutcome({ status: 'running' })).toMatchObject({ state: 'unknown' });
		expect(runOutcome(undefined)).toMatchObject({ state: 'unknown' });
		expect(runOutcome({ finished: true })).toEqual({ state: 'succeeded' });
		expect(runOutcome({})).toMatchObject({ state: 'unknown' });
		// n8n cancels running executions when it shuts down; a queue-mode job whose worker died stalls.
		const shutdown = Object.assign(new Error('The execution was cancelled'), {
			name: 'SystemShutdownExecutionCancelledError',
		});
		expect(rejectedRunOutcome(shutdown)).toMatchObject({ state: 'unknown' });
		expect(rejectedRunOutcome(new Error('job stalled more than allowable limit'))).toMatchObject({
			state: 'unknown',
		});
		// Queue mode: the worker running it died and Bull gave up; n8n records an error run.
		expect(
			runOutcome({
				status: 'error',
				data: {
					resultData: {
						error: {
							message:
								'This execution failed to be processed too many times and will no longer retry. To allow this execution to complete, please break down your workflow or scale up your workers or adjust your worker settings.',
						},
					},
				},
			}),
		).toMatchObject({ state: 'unknown' });
	});

	it('never keeps credentials from an error message, and bounds the reason', () => {
		const secretish =
			'Request to https://admin:S3cr3t!@odoo.example.com/jsonrpc failed; Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig; password=hunter22 api_key="k-123456789"';
		const outcome = runOutcome({
			status: 'error',
			data: { resultData: { error: { message: secretish + ' ' + 'x'.repeat(500) } } },
		});
		const reason = outcome.state === 'failed' ? outcome.reason : '';
		for (const secret of ['S3cr3t!', 'eyJhbGciOiJIUzI1NiJ9', 'hunter22', 'k-123456789'])
			expect(reason).not.toContain(secret);
		expect(reason).toContain('https://***@odoo.example.com/jsonrpc');
		expect(reason.length).toBeLessThanOrEqual(280);
		expect(redactSecrets('token: abc.def client_secret=xyz')).toBe('token: *** client_secret=***');
	});
});

describe('redactSecrets', () => {
	it('masks secret-looking values after words like "API key" and "token", not only key=value pairs', () => {
		const text = redactSecrets(
			'Invalid API key 4f9a1c0de77b2a3f9e8d7c6b5a4f3e2d1c0b9a8f; refresh token AB11773984xyzQWE rejected; token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig',
		);
		expect(text).not.toContain('4f9a1c0de77b2a3f9e8d7c6b5a4f3e2d1c0b9a8f');
		expect(text).not.toContain('AB11773984xyzQWE');
		expect(text).not.toContain('eyJhbGciOiJSUzI1NiJ9');
		expect(text).toContain('Invalid API key ***');
		// Plain words after them stay readable.
		expect(redactSecrets('The token expired; refresh the credential')).toBe(
			'The token expired; refresh the credential',
		);
	});

	it('masks the values the trigger knows (its own password, private key and passphrase), however they appear', () => {
		const password = 'Pa55-w0rd!x';
		const key =
			'-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\nAAAAMwAAAAtzc2gtZWQyNTUxOQAAACBkZXZlbG9wZXI\n-----END OPENSSH PRIVATE KEY-----';
		const text = redactSecrets(
			`login failed for ${password} (${encodeURIComponent(password)}); key line b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ leaked; passphrase was hunter-two-2`,
			[password, key, 'hunter-two-2'],
		);
		for (const leaked of [
			password,
			encodeURIComponent(password),
			'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ',
			'hunter-two-2',
		])
			expect(text).not.toContain(leaked);
		expect(redactSecrets(`x ${key} y`)).not.toContain('b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ');
	});
});

describe('RunTracker', () => {
	const key = (name: string, sha256 = 'h', batch = 1) => ({ name, sha256, batch });

	it('reports pending, then the outcome; unknown emissions are undefined; scopes and batches are separate', async () => {
		const tracker = new RunTracker();
		let finish!: (o: { state: 'failed'; reason: string }) => void;
		tracker.expect('wf1/n1', key('a.csv', 'h1'), new Promise((resolve) => (finish = resolve)));
		expect(tracker.lookup('wf1/n1', key('a.csv', 'h1'))).toBe('pending');
		expect(tracker.lookup('wf2/n1', key('a.csv', 'h1'))).toBeUndefined();
		expect(tracker.lookup('wf1/n1', key('a.csv', 'h2'))).toBeUndefined();
		expect(tracker.lookup('wf1/n1', key('a.csv', 'h1', 2))).toBeUndefined();
		const waiting = tracker.waitFor('wf1/n1', [key('a.csv', 'h1')], 60_000, sleep);
		finish({ state: 'failed', reason: 'boom' });
		await waiting;
		expect(tracker.lookup('wf1/n1', key('a.csv', 'h1'))).toEqual({
			state: 'failed',
			reason: 'boom',
		});
	});

	it('reads a rejected run and drops settled outcomes after keepMs, never pending ones', async () => {
		let now = T0;
		const tracker = new RunTracker({ keepMs: 1000, maxEntries: 2, clock: () => now });
		tracker.expect('s', key('a'), Promise.reject(new Error('cancelled')));
		tracker.expect('s', key('p'), new Promise(() => undefined));
		await tracker.waitFor('s', [key('a')], 60_000, sleep);
		expect(tracker.lookup('s', key('a'))).toEqual({
			state: 'failed',
			reason: 'Execution did not complete: cancelled',
		});
		now += 2000;
		tracker.expect('s', key('b'), Promise.resolve({ state: 'succeeded' }));
		expect(tracker.lookup('s', key('a'))).toBeUndefined();
		expect(tracker.lookup('s', key('p'))).toBe('pending');
		expect(tracker.size).toBe(2);
	});

	it('lets one poll of a trigger run at a time in a process', () => {
		const tracker = new RunTracker();
		const release = tracker.beginPoll('wf/n');
		expect(release).toBeDefined();
		expect(tracker.beginPoll('wf/n')).toBeUndefined();
		expect(tracker.beginPoll('wf/other')).toBeDefined();
		release!();
		expect(tracker.beginPoll('wf/n')).toBeDefined();
	});
});

describe('timers come from n8n', () => {
	it('waitFor waits on the injected sleep and stops it once the runs settled; without one it does not wait', async () => {
		const tracker = new RunTracker();
		let finish!: (o: { state: 'succeeded' }) => void;
		tracker.expect('s', key0('a'), new Promise((resolve) => (finish = resolve)));
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
		const waiting = tracker.waitFor('s', [key0('a')], 5_000, fakeSleep);
		finish({ state: 'succeeded' });
		await waiting;
		expect(asked).toEqual([5_000]);
		expect(aborted).toBe(true);

		tracker.expect('s', key0('b'), new Promise(() => undefined));
		// No timer injected: returns at once although the run is still pending.
		await tracker.waitFor('s', [key0('b')], 60_000);
		expect(tracker.lookup('s', key0('b'))).toBe('pending');
	});
});

function key0(name: string) {
	return { name, sha256: 'h', batch: 1 };
}
