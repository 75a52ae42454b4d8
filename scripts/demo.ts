/**
 * `npm run demo`: the whole product on one machine with no external system.
 * Starts an in-process SFTP server seeded with sample Stampli exports, the Odoo and QuickBooks
 * emulators, and a real n8n with this package; imports the credentials and the templates, runs them,
 * prints what happened (files, bills per system, reconciliation), then stays up for you to look
 * around until Ctrl-C, which stops everything it started. `--once` stops everything after the summary.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { reconcileItems, type FileSummary } from '../nodes/shared/reconciliation';
import {
	EXCEPTION_SAMPLE,
	SAMPLE_DIR,
	executionError,
	executionWithData,
	importTemplates,
	loadTemplates,
	nodeOutput,
	pickStandInIds,
	seedSampleExports,
	standInCredentials,
	startErpStandIns,
	startInProcessSftp,
	startN8n,
	waitForErrorRuns,
	waitForExecutions,
	withNodeParameters,
	type ErpStandIns,
	type N8nInstance,
	type SftpEndpoint,
	type TemplateIds,
} from '../test/kit';
import { FAILED_DIR, NODE, type TemplateKey } from '../workflows/source/catalog';
import { printReport, type DeliberateException, type TemplateRun } from './demo/report';

const once = process.argv.includes('--once');
const say = (message: string) => process.stderr.write(`[demo] ${message}\n`);

const cleanups: Array<{ what: string; stop: () => Promise<void> }> = [];
let stopping: Promise<void> | undefined;

function stopAll(): Promise<void> {
	stopping ??= (async () => {
		for (const { what, stop } of cleanups.reverse()) {
			try {
				await stop();
				say(`stopped ${what}`);
			} catch (error) {
				say(`stopping ${what} failed: ${(error as Error).message}`);
			}
		}
	})();
	return stopping;
}

function onSignal(signal: NodeJS.Signals): void {
	if (stopping) {
		say(`${signal} again: exiting now (a temp folder may be left in ${os.tmpdir()})`);
		process.exit(130);
	}
	say(`${signal}: stopping everything the demo started…`);
	// Whatever was still starting (not yet in the list) is killed and removed by its own exit hook.
	void stopAll().then(() => {
		say('stopped everything the demo started');
		process.exit(130);
	});
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

/** Ids of the sample records, to show that every one of them is accounted for. */
function sampleCount(file: string, idColumn: string): number {
	const [header, ...rows] = fs.readFileSync(path.join(SAMPLE_DIR, file), 'utf8').split(/\r?\n/);
	const index = header.split(',').indexOf(idColumn);
	return new Set(rows.filter((row) => /^[A-Z]+-\d+,/.test(row)).map((row) => row.split(',')[index]))
		.size;
}

let WORKFLOW_IDS: TemplateIds;

async function collectRun(
	n8n: N8nInstance,
	key: TemplateKey,
	label: string,
	expected: number,
): Promise<TemplateRun> {
	const executions = await waitForExecutions(n8n, WORKFLOW_IDS[key], expected);
	const run: TemplateRun = {
		template: label,
		executions: executions.length,
		failedExecutions: [],
		summaries: [],
	};
	for (const summary of executions) {
		const execution = await executionWithData(n8n, summary.id);
		const fromReconcile = nodeOutput(execution, NODE.reconcile) as unknown as FileSummary[];
		if (fromReconcile.length) run.summaries.push(...fromReconcile);
		else {
			// A run that ended before the reconcile node (e.g. vendor sync): summarise the ERP node's items here.
			const items = [NODE.qboVendors, NODE.odooBills, NODE.qboBills, NODE.odooPayments].flatMap(
				(name) => nodeOutput(execution, name),
			);
			if (items.length)
				run.summaries.push(
					...reconcileItems(items).summaries.filter(
						(s) => s.kind !== 'invoice' || items.some((i) => i.erp),
					),
				);
		}
		const error = executionError(execution);
		if (summary.status !== 'success' && error)
			run.failedExecutions.push({ id: summary.id, workflowId: WORKFLOW_IDS[key], error });
	}
	return run;
}

