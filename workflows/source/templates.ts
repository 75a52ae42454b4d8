/**
 * The six workflow templates as compact specs; write.ts turns them into workflows/*.json
 * (`npm run templates`). Parameters come from the nodes' own descriptions (names and defaults in
 * nodes/<Name>/<Name>.node.ts).
 */
import { auditTemplateSpecs, RECORD_AUDIT, recordAuditNode } from './auditTemplates';
import { stampli, type Link, type NodeSpec, type StickySpec, type TemplateSpec } from './builder';
import { FAILED_DIR, NODE } from './catalog';
import { quickBooksMasterDataFeed } from './quickBooksMasterDataFeed';

const EVERY_15_MINUTES = { pollTimes: { item: [{ mode: 'everyX', value: 15, unit: 'minutes' }] } };

/**
 * A picker left for the user to fill from their own ERP's list: ids differ between databases and
 * companies, so templates ship none (the sticky note says what to pick).
 */
export const TO_PICK = { __rl: true, mode: 'list', value: '' } as const;


const ifNeedsPerson = {
	conditions: {
		options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
		conditions: [
			{
				id: 'c0f5d3e2-6a54-4c1e-9b7a-0d3e4f5a6b71',
				leftValue: '={{ $json.failed + $json.missing + $json.unexpected > 0 || !$json.balanced }}',
				rightValue: '',
				operator: { type: 'boolean', operation: 'true', singleValue: true },
			},
		],
		combinator: 'and',
	},
	options: {},
};

/** The message the error collector parses: `Stampli file <path>: <n> of <m> record(s) need a person — <id>: <reason>; …`. */
const raiseMessage =
	'=Stampli file {{ $json.file }}: {{ $json.failed + $json.missing + $json.unexpected }} of {{ $json.recordsIn }} record(s) need a person — ' +
	"{{ ($json.records || []).filter(r => ['failed', 'missing', 'unexpected'].includes(r.status)).map(r => (r.recordId || ('rows ' + (r.rows || []).join(','))) + ': ' + r.reason).join('; ') }}" +
	"{{ $json.balanced ? '' : ' | unbalanced: ' + $json.imbalance.join('; ') }}";

/** The SFTP trigger of a flow that reads Stampli exports: every 15 minutes, records, left in place after processing. */
function exportTrigger(
	name: string,
	y: number,
	word: string,
	fileKind: string,
	failedDir?: string,
): NodeSpec {
	return {
		name,
		type: stampli('stampliSftpTrigger'),
		position: [0, y],
		credentials: ['stampliSftpApi'],
		parameters: {
			...EVERY_15_MINUTES,
			directory: '',
			pattern: `*${word}*.{csv,xml}`,
			outputMode: 'records',
			fileKind,
			format: 'auto',
			settleSeconds: 60,
			maxFiles: 20,
			afterProcessing: 'leave',
			...(failedDir ? { failedDir } : {}),
		},
	};
}

/** Merge → Reconcile → IF → Stop and Error, starting at x. */
function reconcileTail(x: number, y: number, mergeInputs: number): NodeSpec[] {
	return [
		...(mergeInputs > 1
			? [
					{
						name: NODE.merge,
						type: 'n8n-nodes-base.merge',
						typeVersion: 3.2,
						position: [x, y] as [number, number],
						parameters: mergeInputs > 2 ? { numberInputs: mergeInputs } : {},
					},
				]
			: []),
		{
			name: NODE.reconcile,
			type: stampli('stampliReconcile'),
			position: [x + 240, y],
			parameters: { inSide: 'stated', failWhenUnbalanced: false, includeRecords: true },
		},
		{
			name: NODE.needsPerson,
			type: 'n8n-nodes-base.if',
			typeVersion: 2.2,
			position: [x + 480, y],
			parameters: ifNeedsPerson,
		},
		{
			name: NODE.raise,
			type: 'n8n-nodes-base.stopAndError',
			position: [x + 720, y - 100],
			parameters: { errorType: 'errorMessage', errorMessage: raiseMessage },
		},
	];
}

