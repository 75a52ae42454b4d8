/**
 * The ERP seam holds: a third ERP (Ledgerly, in ./ledgerly, test-only) is registered at run time,
 * without editing any package file, and goes through the GL Mapper node (rule columns, live account
 * and vendor lookups), the writer node path shared by every ERP node (outcomes → items with erp,
 * audit and errors) and the reconciliation.
 */
import { NodeApiError, NodeOperationError, type INodeExecutionData } from 'n8n-workflow';

import { GlMapper } from '../../../nodes/GlMapper/GlMapper.node';
import { registerErpConnector } from '../../../nodes/common/connections';
import { outcomeItems, writeInBatches } from '../../../nodes/common/outcomes';
import { erpModule, registerErp, unregisterErp } from '../../../nodes/shared/erps';
import { compileRules, ruleColumns, RuleTableError } from '../../../nodes/shared/mapping';
import { reconcileItems } from '../../../nodes/shared/reconciliation';
import type { Invoice } from '../../../nodes/shared/records/types';
import { executeContext } from '../../kit/n8nContext';
import { invoice, line } from '../mapping/fixtures';
import { ledgerlyErp } from './ledgerly/erp';
import { Ledger } from './ledgerly/ledger';

const ledger = new Ledger(
	[
		{ id: 'A-1', code: '6100', name: 'Supplies', active: true },
		{ id: 'A-2', code: '6200', name: 'Travel', active: true },
		{ id: 'A-9', code: '6900', name: 'Old', active: false },
	],
	[
		{ id: 'V-1', name: 'Acme, Inc.', taxId: 'US 98-7654321' },
		{ id: 'V-2', name: 'Globex GmbH' },
	],
	['JPY'],
);

beforeAll(() => {
	registerErp(ledgerlyErp);
	registerErpConnector({
		system: 'ledgerly',
		credential: 'ledgerlyApi',
		connect: async () => ledger,
	});
});
afterAll(() => unregisterErp('ledgerly'));

const RULES = [
	{
		id: 'supplies',
		code: '61',
		match: 'prefix',
		ledgerlyAccount: '6100',
		ledgerlyCostCenter: 'CC-1',
	},
	{ id: 'travel', code: '62', match: 'prefix', ledgerlyAccount: '6200' },
	{ id: 'old', code: '69', match: 'prefix', ledgerlyAccount: '6900' },
];

function glMapper(items: INodeExecutionData[]) {
	return new GlMapper().execute.call(
		executeContext({
			type: 'n8n-nodes-stampli.glMapper',
			parameters: {
				targetSystem: 'ledgerly',
				mode: 'map',
				ruleSource: 'expression',
				ruleTable: RULES,
				precedence: 'firstMatch',
				invoiceHandling: 'whole',
				useDefaultTarget: false,
				vendorMapping: 'ledgerly',
				vendorTable: '[]',
				vendorSteps: ['provided', 'table', 'externalId', 'taxId', 'name'],
				vendorRequired: true,
				accountResolution: 'ledgerly',
				options: {},
			},
			items,
			credentials: { ledgerlyApi: {} },
		}),
	);
}

