/**
 * The seven workflow templates run end to end against the real OpenSSH sshd fixture and the Odoo /
 * QuickBooks emulators over loopback HTTP, on whatever n8n `start()` gives: one process
 * (templates.test.ts) or queue mode with workers (templatesQueueMode.test.ts), with the same tests and
 * assertions. Templates are imported as shipped, with what a user sets after importing (new ids, the
 * Error Collector as error workflow); the only other change is the triggers' settle time (0 s instead
 * of 60 s), so files written by the test are picked up by the first poll. Credentials are imported
 * with the templates' placeholder ids, which is how the templates bind to them without edits.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { N8nCli } from '../fixtures/n8n/cli';
import {
	executionWithData,
	nodeOutput,
	waitForErrorRuns,
	waitForExecutions,
	type ExecutionSummary,
	type Json,
} from '../fixtures/n8n/instance';
import type { RestClient } from '../fixtures/n8n/rest';
import type { N8nRuntime } from '../fixtures/n8n/runtimeTypes';
import type { SshdFixture } from '../fixtures/sshd';
import {
	SAMPLE_DIR,
	SAMPLE_ODOO_PURCHASE_TAX_ID,
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
	type Templates,
	type WorkflowJson,
} from '../kit/templates';
import { NODE, TEMPLATE_KEYS } from '../../workflows/source/catalog';

/** What the flows need of an n8n: a single process and a queue-mode setup both offer it. */
export interface TemplateHost extends RestClient, N8nCli {
	readonly runtime: N8nRuntime;
	listExecutions(workflowId: string): Promise<ExecutionSummary[]>;
	logTail(lines?: number): string;
}

/** What the flows left behind, for tests a setup adds after the shared ones. */
export interface TemplateWorld<Host extends TemplateHost> {
	host: Host;
	sshd: SshdFixture;
	erp: ErpStandIns;
	ids: TemplateIds;
}

export interface TemplateFlowsSetup<Host extends TemplateHost> {
	/** The describe block's title. */
	title: string;
	/** Starts n8n (package installed); the flows set the owner up and import what they need. */
	start(): Promise<Host>;
	/** Stops what start() started, also when start() failed or is still under way. */
	stop(): Promise<void>;
	/** Stops and starts n8n again on the same database (the trigger ledger lives there). */
	restart(host: Host): Promise<void>;
	/** Bound on beforeAll (peers, n8n start, imports). */
	startupTimeoutMs: number;
	/** Default bound of each test. */
	testTimeoutMs: number;
	/** Bound on each wait for executions and error-workflow runs. */
	waitMs: number;
	/** Tests that run after the shared ones, on what they left behind. */
	moreTests?(world: () => TemplateWorld<Host>): void;
}

const HEADER = fs.readFileSync(path.join(SAMPLE_DIR, 'invoice-export.csv'), 'utf8').split('\n')[0];
const COLUMNS = HEADER.split(',');

/** One invoice line as a CSV row of the default invoice-export template. */
function invoiceRow(values: Record<string, string>): string {
	return COLUMNS.map((column) => {
		const value = values[column] ?? '';
		return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
	}).join(',');
}

function oneLineInvoice(
	id: string,
	number: string,
	amount: string,
	gl: string,
	extra: Record<string, string> = {},
): string {
	return invoiceRow({
		InvoiceId: id,
		InvoiceNumber: number,
		DocumentType: 'bill',
		VendorId: 'V-300',
		VendorName: 'Globex Consulting',
		InvoiceDate: '2026-03-10',
		DueDate: '2026-04-09',
		Currency: 'USD',
		Total: amount,
		TaxTotal: '0',
		LineNumber: '1',
		LineDescription: `Work ${id}`,
		Quantity: '1',
		UnitPrice: amount,
		LineAmount: amount,
		GLAccount: gl,
		...extra,
	});
}

const past = () => new Date(Date.now() - 5 * 60_000);