const tailLinks = (): Link[] => [
	[NODE.reconcile, 0, NODE.needsPerson, 0],
	[NODE.needsPerson, 0, NODE.raise, 0],
];

/** Invoice flows: trigger → GL Mapper; Mapped → the ERP node, Needs attention and the ERP's results → Merge → reconciliation. */
const invoiceFlowLinks = (erpNode: string): Link[] => [
	[NODE.trigger, 0, NODE.glMapper, 0],
	[NODE.glMapper, 0, erpNode, 0],
	[NODE.glMapper, 1, NODE.merge, 1],
	[erpNode, 0, NODE.merge, 0],
	[NODE.merge, 0, NODE.reconcile, 0],
	...tailLinks(),
];

/** Each named node's output also goes to "Record Audit" (the audit trail). */
const auditLinks = (...from: string[]): Link[] => from.map((name) => [name, 0, RECORD_AUDIT, 0]);

const reconcileSticky = (x: number, y: number): StickySpec => ({
	content:
		'## Reconciliation\nOne item per file: invoices in, created / updated / unchanged / skipped / failed, and **amount in = written + skipped + failed** (exact decimals, per currency).\n\nWhen anything failed or does not balance, **Report to Error Workflow** stops the run with a message naming the file and each record, so the **Stampli: Error Collector** workflow hands it to a person.',
	position: [x, y],
	width: 460,
	height: 220,
	color: 4,
});

function odooBills(): TemplateSpec {
	return {
		key: 'odooBills',
		name: 'Stampli → Odoo: vendor bills (every 15 min)',
		nodes: [
			exportTrigger(NODE.trigger, 300, 'invoice', 'invoices', FAILED_DIR),
			{
				name: NODE.glMapper,
				type: stampli('glMapper'),
				position: [260, 300],
				credentials: ['stampliOdooApi'],
				parameters: {
					targetSystem: 'odoo',
					mode: 'map',
					ruleSource: 'ui',
					rules: {
						rule: [
							{
								id: 'office-supplies',
								match: 'exact',
								code: '6100',
								odooAccountCode: '620000',
								taxes: TO_PICK,
								note: 'Example: Stampli 6100 → the Odoo account with code 620000; pick your purchase tax',
							},
							{
								id: 'furniture',
								match: 'exact',
								code: '6200',
								odooAccountCode: '600000',
								taxes: TO_PICK,
								note: 'Example: Stampli 6200 → the Odoo account with code 600000; pick your purchase tax',
							},
							{
								id: 'consulting',
								match: 'exact',
								code: '6500',
								odooAccountCode: '600000',
								note: 'Example: Stampli 6500 → the Odoo account with code 600000, no tax',
							},
						],
					},
					precedence: 'firstMatch',
					invoiceHandling: 'whole',
				},
			},
			{
				name: NODE.odooBills,
				type: stampli('odooAccountMove'),
				position: [520, 200],
				credentials: ['stampliOdooApi'],
				onError: 'continueRegularOutput',
				parameters: {
					operation: 'upsertVendorBills',
					options: { autoPost: true, postedPolicy: 'skip', chatterNote: true },
				},
			},
			...reconcileTail(780, 300, 2),
			recordAuditNode([1140, 40]),
		],
		links: [...invoiceFlowLinks(NODE.odooBills), ...auditLinks(NODE.merge, NODE.reconcile)],
		stickies: [
			{
				content:
					"## Stampli → Odoo vendor bills\nEvery 15 minutes the trigger looks for new invoice exports in Stampli's outbound SFTP directory. **Each file becomes its own execution**, and a file is never processed twice (the ledger lives in this workflow).\n\n### Set up\n1. **Stampli SFTP Trigger**: pick your *Stampli SFTP* credential (host, user, password or key, **host-key fingerprint**). Adjust the file pattern if your exports are named differently.\n2. **GL Mapper**: choose your *Odoo (Stampli)* credential (it fills the lists), then replace the example rules with your Stampli GL code → Odoo account mapping: type your chart's **account codes** (620000 and 600000 are codes of Odoo's generic chart, not necessarily the accounts you want) or pick **Odoo Account** from the list, and pick the purchase tax each rule carries under **Taxes** (the sample's 6100 and 6200 lines are taxed at 10%; a new Odoo database has only a 15% purchase tax, so create the tax you need first). Rules keep no tax until you pick one.\n3. **Odoo Account Move**: pick your *Odoo (Stampli)* credential; pick the purchase **Journal** under Options if not Odoo's default. **Auto-post** is on because Stampli only exports approved invoices (and payments need posted bills); switch it off to review drafts in Odoo first.\n4. *Workflow settings → Error workflow*: **Stampli: Error Collector** (template 6).\n5. Activate.",
				position: [-60, -480],
				width: 640,
				height: 640,
			},
			{
				content:
					'### Needs attention\nLines the rules do not map (and unknown vendors) leave the GL Mapper on its second output and are counted as **failed** in the reconciliation, with the reason. Fix the rule, then re-upload or replay the file.',
				position: [240, 520],
				width: 420,
				height: 180,
				color: 3,
			},
			reconcileSticky(1000, 480),
		],
	};
}

