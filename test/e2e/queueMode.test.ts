/**
 * The queue-mode fixture proves itself: n8n 2.41.1 main + two `n8n worker` processes on Debian's Redis
 * and PostgreSQL (test/fixtures/queue). The templates import into PostgreSQL, an SFTP-triggered flow
 * (Stampli → Odoo bills) runs its executions on the workers — on both of them — and every invoice is
 * written once. The queue-mode e2e and fault cases build on the same fixture.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
	executionWithData,
	nodeOutput,
	waitForExecutions,
	type Json,
} from '../fixtures/n8n/instance';
import { startQueueMode, type QueueMode } from '../fixtures/queue';
import type { SshdFixture } from '../fixtures/sshd';
import {
	SAMPLE_DIR,
	pickStandInIds,
	startTemplatePeers,
	type ErpStandIns,
	type TemplatePeers,
} from '../kit/standIns';
import {
	importTemplates,
	loadTemplates,
	withNodeParameters,
	type TemplateIds,
} from '../kit/templates';
import { NODE, TEMPLATE_KEYS } from '../../workflows/source/catalog';

const FILES = 6;

describe('n8n queue mode: main + 2 workers on Redis and PostgreSQL', () => {
	let peers: TemplatePeers;
	let sshd: SshdFixture;
	let erp: ErpStandIns;
	let queue: QueueMode;
	let ids: TemplateIds;
	const starting = new AbortController();
	let startingQueue: Promise<QueueMode> | undefined;

	beforeAll(async () => {
		peers = await startTemplatePeers();
		({ sshd, erp } = peers);
		// One job at a time per worker, so a burst of files is shared between the two.
		startingQueue = startQueueMode({ workers: 2, concurrency: 1, signal: starting.signal });
		queue = await startingQueue;
		await queue.setupOwner();
		await queue.importCredentials(peers.credentials);
		const templates = pickStandInIds(loadTemplates());
		ids = await importTemplates(queue, {
			...templates,
			odooBills: withNodeParameters(templates.odooBills, NODE.trigger, { settleSeconds: 0 }),
		});
		await queue.activate(ids.errorCollector);
	}, 900_000);

	afterAll(async () => {
		// A start still under way (beforeAll timed out) stops itself on abort.
		starting.abort();
		const started = await startingQueue?.catch(() => undefined);
		await started?.stop();
		await peers?.stop();
	}, 120_000);

	it('stores the imported templates in PostgreSQL', () => {
		const names = queue.postgres.psql('select name from workflow_entity', 'n8n').trim().split('\n');
		expect(names).toHaveLength(TEMPLATE_KEYS.length);
	});

	it('runs an SFTP-triggered flow on both workers, each invoice written once', async () => {
		// Each file: one one-line invoice with its own id and number.
		const [header, ...rows] = fs
			.readFileSync(path.join(SAMPLE_DIR, 'invoice-export.csv'), 'utf8')
			.split('\n');
		const sample = rows.find((row) => row.startsWith('INV-1003,'))!;
		const past = new Date(Date.now() - 5 * 60_000);
		for (let index = 1; index <= FILES; index++) {
			const row = sample.replace('INV-1003', `INV-Q${index}`).replace(',7781,', `,Q-${index},`);
			sshd.writeFile(`${sshd.outboundDir}/invoices-q${index}.csv`, `${header}\n${row}\n`, past);
		}
		await queue.activate(ids.odooBills);
		const executions = await waitForExecutions(queue, ids.odooBills, FILES, 240_000);
		expect(executions).toHaveLength(FILES);
		expect(executions.map((execution) => execution.status)).toEqual(Array(FILES).fill('success'));

		// Which worker ran each execution: the workers' own logs.
		const ranOn = queue.executionWorkers();
		const workersUsed = new Set(executions.map((execution) => ranOn.get(execution.id)));
		expect([...workersUsed].sort()).toEqual(['worker-1', 'worker-2']);

		const refs = erp.odoo.store
			.all('account.move')
			.map((move) => String(move.ref))
			.sort();
		expect(refs).toEqual(Array.from({ length: FILES }, (_, index) => `Q-${index + 1}`).sort());
		const created: Json[] = [];
		for (const execution of executions)
			created.push(...nodeOutput(await executionWithData(queue, execution.id), NODE.reconcile));
		expect(created.map((summary) => summary.created)).toEqual(Array(FILES).fill(1));
	});
});
