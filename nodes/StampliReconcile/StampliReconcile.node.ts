import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { reconcileItems } from '../shared/reconciliation';

// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- summarises a run's items; not a meaningful AI-agent tool
export class StampliReconcile implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Stampli Reconcile',
		name: 'stampliReconcile',
		icon: { light: 'file:stampliReconcile.svg', dark: 'file:stampliReconcile.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{$parameter["inSide"] === "records" ? "against trigger records" : "stated totals"}}',
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
		const items = this.getInputData();
		const inSide = this.getNodeParameter('inSide', 0) as string;
		let expectedItems: IDataObject[] | undefined;
		if (inSide === 'records') {
			const raw = this.getNodeParameter('recordsIn', 0) as unknown;
			const parsed = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
			if (!Array.isArray(parsed)) {
				throw new NodeOperationError(this.getNode(), '"Records In" must be a list of records', {
					description: "For example {{ $('Stampli SFTP Trigger').all().map(item => item.json) }}",
				});
			}
			expectedItems = parsed.filter(
				(entry): entry is IDataObject => typeof entry === 'object' && entry !== null,
			);
		}

		const result = reconcileItems(
			items.map((item) => item.json),
			expectedItems ? { expectedItems } : {},
		);
		if (result.notReconcilable.length > 0 && result.summaries.length === 0) {
			const first = result.notReconcilable[0];
			throw new NodeOperationError(this.getNode(), `Item ${first.index}: ${first.reason}`, {
				itemIndex: first.index,
				description:
					'Stampli Reconcile expects canonical invoices or payments after an ERP node (with "erp" or "error"), or Needs Attention items',
			});
		}

		const includeRecords = this.getNodeParameter('includeRecords', 0) as boolean;
		const output: INodeExecutionData[] = result.summaries.map((summary, index) => {
			const paired = result.itemIndexes[index];
			const json: IDataObject = { ...(summary as unknown as IDataObject) };
			if (!includeRecords) delete json.records;
			if (result.notReconcilable.length > 0) json.notReconcilable = result.notReconcilable;
			return {
				json,
				pairedItem: paired.length > 0 ? paired.map((item) => ({ item })) : { item: 0 },
			};
		});

		if (this.getNodeParameter('failWhenUnbalanced', 0) as boolean) {
			const unbalanced = result.summaries.filter((summary) => !summary.balanced);
			if (unbalanced.length > 0) {
				throw new NodeOperationError(
					this.getNode(),
					`${unbalanced.length} file(s) do not balance: ${unbalanced.map((s) => `${s.file} (${s.imbalance.join('; ')})`).join(' | ')}`,
				);
			}
		}
		return [output];
	}
}