function odooPayments(): TemplateSpec {
	return {
		key: 'odooPayments',
		name: 'Stampli → Odoo: payments (every 15 min)',
		nodes: [
			exportTrigger(NODE.trigger, 300, 'payment', 'payments'),
			{
				name: NODE.odooPayments,
				type: stampli('odooAccountMove'),
				position: [260, 300],
				credentials: ['stampliOdooApi'],
				onError: 'continueRegularOutput',
				parameters: { operation: 'registerPayments', paymentOptions: { chatterNote: true } },
			},
			...reconcileTail(280, 300, 1),
			recordAuditNode([640, 80]),
		],
		links: [
			[NODE.trigger, 0, NODE.odooPayments, 0],
			[NODE.odooPayments, 0, NODE.reconcile, 0],
			...tailLinks(),
			...auditLinks(NODE.odooPayments, NODE.reconcile),
		],
		stickies: [
			{
				content:
					'## Stampli payments → Odoo\nStampli exports the payments it made; each one is registered in Odoo against the vendor bill created from the same Stampli invoice (found by its external id `stampli.…`). Partial payments are supported, and a payment is never registered twice.\n\n### Set up\n1. **Stampli SFTP Trigger**: your *Stampli SFTP* credential; the pattern picks payment exports.\n2. **Odoo Register Payments**: your *Odoo (Stampli)* credential; optionally pick the bank or cash **Journal** under Options (Odoo\'s default otherwise).\n3. *Workflow settings → Error workflow*: **Stampli: Error Collector** (template 6).\n4. Run the **vendor bills** workflow first (a payment needs its bill), then activate this one.',
				position: [-60, -180],
				width: 540,
				height: 420,
			},
			reconcileSticky(540, 460),
		],
	};
}