/** Waits (bounded) until each local path exists; returns the ones still missing. */
async function filesAppear(localPaths: string[], timeoutMs = 60_000): Promise<string[]> {
	const deadline = Date.now() + timeoutMs;
	let missing = localPaths;
	while (Date.now() < deadline) {
		missing = missing.filter((local) => !fs.existsSync(local));
		if (!missing.length) break;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	return missing;
}

export function describeTemplateFlows<Host extends TemplateHost>(
	setup: TemplateFlowsSetup<Host>,
): void {
	const { waitMs } = setup;
	jest.setTimeout(setup.testTimeoutMs);

	describe(setup.title, () => {
		let peers: TemplatePeers;
		let sshd: SshdFixture;
		let erp: ErpStandIns;
		let host: Host;
		let templates: Templates;
		let WORKFLOW_IDS: TemplateIds;

		// The sshd fixture has no chroot: its directories are absolute local paths, so the templates'
		// /outbound/failed becomes <outbound>/failed here (a user sets it the same way for their server).
		let failedDir: string;
		const out = (name: string) => `${sshd.outboundDir}/${name}`;
		const settled = (workflow: WorkflowJson, ...triggers: string[]) =>
			triggers.reduce(
				(wf, name) =>
					withNodeParameters(wf, name, {
						settleSeconds: 0,
						...(wf.nodes.find((n) => n.name === name)?.parameters.failedDir ? { failedDir } : {}),
					}),
				workflow,
			);

		beforeAll(async () => {
			peers = await startTemplatePeers();
			({ sshd, erp } = peers);
			host = await setup.start();
			await host.setupOwner();
			await host.importCredentials(peers.credentials);
			failedDir = `${sshd.outboundDir}/failed`;
			templates = pickStandInIds(loadTemplates());
			WORKFLOW_IDS = await importTemplates(host, {
				...templates,
				odooBills: settled(templates.odooBills, NODE.trigger),
				odooPayments: settled(templates.odooPayments, NODE.trigger),
				quickBooksBills: settled(templates.quickBooksBills, NODE.trigger, NODE.vendorTrigger),
				replayFailed: withNodeParameters(
					withNodeParameters(templates.replayFailed, NODE.replay, { fromDir: failedDir }),
					NODE.listFailed,
					{ directory: failedDir },
				),
			});
			// n8n 2.x calls an error workflow only while it is active (1.x calls it either way).
			await host.activate(WORKFLOW_IDS.errorCollector);
		}, setup.startupTimeoutMs);

		afterAll(async () => {
			await setup.stop();
			await peers?.stop();
		}, 120_000);

		it('every template uses only node types n8n knows, and carries no fixed workflow id', async () => {
			const known = new Set((await host.nodeTypes()).map((type) => type.name));
			for (const key of TEMPLATE_KEYS) {
				const workflow = templates[key];
				for (const node of workflow.nodes)
					expect({
						workflow: workflow.name,
						type: node.type,
						known: known.has(node.type),
					}).toMatchObject({ known: true });
				// A fixed id would make a re-import overwrite the user's edited copy.
				expect({ template: key, id: workflow.id }).toEqual({ template: key, id: undefined });
			}
		});

		it('(1) master-data feed: vendors, purchase orders and GL accounts land as feed files on SFTP', async () => {
			const result = await host.executeWorkflow(WORKFLOW_IDS.masterDataFeed);
			expect(result.status).toBe('success');
			const inbound = fs
				.readdirSync(sshd.localPath(sshd.inboundDir))
				.filter((name) => !name.startsWith('.'));
			const byFeed = (prefix: string) => inbound.filter((name) => name.startsWith(prefix));
			expect([
				byFeed('vendors_').length,
				byFeed('purchase-orders_').length,
				byFeed('gl-accounts_').length,
			]).toEqual([1, 1, 1]);
			const read = (name: string) =>
				fs.readFileSync(path.join(sshd.localPath(sshd.inboundDir), name), 'utf8');
			expect(read(byFeed('vendors_')[0])).toContain('Acme Office Supply, Inc.');
			expect(read(byFeed('gl-accounts_')[0])).toContain('620000');
			expect(read(byFeed('purchase-orders_')[0])).toContain('P00001');
		});

		it('(2) Stampli → Odoo bills: bills and credit notes with the mapped accounts and taxes; unreadable records set aside; failures reach the error workflow', async () => {
			sshd.writeFile(
				`${sshd.outboundDir}/invoices-sample.csv`,
				fs.readFileSync(path.join(SAMPLE_DIR, 'invoice-export.csv')),
				past(),
			);
			// One good invoice, one whose total is not a number, one on a GL code no rule maps.
			const mixed = [
				HEADER,
				oneLineInvoice('INV-2001', 'G-2001', '300.00', '6500'),
				oneLineInvoice('INV-2002', 'G-2002', 'abc', '6500'),
				'',
			].join('\n');
			sshd.writeFile(`${sshd.outboundDir}/invoices-mixed.csv`, mixed, past());
			const unmapped = [HEADER, oneLineInvoice('INV-3001', 'G-3001', '75.00', '9999'), ''].join(
				'\n',
			);
			sshd.writeFile(`${sshd.outboundDir}/invoices-unmapped.csv`, unmapped, past());

			await host.activate(WORKFLOW_IDS.odooBills);
			const executions = await waitForExecutions(host, WORKFLOW_IDS.odooBills, 3, waitMs);
			expect(executions).toHaveLength(3);

			const bills = erp.odoo.store
				.all('account.move')
				.filter((move) => move.move_type === 'in_invoice');
			const byRef = new Map(bills.map((bill) => [bill.ref, bill]));
			expect([...byRef.keys()].sort()).toEqual(['7781', 'A-5521', 'G-2001']);
			const accountCode = (id: number) => erp.odoo.store.get('account.account', id)?.code;
			const lines = (bill: Json) =>
				(bill.invoice_line_ids as number[]).map((id) =>
					erp.odoo.store.get('account.move.line', id)!,
				);
			const acme = byRef.get('A-5521')!;
			expect(acme.state).toBe('posted');
			expect(
				lines(acme).map((line) => [
					accountCode(line.account_id),
					line.price_unit,
					line.quantity,
					line.tax_ids,
				]),
			).toEqual([
				['620000', 50, 10, [SAMPLE_ODOO_PURCHASE_TAX_ID]],
				['620000', 125, 4, [SAMPLE_ODOO_PURCHASE_TAX_ID]],
			]);
			expect(lines(byRef.get('7781')!).map((line) => accountCode(line.account_id))).toEqual([
				'600000',
			]);
			expect(erp.odoo.store.get('res.currency', byRef.get('7781')!.currency_id)?.name).toBe('EUR');
			// The sample credit memo finds Northwind by its Stampli vendor id (partner ref) and becomes a credit note, tax included.
			const refunds = erp.odoo.store
				.all('account.move')
				.filter((move) => move.move_type === 'in_refund');
			expect(refunds.map((move) => move.ref)).toEqual(['CM-88']);
			const northwind = erp.odoo.store
				.all('res.partner')
				.find((partner) => partner.ref === 'V-200');
			expect(refunds[0]).toMatchObject({
				partner_id: northwind?.id,
				state: 'posted',
				amount_total: 55,
			});
			expect(
				lines(refunds[0]).map((line) => [
					accountCode(line.account_id),
					line.price_unit,
					line.tax_ids,
				]),
			).toEqual([['600000', 50, [SAMPLE_ODOO_PURCHASE_TAX_ID]]]);

			// Both files whose runs failed go to the failed directory for the replay template: the poll
			// moves each once n8n settles its run, a moment after the execution is saved as finished.
			await expect(
				filesAppear(
					['invoices-mixed.csv', 'invoices-unmapped.csv'].map((name) =>
						sshd.localPath(`${failedDir}/${name}`),
					),
				),
			).resolves.toEqual([]);

			// Each file's reconciliation balances and accounts for every record.
			const summaries = [];
			for (const execution of executions)
				summaries.push(...nodeOutput(await executionWithData(host, execution.id), NODE.reconcile));
			const byFile = new Map(summaries.map((summary) => [summary.file, summary]));
			expect(byFile.get(out('invoices-sample.csv'))).toMatchObject({
				recordsIn: 3,
				created: 3,
				failed: 0,
				balanced: true,
			});
			expect(byFile.get(out('invoices-mixed.csv'))).toMatchObject({
				recordsIn: 2,
				created: 1,
				failed: 1,
				balanced: true,
			});
			expect(byFile.get(out('invoices-unmapped.csv'))).toMatchObject({
				recordsIn: 1,
				created: 0,
				failed: 1,
				balanced: true,
			});

			// Files that need a person fail their execution, and the error collector records file, records and reason.
			const failedRuns = executions.filter((execution) => execution.status === 'error');
			expect(failedRuns).toHaveLength(2);
			const collected = await waitForErrorRuns(
				host,
				WORKFLOW_IDS.errorCollector,
				failedRuns.map((execution) => execution.id),
				waitMs,
			);
			const failures = collected.flatMap((execution) => nodeOutput(execution, NODE.collect));
			const failureFor = (file: string) => failures.find((failure) => failure.file === file);
			expect(failureFor(out('invoices-unmapped.csv'))).toMatchObject({
				workflowId: WORKFLOW_IDS.odooBills,
				node: NODE.raise,
				records: expect.stringContaining('INV-3001'),
			});
			expect(failureFor(out('invoices-sample.csv'))).toBeUndefined();
			expect(String(failureFor(out('invoices-mixed.csv'))?.reason)).toMatch(/INV-2002|rows 2/);
		});

		it('(5) replay: a corrected failed file goes back to the trigger and is processed', async () => {
			const corrected = [
				HEADER,
				oneLineInvoice('INV-2001', 'G-2001', '300.00', '6500'),
				oneLineInvoice('INV-2002', 'G-2002', '120.00', '6500'),
				'',
			].join('\n');
			sshd.writeFile(`${failedDir}/invoices-mixed.csv`, corrected, past());
			const replay = await host.executeWorkflow(WORKFLOW_IDS.replayFailed);
			expect(replay.status).toBe('success');
			// Every file whose execution failed was set aside, not only the one with an unreadable record; the sample went through.
			const waiting = ['invoices-mixed.csv', 'invoices-unmapped.csv'];
			expect(
				replay.data.resultData.runData[NODE.listFailed][0].data?.main?.[0]
					?.map((item) => item.json.name)
					.sort(),
			).toEqual(waiting);
			for (const name of waiting) expect(fs.existsSync(sshd.localPath(out(name)))).toBe(true);

			// The next poll (re-activation polls at once) emits each replayed file again.
			const before = (await host.listExecutions(WORKFLOW_IDS.odooBills)).length;
			await host.deactivate(WORKFLOW_IDS.odooBills);
			await host.activate(WORKFLOW_IDS.odooBills);
			await waitForExecutions(host, WORKFLOW_IDS.odooBills, before + waiting.length, waitMs);
			const refs = erp.odoo.store
				.all('account.move')
				.filter((move) => move.move_type === 'in_invoice')
				.map((move) => move.ref);
			expect(refs.filter((ref) => ref === 'G-2001')).toHaveLength(1);
			expect(refs).toContain('G-2002');
		});

		it('(3) Stampli payments → Odoo: payments registered against the bills, partial ones too', async () => {
			sshd.writeFile(
				`${sshd.outboundDir}/payments-sample.csv`,
				fs.readFileSync(path.join(SAMPLE_DIR, 'payment-export.csv')),
				past(),
			);
			await host.activate(WORKFLOW_IDS.odooPayments);
			const [execution] = await waitForExecutions(host, WORKFLOW_IDS.odooPayments, 1, waitMs);
			const [summary] = nodeOutput(await executionWithData(host, execution.id), NODE.reconcile);
			expect(summary).toMatchObject({ kind: 'payment', recordsIn: 2, created: 2, balanced: true });
			const bills = erp.odoo.store
				.all('account.move')
				.filter((move) => move.move_type === 'in_invoice');
			const state = (ref: string) => bills.find((bill) => bill.ref === ref)?.payment_state;
			expect(state('A-5521')).toMatch(/paid|in_payment/);
			expect(state('7781')).toBe('partial');
			expect(erp.odoo.store.all('account.payment')).toHaveLength(2);
		});

		it('(4) Stampli → QuickBooks: vendors synced, bills with accounts, class and department', async () => {
			// The Odoo template set its failed files aside; QuickBooks gets its own copy of the sample export.
			sshd.writeFile(
				out('invoices-for-quickbooks.csv'),
				fs.readFileSync(path.join(SAMPLE_DIR, 'invoice-export.csv')),
				past(),
			);
			sshd.writeFile(
				`${sshd.outboundDir}/vendors-sample.csv`,
				fs.readFileSync(path.join(SAMPLE_DIR, 'vendor-export.csv')),
				past(),
			);
			const matching = fs
				.readdirSync(sshd.localPath(sshd.outboundDir))
				.filter((name) => /(invoice|vendor).*\.(csv|xml)$/i.test(name));
			// The access token dies after the run's first API request: n8n's OAuth2 helper must refresh it mid-run.
			erp.quickbooks.expireAccessTokensAfter(1);
			const refreshesBefore = erp.quickbooks.counters.tokenGrants.refresh_token;
			await host.activate(WORKFLOW_IDS.quickBooksBills);
			// One execution per file in outbound: invoice exports and the vendor export.
			const executions = await waitForExecutions(
				host,
				WORKFLOW_IDS.quickBooksBills,
				matching.length,
				waitMs,
			);
			expect(executions).toHaveLength(matching.length);
			const vendors = [...(erp.quickbooks.store.get('Vendor')?.values() ?? [])].map(
				(vendor) => vendor.DisplayName,
			);
			expect(vendors).toEqual(
				expect.arrayContaining([
					'Acme Office Supply, Inc.',
					'Northwind Traders',
					'Globex Consulting',
				]),
			);
			const bills = [...(erp.quickbooks.store.get('Bill')?.values() ?? [])];
			const acme = bills.find((bill) => bill.DocNumber === 'A-5521')!;
			expect(
				acme.Line.filter((line: Json) => line.DetailType === 'AccountBasedExpenseLineDetail').map(
					(line: Json) => (line.AccountBasedExpenseLineDetail as Json).AccountRef,
				),
			).toEqual(expect.arrayContaining([expect.objectContaining({ value: '41' })]));
			expect(
				bills.find((bill) => bill.DocNumber === '7781')?.Line[0].AccountBasedExpenseLineDetail
					.AccountRef.value,
			).toBe('43');
			// The sample credit memo becomes a Vendor Credit for Northwind (found by name): class Retail, department Ops, tax on account 45.
			const credits = [...(erp.quickbooks.store.get('VendorCredit')?.values() ?? [])];
			expect(credits.map((credit) => credit.DocNumber)).toEqual(['CM-88']);
			const northwind = [...(erp.quickbooks.store.get('Vendor')?.values() ?? [])].find(
				(vendor) => vendor.DisplayName === 'Northwind Traders',
			);
			expect(credits[0]).toMatchObject({
				VendorRef: { value: northwind?.Id },
				DepartmentRef: { value: '7' },
				TotalAmt: 55,
			});
			expect(
				credits[0].Line.map((line: Json) => [
					(line.AccountBasedExpenseLineDetail as Json).AccountRef,
					(line.AccountBasedExpenseLineDetail as Json).ClassRef,
					line.Amount,
				]),
			).toEqual([
				[expect.objectContaining({ value: '42' }), expect.objectContaining({ value: '5' }), 50],
				[expect.objectContaining({ value: '45' }), undefined, 5],
			]);
			expect(erp.quickbooks.counters.tokenGrants.refresh_token).toBeGreaterThan(refreshesBefore);
			expect(erp.quickbooks.counters.unauthorized).toBeGreaterThan(0);
		});

		it('(7) QuickBooks → Stampli master-data feed: the QuickBooks lists land with their QuickBooks variants; a run without changes writes nothing', async () => {
			// Past the readers' overlap, so what test 4 wrote is not a change of the second run.
			erp.quickbooks.clock.shift(5 * 60_000);
			const inbound = () =>
				fs
					.readdirSync(sshd.localPath(sshd.inboundDir))
					.filter((name) => name.startsWith('qbo_'))
					.sort();
			const read = (name: string) =>
				parseCsv(fs.readFileSync(path.join(sshd.localPath(sshd.inboundDir), name)), {
					columns: true,
				}) as Array<Record<string, string>>;
			const first = await host.executeWorkflow(WORKFLOW_IDS.quickBooksMasterDataFeed);
			expect(first.status).toBe('success');
			const files = inbound();
			const byFeed = (feed: string) => files.filter((name) => name.startsWith(`qbo_${feed}_`));
			// No purchase orders in the company: no file (an empty feed is not written by default).
			expect(
				['vendors', 'gl-accounts', 'classes', 'departments', 'purchase-orders'].map(
					(feed) => byFeed(feed).length,
				),
			).toEqual([1, 1, 1, 1, 0]);
			// Vendors Stampli's exports created carry their Stampli vendor id back (test 4 synced them).
			expect(
				read(byFeed('vendors')[0]).find((row) => row.VendorName === 'Northwind Traders'),
			).toMatchObject({
				StampliVendorId: 'V-200',
			});
			expect(read(byFeed('gl-accounts')[0])).toContainEqual(
				expect.objectContaining({
					Code: '6100',
					Name: 'Office Supplies',
					QuickBooksType: 'Expense',
				}),
			);
			expect(read(byFeed('departments')[0]).map((row) => row.Name)).toEqual(['Ops', 'Admin', 'IT']);

			const cdcBefore = erp.quickbooks.counters.byResource.cdc ?? 0;
			const second = await host.executeWorkflow(WORKFLOW_IDS.quickBooksMasterDataFeed);
			expect(second.status).toBe('success');
			// Five change-data-capture requests, nothing changed, no new file.
			expect((erp.quickbooks.counters.byResource.cdc ?? 0) - cdcBefore).toBe(5);
			expect(inbound()).toEqual(files);
		});

		it('the trigger ledger survives an n8n restart: processed files are not emitted again, a new one is', async () => {
			// QuickBooks' copy of the sample (test 4) went through and stays in outbound; it is not meant for the Odoo
			// flow (a real setup feeds one ERP), so take it away as an archive step would before Odoo polls again.
			fs.rmSync(sshd.localPath(out('invoices-for-quickbooks.csv')));
			const before = await host.listExecutions(WORKFLOW_IDS.odooBills);
			const billsBefore = erp.odoo.store.all('account.move').length;
			await setup.restart(host);
			// Written while n8n is down; newer than every processed file, so the poll after the restart
			// (n8n re-activates active workflows and polls at once) reaches it after any re-emission would have happened.
			sshd.writeFile(
				out('invoices-after-restart.csv'),
				[HEADER, oneLineInvoice('INV-4001', 'G-4001', '42.00', '6500'), ''].join('\n'),
				new Date(Date.now() - 60_000),
			);
			const after = await waitForExecutions(
				host,
				WORKFLOW_IDS.odooBills,
				before.length + 1,
				waitMs,
			);
			expect(after).toHaveLength(before.length + 1);
			const [newest] = nodeOutput(
				await executionWithData(host, after[after.length - 1].id),
				NODE.reconcile,
			);
			expect(newest).toMatchObject({
				file: out('invoices-after-restart.csv'),
				created: 1,
				balanced: true,
			});
			expect(erp.odoo.store.all('account.move').length).toBe(billsBefore + 1);
		});

		setup.moreTests?.(() => ({ host, sshd, erp, ids: WORKFLOW_IDS }));
	});
}
