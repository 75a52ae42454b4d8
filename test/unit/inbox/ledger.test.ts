import {
	emptyLedger,
	isDuplicateContent,
	ledgerFrom,
	markFailed,
	markProcessed,
	markUnchangedContent,
	planPoll,
	failedEntries,
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

describe('planPoll', () => {
	it('emits a file at rest on first sight, skips it once processed', () => {
		const ledger = emptyLedger();
		const f = file('a.csv', 10, T0 - 60_000);
		let plan = planPoll(ledger, [f], { settleMs: SETTLE, now: T0, maxFiles: 10 });
		expect(plan.emit.map((x) => x.name)).toEqual(['a.csv']);
		markProcessed(ledger, f, 'aa');
		plan = planPoll(ledger, [f], { settleMs: SETTLE, now: T0 + 1000, maxFiles: 10 });
		expect(plan.emit).toEqual([]);
		expect(plan.skipped).toBe(1);
	});

	it('waits for a growing file until size and mtime hold still for the settle time', () => {
		const ledger = emptyLedger();
		let plan = planPoll(ledger, [file('g.csv', 10, T0)], {
			settleMs: SETTLE,
			now: T0,
			maxFiles: 10,
		});
		expect(plan.waiting.map((x) => x.name)).toEqual(['g.csv']);
		// grew: still waiting even though time passed
		plan = planPoll(ledger, [file('g.csv', 20, T0 + 20_000)], {
			settleMs: SETTLE,
			now: T0 + 40_000,
			maxFiles: 10,
		});
		expect(plan.emit).toEqual([]);
		expect(plan.waiting).toHaveLength(1);
		// unchanged, but not yet for the settle time
		plan = planPoll(ledger, [file('g.csv', 20, T0 + 20_000)], {
			settleMs: SETTLE,
			now: T0 + 45_000,
			maxFiles: 10,
		});
		expect(plan.emit).toEqual([]);
		// unchanged long enough
		plan = planPoll(ledger, [file('g.csv', 20, T0 + 20_000)], {
			settleMs: SETTLE,
			now: T0 + 71_000,
			maxFiles: 10,
		});
		expect(plan.emit.map((x) => x.size)).toEqual([20]);
	});

	it('re-emits a processed file when it changes, after it settles', () => {
		const ledger = emptyLedger();
		const v1 = file('a.csv', 10, T0 - 120_000);
		markProcessed(ledger, v1, 'h1');
		const v2 = file('a.csv', 12, T0);
		expect(
			planPoll(ledger, [v2], { settleMs: SETTLE, now: T0, maxFiles: 10 }).waiting,
		).toHaveLength(1);
		expect(
			planPoll(ledger, [v2], { settleMs: SETTLE, now: T0 + SETTLE, maxFiles: 10 }).emit,
		).toHaveLength(1);
	});

	it('recognises identical content after a touch, but retries touched failed files', () => {
		const ledger = emptyLedger();
		const f = file('a.csv', 10, T0 - 120_000);
		markProcessed(ledger, f, 'h1');
		const touched = file('a.csv', 10, T0 - 60_000);
		planPoll(ledger, [touched], { settleMs: SETTLE, now: T0, maxFiles: 10 });
		expect(isDuplicateContent(ledger, 'a.csv', 'h1')).toBe(true);
		expect(isDuplicateContent(ledger, 'a.csv', 'h2')).toBe(false);
		markUnchangedContent(ledger, touched);
		expect(
			planPoll(ledger, [touched], { settleMs: SETTLE, now: T0 + 1, maxFiles: 10 }).skipped,
		).toBe(1);

		markFailed(ledger, touched, 'h1', 'bad', T0);
		expect(isDuplicateContent(ledger, 'a.csv', 'h1')).toBe(false);
	});

	it('counts failed attempts, keeps a failed unchanged file out until it is replayed (touched)', () => {
		const ledger = emptyLedger();
		const f = file('bad.csv', 5, T0 - 120_000);
		expect(markFailed(ledger, f, 'hx', 'row 3: total', T0).a).toBe(1);
		expect(planPoll(ledger, [f], { settleMs: SETTLE, now: T0 + 1, maxFiles: 10 }).emit).toEqual([]);
		expect(failedEntries(ledger)).toEqual([
			expect.objectContaining({
				name: 'bad.csv',
				state: 'failed',
				reason: 'row 3: total',
				attempts: 1,
			}),
		]);
		// The replay workflow moves it back and touches it: a new mtime, so it is read again once settled.
		const touched = file('bad.csv', 5, T0 + 2);
		planPoll(ledger, [touched], { settleMs: SETTLE, now: T0 + 2, maxFiles: 10 });
		expect(
			planPoll(ledger, [touched], { settleMs: SETTLE, now: T0 + 2 + SETTLE, maxFiles: 10 }).emit,
		).toHaveLength(1);
		expect(markFailed(ledger, touched, 'hx', 'again', T0 + SETTLE + 3).a).toBe(2);
	});

	it('prunes entries of files that are gone and bounds emission by maxFiles, oldest first', () => {
		const ledger = emptyLedger();
		markProcessed(ledger, file('gone.csv', 1, T0 - 999_000), 'h');
		const listing = [
			file('c.csv', 1, T0 - 50_000),
			file('a.csv', 1, T0 - 90_000),
			file('b.csv', 1, T0 - 70_000),
		];
		const plan = planPoll(ledger, listing, { settleMs: SETTLE, now: T0, maxFiles: 2 });
		expect(plan.pruned).toBe(1);
		expect(ledger.files['gone.csv']).toBeUndefined();
		expect(plan.emit.map((x) => x.name)).toEqual(['a.csv', 'b.csv']);
		expect(plan.deferred.map((x) => x.name)).toEqual(['c.csv']);
	});

	it('stays under 2 MB of JSON for 10,000 processed files and survives a JSON round trip', () => {
		const ledger = emptyLedger();
		const hash = 'f'.repeat(64);
		for (let i = 0; i < 10_000; i++)
			markProcessed(
				ledger,
				file(`stampli-invoices-2026-11-20-${String(i).padStart(6, '0')}.csv`, 123_456, T0),
				hash,
			);
		const json = JSON.stringify(ledger);
		expect(json.length).toBeLessThan(2 * 1024 * 1024);
		const restored = ledgerFrom(JSON.parse(json));
		expect(Object.keys(restored.files)).toHaveLength(10_000);
	});

	it('starts empty from missing or foreign static data', () => {
		expect(ledgerFrom(undefined)).toEqual(emptyLedger());
		expect(ledgerFrom({ something: 1 })).toEqual(emptyLedger());
	});
});
