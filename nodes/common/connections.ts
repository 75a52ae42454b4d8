/**
 * How a node reaches each ERP from its credential: the credential type and a client factory. The
 * factories only read the credential and build a client (no request is sent), so every failure
 * here is a setting to fix and becomes one NodeOperationError. A new ERP adds one entry.
 */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { erpModule } from '../shared/erps';
import type { OdooClient } from '../shared/odoo';
import type { QboClient } from '../shared/quickbooks';
import { CREDENTIALS } from './credentials';
import { connectOdoo } from './odoo';
import { connectQuickBooks } from './quickbooks';

export interface ErpConnector {
	system: string;
	credential: string;
	connect(ctx: IExecuteFunctions): Promise<unknown>;
}

const connectors = new Map<string, ErpConnector>(
	[
		{
			system: 'odoo',
			credential: CREDENTIALS.odoo,
			connect: async (ctx: IExecuteFunctions) => (await connectOdoo(ctx)).client,
		},
		{ system: 'quickbooks', credential: CREDENTIALS.quickBooks, connect: connectQuickBooks },
	].map((c) => [c.system, c]),
);

/** Adds (or replaces) how nodes connect to an ERP; tests register their own. */
export function registerErpConnector(connector: ErpConnector): void {
	connectors.set(connector.system, connector);
}

export function erpConnector(system: string): ErpConnector {
	const connector = connectors.get(system);
	if (!connector) throw new Error(`No n8n connection is registered for ERP "${system}"`);
	return connector;
}

export function erpConnectors(): ErpConnector[] {
	return [...connectors.values()];
}

/** A client for the ERP, from this node's credential; a missing or unusable credential is a NodeOperationError. */
export async function connectErp(ctx: IExecuteFunctions, system: string): Promise<unknown> {
	const connector = erpConnector(system);
	try {
		return await connector.connect(ctx);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, {
			description: `Check the ${erpModule(system).label} credential of this node.`,
		});
	}
}

/** The Odoo client of this node's credential. */
export async function odooClientOf(ctx: IExecuteFunctions): Promise<OdooClient> {
	return (await connectErp(ctx, 'odoo')) as OdooClient;
}

/** The QuickBooks client of this node's credential. */
export async function quickBooksClientOf(ctx: IExecuteFunctions): Promise<QboClient> {
	return (await connectErp(ctx, 'quickbooks')) as QboClient;
}
