import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { odooListSearch, quickBooksListSearch } from '../common/listSearch';
import { credentials, properties, subtitle } from './description';
import { execute } from './execute';

export class GlMapper implements INodeType {
	description: INodeTypeDescription = {
		usableAsTool: true,
		displayName: 'GL Mapper',
		name: 'glMapper',
		icon: { light: 'file:glMapper.svg', dark: 'file:glMapper.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle,
		description:
			'Map Stampli GL codes, dimensions and vendors to Odoo or QuickBooks by explained rules',
		defaults: { name: 'GL Mapper' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Mapped', 'Needs Attention'],
		credentials,
		properties,
	};

	methods = {
		listSearch: {
			odooAccounts: odooListSearch.odooAccounts,
			odooTaxes: odooListSearch.odooTaxes,
			odooAnalyticAccounts: odooListSearch.odooAnalyticAccounts,
			...quickBooksListSearch,
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await execute.call(this);
	}
}