/** What became of the deliberate exception: the failures the error collector received, and the failed directory. */
async function deliberateException(
	n8n: N8nInstance,
	file: string,
	runs: TemplateRun[],
	waitingInFailedDir: string[],
): Promise<DeliberateException> {
	const handedOver = runs.flatMap((run) => run.failedExecutions.map((failure) => failure.id));
	const collected: DeliberateException['collected'] = [];
	// Only the collector's runs of these executions: a run of a flow started with `n8n execute` (the
	// master-data feed) may leave an audit or collector run cut short by the CLI's exit, marked running.
	if (handedOver.length > 0) {
		for (const execution of await waitForErrorRuns(n8n, WORKFLOW_IDS.errorCollector, handedOver))
			collected.push(...(nodeOutput(execution, NODE.collect) as DeliberateException['collected']));
	}
	return {
		invoiceId: EXCEPTION_SAMPLE.invoiceId,
		invoiceNumber: EXCEPTION_SAMPLE.invoiceNumber,
		glCode: EXCEPTION_SAMPLE.glCode,
		file,
		collected: collected.filter(
			(failure) =>
				failure.file === file || String(failure.records ?? '').includes(EXCEPTION_SAMPLE.invoiceId),
		),
		failedDir: FAILED_DIR,
		waitingInFailedDir,
	};
}

