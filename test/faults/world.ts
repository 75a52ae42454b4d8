/**
 * What the fault matrix runs on: a real n8n 2.41.1 with this package, the shipped templates, a real
 * OpenSSH sshd, a real Odoo 17 (a copy of the template database) and the QuickBooks emulator. n8n
 * reaches sshd, Odoo and QuickBooks through loopback fault proxies (proxy.ts), so a test can stall,
 * lose or reset any one request, or cut SFTP sessions, at a chosen point of a run.
 *
 * Each flow watches its own directory under Stampli's outbound directory, so faults in one flow
 * never touch the files of another:
 *   odoo      Stampli → Odoo bills, archive after processing (move), failed files set aside
 *   writer    the same template as shipped (leave in place) with a settle time, for writers that stall
 *   payments  Stampli payments → Odoo, archive after processing
 *   qbo       Stampli → QuickBooks bills, archive after processing
 * The triggers count an outcome as unknown 3 s after the emission (the default is an hour; a
 * killed n8n never reports its runs, and the matrix must not wait an hour to see the re-run).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createOdooClient, type OdooClient } from '../../nodes/shared/odoo';
import { NODE } from '../../workflows/source/catalog';
import { startQuickBooksEmulator, type QuickBooksEmulator } from '../emulators/quickbooks';
import { randomWorkflowId } from '../fixtures/n8n/cli';
import { quickReclaimAfterKill, startN8n, type N8nInstance } from '../fixtures/n8n/instance';
import { startOdoo, type StartedOdoo } from '../fixtures/odoo';
import { startQueueMode, type QueueMode } from '../fixtures/queue';
import { startSshd, type SshdFixture } from '../fixtures/sshd';
import {
	SAMPLE_QBO_ACCOUNTS,
	standInCredentials,
	type CredentialJson,
	type ErpStandIns,
} from '../kit/standIns';
import { loadTemplates, withNodeParameters, type WorkflowJson } from '../kit/templates';
import {
	startHttpFaultProxy,
	startTcpFaultProxy,
	type HttpFaultProxy,
	type TcpFaultProxy,
} from './proxy';

export type FlowName = 'odoo' | 'writer' | 'payments' | 'qbo' | 'queue';

export interface Flow {
	name: FlowName;
	workflowId: string;
	/** Remote directory the trigger watches. */
	dir: string;
	/** Where files whose run failed are set aside. */
	failedDir: string;
	/** Remote archive directory, or undefined when files are left in place. */
	archiveDir?: string;
}

/** The Odoo credential's Timeout (Seconds): the smallest allowed, so a stall outlasts it quickly. */
export const ODOO_TIMEOUT_SECONDS = 5;
/** Settle time of the `writer` flow: a writer pausing longer than this looks finished. */
export const WRITER_SETTLE_SECONDS = 3;
export const VENDOR = { id: 'V-300', name: 'Globex Consulting' } as const;
/** Stampli GL code that every template's example rules map (Odoo 600000, QuickBooks account 43). */
export const GL_CODE = '6500';
/**
 * The kill cases kill n8n while activating a flow polls it; the restarted n8n polls again once the
 * killed activation's lease ran out (n8n aborts an activation at 70 % of its lease). Measured with
 * the whole default matrix: activations took at most 6 s in the single process, and 21 s in queue
 * mode, where the poll waits 20 s for the run a worker holds at Odoo; two-batch files can double it.
 */
const RECLAIM_AFTER_KILL = quickReclaimAfterKill(60);
const RECLAIM_AFTER_KILL_IN_QUEUE_MODE = quickReclaimAfterKill(90);

