/**
 * The trigger's side of exactly once, through the node's poll() against a real sshd: a file is never
 * archived, deleted or moved unless it is byte for byte what was emitted and every run it started
 * succeeded; an unknown or waiting outcome is never taken as success; a large file goes out in
 * bounded batches; failure reasons keep no secrets.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { StampliSftpTrigger } from '../../../nodes/StampliSftpTrigger/StampliSftpTrigger.node';
import { describeEntry, ledgerFrom } from '../../../nodes/shared/inbox';
import { useSshd } from '../../fixtures/sshd';
import {
	HEADER,
	autoSettle,
	fakePollFunctions,
	invoiceCsv,
	invoiceRow,
	invoicesCsv,
	run,
	type Emission,
} from './pollContext';

jest.setTimeout(60_000);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const ids = (emission: Emission) => emission.items.map((item) => item.json.stampliInvoiceId);

describe('Stampli SFTP Trigger: exactly once on the trigger side', () => {
	const sshd = useSshd();
	const trigger = new StampliSftpTrigger();
	let minutesAgo = 30;
	/** A distinct mtime in the past for every write (whole seconds, as SFTP reports them). */
	const past = () => new Date(Math.floor((Date.now() - minutesAgo-- * 60_000) / 1000) * 1000);

	/** Parameters may name directories inside the watched one: `params` gets its path. */
	function setup(name: string, params: IDataObject | ((dir: string) => IDataObject)) {
		const f = sshd();
		const dir = `${f.outboundDir}/${name}`;
		const staticData: IDataObject = {};
		const emissions: Emission[] = [];
		const own = typeof params === 'function' ? params(dir) : params;
		const all = { directory: dir, settleSeconds: 0, ...own };
		const ctx = fakePollFunctions(f, `wf-${name}`, all, staticData, emissions);
		const entry = (file: string) => {
			const e = ledgerFrom(staticData.ledger).files[file];
			return e ? describeEntry(file, e) : undefined;
		};
		const poll = async (context: IPollFunctions = ctx) => await trigger.poll.call(context);
		return { f, dir, params: all, staticData, emissions, ctx, entry, poll };
	}

	describe('a writer that stalls longer than the settle time', () => {
		it('leaves a file cut mid-row where it is (no failure, nothing in failed/), and emits all rows once complete', async () => {
			// The templates' settings: leave in place, failed files to a failed directory.
			const t = setup('stall-cut', (dir) => ({
				afterProcessing: 'leave',
				failedDir: `${dir}/failed`,
			}));
			const failedDir = `${t.dir}/failed`;
			const full = invoicesCsv('W', 3);
			t.f.writeFile(`${t.dir}/invoices-w.csv`, full.slice(0, full.length - 20), past());
			await t.poll();
			expect(t.emissions).toHaveLength(0);
			expect(existsSync(t.f.localPath(failedDir))).toBe(false);
			expect(t.entry('invoices-w.csv')?.state).toBe('pending');

			t.f.writeFile(`${t.dir}/invoices-w.csv`, full, past());
			await t.poll();
			expect(t.emissions.map(ids)).toEqual([['W-1', 'W-2', 'W-3']]);
			t.emissions[0].done!.resolve(run('success'));
			await t.poll();
			expect(t.entry('invoices-w.csv')?.state).toBe('processed');
			expect(existsSync(t.f.localPath(failedDir))).toBe(false);
		});

		it('does not archive a file the writer went on writing after it was emitted: it is read again and every row is emitted', async () => {
			const t = setup('stall-boundary', { afterProcessing: 'move' });
			const path = `${t.dir}/invoices-b.csv`;
			const firstPart = HEADER + '\r\n' + invoiceRow('B-1', '1.00') + invoiceRow('B-2', '2.00');
			t.f.writeFile(path, firstPart, past());
			await t.poll();
			expect(t.emissions.map(ids)).toEqual([['B-1', 'B-2']]);

			// The writer resumes while the run is going.
			const whole = firstPart + invoiceRow('B-3', '3.00');
			t.f.writeFile(path, whole, past());
			t.emissions[0].done!.resolve(run('success'));
			await t.poll();
			expect(existsSync(t.f.localPath(path))).toBe(true);
			expect(existsSync(t.f.localPath(`${t.dir}/archive/invoices-b.csv`))).toBe(false);
			await t.poll();
			expect(t.emissions.map(ids)).toEqual([
				['B-1', 'B-2'],
				['B-1', 'B-2', 'B-3'],
			]);

			t.emissions[1].done!.resolve(run('success'));
			await t.poll();
			expect(readFileSync(t.f.localPath(`${t.dir}/archive/invoices-b.csv`), 'utf8')).toBe(whole);
			expect(existsSync(t.f.localPath(path))).toBe(false);
		});

		it('does not take a 0-byte file held open as "failed: empty"', async () => {
			const t = setup('stall-empty', (dir) => ({
				afterProcessing: 'leave',
				failedDir: `${dir}/failed`,
			}));
			const failedDir = `${t.dir}/failed`;
			t.f.writeFile(`${t.dir}/invoices-e.csv`, '', past());
			await t.poll();
			await t.poll();
			expect(t.emissions).toHaveLength(0);
			expect(t.entry('invoices-e.csv')?.state).toBe('pending');
			expect(existsSync(t.f.localPath(failedDir))).toBe(false);

			t.f.writeFile(`${t.dir}/invoices-e.csv`, invoiceCsv('E-1', '5.00'), past());
			await t.poll();
			expect(t.emissions.map(ids)).toEqual([['E-1']]);
		});
	});

	describe('same-name rewrites', () => {
		it('a run of the old content never archives a rewrite with the same size in the same second', async () => {
			const t = setup('rewrite-move', { afterProcessing: 'move' });
			const path = `${t.dir}/invoices-r.csv`;
			const mtime = past();
			const v1 = invoiceCsv('R-1', '10.00');
			const v2 = invoiceCsv('R-2', '10.00');
			expect(v2.length).toBe(v1.length);
			t.f.writeFile(path, v1, mtime);
			await t.poll();
			expect(t.emissions.map(ids)).toEqual([['R-1']]);
			t.f.writeFile(path, v2, mtime);
			t.emissions[0].done!.resolve(run('success'));
			await t.poll();
			expect(existsSync(t.f.localPath(`${t.dir}/archive/invoices-r.csv`))).toBe(false);
			await t.poll();
			expect(t.emissions.map(ids)).toEqual([['R-1'], ['R-2']]);
			t.emissions[1].done!.resolve(run('success'));
			await t.poll();
			expect(readFileSync(t.f.localPath(`${t.dir}/archive/invoices-r.csv`), 'utf8')).toBe(v2);
		});

		it('notices a same-size rewrite within the second of a processed file left in place', async () => {
			const t = setup('rewrite-leave', { afterProcessing: 'leave' });
			autoSettle(t.ctx, () => run('success'));
			const path = `${t.dir}/invoices-l.csv`;
			const mtime = new Date(Math.floor(Date.now() / 1000) * 1000);
			t.f.writeFile(path, invoiceCsv('L-1', '10.00'), mtime);
			await t.poll();
			expect(t.entry('invoices-l.csv')?.state).toBe('processed');
			t.f.writeFile(path, invoiceCsv('L-2', '10.00'), mtime);
			await t.poll();
			await t.poll();
			expect(t.emissions.map(ids)).toEqual([['L-1'], ['L-2']]);
		});
	});

	describe('run outcomes', () => {
		it('after a restart, a file whose run this process never saw is emitted again, never archived on trust', async () => {
			const t = setup('restart', { afterProcessing: 'move', options: { unknownAfterMinutes: 0 } });
			t.f.writeFile(`${t.dir}/invoices-k.csv`, invoiceCsv('K-1', '7.00'), past());
			await t.poll();
			expect(t.emissions).toHaveLength(1);
			// What n8n saved with the emission; the run dies with the process.
			const saved = JSON.parse(JSON.stringify(t.staticData)) as IDataObject;

			const restarted = freshTrigger();
			const emissions: Emission[] = [];
			const ctx = fakePollFunctions(t.f, 'wf-restart', t.params, saved, emissions);
			await restarted.poll.call(ctx);
			expect(existsSync(t.f.localPath(`${t.dir}/archive/invoices-k.csv`))).toBe(false);
			expect(emissions.map(ids)).toEqual([['K-1']]);
			expect(emissions[0].items[0].json.source).toBeDefined();
			emissions[0].done!.resolve(run('success'));
			await restarted.poll.call(ctx);
			expect(readdirSync(t.f.localPath(`${t.dir}/archive`))).toEqual(['invoices-k.csv']);
		});

		it('or hands it to a person ("needs attention") when the user chose that', async () => {
			const t = setup('restart-attention', (dir) => ({
				afterProcessing: 'move',
				failedDir: `${dir}/failed`,
				options: { unknownAfterMinutes: 0, ifUnknown: 'needsAttention' },
			}));
			t.f.writeFile(`${t.dir}/invoices-n.csv`, invoiceCsv('N-1', '7.00'), past());
			await t.poll();
			const saved = JSON.parse(JSON.stringify(t.staticData)) as IDataObject;
			const emissions: Emission[] = [];
			await freshTrigger().poll.call(
				fakePollFunctions(t.f, 'wf-attention', t.params, saved, emissions),
			);
			expect(emissions).toHaveLength(0);
			expect(readdirSync(t.f.localPath(`${t.dir}/failed`))).toEqual(['invoices-n.csv']);
			expect(existsSync(t.f.localPath(`${t.dir}/archive`))).toBe(false);
			const entry = describeEntry(
				'invoices-n.csv',
				ledgerFrom(saved.ledger).files['invoices-n.csv'],
			);
			expect(entry).toMatchObject({
				state: 'needsAttention',
				failedIn: 'unknown',
				inFailedDir: true,
			});
			expect(entry.reason).toMatch(/unknown/);
		});

		it('a waiting run (Wait node) is pending, not success: the file is not archived while it waits', async () => {
			const t = setup('waiting', { afterProcessing: 'move', options: { unknownAfterMinutes: 0 } });
			t.f.writeFile(`${t.dir}/invoices-q.csv`, invoiceCsv('Q-1', '7.00'), past());
			await t.poll();
			t.emissions[0].done!.resolve(run('waiting', undefined, new Date(Date.now() + 3_600_000)));
			await t.poll();
			await t.poll();
			expect(existsSync(t.f.localPath(`${t.dir}/archive`))).toBe(false);
			expect(t.emissions).toHaveLength(1);
			expect(t.entry('invoices-q.csv')).toMatchObject({ state: 'awaitingRun' });
		});

		it('a run n8n never reports (a queue-mode job lost with a Redis restart) is emitted again after the unknown-outcome time, not awaited forever', async () => {
			const patient = setup('unreported-wait', { afterProcessing: 'move' });
			patient.f.writeFile(`${patient.dir}/invoices-u.csv`, invoiceCsv('U-1', '7.00'), past());
			await patient.poll();
			await patient.poll();
			// Within the unknown-outcome time (default 60 minutes) a silent run is still awaited.
			expect(patient.emissions).toHaveLength(1);
			expect(patient.entry('invoices-u.csv')).toMatchObject({ state: 'awaitingRun' });

			const t = setup('unreported', {
				afterProcessing: 'move',
				options: { unknownAfterMinutes: 0 },
			});
			t.f.writeFile(`${t.dir}/invoices-r.csv`, invoiceCsv('R-1', '7.00'), past());
			await t.poll();
			// The poll that emitted it does not give up on its own run.
			expect(t.entry('invoices-r.csv')).toMatchObject({ state: 'awaitingRun' });
			await t.poll();
			expect(t.emissions.map(ids)).toEqual([['R-1'], ['R-1']]);
			expect(existsSync(t.f.localPath(`${t.dir}/archive`))).toBe(false);
			t.emissions[1].done!.resolve(run('success'));
			await t.poll();
			expect(readdirSync(t.f.localPath(`${t.dir}/archive`))).toEqual(['invoices-r.csv']);
		});

		it('a crashed run is not success either: the file is emitted again', async () => {
			const t = setup('crashed', { afterProcessing: 'move' });
			t.f.writeFile(`${t.dir}/invoices-c.csv`, invoiceCsv('C-1', '7.00'), past());
			await t.poll();
			t.emissions[0].done!.resolve(run('crashed'));
			await t.poll();
			expect(existsSync(t.f.localPath(`${t.dir}/archive`))).toBe(false);
			expect(t.emissions.map(ids)).toEqual([['C-1'], ['C-1']]);
		});

		it('runs one poll of a trigger at a time: an overlapping poll does not emit the same file twice', async () => {
			const t = setup('overlap', { afterProcessing: 'leave', options: { batchSize: 100_000 } });
			// Big enough that the first poll is still reading it when the second one lists the directory.
			t.f.writeFile(`${t.dir}/invoices-o.csv`, invoicesCsv('O', 20_000), past());
			const first = t.poll();
			await new Promise((resolve) => setImmediate(resolve));
			await Promise.all([first, t.poll()]);
			expect(t.emissions).toHaveLength(1);
		});
	});

	describe('bounded batches', () => {
		it('emits a large file as batches, one after the other, each with its range and the file hash; archives it when all succeeded', async () => {
			const t = setup('batches', { afterProcessing: 'move', options: { batchSize: 5 } });
			autoSettle(t.ctx, () => run('success'));
			const content = invoicesCsv('M', 12);
			t.f.writeFile(`${t.dir}/invoices-m.csv`, content, past());
			await t.poll();
			expect(t.emissions.map((e) => e.items.length)).toEqual([5, 5, 2]);
			const batches = t.emissions.map((e) => (e.items[0].json.source as IDataObject).batch);
			expect(batches).toEqual(
				[1, 2, 3].map((index) => ({
					index,
					count: 3,
					firstItem: (index - 1) * 5 + 1,
					lastItem: Math.min(index * 5, 12),
					fileItems: 12,
					fileRecords: 12,
					fileInvalid: 0,
				})),
			);
			for (const emission of t.emissions)
				for (const item of emission.items)
					expect((item.json.source as IDataObject).sha256).toBe(sha256(content));
			expect(t.emissions.flatMap(ids)).toEqual(Array.from({ length: 12 }, (_, i) => `M-${i + 1}`));
			await t.poll();
			expect(readdirSync(t.f.localPath(`${t.dir}/archive`))).toEqual(['invoices-m.csv']);
		});

		it('a failed batch fails the file: the rest is not emitted, the file is rolled back, and a replay starts over', async () => {
			const t = setup('batch-fail', (dir) => ({
				afterProcessing: 'move',
				failedDir: `${dir}/failed`,
				options: { batchSize: 5 },
			}));
			const failedDir = `${t.dir}/failed`;
			autoSettle(t.ctx, (i) => (i === 1 ? run('error', 'Odoo is down') : run('success')));
			t.f.writeFile(`${t.dir}/invoices-f.csv`, invoicesCsv('F', 12), past());
			await t.poll();
			await t.poll();
			expect(t.emissions.map((e) => e.items.length)).toEqual([5, 5]);
			expect(readdirSync(t.f.localPath(failedDir))).toEqual(['invoices-f.csv']);
			expect(t.entry('invoices-f.csv')).toMatchObject({
				state: 'failed',
				failedIn: 'execution',
				reason: 'Execution failed in node "Odoo Bills": Odoo is down (batch 2 of 3)',
			});
		});

		it('refuses a file over the record ceiling with a clear reason', async () => {
			const t = setup('ceiling', { afterProcessing: 'leave', options: { maxRecordsPerFile: 10 } });
			t.f.writeFile(`${t.dir}/invoices-x.csv`, invoicesCsv('X', 12), past());
			await t.poll();
			expect(t.emissions).toHaveLength(1);
			expect(t.emissions[0].items.map((i) => (i.json.error as IDataObject).reason)).toEqual([
				expect.stringMatching(/holds more than 10 records/),
			]);
			expect(t.entry('invoices-x.csv')).toMatchObject({ state: 'failed', failedIn: 'file' });
		});
	});

	it('keeps the credential’s own secrets and secret-looking values out of stored failure reasons', async () => {
		const t = setup('redact', { afterProcessing: 'leave' });
		t.f.writeFile(`${t.dir}/invoices-s.csv`, invoiceCsv('S-1', '7.00'), past());
		await t.poll();
		t.emissions[0].done!.resolve(
			run(
				'error',
				`Upstream said ${t.f.password} is not accepted; Invalid API key k-1234567890abcdef`,
			),
		);
		await t.poll();
		const stored = JSON.stringify(t.staticData);
		expect(t.entry('invoices-s.csv')?.state).toBe('failed');
		expect(stored).not.toContain(t.f.password);
		expect(stored).not.toContain('k-1234567890abcdef');
	});
});

/** The trigger as loaded by a new n8n process: its module state (the run tracker) starts empty. */
function freshTrigger(): StampliSftpTrigger {
	let fresh!: typeof StampliSftpTrigger;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		fresh = require('../../../nodes/StampliSftpTrigger/StampliSftpTrigger.node').StampliSftpTrigger;
	});
	return new fresh();
}
