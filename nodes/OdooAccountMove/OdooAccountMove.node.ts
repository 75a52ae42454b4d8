import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { stampliOdooConnectionTest } from '../common/credentialTests';
import { odooListSearch } from '../common/listSearch';
import * as registerPayments from './actions/registerPayments/properties';
import { router } from './actions/router';
import * as upsertVendorBills from './actions/upsertVendorBills/properties';

/** Approved Stampli invoices → Odoo vendor bills and credits; Stampli payments → payments on those bills. */
export class OdooAccountMove implements INodeType {
	description: INodeTypeDescription = {
		// Decided: not offered to AI agents (n8n only types `true`; unset means no tool variant). Bills
		// and payments come from approved Stampli exports through the trigger, exactly once.
		usableAsTool: undefined,
		displayName: 'Odoo Account Move',
		name: 'odooAccountMove',
		icon: { light: 'file:odooAccountMove.svg', dark: 'file:odooAccountMove.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle:
			'={{$parameter["operation"] === "registerPayments" ? "Register Payments" : "Upsert Vendor Bills"}}',
		description:
			'Create or update Odoo vendor bills from approved Stampli invoices, and register Stampli payments on them',
		defaults: { name: 'Odoo Account Move' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'stampliOdooApi', required: true, testedBy: 'stampliOdooConnectionTest' },
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Upsert Vendor Bills',
						value: 'upsertVendorBills',
						description:
							'Create or update one vendor bill (credits: a refund) per canonical invoice, never twice',
						action: 'Upsert vendor bills',
					},
					{
						name: 'Register Payments',
						value: 'registerPayments',
						description:
							'Register each canonical payment on the bill imported for its Stampli invoice, never twice',
						action: 'Register payments',
					},
				],
				default: 'upsertVendorBills',
			},
			...upsertVendorBills.properties,
			...registerPayments.properties,
		],
	};

	methods = {
		credentialTest: { stampliOdooConnectionTest },
		listSearch: {
			odooPurchaseJournals: odooListSearch.odooPurchaseJournals,
			odooPaymentJournals: odooListSearch.odooPaymentJournals,
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