export interface FaultWorld {
	sshd: SshdFixture;
	sftpProxy: TcpFaultProxy;
	odoo: StartedOdoo;
	odooProxy: HttpFaultProxy;
	odooAdmin: OdooClient;
	/** The Odoo company's currency: the approved invoices are in it. */
	odooCurrency: string;
	qbo: QuickBooksEmulator;
	qboProxy: HttpFaultProxy;
	/** The n8n the flows run in (one process, or the main process in queue mode). */
	n8n: N8nControl;
	flows: Partial<Record<FlowName, Flow>> & Record<Exclude<FlowName, 'queue'>, Flow>;
	/** Set in the queue-mode world: its workers, Redis and PostgreSQL. */
	queue?: QueueMode;
	/** What n8n needs to reach the peers through the proxies (n8n import:credentials). */
	credentials: CredentialJson[];
	/** Local path of a remote path on the sshd. */
	local(remote: string): string;
	/** Deactivate + activate: n8n polls the trigger once on activation. */
	pollOnce(flow: Flow): Promise<void>;
	/** kill -9 of the whole n8n process group (server and task runners), then a restart on the same folder. */
	killAndRestartN8n(beforeRestart?: () => Promise<void> | void): Promise<void>;
	/** SIGKILL of the sshd processes serving established SFTP sessions (the listener stays). */
	killSftpSessions(upstreamLocalPort?: number): number;
	stop(): Promise<void>;
}

/** What the matrix needs of an n8n: its APIs and log. */
export type N8nControl = Pick<
	N8nInstance,
	'api' | 'rest' | 'activate' | 'deactivate' | 'listExecutions' | 'logTail'
>;

const log = (message: string) => process.stderr.write(`[faults] ${message}\n`);

/** Pids of processes on the sshd side of established connections to `port` (optionally from one client port). */
function sshdSessionPids(port: number, clientPort?: number): number[] {
	const filter = clientPort
		? `( sport = :${port} and dport = :${clientPort} )`
		: `( sport = :${port} )`;
	const out = execFileSync('ss', ['-Htnp', 'state', 'established', filter]).toString();
	return [...new Set([...out.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])))];
}

async function seedOdoo(admin: OdooClient): Promise<string> {
	const [vendor] = await admin.search('res.partner', [['ref', '=', VENDOR.id]]);
	if (!vendor)
		await admin.create('res.partner', [
			{ name: VENDOR.name, ref: VENDOR.id, is_company: true, supplier_rank: 1 },
		]);
	const [account] = await admin.search('account.account', [['code', '=', '600000']]);
	if (!account) throw new Error('the Odoo template database has no expense account 600000');
	const uid = await admin.uid();
	const [user] = await admin.read('res.users', [uid], ['company_id']);
	const companyId = (user.company_id as [number, string])[0];
	const [company] = await admin.read('res.company', [companyId], ['currency_id']);
	return (company.currency_id as [number, string])[1];
}

/** The stand-ins' credentials, pointed at the fault proxies, with the Odoo timeout of the matrix. */
function credentials(
	sshd: SshdFixture,
	sftpProxy: TcpFaultProxy,
	odoo: StartedOdoo,
	odooProxy: HttpFaultProxy,
	qbo: QuickBooksEmulator,
	qboProxy: HttpFaultProxy,
): CredentialJson[] {
	const erp = {
		odoo: { url: odooProxy.url, db: odoo.db, login: odoo.login, apiKey: odoo.apiKey },
		// The emulator (tokens, OAuth URLs) with its API reached through the proxy.
		quickbooks: Object.create(qbo, { url: { value: qboProxy.url } }) as QuickBooksEmulator,
	} as unknown as ErpStandIns;
	return standInCredentials({ ...sshd, host: sftpProxy.host, port: sftpProxy.port }, erp).map(
		(credential) =>
			credential.type === 'stampliOdooApi'
				? { ...credential, data: { ...credential.data, timeoutSeconds: ODOO_TIMEOUT_SECONDS } }
				: credential,
	);
}

/** A flow watching `<outbound>/<name>`, setting failed files aside in `<name>-failed`. */
function flowIn(out: string, name: FlowName, archive: boolean): Flow {
	return {
		name,
		workflowId: randomWorkflowId(),
		dir: `${out}/${name}`,
		failedDir: `${out}/${name}-failed`,
		archiveDir: archive ? `${out}/${name}/archive` : undefined,
	};
}