describe('a third ERP plugs into the seam without edits elsewhere', () => {
	it('adds its rule columns and its own missing-target rule to the rule table', () => {
		expect(ruleColumns()).toEqual(
			expect.arrayContaining(['ledgerlyAccount', 'ledgerlyCostCenter']),
		);
		expect(() =>
			compileRules([{ code: '61', ledgerlyCostCenter: 'CC-1' }], {
				target: 'ledgerly',
				precedence: 'firstMatch',
				accountResolution: true,
			}),
		).toThrow(RuleTableError);
		expect(() =>
			compileRules([{ code: '61', ledgerlyCostCenter: 'CC-1' }], {
				target: 'ledgerly',
				precedence: 'firstMatch',
				accountResolution: true,
			}),
		).toThrow('column "ledgerlyAccount": missing target: set ledgerlyAccount');
	});

	it('goes through the GL Mapper, the writer node path and the reconciliation', async () => {
		const source = (rows: number[]) => ({
			file: '/outbound/ledgerly.csv',
			sha256: 'c'.repeat(64),
			format: 'csv' as const,
			template: 'invoice-export@1',
			rows,
		});
		const items = [
			{
				...invoice('1', [line(1, '6110'), line(2, '6210')], {
					stampliVendorId: 'S-1',
					name: 'ACME Inc',
					taxId: '987654321',
				}),
				source: source([1, 2]),
				total: '200.00',
				taxTotal: undefined,
			},
			{
				...invoice('2', [line(1, '6120')], { stampliVendorId: 'S-2', name: 'Globex' }),
				source: source([3]),
				currency: 'JPY',
				total: '100.00',
				taxTotal: undefined,
			},
			{
				...invoice('3', [line(1, '6910')], { stampliVendorId: 'S-2', name: 'Globex' }),
				source: source([4]),
				total: '100.00',
				taxTotal: undefined,
			},
		].map((json) => ({ json: json as never }));

		// GL Mapper: the vendor by normalised tax id (country prefix on one side), accounts resolved live.
		const [mapped, attention] = await glMapper(items);
		expect(mapped.map((i) => (i.json as unknown as Invoice).stampliInvoiceId)).toEqual(['1', '2']);
		const first = mapped[0].json as unknown as Invoice;
		expect(first.mapping).toMatchObject({
			target: 'ledgerly',
			vendor: { erpVendorId: 'V-1', method: 'taxId' },
			lines: [
				{ lineNumber: 1, ledgerly: { accountId: 'A-1', accountCode: '6100', costCenter: 'CC-1' } },
				{ lineNumber: 2, ledgerly: { accountId: 'A-2', accountCode: '6200' } },
			],
		});
		expect(attention.map((i) => i.json.reasons)).toEqual([
			[{ lineNumber: 1, reason: 'account 6900 (from rule old) is inactive in Ledgerly' }],
		]);
		expect(ledger.lookups).toEqual([
			'vendors by tax id 987654321',
			'vendors by name globex',
			'accounts 6100,6200,6900',
		]);

		// The writer node path every ERP node shares: one created, one refused by the ERP (continue on fail).
		const writer = erpModule('ledgerly').writer(ledger);
		const ctx = executeContext({ type: 'test.ledgerlyBill', items: mapped, continueOnFail: true });
		const written = await writeInBatches(
			ctx,
			mapped,
			10,
			(batch) => writer.upsertBills(batch.map((i) => i.json as unknown as Invoice)),
			{ what: 'ledgerly.bill', stampliId: (json) => json.stampliInvoiceId },
		);
		expect(written[0].json.erp).toMatchObject({
			system: 'ledgerly',
			action: 'created',
			externalId: 'LL-1',
		});
		expect(written[0].json.audit).toMatchObject({
			what: 'ledgerly.bill',
			stampliId: '1',
			action: 'created',
		});
		expect(written[1].json).toMatchObject({
			error: 'Ledgerly does not book JPY',
			errorCode: 'CURRENCY',
		});
		expect(written.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(writer.idempotencyKey('invoice', first)).toBe('LL-1');

		// Without continue on fail: the ERP's refusal is a NodeApiError, bad input a NodeOperationError.
		const strict = executeContext({ type: 'test.ledgerlyBill', items: mapped });
		const refused = await writer.upsertBills([mapped[1].json as unknown as Invoice]);
		expect(() =>
			outcomeItems(strict, [mapped[1]], refused, { what: 'ledgerly.bill', stampliId: () => '2' }),
		).toThrow(NodeApiError);
		const unmapped = await writer.upsertBills([{ ...first, mapping: undefined }]);
		expect(() =>
			outcomeItems(strict, [mapped[0]], unmapped, { what: 'ledgerly.bill', stampliId: () => '1' }),
		).toThrow(NodeOperationError);

		// The reconciliation counts the file's three invoices: one written, two failed, amounts balanced.
		const [summary] = reconcileItems([...written, ...attention].map((i) => i.json)).summaries;
		expect(summary).toMatchObject({
			file: '/outbound/ledgerly.csv',
			systems: ['ledgerly'],
			created: 1,
			failed: 2,
			balanced: true,
		});

		// A re-run changes nothing.
		const again = await writer.upsertBills([first]);
		expect(again[0]).toMatchObject({
			ok: true,
			erp: { action: 'unchanged', id: (written[0].json.erp as { id: string }).id },
		});
	});
});
