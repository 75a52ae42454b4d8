/**
 * The audit templates: "Record audit" (the one place the audit store is chosen; every flow calls it),
 * the morning reconciliation report by e-mail, and the invoice lookup. The store is n8n's built-in
 * Data Table `stampli_audit`, created on first use with the audit row's columns.
 */
import { AUDIT_COLUMNS } from '../../nodes/shared/audit/schema';
import { stampli, type NodeSpec, type TemplateSpec } from './builder';

export const AUDIT_TABLE = 'stampli_audit';

/** Name of the node every flow template calls "Stampli: Record audit" with. */
export const RECORD_AUDIT = 'Record Audit';
export const RECORD_AUDIT_WORKFLOW = 'Stampli: Record audit';

/** Node names the tests and the demo look up. */
export const AUDIT_NODE = {
	called: 'When Called by a Flow',
	ensureTable: 'Ensure Audit Table',
	buildRows: 'Build Audit Rows',
	tableReady: 'Table Ready',
	storeRows: 'Store Audit Rows',
	storeFailed: 'Report Audit Failure',
	morning: 'Every Morning at 06:00',
	getPeriodRows: 'Get Audit Rows of the Period',
	buildReport: 'Build Report',
	email: 'E-mail the Report',
	slack: 'Post Digest to Slack',
	findManual: 'Find an Invoice',
	whatToFind: 'What to Find',
	getInvoiceRows: 'Get Audit Rows of the Invoice',
	findInvoice: 'Find Invoice',
} as const;

const table = { __rl: true, mode: 'name', value: AUDIT_TABLE };

const condition = (keyName: string, operator: string, keyValue: string) => ({
	keyName,
	condition: operator,
	keyValue,
});

/** A Data Table "Get Rows" of the audit table; an empty table still gives the next node one (empty) item. */
function getRows(
	name: string,
	position: [number, number],
	matchType: 'allConditions' | 'anyCondition',
	conditions: Array<ReturnType<typeof condition>>,
): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.dataTable',
		typeVersion: 1.1,
		position,
		alwaysOutputData: true,
		parameters: {
			resource: 'row',
			operation: 'get',
			dataTableId: table,
			matchType,
			filters: { conditions },
			returnAll: true,
		},
	};
}

function recordAudit(): TemplateSpec {
	const nodes: NodeSpec[] = [
		{
			name: AUDIT_NODE.called,
			type: 'n8n-nodes-base.executeWorkflowTrigger',
			typeVersion: 1.1,
			position: [0, 300],
			parameters: {
				inputSource: 'workflowInputs',
				workflowInputs: {
					values: [
						{ name: 'flow', type: 'string' },
						{ name: 'executionId', type: 'string' },
						{ name: 'item', type: 'object' },
					],
				},
			},
		},
		{
			name: AUDIT_NODE.ensureTable,
			type: 'n8n-nodes-base.dataTable',
			typeVersion: 1.1,
			position: [260, 140],
			parameters: {
				resource: 'table',
				operation: 'create',
				tableName: AUDIT_TABLE,
				columns: { column: AUDIT_COLUMNS.map((c) => ({ name: c.name, type: c.type })) },
				options: { createIfNotExists: true },
			},
			// Two first calls at once may both try to create it: the loser goes on, the table is there.
			onError: 'continueRegularOutput',
			settings: { executeOnce: true },
		},
		{
			name: AUDIT_NODE.buildRows,
			type: stampli('stampliAudit'),
			position: [260, 400],
			parameters: {
				operation: 'buildRows',
				flow: '={{ $json.flow }}',
				executionId: '={{ $json.executionId }}',
				item: '={{ $json.item }}',
			},
		},
		{
			name: AUDIT_NODE.tableReady,
			type: 'n8n-nodes-base.merge',
			typeVersion: 3.2,
			position: [520, 300],
			parameters: {
				mode: 'chooseBranch',
				chooseBranchMode: 'waitForAll',
				output: 'specifiedInput',
				useDataOfInput: 2,
			},
		},
		{
			name: AUDIT_NODE.storeRows,
			type: 'n8n-nodes-base.dataTable',
			typeVersion: 1.1,
			position: [780, 300],
			onError: 'continueErrorOutput',
			parameters: {
				resource: 'row',
				operation: 'upsert',
				dataTableId: table,
				matchType: 'allConditions',
				filters: { conditions: [condition('eventId', 'eq', '={{ $json.eventId }}')] },
				columns: {
					mappingMode: 'autoMapInputData',
					value: {},
					matchingColumns: [],
					schema: [],
					attemptToConvertTypes: false,
					convertFieldsToString: false,
				},
				options: {},
			},
			settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 5000 },
		},
		{
			name: AUDIT_NODE.storeFailed,
			type: 'n8n-nodes-base.stopAndError',
			position: [1040, 420],
			parameters: {
				errorType: 'errorMessage',
				errorMessage:
					"=Audit rows of {{ $json.flow }} (execution {{ $json.executionId }}) could not be stored in the Data Table '" +
					AUDIT_TABLE +
					"' after 3 tries: {{ $json.error?.message ?? $json.error }}",
			},
		},
	];
	return {
		key: 'recordAudit',
		name: RECORD_AUDIT_WORKFLOW,
		nodes,
		links: [
			[AUDIT_NODE.called, 0, AUDIT_NODE.ensureTable, 0],
			[AUDIT_NODE.called, 0, AUDIT_NODE.buildRows, 0],
			[AUDIT_NODE.ensureTable, 0, AUDIT_NODE.tableReady, 0],
			[AUDIT_NODE.buildRows, 0, AUDIT_NODE.tableReady, 1],
			[AUDIT_NODE.tableReady, 0, AUDIT_NODE.storeRows, 0],
			[AUDIT_NODE.storeRows, 1, AUDIT_NODE.storeFailed, 0],
		],
		stickies: [
			{
				content: `## Stampli: Record audit\nThe audit trail of every Stampli flow lands here, in **one place**: n8n's Data Table **${AUDIT_TABLE}** (created on first use with the documented columns — see docs/audit.md).\n\n**n8n 2.x: publish (activate) this workflow first** — 2.x publishes a flow only when the sub-workflows it calls are published.\n\nEach flow calls this workflow with an **Execute Workflow** node: *Wait For Sub-Workflow Completion* **off**, *On Error* **Continue**, inputs \`flow\` = \`{{ $workflow.name }}\`, \`executionId\` = \`{{ $execution.id }}\`, \`item\` = \`{{ $json }}\`. So recording never slows down or fails the sync.\n\nRows are **upserted** on \`eventId\` (a retry never duplicates), tried 3 times; if the store still fails, **Report Audit Failure** fails *this* execution and your error workflow reports it.\n\n**Postgres instead?** Replace the two Data Table nodes with n8n's Postgres node (*Insert or Update* on \`eventId\`); the table definition is in docs/audit.md.`,
				position: [-60, -300],
				width: 620,
				height: 480,
			},
		],
	};
}

