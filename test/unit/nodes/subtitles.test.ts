/**
 * Node subtitles show the chosen options' labels as the parameter panel does (evaluated here the
 * way n8n evaluates the expression: `$parameter` holds the node's parameters).
 */
import type { INodeType } from 'n8n-workflow';

import { GlMapper } from '../../../nodes/GlMapper/GlMapper.node';
import { OdooAccountMove } from '../../../nodes/OdooAccountMove/OdooAccountMove.node';
import { OdooMasterData } from '../../../nodes/OdooMasterData/OdooMasterData.node';
import { QuickBooksBill } from '../../../nodes/QuickBooksBill/QuickBooksBill.node';
import { QuickBooksMasterData } from '../../../nodes/QuickBooksMasterData/QuickBooksMasterData.node';
import { StampliFeedWriter } from '../../../nodes/StampliFeedWriter/StampliFeedWriter.node';
import { StampliFiles } from '../../../nodes/StampliFiles/StampliFiles.node';
import { StampliReconcile } from '../../../nodes/StampliReconcile/StampliReconcile.node';
import { StampliSftpTrigger } from '../../../nodes/StampliSftpTrigger/StampliSftpTrigger.node';

function subtitle(node: INodeType, parameters: Record<string, unknown>): string {
	const expression = node.description.subtitle!;
	const body = /^=\{\{([\s\S]*)\}\}$/.exec(expression)![1];
	return String(new Function('$parameter', `return (${body});`)(parameters));
}

describe('node subtitles', () => {
	it.each<[string, INodeType, Record<string, unknown>, string]>([
		['GL Mapper', new GlMapper(), { targetSystem: 'odoo', mode: 'map' }, 'Odoo · Map'],
		[
			'GL Mapper',
			new GlMapper(),
			{ targetSystem: 'quickbooks', mode: 'preview' },
			'QuickBooks · Preview',
		],
		['Stampli Reconcile', new StampliReconcile(), { inSide: 'stated' }, 'Against Stated Totals'],
		['Stampli Reconcile', new StampliReconcile(), { inSide: 'records' }, 'Against Trigger Records'],
		[
			'Odoo Master Data',
			new OdooMasterData(),
			{ resource: 'vendors', mode: 'full' },
			'Vendors · Full Snapshot',
		],
		[
			'Odoo Master Data',
			new OdooMasterData(),
			{ resource: 'glAccounts', mode: 'incremental' },
			'GL Accounts · Changed Since Last Run',
		],
		['Stampli Files', new StampliFiles(), { operation: 'download' }, 'Download and Parse'],
		['Stampli SFTP Trigger', new StampliSftpTrigger(), { fileKind: 'byName' }, 'By File Name'],
		['Stampli Feed Writer', new StampliFeedWriter(), { feedType: 'auto' }, 'Feeds by Record Type'],
		[
			'Odoo Account Move',
			new OdooAccountMove(),
			{ operation: 'registerPayments' },
			'Register Payments',
		],
		['QuickBooks Bill', new QuickBooksBill(), { operation: 'upsertBills' }, 'Upsert Bills'],
	])('%s %j → %s', (_name, node, parameters, expected) => {
		expect(subtitle(node, parameters)).toBe(expected);
	});

	it('shows a value it has no label for as it is', () => {
		expect(subtitle(new StampliFiles(), { operation: 'later' })).toBe('later');
	});

	it('every option of a labelled parameter has a label', () => {
		const options = (node: INodeType, name: string) =>
			(node.description.properties.find((p) => p.name === name)?.options ?? []).map((o) =>
				String((o as { value: unknown }).value),
			);
		const cases: Array<[INodeType, string, Record<string, unknown>]> = [
			[new StampliReconcile(), 'inSide', {}],
			[new OdooMasterData(), 'resource', { mode: 'full' }],
			[new OdooMasterData(), 'mode', { resource: 'vendors' }],
			[new QuickBooksMasterData(), 'resource', { mode: 'full' }],
			[new QuickBooksMasterData(), 'mode', { resource: 'vendors' }],
			[new StampliFiles(), 'operation', {}],
			[new StampliFeedWriter(), 'feedType', {}],
		];
		for (const [node, name, rest] of cases)
			for (const value of options(node, name)) {
				const shown = subtitle(node, { ...rest, [name]: value });
				expect({ name, value, labelled: !shown.split(' · ').includes(value) }).toEqual({
					name,
					value,
					labelled: true,
				});
			}
	});
});