function quickBooksBills(): TemplateSpec {
	return {
		key: 'quickBooksBills',
		name: 'Stampli → QuickBooks Online: bills and vendors (every 15 min)',
		nodes: [
			exportTrigger(NODE.vendorTrigger, 0, 'vendor', 'vendors'),
			{
				name: NODE.qboVendors,
				type: stampli('quickBooksBill'),
				position: [260, 0],
				credentials: ['stampliQuickBooksOAuth2Api'],
				onError: 'continueRegularOutput',
				parameters: {
					operation: 'syncVendors',
					vendorOptions: { createMissing: true, updateExisting: true },
				},
			},
			exportTrigger(NODE.trigger, 400, 'invoice', 'invoices', FAILED_DIR),
			{
				name: NODE.glMapper,
				type: stampli('glMapper'),
				position: [260, 400],
				credentials: ['stampliQuickBooksOAuth2Api'],
				parameters: {
					targetSystem: 'quickbooks',
					mode: 'map',
					ruleSource: 'ui',
					rules: {
						rule: [
							{
								id: 'office-supplies',
								match: 'exact',
								code: '6100',
								qboAccountNumber: '6100',
								note: 'Example: Stampli 6100 → the QuickBooks account numbered (or named) 6100',
							},
							{
								id: 'furniture-retail',
								match: 'exact',
								code: '6200',
								class: 'Retail',
								qboAccountNumber: '6200',
								qboClass: TO_PICK,
								qboDepartment: TO_PICK,
								note: 'Example: Retail returns; pick your class and department',
							},
							{ id: 'furniture', match: 'exact', code: '6200', qboAccountNumber: '6200' },
							{
								id: 'consulting',
								match: 'exact',
								code: '6500',
								qboAccountNumber: '6500',
								note: 'Example: Stampli 6500 → the QuickBooks account numbered (or named) 6500',
							},
						],
					},
					precedence: 'firstMatch',
					invoiceHandling: 'whole',
					accountResolution: 'quickbooks',
				},
			},
			{
				name: NODE.qboBills,
				type: stampli('quickBooksBill'),
				position: [520, 300],
				credentials: ['stampliQuickBooksOAuth2Api'],
				onError: 'continueRegularOutput',
				parameters: {
					operation: 'upsertBills',
					options: {
						createMissingVendors: true,
						updateExisting: true,
						longDocNumber: 'shorten',
						taxAccountId: TO_PICK,
					},
				},
			},
			...reconcileTail(780, 400, 2),
			recordAuditNode([1140, 140]),
		],
		links: [
			[NODE.vendorTrigger, 0, NODE.qboVendors, 0],
			...invoiceFlowLinks(NODE.qboBills),
			...auditLinks(NODE.qboVendors, NODE.merge, NODE.reconcile),
		],
		stickies: [
			{
				content:
					"## Stampli → QuickBooks Online\n**Top:** vendor exports keep QuickBooks vendors in sync (name, address, tax ID).\n**Bottom:** approved invoices become Bills (credits become Vendor Credits); a bill that already exists is updated or left unchanged, never created twice.\n\n### Set up\n1. Both triggers: your *Stampli SFTP* credential.\n2. Both QuickBooks nodes: a *QuickBooks Online (Stampli) OAuth2 API* credential — connect it once; n8n refreshes the tokens.\n3. **GL Mapper**: choose your QuickBooks credential (it resolves account numbers and fills the lists). The example rules name accounts by **account number or name** (6100, 6200, 6500): replace them with yours, or pick **QuickBooks Account** from the list; pick the **class** and **department** of the Retail rule from the lists.\n4. **QuickBooks Bill → Options → Tax Account**: pick the account that carries Stampli's tax amount (invoices with tax are refused until it is set).\n5. *Workflow settings → Error workflow*: **Stampli: Error Collector** (template 6).\n6. Activate.",
				position: [-60, -620],
				width: 640,
				height: 580,
			},
			reconcileSticky(1000, 580),
		],
	};
}