/** The trigger of a template pointed at one directory, with the matrix's settings. */
export function watching(
	workflow: WorkflowJson,
	trigger: string,
	flow: Flow,
	settings: Record<string, unknown>,
): WorkflowJson {
	return withNodeParameters(workflow, trigger, {
		directory: flow.dir,
		failedDir: flow.failedDir,
		...(flow.archiveDir ? { afterProcessing: 'move', archiveDir: flow.archiveDir } : {}),
		options: { unknownAfterMinutes: 0.05, ...(flow.name === 'odoo' ? { batchSize: 4 } : {}) },
		...settings,
	});
}

export async function startFaultWorld(): Promise<FaultWorld> {
	const stops: Array<() => Promise<void>> = [];
	const stopAll = async () => {
		for (const stop of stops.reverse()) await stop().catch(() => undefined);
	};
	try {
		const started = Date.now();
		const [sshd, odoo, qbo] = await Promise.all([
			startSshd(),
			startOdoo({ version: '17.0', log }),
			startQuickBooksEmulator({ seed: { accounts: SAMPLE_QBO_ACCOUNTS } }),
		]);
		stops.push(
			() => sshd.stop(),
			() => odoo.stop(),
			() => qbo.stop(),
		);
		log(`peers up in ${Math.round((Date.now() - started) / 1000)} s (Odoo ${odoo.version})`);
		const sftpProxy = await startTcpFaultProxy(sshd.port);
		const odooProxy = await startHttpFaultProxy(odoo.url);
		const qboProxy = await startHttpFaultProxy(qbo.url);
		stops.push(
			() => sftpProxy.stop(),
			() => odooProxy.stop(),
			() => qboProxy.stop(),
		);
		const odooAdmin = createOdooClient({
			url: odoo.url,
			db: odoo.db,
			login: odoo.login,
			apiKey: odoo.apiKey,
			protocol: 'xmlrpc',
		});
		const odooCurrency = await seedOdoo(odooAdmin);

		const n8n = await startN8n({ startupTimeoutMs: 300_000, env: RECLAIM_AFTER_KILL });
		stops.push(() => n8n.stop());
		await n8n.setupOwner();
		const peerCredentials = credentials(sshd, sftpProxy, odoo, odooProxy, qbo, qboProxy);
		await n8n.importCredentials(peerCredentials);

		const out = sshd.outboundDir;
		const flow = (name: FlowName, archive: boolean) => flowIn(out, name, archive);
		const flows: FaultWorld['flows'] = {
			odoo: flow('odoo', true),
			writer: flow('writer', false),
			payments: flow('payments', true),
			qbo: flow('qbo', true),
		};
		for (const dir of [
			`${out}/qbo-vendors`,
			...Object.values(flows).flatMap((f) => [f.dir, f.failedDir]),
		])
			sshd.writeFile(`${dir}/.keep`, '');
		const templates = loadTemplates();
		const named = (workflow: WorkflowJson, f: Flow): Record<string, unknown> => ({
			...workflow,
			id: f.workflowId,
			name: `${workflow.name} [fault matrix: ${f.name}]`,
		});
		await n8n.importWorkflows([
			named(
				watching(templates.odooBills, NODE.trigger, flows.odoo, { settleSeconds: 0 }),
				flows.odoo,
			),
			named(
				watching(templates.odooBills, NODE.trigger, flows.writer, {
					settleSeconds: WRITER_SETTLE_SECONDS,
				}),
				flows.writer,
			),
			named(
				watching(templates.odooPayments, NODE.trigger, flows.payments, { settleSeconds: 0 }),
				flows.payments,
			),
			named(
				watching(
					withNodeParameters(templates.quickBooksBills, NODE.vendorTrigger, {
						directory: `${out}/qbo-vendors`,
					}),
					NODE.trigger,
					flows.qbo,
					{ settleSeconds: 0 },
				),
				flows.qbo,
			),
		]);

		const killN8n = () => {
			const listener = execFileSync('ss', ['-Hltnp', `sport = :${n8n.port}`]).toString();
			const pid = Number(listener.match(/pid=(\d+)/)?.[1]);
			if (!(pid > 1)) throw new Error(`no n8n listening on ${n8n.port}`);
			const group = Number(
				execFileSync('ps', ['-o', 'pgid=', String(pid)])
					.toString()
					.trim(),
			);
			process.kill(-group, 'SIGKILL');
		};

		return {
			sshd,
			sftpProxy,
			odoo,
			odooProxy,
			odooAdmin,
			odooCurrency,
			qbo,
			qboProxy,
			n8n,
			flows,
			credentials: peerCredentials,
			local: (remote) => sshd.localPath(remote),
			async pollOnce(f) {
				await n8n.deactivate(f.workflowId).catch(() => undefined);
				await n8n.activate(f.workflowId);
			},
			async killAndRestartN8n(beforeRestart) {
				killN8n();
				await new Promise((resolve) => setTimeout(resolve, 1_000));
				await beforeRestart?.();
				await n8n.restart();
			},
			killSftpSessions(clientPort) {
				const pids = sshdSessionPids(sshd.port, clientPort);
				for (const pid of pids) {
					try {
						process.kill(pid, 'SIGKILL');
					} catch {
						// already gone
					}
				}
				return pids.length;
			},
			stop: stopAll,
		};
	} catch (error) {
		await stopAll();
		throw error;
	}
}

