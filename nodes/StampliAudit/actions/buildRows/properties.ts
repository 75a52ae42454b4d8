import type { INodeProperties } from 'n8n-workflow';

const show = { show: { operation: ['buildRows'] } };

export const properties: INodeProperties[] = [
	{
		displayName:
			'Turns what the Stampli nodes put out (records after an ERP node, Needs Attention, trigger files and errors, feed audits, replays, reconciliation summaries) into audit rows for a Data Table or Postgres. Credentials never reach a row.',
		name: 'buildRowsNotice',
		type: 'notice',
		default: '',
		displayOptions: show,
	},
	{
		displayName: 'Flow',
		name: 'flow',
		type: 'string',
		default: '={{ $workflow.name }}',
		description:
			"Which flow the items come from; in a sub-workflow, the calling workflow's name passed in",
		displayOptions: show,
	},
	{
		displayName: 'Execution ID',
		name: 'executionId',
		type: 'string',
		default: '={{ $execution.id }}',
		description: 'The execution that produced the items, so a row leads back to it',
		displayOptions: show,
	},
	{
		displayName: 'Item',
		name: 'item',
		type: 'json',
		default: '={{ $json }}',
		description:
			'The item to record; in a sub-workflow whose inputs wrap the item, the field holding it',
		displayOptions: show,
	},
];