function errorCollector(): TemplateSpec {
	const assignment = (id: string, name: string, value: string, type = 'string') => ({
		id,
		name,
		value,
		type,
	});
	return {
		key: 'errorCollector',
		name: 'Stampli: Error Collector',
		nodes: [
			{ name: NODE.errorTrigger, type: 'n8n-nodes-base.errorTrigger', position: [0, 300] },
			{
				name: NODE.collect,
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [260, 300],
				parameters: {
					mode: 'manual',
					assignments: {
						assignments: [
							assignment(
								'7d0b1c1e-1f6b-4c55-9c38-5b0a3c1f0001',
								'at',
								'={{ $now.toUTC().toISO() }}',
							),
							assignment(
								'7d0b1c1e-1f6b-4c55-9c38-5b0a3c1f0002',
								'workflow',
								'={{ $json.workflow.name }}',
							),
							assignment(
								'7d0b1c1e-1f6b-4c55-9c38-5b0a3c1f0003',
								'workflowId',
								'={{ $json.workflow.id }}',
							),
							assignment(
								'7d0b1c1e-1f6b-4c55-9c38-5b0a3c1f0004',
								'executionId',
								'={{ $json.execution.id }}',
							),
							assignment(
								'7d0b1c1e-1f6b-4c55-9c38-5b0a3c1f0005',
								'executionUrl',
								'={{ $json.execution.url }}',
							),
							assignment(
								'7d0b1c1e-1f6b-4c55-9c38-5b0a3c1f0006',
								'node',
								'={{ $json.execution.lastNodeExecuted }}',
							),
							assignment(
								'7d0b1c1e-1f6b-4c55-9c38-5b0a3c1f0007',
								'file',
								"={{ (String($json.execution.error?.message ?? '').match(/^Stampli file (.+?): \\d+ of/) || [])[1] || '' }}",
							),
							assignment(
								'7d0b1c1e-1f6b-4c55-9c38-5b0a3c1f0008',
								'records',
								"={{ (String($json.execution.error?.message ?? '').split(' — ')[1] || '').split(' | ')[0] }}",
							),
							assignment(
								'7d0b1c1e-1f6b-4c55-9c38-5b0a3c1f0009',
								'reason',
								"={{ $json.execution.error?.message ?? 'unknown error' }}",
							),
						],
					},
					options: {},
				},
			},
			{ name: NODE.notify, type: 'n8n-nodes-base.noOp', position: [520, 300] },
		],
		links: [
			[NODE.errorTrigger, 0, NODE.collect, 0],
			[NODE.collect, 0, NODE.notify, 0],
		],
		stickies: [
			{
				content:
					'## Stampli: Error Collector\nChoose this workflow as the **error workflow** of the other Stampli templates (in each: *Workflow settings → Error workflow*). Whenever one of their executions fails — an SFTP poll, an ERP refusal, or a file whose records need a person — this runs with the failure.\n\n**Collect Failure** turns it into one record: when, workflow, execution link, node, **file**, **records** and **reason**. Its executions list is the exceptions queue.\n\n### Set up\nReplace **Notify a Person** with Slack, e-mail, a ticket or a sheet row, then:\n- **n8n 2.x**: **activate (publish) this workflow** — 2.x calls an error workflow only while it is active.\n- **n8n 1.x**: leave it inactive — 1.x calls it all the same, and refuses to activate a workflow whose only trigger is the Error Trigger.',
				position: [-60, -240],
				width: 620,
				height: 480,
			},
		],
	};
}

function masterDataFeed(): TemplateSpec {
	const feed = (
		source: string,
		writer: string,
		resource: string,
		feedType: string,
		y: number,
	): NodeSpec[] => [
		{
			name: source,
			type: stampli('odooMasterData'),
			position: [260, y],
			credentials: ['stampliOdooApi'],
			parameters: {
				resource,
				mode: 'full',
				output: 'items',
				...(resource === 'purchaseOrders' ? { poStates: ['purchase', 'done'] } : {}),
				options: {},
			},
		},
		{
			name: writer,
			type: stampli('stampliFeedWriter'),
			position: [520, y],
			credentials: ['stampliSftpApi'],
			parameters: {
				feedType,
				format: 'csv',
				fileNamePattern: '{feed}_{date:YYYYMMDD}_{time:HHmmss}.{ext}',
				targetDir: '',
				feedOptions: { neutraliseFormulas: true },
			},
		},
	];
	return {
		key: 'masterDataFeed',
		name: 'Odoo → Stampli: master-data feed (daily)',
		nodes: [
			{
				name: NODE.schedule,
				type: 'n8n-nodes-base.scheduleTrigger',
				typeVersion: 1.2,
				position: [0, 200],
				parameters: { rule: { interval: [{ field: 'days', triggerAtHour: 2 }] } },
			},
			{ name: NODE.runNow, type: 'n8n-nodes-base.manualTrigger', position: [0, 420] },
			...feed(NODE.vendors, NODE.vendorFeed, 'vendors', 'vendorFeed', 100),
			...feed(NODE.purchaseOrders, NODE.poFeed, 'purchaseOrders', 'purchaseOrderFeed', 300),
			...feed(NODE.glAccounts, NODE.glFeed, 'glAccounts', 'glAccountFeed', 500),
			recordAuditNode([780, 40]),
		],
		links: [
			[NODE.schedule, 0, NODE.vendors, 0],
			[NODE.schedule, 0, NODE.purchaseOrders, 0],
			[NODE.schedule, 0, NODE.glAccounts, 0],
			[NODE.runNow, 0, NODE.vendors, 0],
			[NODE.runNow, 0, NODE.purchaseOrders, 0],
			[NODE.runNow, 0, NODE.glAccounts, 0],
			[NODE.vendors, 0, NODE.vendorFeed, 0],
			[NODE.purchaseOrders, 0, NODE.poFeed, 0],
			[NODE.glAccounts, 0, NODE.glFeed, 0],
			...auditLinks(NODE.vendorFeed, NODE.poFeed, NODE.glFeed),
		],
		stickies: [
			{
				content:
					"## Odoo → Stampli master data\nEvery night Stampli gets a fresh copy of what it needs to match and code invoices: **vendors**, open **purchase orders** and the **chart of accounts**, as CSV feed files in its inbound SFTP directory. Each file is uploaded under a temporary name and renamed, so Stampli never reads half a file; cells that look like spreadsheet formulas are neutralised.\n\n### Set up\n1. The three **Odoo** nodes: your *Odoo (Stampli)* credential.\n2. The three **Feed** nodes: your *Stampli SFTP* credential (its inbound directory), and the file names / columns agreed with Stampli.\n3. *Workflow settings → Error workflow*: **Stampli: Error Collector** (template 6).\n4. Change the schedule if Stampli refreshes at another time, then activate. **Run Feed Now** sends the feeds at once (first setup, after a chart-of-accounts change).\n\nFor 100,000+ vendors, set the Odoo node's **Output** to *Write Feed Directly to Stampli* (streams in constant memory).",
				position: [-60, -360],
				width: 600,
				height: 420,
			},
			{
				content:
					'Each feed node outputs one audit item per file: remote path, rows, bytes, sha256 and duration.',
				position: [760, 260],
				width: 260,
				height: 140,
				color: 7,
			},
		],
	};
}

