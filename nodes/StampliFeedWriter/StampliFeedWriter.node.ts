import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { stampliSftpConnectionTest } from '../common/credentialTests';
import { optionLabel, subtitleOf } from '../common/subtitles';
import { feedFileProperties } from '../common/feedProperties';
import { execute } from './execute';

/** Canonical vendor / purchase-order / GL-account records → one Stampli feed file per feed, uploaded atomically. */
export class StampliFeedWriter implements INodeType {
	description: INodeTypeDescription = {
		usableAsTool: true,
		displayName: 'Stampli Feed Writer',
		name: 'stampliFeedWriter',
		icon: { light: 'file:stampliFeedWriter.svg', dark: 'file:stampliFeedWriter.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: subtitleOf(
			optionLabel('feedType', {
				auto: 'Feeds by Record Type',
				classFeed: 'Class Feed',
				departmentFeed: 'Department Feed',
				vendorFeed: 'Vendor Feed',
				purchaseOrderFeed: 'Purchase Order Feed',
				glAccountFeed: 'GL Account Feed',
			}),
		),
		description:
			'Write vendor, purchase-order and GL-account feed files (CSV or XML) into Stampli’s SFTP inbound directory',
		defaults: { name: 'Stampli Feed Writer' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'stampliSftpApi', required: true, testedBy: 'stampliSftpConnectionTest' },
		],
		properties: [
			{
				displayName: 'Feed',
				name: 'feedType',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'By Record Type',
						value: 'auto',
						description:
							'One file per feed found in the input (vendors, purchase orders, GL accounts, classes, departments)',
					},
					{ name: 'Classes', value: 'classFeed' },
					{ name: 'Departments', value: 'departmentFeed' },
					{ name: 'GL Accounts', value: 'glAccountFeed' },
					{ name: 'Purchase Orders', value: 'purchaseOrderFeed' },
					{ name: 'Vendors', value: 'vendorFeed' },
				],
				default: 'auto',
				description: 'Which feed the input records belong to',
			},
			...feedFileProperties(),
		],
	};

	methods = { credentialTest: { stampliSftpConnectionTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await execute.call(this);
	}
}
