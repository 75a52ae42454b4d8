/**
 * Stampli → Odoo bills in n8n queue mode against one real Odoo in prefork mode (`workers = 2`): how
 * much a second n8n worker adds when the ERP is the same.
 *
 * Peers: real Odoo 17 (ODOO_QUEUE_BENCH_VERSION=19.0 for 19) with two HTTP worker processes, the real
 * OpenSSH sshd, and n8n 2.41.1 in queue mode (main + workers on Redis and PostgreSQL). The shipped
 * Stampli → Odoo bills template is imported the way a user sets it up (test/kit/templates.ts) and
 * watches its own SFTP directory, archiving each file after its run.
 *
 * One run per worker count (default 1, then 2; the first is the baseline), each on a fresh copy of the
 * template database and its own directory: FILES exports of INVOICES invoices are dropped at once and
 * the workflow is activated (n8n polls on activation). Throughput = bills ÷ (activation → last
 * execution finished); "archived" is when the trigger's next poll moved the last file away. Each n8n
 * worker takes one execution at a time (ODOO_QUEUE_BENCH_CONCURRENCY), so n workers = n executions
 * writing to Odoo at once. CPU seconds of Odoo, its PostgreSQL and n8n come from /proc, beside the
 * machine's (2 cores shared with other work).
 *
 * Knobs: ODOO_QUEUE_BENCH_FILES (20), _INVOICES (500 per file), _LINES (2 per invoice),
 * _WORKERS (1,2), _CONCURRENCY (1), _VERSION (17.0), _POLL_MINUTES (1).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createOdooClient, type OdooClient } from '../nodes/shared/odoo';
import { CREDENTIAL_IDS, NODE } from '../workflows/source/catalog';
import { startQuickBooksEmulator } from '../test/emulators/quickbooks';
import {
	executionWithData,
	listExecutions,
	type ExecutionSummary,
} from '../test/fixtures/n8n/executions';
import {
	createOdooDatabase,
	psqlAsync,
	startOdoo,
	type OdooDatabase,
	type OdooVersion,
} from '../test/fixtures/odoo';
import { startQueueMode, type QueueMode } from '../test/fixtures/queue';
import { startSshd, type SshdFixture } from '../test/fixtures/sshd';
import { invoiceCsv, invoices } from '../test/faults/exports';
import { VENDOR } from '../test/faults/world';
import { standInCredentials, type CredentialJson, type ErpStandIns } from '../test/kit/standIns';
import {
	importTemplates,
	loadTemplates,
	withNodeParameters,
	type WorkflowJson,
} from '../test/kit/templates';
import { cpuMeter, pidsListeningOn, pidsWithCommandLine } from './lib/cpu';
import { printTable, target } from './lib/measure';

const FILES = Number(process.env.ODOO_QUEUE_BENCH_FILES ?? 20);
const INVOICES = Number(process.env.ODOO_QUEUE_BENCH_INVOICES ?? 500);
const LINES = Number(process.env.ODOO_QUEUE_BENCH_LINES ?? 2);
const WORKER_COUNTS = (process.env.ODOO_QUEUE_BENCH_WORKERS ?? '1,2')
	.split(',')
	.map((n) => Number(n.trim()));
const CONCURRENCY = Number(process.env.ODOO_QUEUE_BENCH_CONCURRENCY ?? 1);
const VERSION = (process.env.ODOO_QUEUE_BENCH_VERSION ?? '17.0') as OdooVersion;
const POLL_MINUTES = Number(process.env.ODOO_QUEUE_BENCH_POLL_MINUTES ?? 1);
/** A second worker should add at least half a worker's throughput, unless Odoo is the limit. */
const TARGET_RATIO = 1.5;
const BILLS = FILES * INVOICES;
/** Bound on one run: generous for a loaded machine (real Odoo writes about 1–3 bills a second here). */
const RUN_TIMEOUT_MS = Math.max(600_000, BILLS * 2_000);

