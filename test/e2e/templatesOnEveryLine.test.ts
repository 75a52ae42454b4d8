/**
 * The templates on each supported n8n line (the e2e project runs this on 2.41.1, e2e-n8n1 on
 * 1.123.81): every shipped template imports, importing one again never replaces the user's edited
 * copy, the Error Collector is set up the way its sticky note says for
 * that line, and one representative flow runs end to end — Stampli invoice exports over real SFTP →
 * GL Mapper → Odoo bills (emulator) → reconciliation, with the file that needs a person handed to the
 * Error Collector.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
	executionWithData,
	nodeOutput,
	startN8n,
	waitForErrorRuns,
	waitForExecutions,
	type Json,
	type N8nInstance,
} from '../fixtures/n8n/instance';
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
	WORKFLOWS_DIR,
	type TemplateIds,
	type Templates,
} from '../kit/templates';
import { NODE, TEMPLATE_FILES, TEMPLATE_KEYS } from '../../workflows/source/catalog';

describe('templates on this n8n line', () => {
	let peers: TemplatePeers;
	let sshd: SshdFixture;
	let erp: ErpStandIns;
	let n8n: N8nInstance;
	let templates: Templates;
	let ids: TemplateIds;

	const workflowCount = async (): Promise<number> =>
		((await n8n.api('GET', '/workflows?limit=250')) as { data: unknown[] }).data.length;

	beforeAll(async () => {
		peers = await startTemplatePeers();
		({ sshd, erp } = peers);
		n8n = await startN8n();
		await n8n.setupOwner();
		await n8n.importCredentials(peers.credentials);
		templates = pickStandInIds(loadTemplates());
		ids = await importTemplates(n8n, {
			...templates,
			// Files written by the test are picked up by the first poll; failed files go beside them.
			odooBills: withNodeParameters(templates.odooBills, NODE.trigger, {
				settleSeconds: 0,
				failedDir: `${sshd.outboundDir}/failed`,
			}),
		});
	}, 420_000);

	afterAll(async () => {
		await n8n?.stop();
		await peers?.stop();
	});

	it('imports every template with only node types this n8n knows', async () => {
		const known = new Set((await n8n.nodeTypes()).map((type) => type.name));
		for (const key of TEMPLATE_KEYS) {
			const stored = (await n8n.api('GET', `/workflows/${ids[key]}`)) as {
				name: string;
				nodes: Array<{ type: string }>;
			};
			expect(stored.name).toBe(templates[key].name);
			const unknown = stored.nodes.map((node) => node.type).filter((type) => !known.has(type));
			expect({ template: key, unknown }).toEqual({ template: key, unknown: [] });
		}
	});

	it("importing a shipped template file again never replaces the user's edited copy", async () => {
		const edited = 'Stampli → Odoo vendor bills (our edited copy)';
		const before = (await n8n.api('GET', `/workflows/${ids.odooBills}`)) as Json;
		await n8n.api('PUT', `/workflows/${ids.odooBills}`, {
			name: edited,
			nodes: before.nodes,
			connections: before.connections,
			settings: { errorWorkflow: ids.errorCollector },
		});
		const count = await workflowCount();
		// The file exactly as shipped (no workflow id), through n8n's own import command.
		const result = await n8n.cli([
			'import:workflow',
			`--input=${path.join(WORKFLOWS_DIR, TEMPLATE_FILES.odooBills)}`,
		]);
		if (n8n.runtime.line === '1.x') {
			// 1.x gives the imported workflow a new id: a second workflow beside the edited one.
			expect(result.exitCode).toBe(0);
			expect(await workflowCount()).toBe(count + 1);
		} else {
			// 2.x's import command needs an id and refuses the file (the editor's Import from File
			// gives it a new one); with an id it would overwrite that workflow, so the templates carry none.
			expect(result.exitCode).not.toBe(0);
			expect(`${result.stdout}${result.stderr}`).toMatch(/workflow_entity\.id/);
			expect(await workflowCount()).toBe(count);
		}
		expect(((await n8n.api('GET', `/workflows/${ids.odooBills}`)) as Json).name).toBe(edited);
	});

	it('sets the Error Collector up as its sticky note says for this line', async () => {
		if (n8n.runtime.line === '1.x') {
			// 1.x refuses to activate a workflow whose only trigger is the Error Trigger…
			await expect(n8n.activate(ids.errorCollector)).rejects.toThrow(
				/has no node to start the workflow/,
			);
		} else {
			// …2.x activates it, and calls an error workflow only while it is active.
			await n8n.activate(ids.errorCollector);
		}
	});

	it('runs Stampli → Odoo bills: bills written, the file that needs a person goes to the Error Collector', async () => {
		const past = new Date(Date.now() - 5 * 60_000);
		sshd.writeFile(
			`${sshd.outboundDir}/invoices-sample.csv`,
			fs.readFileSync(path.join(SAMPLE_DIR, 'invoice-export.csv')),
			past,
		);
		sshd.writeFile(
			`${sshd.outboundDir}/invoices-unmapped.csv`,
			fs.readFileSync(path.join(SAMPLE_DIR, 'invoice-export-unmapped-gl.csv')),
			past,
		);
		await n8n.activate(ids.odooBills);
		const executions = await waitForExecutions(n8n, ids.odooBills, 2);
		expect(executions.map((execution) => execution.status).sort()).toEqual(['error', 'success']);

		const refs = erp.odoo.store
			.all('account.move')
			.map((move) => `${move.move_type} ${move.ref}`)
			.sort();
		expect(refs).toEqual(['in_invoice 7781', 'in_invoice A-5521', 'in_refund CM-88']);

		const summaries: Json[] = [];
		for (const execution of executions)
			summaries.push(...nodeOutput(await executionWithData(n8n, execution.id), NODE.reconcile));
		expect(summaries.find((s) => String(s.file).endsWith('invoices-sample.csv'))).toMatchObject({
			recordsIn: 3,
			created: 3,
			balanced: true,
		});

		// On 1.x the collector is inactive and still called; on 2.x it is active.
		const failed = executions.filter((execution) => execution.status === 'error');
		const [collected] = await waitForErrorRuns(
			n8n,
			ids.errorCollector,
			failed.map((execution) => execution.id),
		);
		const [failure] = nodeOutput(collected, NODE.collect);
		expect(failure).toMatchObject({
			workflowId: ids.odooBills,
			file: `${sshd.outboundDir}/invoices-unmapped.csv`,
			records: expect.stringContaining('INV-1004'),
		});
	});
});
