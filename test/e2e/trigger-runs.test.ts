/**
 * The Stampli SFTP Trigger in a real n8n (2.41.1) against the real sshd fixture: what n8n tells the
 * trigger about the executions it starts, and what the trigger makes of it.
 * - a large file goes out in bounded batches, one execution each, and is archived after the last;
 * - a run that waits (Wait node on a webhook) is pending, never success: the file is not archived;
 *   after "Outcome Unknown After" it needs attention;
 * - n8n killed (kill -9) during a run: after the restart the file is emitted again, not archived on trust.
 * Polls are driven by (re)activating the workflow: n8n polls a trigger once on activation.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import {
	quickReclaimAfterKill,
	startN8n,
	triggerLedgerEntry,
	type N8nInstance,
} from '../fixtures/n8n/instance';
import { startSshd, type SshdFixture } from '../fixtures/sshd';
import { invoicesCsv } from '../integration/StampliSftpTrigger/pollContext';

jest.setTimeout(300_000);

const CREDENTIAL = { id: 'sftpTriggerRuns1', name: 'Stampli SFTP (trigger runs)' };
type Json = Record<string, unknown>;

function workflow(
	id: string,
	dir: string,
	trigger: Json,
	next: { type: string; typeVersion: number; parameters: Json },
): Json {
	return {
		id,
		name: `Trigger runs ${id}`,
		active: false,
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
		nodes: [
			{
				id: `${id}-trigger`,
				name: 'Stampli SFTP Trigger',
				type: 'n8n-nodes-stampli.stampliSftpTrigger',
				typeVersion: 1,
				position: [0, 0],
				credentials: { stampliSftpApi: CREDENTIAL },
				parameters: {
					pollTimes: { item: [{ mode: 'everyHour' }] },
					directory: dir,
					settleSeconds: 0,
					...trigger,
				},
			},
			{ id: `${id}-next`, name: 'Next', position: [300, 0], ...next },
		],
		connections: {
			'Stampli SFTP Trigger': { main: [[{ node: 'Next', type: 'main', index: 0 }]] },
		},
	};
}

const NO_OP = { type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} };

describe('Stampli SFTP Trigger in a real n8n: run outcomes', () => {
	let sshd: SshdFixture;
	let n8n: N8nInstance;
	const dir = (name: string) => `${sshd.outboundDir}/${name}`;
	const past = () => new Date(Date.now() - 10 * 60_000);

	const executions = async (workflowId: string) =>
		(await n8n.listExecutions(workflowId)).sort((a, b) => Number(a.id) - Number(b.id));
	/** Deactivate + activate: n8n polls the trigger once, and saves its static data afterwards. */
	const pollOnce = async (workflowId: string) => {
		await n8n.deactivate(workflowId);
		await n8n.activate(workflowId);
	};
	const until = async (what: string, check: () => Promise<boolean> | boolean, ms = 60_000) => {
		const deadline = Date.now() + ms;
		while (Date.now() < deadline) {
			if (await check()) return;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		throw new Error(`timed out waiting until ${what}\n${n8n.logTail(30)}`);
	};
	const ledgerEntry = async (workflowId: string, name: string) =>
		await triggerLedgerEntry(n8n, workflowId, 'Stampli SFTP Trigger', name);

	beforeAll(async () => {
		sshd = await startSshd();
		// A shared, busy machine can take minutes to start n8n.
		n8n = await startN8n({
			startupTimeoutMs: 300_000,
			// The restart test kills n8n while the activation's poll waits for its run; the polls here
			// take at most the 20 s they wait for runs.
			env: quickReclaimAfterKill(60),
			...(process.env.STAMPLI_E2E_KEEP_FOLDER
				? { userFolder: process.env.STAMPLI_E2E_KEEP_FOLDER }
				: {}),
		});
		await n8n.setupOwner();
		await n8n.importCredentials({
			...CREDENTIAL,
			type: 'stampliSftpApi',
			data: {
				host: sshd.host,
				port: sshd.port,
				username: sshd.username,
				password: sshd.password,
				inboundDir: sshd.inboundDir,
				outboundDir: sshd.outboundDir,
				hostKeySha256: sshd.hostKeySha256,
				skipHostKeyVerification: false,
			},
		});
	}, 420_000);

	afterAll(async () => {
		await n8n?.stop();
		await sshd?.stop();
	});

	it('emits a large file as bounded batches, one execution each, and archives it after the last succeeded', async () => {
		const id = 'trBatches0000001';
		sshd.writeFile(`${dir('batches')}/invoices-12.csv`, invoicesCsv('E', 12), past());
		await n8n.importWorkflow(
			workflow(id, dir('batches'), { afterProcessing: 'move', options: { batchSize: 5 } }, NO_OP),
		);
		await n8n.activate(id);
		await until('the file is archived', () =>
			existsSync(sshd.localPath(`${dir('batches')}/archive/invoices-12.csv`)),
		);
		const runs = await executions(id);
		expect(runs.map((r) => r.status)).toEqual(['success', 'success', 'success']);
		const batches = [];
		for (const r of runs) {
			const data = (await n8n.api('GET', `/executions/${r.id}?includeData=true`)) as {
				data: { resultData: { runData: Record<string, Array<{ data: { main: Json[][] } }>> } };
			};
			const items = data.data.resultData.runData['Stampli SFTP Trigger'][0].data.main[0];
			batches.push({
				count: items.length,
				batch: (items[0].json as { source: { batch: Json } }).source.batch,
			});
		}
		expect(batches).toEqual([
			{
				count: 5,
				batch: expect.objectContaining({ index: 1, count: 3, firstItem: 1, lastItem: 5 }),
			},
			{
				count: 5,
				batch: expect.objectContaining({ index: 2, count: 3, firstItem: 6, lastItem: 10 }),
			},
			{
				count: 2,
				batch: expect.objectContaining({ index: 3, count: 3, firstItem: 11, lastItem: 12 }),
			},
		]);
		await n8n.deactivate(id);
	});

	it('a run waiting in a Wait node is pending, not success; once its outcome counts as unknown the file needs attention', async () => {
		const id = 'trWaiting0000001';
		const failedDir = `${dir('waiting')}/failed`;
		sshd.writeFile(`${dir('waiting')}/invoices-w.csv`, invoicesCsv('W', 1), past());
		await n8n.importWorkflow(
			workflow(
				id,
				dir('waiting'),
				{
					afterProcessing: 'move',
					failedDir,
					options: { unknownAfterMinutes: 0.05, ifUnknown: 'needsAttention' },
				},
				{ type: 'n8n-nodes-base.wait', typeVersion: 1.1, parameters: { resume: 'webhook' } },
			),
		);
		await n8n.activate(id);
		await until('the run waits', async () =>
			(await executions(id)).some((r) => r.status === 'waiting'),
		);
		await pollOnce(id);
		expect(existsSync(sshd.localPath(`${dir('waiting')}/invoices-w.csv`))).toBe(true);
		expect(existsSync(sshd.localPath(`${dir('waiting')}/archive`))).toBe(false);
		expect(await ledgerEntry(id, 'invoices-w.csv')).toMatchObject({
			st: 'p',
			w: expect.any(Number),
		});

		// 0.05 minutes later the outcome counts as unknown: a person has to look, nothing is archived.
		await new Promise((resolve) => setTimeout(resolve, 3_500));
		await pollOnce(id);
		await until('the file is set aside', () =>
			existsSync(sshd.localPath(`${failedDir}/invoices-w.csv`)),
		);
		expect(existsSync(sshd.localPath(`${dir('waiting')}/archive`))).toBe(false);
		expect(await ledgerEntry(id, 'invoices-w.csv')).toMatchObject({
			st: 'f',
			d: 2,
			r: expect.stringContaining('waiting'),
		});
		await n8n.deactivate(id);
	});

	it('after n8n is killed during a run, the file is emitted again on restart, and archived only after a run succeeded', async () => {
		const id = 'trRestart0000001';
		sshd.writeFile(`${dir('restart')}/invoices-k.csv`, invoicesCsv('K', 2), past());
		await n8n.importWorkflow(
			workflow(
				id,
				dir('restart'),
				{ afterProcessing: 'move', options: { unknownAfterMinutes: 0.05 } },
				{
					type: 'n8n-nodes-base.wait',
					typeVersion: 1.1,
					// Longer than the 20 s a poll waits for its runs (the first run must still be waiting when n8n
					// is killed, seconds after the emission), shorter than n8n's 65 s in-process limit; the run
					// after the restart waits as long.
					parameters: { resume: 'timeInterval', amount: 25, unit: 'seconds' },
				},
			),
		);
		// Activation is asynchronous (n8n's publication service): wait until the poll emitted the file
		// (its ledger is saved with the emission) — the run then waits 25 s; n8n is killed long before.
		await n8n.activate(id);
		await until('the file is emitted', async () =>
			Boolean((await ledgerEntry(id, 'invoices-k.csv'))?.w),
		);
		expect(await executions(id)).toEqual([]);
		// kill -9 the whole n8n process group while the run waits.
		const pid = Number(
			execFileSync('ss', ['-Hltnp', `sport = :${n8n.port}`])
				.toString()
				.match(/pid=(\d+)/)?.[1],
		);
		expect(pid).toBeGreaterThan(1);
		process.kill(
			-Number(
				execFileSync('ps', ['-o', 'pgid=', String(pid)])
					.toString()
					.trim(),
			),
			'SIGKILL',
		);
		expect(existsSync(sshd.localPath(`${dir('restart')}/archive`))).toBe(false);
		await new Promise((resolve) => setTimeout(resolve, 3_500));

		// On restart n8n activates the workflow: the poll finds the emission it never saw the end of
		// and emits the file again.
		await n8n.restart();
		await until(
			'the second run succeeded',
			async () => (await executions(id)).some((r) => r.status === 'success'),
			// On a busy machine n8n may activate workflows a minute or two after it is ready.
			300_000,
		);
		expect(existsSync(sshd.localPath(`${dir('restart')}/archive`))).toBe(false);
		await pollOnce(id);
		await until('the file is archived', () =>
			existsSync(sshd.localPath(`${dir('restart')}/archive/invoices-k.csv`)),
		);
		const runs = await executions(id);
		expect(runs).toHaveLength(2);
		expect(runs[1].status).toBe('success');
		expect(runs[0].status).not.toBe('success');
		expect(readdirSync(sshd.localPath(`${dir('restart')}/archive`))).toEqual(['invoices-k.csv']);
		expect(readFileSync(sshd.localPath(`${dir('restart')}/archive/invoices-k.csv`), 'utf8')).toBe(
			invoicesCsv('K', 2),
		);
	});
});