function monthEndReport(): TemplateSpec {
	return {
		key: 'monthEndReport',
		name: 'Stampli: reconciliation report (every morning)',
		nodes: [
			{
				name: AUDIT_NODE.morning,
				type: 'n8n-nodes-base.scheduleTrigger',
				typeVersion: 1.2,
				position: [0, 300],
				parameters: { rule: { interval: [{ field: 'days', triggerAtHour: 6 }] } },
			},
			getRows(AUDIT_NODE.getPeriodRows, [260, 300], 'allConditions', [
				// From the first day of the previous day's month: covers both default periods.
				condition('at', 'gte', "={{ $now.minus({ days: 1 }).startOf('month').toUTC().toISO() }}"),
			]),
			{
				name: AUDIT_NODE.buildReport,
				type: stampli('stampliAudit'),
				position: [520, 300],
				parameters: {
					operation: 'buildReport',
					period: 'previousDayAndMonthToDate',
					date: '',
					timeZone: '',
					title: 'Stampli reconciliation report',
					reportProperty: 'report',
					detailProperty: 'detail',
				},
			},
			{
				name: AUDIT_NODE.email,
				type: 'n8n-nodes-base.emailSend',
				typeVersion: 2.1,
				position: [780, 200],
				credentials: ['smtp'],
				parameters: {
					fromEmail: 'stampli-reports@example.com',
					toEmail: 'accounts-payable@example.com',
					subject:
						'={{ $json.title }} to {{ $json.to }}: {{ $json.openExceptions }} open exception(s)',
					emailFormat: 'html',
					html: '={{ $json.html }}',
					options: { fileAttachments: 'report,detail', appendAttribution: false },
				},
			},
			{
				name: AUDIT_NODE.slack,
				type: 'n8n-nodes-base.slack',
				typeVersion: 2.3,
				position: [780, 420],
				parameters: {
					select: 'channel',
					channelId: { __rl: true, mode: 'name', value: '#accounts-payable' },
					text: '={{ $json.digest }}',
					otherOptions: {},
				},
				settings: { disabled: true },
			},
		],
		links: [
			[AUDIT_NODE.morning, 0, AUDIT_NODE.getPeriodRows, 0],
			[AUDIT_NODE.getPeriodRows, 0, AUDIT_NODE.buildReport, 0],
			[AUDIT_NODE.buildReport, 0, AUDIT_NODE.email, 0],
			[AUDIT_NODE.buildReport, 0, AUDIT_NODE.slack, 0],
		],
		stickies: [
			{
				content: `## Reconciliation report, every morning\nReads the audit rows that **Stampli: Record audit** stored in the Data Table **${AUDIT_TABLE}** and mails the report of **yesterday and the month to date**: invoices and payments in, written, unchanged, skipped, failed; amounts in against booked per currency; every exception with what to do; a chart per day. The HTML page and a CSV of the rows are attached.\n\n### Set up\n1. **E-mail the Report**: pick an *SMTP* credential, set *From* and *To*.\n2. Optional: enable **Post Digest to Slack**, pick a Slack credential and channel (one line per morning).\n3. **Build Report**: time zone (default: this n8n's), or *Period = Month* for a whole month at month end.\n4. Activate.`,
				position: [-60, -200],
				width: 600,
				height: 380,
			},
		],
	};
}