async function main(): Promise<void> {
	say('starting the in-process SFTP server, seeded with the sample Stampli exports');
	const sftp: SftpEndpoint = await startInProcessSftp();
	cleanups.push({ what: 'SFTP server', stop: () => sftp.stop() });
	// Invoice exports come later, once QuickBooks has its vendors (see below).
	const seeded = seedSampleExports(sftp, { kinds: ['vendor', 'payment'] });
	say(
		`  sftp://${sftp.username}@${sftp.host}:${sftp.port} (${sftp.hostKeySha256}) with ${seeded.join(', ')}`,
	);

	say('starting the Odoo 17 and QuickBooks Online emulators');
	const erp: ErpStandIns = await startErpStandIns();
	cleanups.push({ what: 'ERP emulators', stop: () => erp.stop() });
	say(
		`  Odoo ${erp.odoo.url} (db ${erp.odoo.db}), QuickBooks ${erp.quickbooks.url} (realm ${erp.quickbooks.realmId})`,
	);

	say(
		'starting n8n with n8n-nodes-stampli installed as a community package (first start takes a while)',
	);
	// STAMPLI_PACKAGE_DIR: install another build of the package (a folder with package.json and dist/) instead of this clone.
	const n8n = await startN8n(
		process.env.STAMPLI_PACKAGE_DIR ? { packageDir: process.env.STAMPLI_PACKAGE_DIR } : {},
	);
	cleanups.push({ what: 'n8n', stop: () => n8n.stop() });
	const owner = await n8n.setupOwner();
	say(`  n8n ${n8n.runtime.version} at ${n8n.url}`);

	await n8n.importCredentials(standInCredentials(sftp, erp));
	const templates = pickStandInIds(loadTemplates());
	// The demo feeds the same invoice export to both ERPs (a real setup has one). A failed run moves its
	// file to the failed directory; QuickBooks runs first and leaves its failures in place, so Odoo sees the file too.
	templates.quickBooksBills = withNodeParameters(templates.quickBooksBills, NODE.trigger, {
		failedDir: '',
	});
	// As a user does after importing: each template gets a new id, and the others name the Error Collector as error workflow.
	WORKFLOW_IDS = await importTemplates(n8n, templates);
	say(`imported credentials and ${Object.keys(templates).length} templates`);

	// n8n 2.x calls an error workflow only while it is active (n8n 1.x calls it either way).
	if (n8n.runtime.line === '2.x') await n8n.activate(WORKFLOW_IDS.errorCollector);
	const runs: TemplateRun[] = [];
	{
		say('running the master-data feed (Odoo → Stampli inbound)');
		const result = await n8n.executeWorkflow(WORKFLOW_IDS.masterDataFeed);
		if (result.status !== 'success')
			say(`  feed run ended with ${result.status}: ${result.data.resultData.error?.message ?? ''}`);
	}
	// The regular samples plus the deliberate exception's export.
	const invoices =
		sampleCount('invoice-export.csv', 'InvoiceId') +
		sampleCount(EXCEPTION_SAMPLE.sampleFile, 'InvoiceId');
	const payments = sampleCount('payment-export.csv', 'PaymentId');
	// The QuickBooks template's two triggers poll at the same moment; had the invoice exports been there
	// already, its bill flow and its vendor sync would race to create the same vendors. A real outbound
	// directory gets the vendor export first too, so the demo lets the vendor sync finish, then drops the invoices.
	say(`activating "${templates.quickBooksBills.name}" (its first poll syncs the vendor export)`);
	await n8n.activate(WORKFLOW_IDS.quickBooksBills);
	await waitForExecutions(n8n, WORKFLOW_IDS.quickBooksBills, 1);
	const invoiceExports = seedSampleExports(sftp, { kinds: ['invoice'] });
	seeded.push(...invoiceExports);
	say(`  Stampli exported ${invoiceExports.join(', ')}`);
	for (const [key, label, files] of [
		['quickBooksBills', 'Stampli → QuickBooks bills and vendors', 3],
		['odooBills', 'Stampli → Odoo bills', 2],
		['odooPayments', 'Stampli payments → Odoo', 1],
	] as Array<[TemplateKey, string, number]>) {
		if (key === 'quickBooksBills') {
			say(`re-activating "${templates[key].name}" so it polls the invoice exports now`);
			await n8n.deactivate(WORKFLOW_IDS[key]);
		} else say(`activating "${templates[key].name}" (its first poll runs now)`);
		await n8n.activate(WORKFLOW_IDS[key]);
		runs.push(await collectRun(n8n, key, label, files));
	}

	{
		// After the bill flow, so the vendors it created reach Stampli with their Stampli vendor ids.
		say('running the QuickBooks master-data feed (QuickBooks → Stampli inbound)');
		const result = await n8n.executeWorkflow(WORKFLOW_IDS.quickBooksMasterDataFeed);
		if (result.status !== 'success')
			say(`  feed run ended with ${result.status}: ${result.data.resultData.error?.message ?? ''}`);
	}
	const listDir = (remote: string) =>
		fs.existsSync(sftp.localPath(remote))
			? fs
					.readdirSync(sftp.localPath(remote))
					.filter((name) => !name.startsWith('.'))
					.sort()
			: [];
	const feedFiles = listDir(sftp.inboundDir);
	const exceptionFile = seeded.find((remote) => remote.endsWith(EXCEPTION_SAMPLE.suffix));
	const exception = exceptionFile
		? await deliberateException(n8n, exceptionFile, runs, listDir(FAILED_DIR))
		: undefined;
	const ok = printReport(
		{
			runs,
			feedFiles,
			sampleInvoices: invoices,
			samplePayments: payments,
			exception,
			n8nUrl: n8n.url,
			owner: { email: owner.email, password: owner.password },
			errorWorkflowName: templates.errorCollector.name,
			timezone: n8nTimezone(),
			once,
		},
		erp,
		sftp,
	);
	if (!ok) process.exitCode = 1;

	if (once) {
		await stopAll();
		say('--once: n8n and the stand-ins are stopped, so the editor link above no longer answers;');
		say('run `npm run demo` without --once to keep everything up and look around');
		return;
	}
	say('everything stays up so you can look around in n8n; press Ctrl-C to stop it all');
	await new Promise<never>(() => undefined);
}

/** The timezone n8n names feed files in: GENERIC_TIMEZONE, else n8n's default. */
function n8nTimezone(): string {
	return (
		process.env.GENERIC_TIMEZONE ||
		"America/New_York (n8n's default; set GENERIC_TIMEZONE to change it)"
	);
}

main().catch(async (error) => {
	say(`failed: ${(error as Error).stack ?? error}`);
	process.exitCode = 1;
	await stopAll();
});
