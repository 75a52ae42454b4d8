import {
	INCOMPLETE_GRACE_MS,
	dataFiles,
	doneFileName,
	emptyLedger,
	endsWithCompleteRecord,
	isDuplicateContent,
	ledgerFrom,
	markFailed,
	markEmitted,
	markUnchangedContent,
	planPoll,
	failedEntries,
} from '../../../nodes/shared/inbox';

import { SETTLE, T0, file } from './listing';

describe('planPoll', () => {
	it('emits a file at rest on first sight, skips it once processed', () => {
		const ledger = emptyLedger();
		const f = file('a.csv', 10, T0 - 60_000);
		let plan = planPoll(ledger, [f], { settleMs: SETTLE, now: T0, maxFiles: 10 });
		expect(plan.emit.map((x) => x.name)).toEqual(['a.csv']);
		markEmitted(ledger, f, 'aa');
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
		markEmitted(ledger, v1, 'h1');
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
		markEmitted(ledger, f, 'h1');
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
		markEmitted(ledger, file('gone.csv', 1, T0 - 999_000), 'h');
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
			markEmitted(
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

describe('read lock: what is not ready', () => {
	it('never takes a 0-byte file as ready (a writer may hold it open), until it stayed empty for the grace time', () => {
		const ledger = emptyLedger();
		const empty = file('held.csv', 0, T0 - 600_000);
		const plan = planPoll(ledger, [empty], { settleMs: SETTLE, now: T0, maxFiles: 10 });
		expect(plan.emit).toEqual([]);
		expect(plan.waiting.map((f) => f.name)).toEqual(['held.csv']);
		expect(ledger.files['held.csv'].st).toBeUndefined();
		expect(
			planPoll(ledger, [empty], { settleMs: SETTLE, now: T0 + SETTLE * 10, maxFiles: 10 }).emit,
		).toEqual([]);
		expect(
			planPoll(ledger, [empty], {
				settleMs: SETTLE,
				now: T0 + INCOMPLETE_GRACE_MS,
				maxFiles: 10,
			}).emit.map((f) => f.name),
		).toEqual(['held.csv']);
	});

	it('with the done-file lock, a file is ready only while its marker exists; markers are not data files', () => {
		const ledger = emptyLedger();
		const readyWhen = { kind: 'doneFile' as const, template: '{base}.ok' };
		const data = file('invoices-1.csv', 10, T0 - 600_000);
		const listing = [data, file('invoices-1.ok', 0, T0)];
		expect(dataFiles(listing, '*', readyWhen).map((f) => f.name)).toEqual(['invoices-1.csv']);
		let plan = planPoll(ledger, [data], {
			settleMs: 0,
			now: T0,
			maxFiles: 10,
			readyWhen,
			allNames: new Set([data.name]),
		});
		expect(plan.waiting.map((f) => f.name)).toEqual(['invoices-1.csv']);
		plan = planPoll(ledger, [data], {
			settleMs: 0,
			now: T0 + 1000,
			maxFiles: 10,
			readyWhen,
			allNames: new Set(listing.map((f) => f.name)),
		});
		expect(plan.emit.map((f) => f.name)).toEqual(['invoices-1.csv']);
		expect(doneFileName('{name}.done', 'a.csv')).toBe('a.csv.done');
		expect(doneFileName('{base}.ok', 'a.b.csv')).toBe('a.b.ok');
	});

	it('tells a complete last record from a cut one: CSV by its final line break, XML by the closing root tag', () => {
		const csv = (text: string) => endsWithCompleteRecord('x.csv', Buffer.from(text));
		expect(csv('a,b\r\n1,2\r\n')).toBe(true);
		expect(csv('a,b\n1,2\n')).toBe(true);
		expect(csv('a,b\r\n1,2')).toBe(false);
		const head = Buffer.from('<?xml version="1.0"?>\n<!-- export -->\n<InvoiceExport><Invoice>');
		const xml = (tail: string) => endsWithCompleteRecord('x.xml', Buffer.from(tail), head);
		expect(xml('</Invoice>\n</InvoiceExport>\n')).toBe(true);
		// Cut right after an inner element: ends with '>' but the document is not finished.
		expect(xml('<Line><Amount>5</Amount></Line></Invoice>')).toBe(false);
		expect(xml('</Invoice>\n</InvoiceExp')).toBe(false);
		expect(
			endsWithCompleteRecord(
				'x.xml',
				Buffer.from('<InvoiceExport/>'),
				Buffer.from('<InvoiceExport/>'),
			),
		).toBe(true);
		// UTF-16 text carries NUL bytes.
		expect(
			endsWithCompleteRecord(
				'x.xml',
				Buffer.from('</InvoiceExport>\n', 'utf16le'),
				Buffer.from('<InvoiceExport>', 'utf16le'),
			),
		).toBe(true);
		expect(endsWithCompleteRecord('x.bin', Buffer.from('anything'))).toBe(true);
	});
});

describe('ledger: files set aside and same-second rewrites', () => {
	it('keeps the entry of a failed file while it is in the failed directory, with its reason and attempts', () => {
		const ledger = emptyLedger();
		const f = file('bad.csv', 5, T0 - 120_000);
		markFailed(ledger, f, 'hx', 'row 3: total', T0);
		markFailed(ledger, f, 'hx', 'row 3: total', T0 + 1);
		ledger.files['bad.csv'].x = 1;
		// Moved away: not in the watched directory, but listed in the failed one.
		let plan = planPoll(ledger, [], {
			settleMs: SETTLE,
			now: T0 + 2,
			maxFiles: 10,
			setAside: new Set(['bad.csv']),
		});
		expect(plan.pruned).toBe(0);
		expect(failedEntries(ledger)[0]).toMatchObject({
			attempts: 2,
			reason: 'row 3: total',
			inFailedDir: true,
		});
		// Replayed: back in the watched directory (touched) — attempts keep counting.
		const back = file('bad.csv', 5, T0 + 10_000);
		planPoll(ledger, [back], { settleMs: 0, now: T0 + 10_000, maxFiles: 10 });
		expect(ledger.files['bad.csv']).toMatchObject({ a: 2, st: 'f' });
		expect(ledger.files['bad.csv'].x).toBeUndefined();
		// Gone from both: pruned.
		ledger.files['bad.csv'].x = 1;
		plan = planPoll(ledger, [], {
			settleMs: SETTLE,
			now: T0 + 20_000,
			maxFiles: 10,
			setAside: new Set(),
		});
		expect(plan.pruned).toBe(1);
	});

	it('asks for a re-hash of unchanged files whose content was read within the second of their mtime', () => {
		const ledger = emptyLedger();
		const f = file('a.csv', 10, T0);
		markEmitted(ledger, f, 'h1', { recent: true });
		const plan = planPoll(ledger, [f], { settleMs: 0, now: T0 + 500, maxFiles: 10 });
		expect(plan.recheck.map((x) => x.name)).toEqual(['a.csv']);
		expect(plan.skipped).toBe(0);
		markEmitted(ledger, file('b.csv', 10, T0 - 600_000), 'h2');
		expect(
			planPoll(ledger, [file('b.csv', 10, T0 - 600_000)], { settleMs: 0, now: T0, maxFiles: 10 })
				.recheck,
		).toEqual([]);
	});
});
