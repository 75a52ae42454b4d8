/**
 * The Stampli SFTP Trigger node's poll() against a real sshd, with a minimal IPollFunctions standing in
 * for n8n's PollContext: each emitted file carries a done promise (as n8n's __emit accepts), the test
 * settles it with a run the way n8n's ActiveExecutions does, and the next polls apply the outcome.
 */
import type { IDataObject } from 'n8n-workflow';
import { existsSync, readdirSync } from 'node:fs';
import { StampliSftpTrigger } from '../../../nodes/StampliSftpTrigger/StampliSftpTrigger.node';
import { describeEntry, ledgerFrom } from '../../../nodes/shared/inbox';
import { useSshd } from '../../fixtures/sshd';
import { fakePollFunctions, invoiceCsv, run, type Emission } from './pollContext';

jest.setTimeout(60_000);

describe('Stampli SFTP Trigger node: failed downstream executions', () => {
	const sshd = useSshd();
	const trigger = new StampliSftpTrigger();
	const oldMtime = () => new Date(Date.now() - 10 * 60_000);
	const ledgerOf = (staticData: IDataObject) => ledgerFrom(staticData.ledger);

	it('marks a file failed when its execution fails, keeps it out of later polls, and retries it once it changes', async () => {
		const f = sshd();
		const dir = `${f.outboundDir}/downstream-leave`;
		f.writeFile(`${dir}/invoices-a.csv`, invoiceCsv('A-1', '100.00'), oldMtime());
		const staticData: IDataObject = {};
		const emissions: Emission[] = [];
		const ctx = fakePollFunctions(
			f,
			'wf-leave',
			{ directory: dir, settleSeconds: 0, afterProcessing: 'leave' },
			staticData,
			emissions,
		);

		expect(await trigger.poll.call(ctx)).toBeNull();
		expect(emissions).toHaveLength(1);
		expect(emissions[0].done).toBeDefined();
		expect(emissions[0].items[0].json).toMatchObject({ stampliInvoiceId: 'A-1' });
		// The run has not finished: processed (not emitted again) but awaiting.
		expect(
			describeEntry('invoices-a.csv', ledgerOf(staticData).files['invoices-a.csv']),
		).toMatchObject({ state: 'awaitingRun', awaitingRun: true });

		// n8n settles the done promise when the execution ends; this one failed.
		emissions[0].done!.resolve(run('error', `Odoo refused the bill; password=${f.password}`));
		expect(await trigger.poll.call(ctx)).toBeNull();
		expect(emissions).toHaveLength(1);
		const failed = describeEntry('invoices-a.csv', ledgerOf(staticData).files['invoices-a.csv']);
		expect(failed).toMatchObject({
			state: 'failed',
			failedIn: 'execution',
			attempts: 1,
			awaitingRun: false,
		});
		expect(failed.reason).toBe(
			'Execution failed in node "Odoo Bills": Odoo refused the bill; password=***',
		);
		expect(Date.parse(failed.lastAttemptAt!)).not.toBeNaN();
		expect(JSON.stringify(staticData)).not.toContain(f.password);
		// Left in place (no failed dir), unchanged: not emitted again.
		expect(existsSync(f.localPath(`${dir}/invoices-a.csv`))).toBe(true);
		await trigger.poll.call(ctx);
		expect(emissions).toHaveLength(1);

		// A corrected re-upload is retried automatically; its run succeeds and the entry is plainly processed.
		f.writeFile(`${dir}/invoices-a.csv`, invoiceCsv('A-1', '101.00'), oldMtime());
		await trigger.poll.call(ctx);
		expect(emissions).toHaveLength(2);
		expect(emissions[1].items[0].json).toMatchObject({
			stampliInvoiceId: 'A-1',
			total: expect.stringMatching(/^101(\.0+)?$/),
		});
		emissions[1].done!.resolve(run('success'));
		await trigger.poll.call(ctx);
		expect(
			describeEntry('invoices-a.csv', ledgerOf(staticData).files['invoices-a.csv']),
		).toMatchObject({ state: 'processed', awaitingRun: false, attempts: undefined });
		expect(emissions).toHaveLength(2);
	});

	it('archives a file only after its execution succeeded and moves a file whose execution failed to the failed directory', async () => {
		const f = sshd();
		const dir = `${f.outboundDir}/downstream-move`;
		f.writeFile(
			`${dir}/invoices-ok.csv`,
			invoiceCsv('OK-1', '10.00'),
			new Date(Date.now() - 20 * 60_000),
		);
		f.writeFile(`${dir}/invoices-bad.csv`, invoiceCsv('BAD-1', '20.00'), oldMtime());
		const staticData: IDataObject = {};
		const emissions: Emission[] = [];
		const params = {
			directory: dir,
			settleSeconds: 0,
			afterProcessing: 'move',
			archiveDir: `${dir}/archive`,
			failedDir: `${dir}/failed`,
		};
		const ctx = fakePollFunctions(f, 'wf-move', params, staticData, emissions);
		const originalEmit = ctx.__emit;
		// The first file's execution finishes while the poll is still open: it is archived in the same poll.
		ctx.__emit = (data, response, done) => {
			originalEmit(data, response, done);
			if (emissions.length === 1) setImmediate(() => done!.resolve(run('success')));
		};

		await trigger.poll.call(ctx);
		expect(emissions.map((e) => e.items[0].json.stampliInvoiceId)).toEqual(['OK-1', 'BAD-1']);
		expect(readdirSync(f.localPath(`${dir}/archive`))).toEqual(['invoices-ok.csv']);
		// The second run is still going: not archived yet.
		expect(existsSync(f.localPath(`${dir}/invoices-bad.csv`))).toBe(true);

		emissions[1].done!.resolve(run('error', 'Vendor V-1 not found'));
		await trigger.poll.call(ctx);
		expect(readdirSync(f.localPath(`${dir}/failed`))).toEqual(['invoices-bad.csv']);
		expect(readdirSync(f.localPath(`${dir}/archive`))).toEqual(['invoices-ok.csv']);
		expect(existsSync(f.localPath(`${dir}/invoices-bad.csv`))).toBe(false);
		// Gone from the watched directory, but its entry (reason, attempts) stays while the failed dir holds it.
		expect(Object.keys(ledgerOf(staticData).files)).toEqual(['invoices-bad.csv']);
		expect(
			describeEntry('invoices-bad.csv', ledgerOf(staticData).files['invoices-bad.csv']),
		).toMatchObject({
			state: 'failed',
			failedIn: 'execution',
			attempts: 1,
			inFailedDir: true,
			reason: 'Execution failed in node "Odoo Bills": Vendor V-1 not found',
		});
		expect(emissions).toHaveLength(2);
	});

	it('re-applies an outcome to a ledger reloaded from an older save (durable scheduler) without moving twice', async () => {
		const f = sshd();
		const dir = `${f.outboundDir}/downstream-reload`;
		f.writeFile(`${dir}/invoices-r.csv`, invoiceCsv('R-1', '5.00'), oldMtime());
		const saved: IDataObject = {};
		const emissions: Emission[] = [];
		const params = {
			directory: dir,
			settleSeconds: 0,
			afterProcessing: 'leave',
			failedDir: `${dir}/failed`,
		};
		await trigger.poll.call(fakePollFunctions(f, 'wf-reload', params, saved, emissions));
		// What n8n saved with the emission (static data is written in __emit, before the run).
		const savedAtEmit = JSON.stringify(saved);
		emissions[0].done!.resolve(run('error', 'boom'));

		// Each durable poll reads static data from the database: the save from the emission, twice.
		for (let i = 0; i < 2; i++) {
			const reloaded = JSON.parse(savedAtEmit) as IDataObject;
			await trigger.poll.call(fakePollFunctions(f, 'wf-reload', params, reloaded, emissions));
			expect(readdirSync(f.localPath(`${dir}/failed`))).toEqual(['invoices-r.csv']);
		}
		expect(emissions).toHaveLength(1);
	});
});
