/**
 * The template flows of templates.test.ts, with the same tests and assertions, on n8n 2.41.1 in queue
 * mode: main + 2 `n8n worker` processes (one job at a time each, so bursts are shared) on Debian's
 * Redis and PostgreSQL (test/fixtures/queue). The restart test stops and starts the main process; the
 * trigger ledger lives in PostgreSQL. Then what only queue mode can get wrong: the SFTP-triggered
 * executions ran on the workers, on both; no file was emitted again once its run had succeeded; no
 * invoice was written twice.
 */
import { executionWithData, nodeOutput, type Json } from '../fixtures/n8n/instance';
import { startQueueMode, type QueueMode } from '../fixtures/queue';
import { describeTemplateFlows, type TemplateWorld } from './templateFlows';
import { NODE } from '../../workflows/source/catalog';

const starting = new AbortController();
let startingQueue: Promise<QueueMode> | undefined;

/** The flows an SFTP trigger starts. */
const TRIGGERED = ['odooBills', 'odooPayments', 'quickBooksBills'] as const;

/** Strings (at most two levels down) of a trigger item that name a file in the given directory. */
function pathsIn(json: Json, dir: string, depth = 0): string[] {
	return Object.values(json).flatMap((value) => {
		if (typeof value === 'string') return value.startsWith(`${dir}/`) ? [value] : [];
		if (value && typeof value === 'object' && !Array.isArray(value) && depth < 2)
			return pathsIn(value as Json, dir, depth + 1);
		return [];
	});
}

/** How many times each value occurs more than once. */
function repeated(values: string[]): Record<string, number> {
	const counts = new Map<string, number>();
	for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
	return Object.fromEntries([...counts].filter(([, count]) => count > 1));
}

function queueModeTests(world: () => TemplateWorld<QueueMode>): void {
	it('the SFTP-triggered flows ran their executions on the workers, on both of them', async () => {
		const { host, ids } = world();
		const ranOn = host.executionWorkers();
		const placed: Array<{ flow: string; execution: string; worker: string | undefined }> = [];
		for (const flow of TRIGGERED)
			for (const execution of await host.listExecutions(ids[flow]))
				placed.push({ flow, execution: execution.id, worker: ranOn.get(execution.id) });
		expect(placed.length).toBeGreaterThan(0);
		expect(placed.filter((run) => run.worker === undefined)).toEqual([]);
		expect([...new Set(placed.map((run) => run.worker))].sort()).toEqual(
			host.workers.map((worker) => worker.name).sort(),
		);
	});

	it('no file was emitted again once its run had succeeded (only failed files come back, by replay)', async () => {
		const { host, ids, sshd } = world();
		const emissions = new Map<string, string[]>();
		const unnamed: string[] = [];
		for (const flow of TRIGGERED) {
			const executions = (await host.listExecutions(ids[flow])).sort(
				(a, b) => Number(a.id) - Number(b.id),
			);
			for (const execution of executions) {
				const full = await executionWithData(host, execution.id);
				const files = new Set(
					nodeOutput(full, NODE.reconcile).map((summary) => String(summary.file)),
				);
				if (!files.size)
					for (const trigger of [NODE.trigger, NODE.vendorTrigger])
						for (const item of nodeOutput(full, trigger))
							for (const file of pathsIn(item, sshd.outboundDir)) files.add(file);
				if (files.size !== 1) unnamed.push(`${flow} ${execution.id}: ${[...files].join(', ')}`);
				for (const file of files) {
					const key = `${flow} ${file}`;
					emissions.set(key, [...(emissions.get(key) ?? []), execution.status]);
				}
			}
		}
		// One file per execution (the templates' files are far below a batch).
		expect(unnamed).toEqual([]);
		const emittedAfterSuccess = [...emissions]
			.filter(([, statuses]) => statuses.slice(0, -1).includes('success'))
			.map(([key, statuses]) => `${key}: ${statuses.join(' → ')}`);
		expect(emittedAfterSuccess).toEqual([]);
		// What the tests did: the sample once; the two failed files once more each after the replay.
		const odoo = (name: string) => emissions.get(`odooBills ${sshd.outboundDir}/${name}`);
		expect(odoo('invoices-sample.csv')).toEqual(['success']);
		expect(odoo('invoices-mixed.csv')).toEqual(['error', 'success']);
		expect(odoo('invoices-unmapped.csv')).toEqual(['error', 'error']);
		expect(odoo('invoices-after-restart.csv')).toEqual(['success']);
		expect(emissions.get(`odooPayments ${sshd.outboundDir}/payments-sample.csv`)).toEqual([
			'success',
		]);
	});

	it('no invoice was written twice: one Odoo move per reference, one QuickBooks bill or credit per number', () => {
		const { erp } = world();
		const moves = erp.odoo.store.all('account.move');
		expect(moves.length).toBeGreaterThan(0);
		expect(repeated(moves.map((move) => `${move.move_type} ${move.ref}`))).toEqual({});
		const quickBooks = (entity: string, key: string) =>
			[...(erp.quickbooks.store.get(entity)?.values() ?? [])].map((record) => String(record[key]));
		const bills = quickBooks('Bill', 'DocNumber');
		expect(bills.length).toBeGreaterThan(0);
		expect(repeated(bills)).toEqual({});
		expect(repeated(quickBooks('VendorCredit', 'DocNumber'))).toEqual({});
		expect(repeated(quickBooks('Vendor', 'DisplayName'))).toEqual({});
	});
}

describeTemplateFlows<QueueMode>({
	title: 'workflow templates in n8n queue mode (main + 2 workers, Redis, PostgreSQL)',
	async start() {
		startingQueue = startQueueMode({
			workers: 2,
			concurrency: 1,
			signal: starting.signal,
			...(process.env.STAMPLI_PACKAGE_DIR ? { packageDir: process.env.STAMPLI_PACKAGE_DIR } : {}),
		});
		return await startingQueue;
	},
	async stop() {
		// A start still under way (beforeAll timed out) stops itself on abort.
		starting.abort();
		const started = await startingQueue?.catch(() => undefined);
		await started?.stop();
	},
	// The main process owns the triggers; the workers keep running.
	async restart(queue) {
		await queue.stopMain();
		await queue.startMain();
	},
	startupTimeoutMs: 900_000,
	testTimeoutMs: 420_000,
	waitMs: 240_000,
	moreTests: queueModeTests,
});
