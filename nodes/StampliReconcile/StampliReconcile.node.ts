import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { optionLabel, subtitleOf } from '../common/subtitles';
import { execute } from './execute';

export class StampliReconcile implements INodeType {
	description: INodeTypeDescription = {
		usableAsTool: true,
		displayName: 'Stampli Reconcile',
		name: 'stampliReconcile',
		icon: { light: 'file:stampliReconcile.svg', dark: 'file:stampliReconcile.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: subtitleOf(
			optionLabel('inSide', {
				stated: 'Against Stated Totals',
				records: 'Against Trigger Records',
			}),
		),
		description:
			'One summary per Stampli file: records in, created / updated / unchanged / skipped / failed, and whether the amounts balance',
		defaults: { name: 'Stampli Reconcile' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName:
					"Put this node at the end of a Stampli → ERP run, after a Merge of the ERP node's output, its error output and the GL Mapper's Needs Attention output",
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Amount In From',
				name: 'inSide',
				type: 'options',
				options: [
					{
						name: "Each Record's Stated Total",
						value: 'stated',
						description:
							'The total each incoming record carries (counted once per record, even when split)',
					},
					{
						name: 'Records the Trigger Emitted',
						value: 'records',
						description: 'An independent list: records that vanished on the way show up as missing',
					},
				],
				default: 'stated',
			},
			{
				displayName: 'Records In',
				name: 'recordsIn',
				type: 'json',
				default: "={{ $('Stampli SFTP Trigger').all().map(item => item.json) }}",
				description: 'The records the run started with, usually every item of the trigger',
				displayOptions: { show: { inSide: ['records'] } },
			},
			{
				displayName: 'Fail When Unbalanced',
				name: 'failWhenUnbalanced',
				type: 'boolean',
				default: false,
				description:
					'Whether an unbalanced file stops the execution with an error (so the error workflow reports it)',
			},
			{
				displayName: 'Include Record Lines',
				name: 'includeRecords',
				type: 'boolean',
				default: true,
				description:
					'Whether each summary lists every record with its status, ERP ID and reason (the audit trail)',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await execute.call(this);
	}
}