/** Moves a remote file (as the sshd user sees it) and sets its mtime: what the replay template does. */
export function replayLocally(world: FaultWorld, flow: Flow, name: string): void {
	const from = world.local(`${flow.failedDir}/${name}`);
	const to = world.local(`${flow.dir}/${name}`);
	fs.renameSync(from, to);
	const now = new Date();
	fs.utimesSync(to, now, now);
}

export function listRemote(world: FaultWorld, dir: string): string[] {
	try {
		return fs
			.readdirSync(world.local(dir))
			.filter(
				(name) => !name.startsWith('.') && fs.statSync(path.join(world.local(dir), name)).isFile(),
			);
	} catch {
		return [];
	}
}

/**
 * The same peers seen from n8n in queue mode (main + 2 workers on Redis and PostgreSQL): the
 * Stampli → Odoo bills template watching `<outbound>/queue`, archive after processing. Started only
 * when a queue-mode case runs; the returned world's `n8n` is the main process.
 */
export async function withQueueMode(
	base: FaultWorld,
): Promise<{ world: FaultWorld; queue: QueueMode; stop(): Promise<void> }> {
	const starting = new AbortController();
	const queue = await startQueueMode({
		workers: 2,
		concurrency: 1,
		signal: starting.signal,
		env: RECLAIM_AFTER_KILL_IN_QUEUE_MODE,
	});
	try {
		await queue.setupOwner();
		await queue.importCredentials(base.credentials);
		const flow = flowIn(base.sshd.outboundDir, 'queue', true);
		for (const dir of [flow.dir, flow.failedDir]) base.sshd.writeFile(`${dir}/.keep`, '');
		const template = loadTemplates().odooBills;
		await queue.importWorkflows([
			{
				...watching(template, NODE.trigger, flow, { settleSeconds: 0 }),
				id: flow.workflowId,
				name: `${template.name} [fault matrix: queue]`,
			},
		]);
		const world: FaultWorld = {
			...base,
			n8n: queue,
			queue,
			flows: { ...base.flows, queue: flow },
			async pollOnce(f) {
				await queue.deactivate(f.workflowId).catch(() => undefined);
				await queue.activate(f.workflowId);
			},
			async killAndRestartN8n(beforeRestart) {
				await queue.killMain();
				await beforeRestart?.();
				await queue.startMain();
			},
		};
		return { world, queue, stop: () => queue.stop() };
	} catch (error) {
		await queue.stop();
		throw error;
	}
}