function findInvoice(): TemplateSpec {
	return {
		key: 'findInvoice',
		name: 'Stampli: find an invoice (manual)',
		nodes: [
			{ name: AUDIT_NODE.findManual, type: 'n8n-nodes-base.manualTrigger', position: [0, 300] },
			{
				name: AUDIT_NODE.whatToFind,
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [260, 300],
				parameters: {
					mode: 'manual',
					assignments: {
						assignments: [
							{ id: '5b1d7a40-3c1e-4c52-9a8e-1f0a2b3c4d01', name: 'value', value: 'INV-1004', type: 'string' },
						],
					},
					options: {},
				},
			},
			getRows(AUDIT_NODE.getInvoiceRows, [520, 300], 'anyCondition', [
				condition('invoiceNumber', 'eq', '={{ $json.value }}'),
				condition('recordKey', 'eq', '={{ $json.value }}'),
				// The files' own events (download, replay), so the history shows them.
				condition('subject', 'eq', 'file'),
			]),
			{
				name: AUDIT_NODE.findInvoice,
				type: stampli('stampliAudit'),
				position: [780, 300],
				parameters: {
					operation: 'findInvoice',
					findBy: 'number',
					value: `={{ $('${AUDIT_NODE.whatToFind}').first().json.value }}`,
				},
			},
		],
		links: [
			[AUDIT_NODE.findManual, 0, AUDIT_NODE.whatToFind, 0],
			[AUDIT_NODE.whatToFind, 0, AUDIT_NODE.getInvoiceRows, 0],
			[AUDIT_NODE.getInvoiceRows, 0, AUDIT_NODE.findInvoice, 0],
		],
		stickies: [
			{
				content:
					'## What happened to this invoice?\nPut the **invoice number** or **Stampli ID** in **What to Find** and click **Execute Workflow**. **Find Invoice** shows its whole history across files, flows and ERPs, oldest first — e.g. *needsAttention* (no GL rule) → *replayed* → *created* — with the ERP document, the latest status and, for an open exception, what to do.',
				position: [-60, -160],
				width: 560,
				height: 280,
			},
		],
	};
}

export function auditTemplateSpecs(): TemplateSpec[] {
	return [recordAudit(), monthEndReport(), findInvoice()];
}


/**
 * The Execute Workflow node a flow records its items with: it does not wait for the sub-workflow and
 * continues on error, so recording never slows down or fails the sync. It names "Stampli: Record
 * audit" in the list but carries no id (templates never name another workflow by id), so it ships
 * disabled: after importing, pick the workflow and enable the node. Placed above the flow's other nodes, so n8n runs it before a later node stops the run.
 */
export function recordAuditNode(
	position: [number, number],
	options: { waitForSubWorkflow?: boolean } = {},
): NodeSpec {
	const input = (id: string, type: string) => ({
		id,
		displayName: id,
		required: false,
		defaultMatch: false,
		display: true,
		canBeUsedToMatch: true,
		type,
	});
	return {
		name: RECORD_AUDIT,
		type: 'n8n-nodes-base.executeWorkflow',
		typeVersion: 1.2,
		position,
		onError: 'continueRegularOutput',
		notes: `To record the audit trail: pick "${RECORD_AUDIT_WORKFLOW}" (template 8) here and enable this node`,
		// Off until the sub-workflow is picked: n8n 2.x refuses to publish a flow whose Execute
		// Workflow node names no workflow, and templates must activate as imported.
		settings: { disabled: true },
		parameters: {
			workflowId: {
				__rl: true,
				mode: 'list',
				value: '',
				cachedResultName: RECORD_AUDIT_WORKFLOW,
			},
			workflowInputs: {
				mappingMode: 'defineBelow',
				value: {
					flow: '={{ $workflow.name }}',
					executionId: '={{ $execution.id }}',
					item: '={{ $json }}',
				},
				matchingColumns: [],
				schema: [
					input('flow', 'string'),
					input('executionId', 'string'),
					input('item', 'object'),
				],
				attemptToConvertTypes: false,
				convertFieldsToString: true,
			},
			mode: 'once',
			options: { waitForSubWorkflow: options.waitForSubWorkflow ?? false },
		},
	};
}
