/**
 * The editor's searchable lists of ERP records (`methods.listSearch`): each method connects with
 * the node's own credential and asks the ERP's picker module for one page.
 */
import {
	NodeOperationError,
	type ILoadOptionsFunctions,
	type INodeListSearchResult,
} from 'n8n-workflow';

import type { PickerPage, PickerQuery } from '../shared/erp';
import {
	pickOdooAccounts,
	pickOdooAnalyticAccounts,
	pickOdooJournals,
	pickOdooTaxes,
	type OdooClient,
} from '../shared/odoo';
import { pickQuickBooks, type QboClient, type QuickBooksPickable } from '../shared/quickbooks';
import { CREDENTIALS } from './credentials';
import { toNodeError } from './errors';
import { connectOdoo } from './odoo';
import { connectQuickBooks } from './quickbooks';

type ListSearch = (
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
) => Promise<INodeListSearchResult>;

/** A list-search method over one ERP: a clear error when the node has no credential for it yet. */
function listSearch<Client>(
	credential: string,
	label: string,
	connect: (ctx: ILoadOptionsFunctions) => Promise<Client>,
	pick: (client: Client, query: PickerQuery) => Promise<PickerPage>,
): ListSearch {
	return async function (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
		if (!this.getNode().credentials?.[credential]) {
			throw new NodeOperationError(
				this.getNode(),
				`Select a credential for ${label} in this node to list its records, or enter the ID with "By ID"`,
			);
		}
		let client: Client;
		try {
			client = await connect(this);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), (error as Error).message, {
				description: `Check the ${label} credential of this node.`,
			});
		}
		try {
			return await pick(client, { filter, paginationToken });
		} catch (error) {
			throw toNodeError(this.getNode(), error, {
				message: `Cannot list ${label} records: ${(error as Error).message}`,
			});
		}
	};
}

const odoo = (pick: (client: OdooClient, query: PickerQuery) => Promise<PickerPage>) =>
	listSearch(CREDENTIALS.odoo, 'Odoo', async (ctx) => (await connectOdoo(ctx)).client, pick);

const quickBooks = (entity: QuickBooksPickable) =>
	listSearch<QboClient>(CREDENTIALS.quickBooks, 'QuickBooks', connectQuickBooks, (client, query) =>
		pickQuickBooks(client, entity, query),
	);

/** Odoo: GL accounts, purchase taxes, analytic accounts, journals for bills and for payments. */
export const odooListSearch = {
	odooAccounts: odoo(pickOdooAccounts),
	odooTaxes: odoo(pickOdooTaxes),
	odooAnalyticAccounts: odoo(pickOdooAnalyticAccounts),
	odooPurchaseJournals: odoo((client, query) => pickOdooJournals(client, 'purchase', query)),
	odooPaymentJournals: odoo((client, query) => pickOdooJournals(client, 'payment', query)),
};

/** QuickBooks: accounts, classes, departments (locations). */
export const quickBooksListSearch = {
	quickBooksAccounts: quickBooks('Account'),
	quickBooksClasses: quickBooks('Class'),
	quickBooksDepartments: quickBooks('Department'),
};

const PICKER_METHODS: Record<
	string,
	Record<string, keyof typeof odooListSearch | keyof typeof quickBooksListSearch>
> = {
	odoo: { account: 'odooAccounts', tax: 'odooTaxes', analytic: 'odooAnalyticAccounts' },
	quickbooks: {
		account: 'quickBooksAccounts',
		class: 'quickBooksClasses',
		department: 'quickBooksDepartments',
	},
};

/** The list-search method offering records of `kind` in the ERP `system`; undefined when there is none. */
export function pickerMethod(system: string, kind: string | undefined): string | undefined {
	return kind === undefined ? undefined : PICKER_METHODS[system]?.[kind];
}
