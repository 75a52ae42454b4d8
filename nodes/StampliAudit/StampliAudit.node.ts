import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as buildRows from './actions/buildRows/properties';
import * as findInvoice from './actions/findInvoice/properties';
import * as period from './actions/period/properties';
import { router } from './actions/router';

/** The audit trail: items → audit rows for a store; rows from the store → invoice histories and the reconciliation report. */
export class StampliAudit implements INodeType {
	description: INodeTypeDescription = {
		// An agent may well ask "what happened to invoice NW-4410?"; nothing here writes to an ERP.
		usableAsTool: true,
		displayName: 'Stampli Audit',
		name: 'stampliAudit',
		icon: { light: 'file:stampliAudit.svg', dark: 'file:stampliAudit.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ { buildRows: "Build Audit Rows", findInvoice: "Find Invoice", summarisePeriod: "Summarise Period", buildReport: "Build Report" }[$parameter["operation"]] }}',
		description:
			"Audit trail of the Stampli flows: build audit rows for a Data Table or Postgres, find an invoice's history, and build the reconciliation report",
		defaults: { name: 'Stampli Audit' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Build Audit Rows',
						value: 'buildRows',
						description: 'Turn the items of a Stampli flow into audit rows to store',
						action: 'Build audit rows',
					},
					{
						name: 'Find Invoice',
						value: 'findInvoice',
						description:
							'The whole history of an invoice or payment, from the audit rows given as input',
						action: 'Find an invoice in the audit rows',
					},
					{
						name: 'Summarise Period',
						value: 'summarisePeriod',
						description:
							'Per flow and file: records in, written, unchanged, skipped, failed, amounts per currency, exceptions',
						action: 'Summarise a period of audit rows',
					},
					{
						name: 'Build Report',
						value: 'buildReport',
						description:
							'The reconciliation report of a period as an HTML page and a CSV of the detail',
						action: 'Build the reconciliation report',
					},
				],
				default: 'buildRows',
			},
			...buildRows.properties,
			...findInvoice.properties,
			...period.properties,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