function replayFailed(): TemplateSpec {
	return {
		key: 'replayFailed',
		name: 'Stampli: replay failed files (manual)',
		nodes: [
			{ name: NODE.manual, type: 'n8n-nodes-base.manualTrigger', position: [0, 300] },
			{
				name: NODE.listFailed,
				type: stampli('stampliFiles'),
				position: [260, 200],
				credentials: ['stampliSftpApi'],
				parameters: { operation: 'list', directory: FAILED_DIR, pattern: '*' },
			},
			{
				name: NODE.replay,
				type: stampli('stampliFiles'),
				position: [260, 420],
				credentials: ['stampliSftpApi'],
				parameters: {
					operation: 'replay',
					fromDir: FAILED_DIR,
					watchedDir: '',
					names: '',
					pattern: '*',
				},
			},
			// A manual run may as well wait: its audit rows are stored before it ends.
			recordAuditNode([520, 420], { waitForSubWorkflow: true }),
		],
		links: [
			[NODE.manual, 0, NODE.listFailed, 0],
			[NODE.manual, 0, NODE.replay, 0],
			...auditLinks(NODE.replay),
		],
		stickies: [
			{
				content: `## Replay failed files\nFiles with records that could not be read are moved by the invoice workflows\' trigger into **${FAILED_DIR}** (its *Failed Files Directory*), with the file, rows, field and reason in the error workflow.\n\n1. Correct the file (or the template / rules that rejected it) — or ask Stampli to re-export it.\n2. Click **Execute Workflow**: **List Failed Files** shows what is waiting; **Replay Failed Files** moves them back into the watched directory, and the trigger processes each again as its own execution on its next poll.\n\nTo replay only some, put their names in *File Names*. ERP-side failures need no replay: fix the cause and re-upload or correct in Stampli; writes are idempotent.`,
				position: [-60, -200],
				width: 560,
				height: 360,
			},
		],
	};
}

export function templateSpecs(): TemplateSpec[] {
	return [
		masterDataFeed(),
		odooBills(),
		odooPayments(),
		quickBooksBills(),
		replayFailed(),
		errorCollector(),
		quickBooksMasterDataFeed(),
		...auditTemplateSpecs(),
	];
}
