/**
 * The audit trail in a real n8n 2.x: the shipped templates as a user sets them up ("Record Audit" in
 * each flow bound to "Stampli: Record audit"), the Stampli → Odoo bills flow over real SFTP against
 * the Odoo emulator, the deliberate exception INV-1004 (a GL code no rule maps), the rule fixed, the
 * file replayed and the bill created. Then the store (n8n's Data Table) holds one row per record
 * event, "Find an invoice" shows INV-1004's exception, replay and final bill, and the morning report
 * renders the period from the same rows. The manual templates (replay, find an invoice, the report)
 * are started by a Webhook node put in place of their manual trigger: n8n's CLI `execute` runs in a
 * process of its own, where Data Tables are not served.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';

import {
	executionError,
	executionWithData,
	nodeOutput,
	startN8n,
	waitForExecutions,
	type Json,
	type N8nInstance,
} from '../fixtures/n8n/instance';
import { randomWorkflowId } from '../fixtures/n8n/cli';
import type { SshdFixture } from '../fixtures/sshd';
import {
	EXCEPTION_SAMPLE,
	SAMPLE_DIR,
	startTemplatePeers,
	type ErpStandIns,
	type TemplatePeers,
} from '../kit/standIns';
import {
	importTemplates,
	loadTemplates,
	withNodeParameters,
	type TemplateIds,
	type Templates,
	type WorkflowJson,
} from '../kit/templates';
import { AUDIT_NODE, AUDIT_TABLE } from '../../workflows/source/auditTemplates';
import { NODE } from '../../workflows/source/catalog';

jest.setTimeout(300_000);

const past = () => new Date(Date.now() - 5 * 60_000);

describe('audit trail and report in a real n8n', () => {
	let peers: TemplatePeers;
	let sshd: SshdFixture;
	let erp: ErpStandIns;
	let n8n: N8nInstance;
	let templates: Templates;
	let ids: TemplateIds;
	let failedDir: string;
	const out = (name: string) => `${sshd.outboundDir}/${name}`;

	/**
	 * Imports `workflow` with its manual trigger `trigger` turned into a Webhook node of the same name,
	 * activates it and returns a function that runs it and answers the last node's items.
	 */
	async function viaWebhook(
		workflow: WorkflowJson,
		trigger: string,
	): Promise<{ id: string; run: () => Promise<Json[]> }> {
		const id = randomWorkflowId();
		const path = `audit-test-${id}`;
		await n8n.importWorkflows([
			{
				...workflow,
				id,
				nodes: workflow.nodes.map((node) =>
					node.name === trigger
						? {
								...node,
								type: 'n8n-nodes-base.webhook',
								typeVersion: 2,
								webhookId: randomUUID(),
								parameters: {
									httpMethod: 'GET',
									path,
									responseMode: 'lastNode',
									responseData: 'allEntries',
									options: {},
								},
							}
						: node,
				),
			},
		]);
		await n8n.activate(id);
		return {
			id,
			run: async () => {
				// A production webhook is registered shortly after the activation returns.
				for (let attempt = 0; ; attempt++) {
					const response = await fetch(`${n8n.url}/webhook/${path}`);
					const body = await response.text();
					if (response.ok) return JSON.parse(body) as Json[];
					if (response.status !== 404 || attempt >= 20)
						throw new Error(`${workflow.name}: ${response.status} ${body.slice(0, 500)}`);
					await new Promise((resolve) => setTimeout(resolve, 500));
				}
			},
		};
	}

	let readTable: () => Promise<Json[]>;
	/** Every row of the audit Data Table, read through n8n's own Data Table node. */
	const storedRows = async () => (await readTable()).filter((row) => 'eventId' in row);

	/** Waits until every "Record audit" call so far has finished (the flows do not wait for it). */
	async function recordAuditRuns(count: number) {
		const runs = await waitForExecutions(n8n, ids.recordAudit, count);
		const failures: string[] = [];
		for (const run of runs.filter((r) => r.status !== 'success'))
			failures.push(
				`${run.id}: ${executionError(await executionWithData(n8n, run.id)) ?? run.status}`,
			);
		expect(failures).toEqual([]);
		return runs;
	}

	beforeAll(async () => {
		peers = await startTemplatePeers();
		({ sshd, erp } = peers);
		n8n = await startN8n();
		await n8n.setupOwner();
		await n8n.importCredentials(peers.credentials);
		failedDir = `${sshd.outboundDir}/failed`;
		templates = loadTemplates();
		ids = await importTemplates(n8n, {
			...templates,
			odooBills: withNodeParameters(templates.odooBills, NODE.trigger, {
				settleSeconds: 0,
				failedDir,
			}),
			replayFailed: withNodeParameters(
				withNodeParameters(templates.replayFailed, NODE.replay, { fromDir: failedDir }),
				NODE.listFailed,
				{ directory: failedDir },
			),
		});
		readTable = (
			await viaWebhook(
				{
					name: 'Read the audit table (test)',
					nodes: [
						{
							parameters: {},
							name: 'Start',
							type: 'n8n-nodes-base.manualTrigger',
							typeVersion: 1,
							position: [0, 0],
						},
						{
							parameters: {
								resource: 'row',
								operation: 'get',
								dataTableId: { __rl: true, mode: 'name', value: AUDIT_TABLE },
								returnAll: true,
							},
							name: 'Read Audit Table',
							type: 'n8n-nodes-base.dataTable',
							typeVersion: 1.1,
							position: [240, 0],
							alwaysOutputData: true,
						},
					],
					connections: {
						Start: { main: [[{ node: 'Read Audit Table', type: 'main', index: 0 }]] },
					},
					settings: { executionOrder: 'v1' },
				},
				'Start',
			)
		).run;
		await n8n.activate(ids.errorCollector);
	}, 420_000);

	afterAll(async () => {
		await n8n?.stop();
		await peers?.stop();
	});

	it('a flow template activates as shipped, its Record Audit node off until the sub-workflow is picked', async () => {
		const id = randomWorkflowId();
		await n8n.importWorkflows([{ ...templates.odooPayments, id }]);
		await n8n.activate(id);
		await n8n.deactivate(id);
	});

	let billRuns = 0;
	let auditRuns = 0;

	it('records one row per record event of the bills flow, and one per file summary', async () => {
		sshd.writeFile(
			out('invoices-sample.csv'),
			fs.readFileSync(path.join(SAMPLE_DIR, 'invoice-export.csv')),
			past(),
		);
		sshd.writeFile(
			out('invoices-unmapped.csv'),
			fs.readFileSync(path.join(SAMPLE_DIR, EXCEPTION_SAMPLE.sampleFile)),
			past(),
		);
		await n8n.activate(ids.odooBills);
		const executions = await waitForExecutions(n8n, ids.odooBills, 2);
		billRuns = executions.length;
		// Record Audit runs once with the merged outcomes and once with the summaries, per execution,
		// also in the execution that then stops for a person.
		auditRuns = 2 * billRuns;
		await recordAuditRuns(auditRuns);

		const outcomes: Json[] = [];
		const summaries: Json[] = [];
		for (const execution of executions) {
			const data = await executionWithData(n8n, execution.id);
			outcomes.push(...nodeOutput(data, NODE.merge));
			summaries.push(...nodeOutput(data, NODE.reconcile));
		}
		const rows = await storedRows();
		const recordRows = rows.filter((row) => row.subject === 'invoice');
		expect(recordRows).toHaveLength(outcomes.length);
		expect(rows.filter((row) => row.subject === 'file')).toHaveLength(summaries.length);
		expect(new Set(rows.map((row) => row.eventId)).size).toBe(rows.length);
		expect(recordRows.map((row) => row.recordKey).sort()).toEqual(
			outcomes.map((item) => item.stampliInvoiceId).sort(),
		);
		for (const row of recordRows)
			expect(row).toMatchObject({
				flow: templates.odooBills.name,
				executionId: expect.stringMatching(/^\d+$/),
				sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
			});
		expect(recordRows.find((row) => row.recordKey === EXCEPTION_SAMPLE.invoiceId)).toMatchObject({
			action: 'needsAttention',
			invoiceNumber: EXCEPTION_SAMPLE.invoiceNumber,
			file: out('invoices-unmapped.csv'),
			reason: expect.stringContaining(EXCEPTION_SAMPLE.glCode),
		});
		const written = recordRows.filter((row) => row.action === 'created');
		expect(written).toHaveLength(3);
		for (const row of written) expect(row.erpId).toMatch(/^\d+$/);
		// No secret of the credentials the flows used reached the store.
		const text = JSON.stringify(rows);
		const secrets = peers.credentials.flatMap((credential) =>
			Object.entries(credential.data as Record<string, unknown>)
				.filter(([key, value]) => /pass|key|secret|token/i.test(key) && typeof value === 'string')
				.map(([, value]) => value as string)
				.filter((value) => value.length >= 6),
		);
		expect(secrets.length).toBeGreaterThan(0);
		for (const secret of secrets) expect(text).not.toContain(secret);
	});

	it('after the rule is fixed and the file replayed, Find Invoice shows the exception, the replay and the bill', async () => {
		// The person adds the missing rule (GL 7300 → Odoo 600000)…
		await n8n.deactivate(ids.odooBills);
		const stored = (await n8n.api('GET', `/workflows/${ids.odooBills}`)) as Json;
		const nodes = (stored.nodes as Array<Json & { parameters: Json }>).map((node) => {
			if (node.name !== NODE.glMapper) return node;
			const rules = (node.parameters.rules as { rule: Json[] }).rule;
			return {
				...node,
				parameters: {
					...node.parameters,
					rules: {
						rule: [
							...rules,
							{
								id: 'marketing',
								match: 'exact',
								code: EXCEPTION_SAMPLE.glCode,
								odooAccountCode: '600000',
							},
						],
					},
				},
			};
		});
		await n8n.api('PUT', `/workflows/${ids.odooBills}`, {
			name: stored.name,
			nodes,
			connections: stored.connections,
			settings: stored.settings,
		});
		// …and replays the file the failed run set aside.
		expect(fs.existsSync(sshd.localPath(`${failedDir}/invoices-unmapped.csv`))).toBe(true);
		// The replay template as imported (fixed directories, "Record Audit" bound), started by webhook.
		const imported = (await n8n.api('GET', `/workflows/${ids.replayFailed}`)) as WorkflowJson;
		const replay = await viaWebhook(
			{
				name: imported.name,
				nodes: imported.nodes,
				connections: imported.connections,
				settings: imported.settings,
			},
			NODE.manual,
		);
		await replay.run();
		const [replayRun] = await waitForExecutions(n8n, replay.id, 1);
		expect(replayRun.status).toBe('success');
		auditRuns += 1;
		await recordAuditRuns(auditRuns);

		await n8n.activate(ids.odooBills);
		await waitForExecutions(n8n, ids.odooBills, billRuns + 1);
		auditRuns += 2;
		await recordAuditRuns(auditRuns);
		const bill = erp.odoo.store
			.all('account.move')
			.find((move) => move.ref === EXCEPTION_SAMPLE.invoiceNumber);
		expect(bill).toBeDefined();

		const find = await viaWebhook(templates.findInvoice, AUDIT_NODE.findManual);
		const [history] = await find.run();
		expect(history).toMatchObject({
			found: true,
			recordKey: EXCEPTION_SAMPLE.invoiceId,
			status: 'created',
			erpDocuments: [`odoo:${String(bill!.id)}`],
			exceptions: 1,
		});
		const actions = (history.history as Json[]).map(
			(row) => `${String(row.subject)} ${String(row.action)}`,
		);
		const exception = actions.indexOf('invoice needsAttention');
		const replayed = actions.indexOf('file replayed');
		const created = actions.indexOf('invoice created');
		expect({
			actions,
			ordered: exception >= 0 && exception < replayed && replayed < created,
		}).toMatchObject({ ordered: true });
	});

	it('builds the morning report from the same rows', async () => {
		const rows = await storedRows();
		// The report template as shipped, for today (its schedule fires at 06:00), without the mail and chat nodes.
		const shipped = withNodeParameters(templates.monthEndReport, AUDIT_NODE.buildReport, {
			period: 'day',
			date: new Date().toISOString().slice(0, 10),
			timeZone: 'UTC',
		});
		const report = await viaWebhook(
			{
				...shipped,
				nodes: shipped.nodes.filter(
					(node) => node.name !== AUDIT_NODE.email && node.name !== AUDIT_NODE.slack,
				),
				connections: Object.fromEntries(
					Object.entries(shipped.connections).filter(([from]) => from !== AUDIT_NODE.buildReport),
				),
			},
			AUDIT_NODE.morning,
		);
		const [json] = await report.run();
		const [run] = await waitForExecutions(n8n, report.id, 1);
		const execution = await executionWithData(n8n, run.id);
		const item =
			execution.data?.resultData?.runData?.[AUDIT_NODE.buildReport]?.[0]?.data?.main?.[0]?.[0];
		expect(json.detailRows).toBe(rows.length);
		expect(String(json.html)).toContain('data-field="invoicesIn">4<');
		expect(String(json.digest)).toMatch(/4 invoice\(s\), 0 payment\(s\) in; 4 written/);
		expect((item as { binary?: unknown }).binary).toMatchObject({
			report: expect.objectContaining({ mimeType: 'text/html' }),
			detail: expect.objectContaining({ mimeType: 'text/csv' }),
		});
	});
});