const log = (message: string) => process.stderr.write(`[odoo-queue] ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Run {
	workers: number;
	db: OdooDatabase;
	tag: string;
	dir: string;
	credentialId: string;
}

interface Result {
	workers: number;
	bills: number;
	seconds: number;
	billsPerMinute: number;
	archivedSeconds: number | undefined;
	executions: number;
	failedExecutions: number;
	perWorker: string;
	cpu: Record<string, number>;
	/** Share of samples in which at least one of Odoo's database sessions waited for a lock. */
	lockWaitShare: number;
	load: number;
}

/**
 * Samples Odoo's PostgreSQL sessions every second until stopped: how often one of them waits
 * for a row or index lock another Odoo transaction holds (two writers serialised inside the ERP).
 */
function lockWaitSampler(socketDir: string, database: string) {
	let samples = 0;
	let waiting = 0;
	let running = true;
	const loop = (async () => {
		while (running) {
			const out = await psqlAsync(
				socketDir,
				`SELECT count(*) FROM pg_stat_activity WHERE datname = '${database}' AND wait_event_type = 'Lock'`,
			).catch(() => '');
			const count = Number(out.trim().split('\n').pop());
			if (Number.isFinite(count) && out.trim()) {
				samples++;
				if (count > 0) waiting++;
			}
			await sleep(1_000);
		}
	})();
	return async () => {
		running = false;
		await loop;
		return samples ? waiting / samples : 0;
	};
}

/** The partner the exports name (by its Stampli vendor id in `ref`) and the company's currency. */
async function seedVendor(odoo: OdooClient): Promise<string> {
	await odoo.create('res.partner', [
		{ name: VENDOR.name, ref: VENDOR.id, is_company: true, supplier_rank: 1 },
	]);
	const uid = await odoo.uid();
	const [user] = await odoo.read('res.users', [uid], ['company_id']);
	const [company] = await odoo.read(
		'res.company',
		[(user.company_id as [number, string])[0]],
		['currency_id'],
	);
	return (company.currency_id as [number, string])[1];
}

function odooClient(db: OdooDatabase): OdooClient {
	return createOdooClient({
		url: db.url,
		db: db.db,
		login: db.login,
		apiKey: db.apiKey,
		protocol: 'xmlrpc',
	});
}

/** The bills template pointed at the run's directory and Odoo credential, polling every POLL_MINUTES. */
function billsTemplate(template: WorkflowJson, run: Run): WorkflowJson {
	const watching = withNodeParameters(template, NODE.trigger, {
		directory: run.dir,
		afterProcessing: 'move',
		archiveDir: `${run.dir}/archive`,
		failedDir: `${run.dir}-failed`,
		settleSeconds: 0,
		maxFiles: Math.max(FILES, 20),
		pollTimes: { item: [{ mode: 'everyX', value: POLL_MINUTES, unit: 'minutes' }] },
	});
	return {
		...watching,
		name: `${template.name} [${run.workers} worker bench]`,
		nodes: watching.nodes.map((node) => {
			const credentials = node.credentials as Record<string, unknown> | undefined;
			if (!credentials?.stampliOdooApi) return node;
			return {
				...node,
				credentials: {
					...credentials,
					stampliOdooApi: { id: run.credentialId, name: `Odoo bench (${run.workers} workers)` },
				},
			};
		}),
	};
}

function listFiles(sshd: SshdFixture, dir: string): string[] {
	try {
		return fs.readdirSync(sshd.localPath(dir)).filter((name) => name.endsWith('.csv'));
	} catch {
		return [];
	}
}

/** Waits until `count` executions of the workflow have finished and none is running. */
async function waitForAll(
	queue: QueueMode,
	workflowId: string,
	count: number,
): Promise<ExecutionSummary[]> {
	const deadline = Date.now() + RUN_TIMEOUT_MS;
	let seen = 0;
	while (Date.now() < deadline) {
		const all = await listExecutions(queue, workflowId);
		const finished = all.filter((execution) => execution.stoppedAt);
		if (finished.length >= count && finished.length === all.length) return finished;
		if (finished.length !== seen) {
			seen = finished.length;
			log(`${seen}/${count} executions finished`);
		}
		await sleep(2_000);
	}
	throw new Error(
		`${count} executions did not finish within ${RUN_TIMEOUT_MS / 1000} s\n${queue.logTail(40)}`,
	);
}

async function main(): Promise<void> {
	const maxWorkers = Math.max(...WORKER_COUNTS);
	console.log(
		`Stampli → Odoo bills in n8n queue mode: ${FILES} files × ${INVOICES} invoices × ${LINES} lines = ${BILLS} bills per run, real Odoo ${VERSION} prefork (workers = 2), n8n workers ${WORKER_COUNTS.join(' then ')} (concurrency ${CONCURRENCY} each); machine: ${os.cpus().length} cores, shared`,
	);
	const stops: Array<() => Promise<void>> = [];
	try {
		const [odoo, sshd, qbo] = await Promise.all([
			startOdoo({ version: VERSION, workers: 2, log }),
			startSshd(),
			// Only so the shared stand-in credentials are complete; this bench never calls QuickBooks.
			startQuickBooksEmulator(),
		]);
		stops.push(
			() => odoo.stop(),
			() => sshd.stop(),
			() => qbo.stop(),
		);
		const runs: Run[] = [];
		for (const workers of WORKER_COUNTS) {
			const db = await createOdooDatabase(odoo.server, `queue_bench_${workers}w`);
			runs.push({
				workers,
				db,
				tag: `QB${workers}W${runs.length}`,
				dir: `${sshd.outboundDir}/bench-${runs.length}-${workers}w`,
				credentialId: `odooQueueBench${runs.length}`,
			});
		}
		const currencies = await Promise.all(runs.map(async (run) => seedVendor(odooClient(run.db))));

		log('starting n8n in queue mode');
		const queue = await startQueueMode({ workers: maxWorkers, concurrency: CONCURRENCY });
		stops.unshift(() => queue.stop());
		await queue.setupOwner();
		const shared = standInCredentials(sshd, {
			odoo: { url: odoo.url, db: odoo.db, login: odoo.login, apiKey: odoo.apiKey },
			quickbooks: qbo,
		} as unknown as ErpStandIns);
		const odooCredential = shared.find((c) => c.id === CREDENTIAL_IDS.stampliOdooApi)!;
		const perRun: CredentialJson[] = runs.map((run) => ({
			...odooCredential,
			id: run.credentialId,
			name: `Odoo bench (${run.workers} workers)`,
			data: { ...odooCredential.data, database: run.db.db },
		}));
		await queue.importCredentials([...shared, ...perRun]);
		const workflowIds: string[] = [];
		for (const run of runs) {
			const templates = loadTemplates();
			const ids = await importTemplates(queue, {
				...templates,
				odooBills: billsTemplate(templates.odooBills, run),
			});
			workflowIds.push(ids.odooBills);
		}

		const odooConf = path.join(path.dirname(odoo.server.logFile), 'odoo.conf');
		const odooPg = path.join(path.dirname(odoo.server.logFile), 'pg', 'data');
		const results: Result[] = [];
		for (const [index, run] of runs.entries()) {
			// The first `run.workers` workers run, the others are stopped.
			for (const [k, worker] of queue.workers.entries()) {
				if (k < run.workers && !worker.running()) await worker.start();
				if (k >= run.workers && worker.running()) await worker.stop();
			}
			const alreadyRan = new Map(queue.executionWorkers());
			const list = invoices(run.tag, INVOICES * FILES, currencies[index], LINES);
			const past = new Date(Date.now() - 5 * 60_000);
			sshd.writeFile(`${run.dir}-failed/.keep`, '');
			for (let f = 0; f < FILES; f++)
				sshd.writeFile(
					`${run.dir}/invoices-${run.tag}-${String(f + 1).padStart(2, '0')}.csv`,
					invoiceCsv(list.slice(f * INVOICES, (f + 1) * INVOICES)),
					past,
				);
			const meter = cpuMeter({
				odoo: () => pidsWithCommandLine(odooConf),
				odooPostgres: () => pidsWithCommandLine(odooPg),
				n8n: () => [
					...pidsListeningOn(queue.port),
					...queue.workers.flatMap((w) => (w.running() ? pidsListeningOn(w.healthPort) : [])),
				],
			});
			const load = os.loadavg()[0];
			log(`run ${index + 1}: ${run.workers} worker(s), ${BILLS} bills`);
			meter.start();
			const stopSampling = lockWaitSampler(odoo.server.socketDir, run.db.db);
			const started = Date.now();
			await queue.activate(workflowIds[index]);
			const executions = await waitForAll(queue, workflowIds[index], FILES);
			const finishedAt = Math.max(...executions.map((e) => new Date(e.stoppedAt!).getTime()));
			const cpu = meter.stop();
			const lockWaitShare = await stopSampling();
			const wallSeconds = (finishedAt - started) / 1000;
			let archivedSeconds: number | undefined;
			const archiveDeadline = Date.now() + (POLL_MINUTES * 60_000 + 120_000);
			while (Date.now() < archiveDeadline) {
				if (listFiles(sshd, `${run.dir}/archive`).length === FILES) {
					archivedSeconds = (Date.now() - started) / 1000;
					break;
				}
				await sleep(1_000);
			}
			await queue.deactivate(workflowIds[index]);
			const written = await odooClient(run.db).searchRead(
				'account.move',
				[
					['move_type', '=', 'in_invoice'],
					['ref', '=like', `${run.tag}-%`],
				],
				{ fields: ['ref'] },
			);
			const distinct = new Set(written.map((row) => String(row.ref))).size;
			if (written.length !== BILLS || distinct !== BILLS)
				throw new Error(
					`run with ${run.workers} worker(s): ${written.length} bills in Odoo (${distinct} distinct refs), expected ${BILLS} once each`,
				);
			for (const failed of executions.filter((e) => e.status !== 'success')) {
				const data = await executionWithData(queue, failed.id);
				const error = data.data?.resultData?.error;
				console.log(
					`execution ${failed.id} (${run.workers} worker run) ended ${failed.status} in "${data.data?.resultData?.lastNodeExecuted ?? '?'}": ${String(error?.message ?? 'no error recorded').slice(0, 400)}`,
				);
			}
			const ranOn = queue.executionWorkers();
			const perWorker = new Map<string, number>();
			for (const execution of executions)
				if (!alreadyRan.has(execution.id)) {
					const name = ranOn.get(execution.id) ?? '?';
					perWorker.set(name, (perWorker.get(name) ?? 0) + 1);
				}
			results.push({
				workers: run.workers,
				bills: written.length,
				seconds: wallSeconds,
				billsPerMinute: (written.length / wallSeconds) * 60,
				archivedSeconds,
				executions: executions.length,
				failedExecutions: executions.filter((e) => e.status !== 'success').length,
				perWorker: [...perWorker.entries()]
					.sort()
					.map(([name, n]) => `${name}:${n}`)
					.join(' '),
				cpu: Object.fromEntries(
					Object.entries(cpu).map(([name, seconds]) => [name, seconds / wallSeconds]),
				),
				lockWaitShare,
				load: Math.round(((load + os.loadavg()[0]) / 2) * 10) / 10,
			});
			log(
				`run ${index + 1}: ${Math.round(results.at(-1)!.billsPerMinute)} bills/min in ${wallSeconds} s`,
			);
		}

		const base = results[0];
		console.log(
			`\nCPU columns: cores busy on average over the run (1.0 = one core all the time; the machine has ${os.cpus().length}). Odoo lock waits: share of one-second samples in which an Odoo database session waited for a lock held by another (writers serialised inside Odoo).`,
		);
		printTable(
			results.map((r) => ({
				'n8n workers': r.workers,
				bills: r.bills,
				'poll → last run s': r.seconds,
				'bills/min': Math.round(r.billsPerMinute),
				'× baseline': Math.round((100 * r.billsPerMinute) / base.billsPerMinute) / 100,
				'archived s': r.archivedSeconds ?? 'not within a poll + 120 s',
				'runs (failed)': `${r.executions} (${r.failedExecutions})`,
				'runs per worker': r.perWorker,
				'Odoo cores': r.cpu.odoo,
				'Odoo PG cores': r.cpu.odooPostgres,
				'n8n cores': r.cpu.n8n,
				'machine cores': r.cpu.machine,
				'Odoo % of machine': Math.round((100 * r.cpu.odoo) / r.cpu.machine),
				'Odoo lock waits %': Math.round(100 * r.lockWaitShare),
				load: r.load,
			})),
		);
		for (const r of results.slice(1)) {
			const ratio = r.billsPerMinute / base.billsPerMinute;
			target(
				`${r.workers} n8n workers ≥ ${TARGET_RATIO}× the 1-worker throughput against one prefork Odoo: ${ratio.toFixed(2)}× (${Math.round(r.billsPerMinute)} vs ${Math.round(base.billsPerMinute)} bills/min; machine ${r.cpu.machine.toFixed(2)} of ${os.cpus().length} cores busy, Odoo + its PostgreSQL ${(r.cpu.odoo + r.cpu.odooPostgres).toFixed(2)})`,
				ratio >= TARGET_RATIO,
			);
		}
		for (const r of results)
			target(
				`${r.workers} worker(s): every file's run succeeded and archived, each of ${BILLS} bills in Odoo once — ${r.executions - r.failedExecutions}/${FILES} runs succeeded, archived ${r.archivedSeconds === undefined ? 'no' : 'yes'}`,
				r.failedExecutions === 0 && r.archivedSeconds !== undefined,
			);
	} finally {
		for (const stop of stops) await stop().catch((error) => log(`stop: ${String(error)}`));
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
