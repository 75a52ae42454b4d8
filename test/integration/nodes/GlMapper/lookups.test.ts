/**
 * The GL Mapper node with live Odoo lookups: credential → package client → emulator over HTTP.
 * Only the n8n context is stood in for (parameters, credentials); the client and server are real.
 */
import type { INodeExecutionData } from 'n8n-workflow';
import { GlMapper } from '../../../../nodes/GlMapper/GlMapper.node';
import { clearOdooClientCaches } from '../../../../nodes/shared/odoo';
import type { Invoice } from '../../../../nodes/shared/records/types';
import { startOdooEmulator, type OdooEmulator } from '../../../emulators/odoo';
import { odooCredential } from '../../../kit/credentials';
import { executeContext } from '../../../kit/n8nContext';

function context(
	parameters: Record<string, unknown>,
	items: INodeExecutionData[],
	credentials: Record<string, Record<string, unknown>>,
) {
	return executeContext({
		type: 'n8n-nodes-stampli.glMapper',
		name: 'GL Mapper',
		parameters: {
			targetSystem: 'odoo',
			mode: 'map',
			ruleSource: 'expression',
			precedence: 'firstMatch',
			invoiceHandling: 'whole',
			useDefaultTarget: false,
			vendorTable: '[]',
			vendorRequired: true,
			vendorSteps: ['provided', 'table', 'externalId', 'taxId', 'name'],
			options: {},
			...parameters,
		},
		items,
		credentials,
	});
}

const invoice = (id: string, glAccount: string, vendor: Invoice['vendor']) => ({
	json: {
		stampliInvoiceId: id,
		invoiceNumber: id,
		documentType: 'bill',
		vendor,
		invoiceDate: '2026-03-01',
		currency: 'USD',
		total: '5.10',
		lines: [
			{
				lineNumber: 1,
				description: 'x',
				quantity: '1',
				unitPrice: '5.10',
				amount: '5.10',
				glAccount,
				dimensions: {},
			},
		],
	} as never,
});

describe('GL Mapper node, live Odoo lookups', () => {
	let emulator: OdooEmulator;
	beforeAll(async () => {
		emulator = await startOdooEmulator({ version: 17 });
	});
	afterAll(() => emulator.stop());
	beforeEach(() => clearOdooClientCaches());

	it('resolves codes and vendors in Odoo and routes per invoice with pairedItem; the API key never appears in output', async () => {
		const credential = odooCredential(emulator, { protocol: 'xmlrpc' });
		const items = [
			invoice('A', '6110', { stampliVendorId: 'SV-D', name: 'DECO ADDICT' }),
			invoice('B', '6290', { stampliVendorId: 'SV-D', name: 'Deco Addict' }),
			invoice('C', '6110', { stampliVendorId: 'SV-N', name: 'Nobody' }),
		];
		const [mapped, attention] = await new GlMapper().execute.call(
			context(
				{
					ruleTable: [
						{ code: '6110', odooAccountCode: '611000' },
						{ code: '6290', odooAccountCode: '629000' },
					],
					accountResolution: 'odoo',
					vendorMapping: 'odoo',
				},
				items,
				{ stampliOdooApi: credential },
			),
		);
		expect(
			mapped.map((i) => [(i.json as unknown as Invoice).mapping?.vendor?.method, i.pairedItem]),
		).toEqual([['name', { item: 0 }]]);
		expect((mapped[0].json as unknown as Invoice).mapping?.lines[0].odoo?.accountCode).toBe(
			'611000',
		);
		expect(attention.map((i) => [i.json.reasons, i.pairedItem])).toEqual([
			[
				[{ lineNumber: 1, reason: 'account 629000 (from rule row 2) is inactive in Odoo' }],
				{ item: 1 },
			],
			[[{ reason: expect.stringMatching(/^vendor: vendor SV-N "Nobody" not found/) }], { item: 2 }],
		]);
		expect(JSON.stringify([mapped, attention])).not.toContain(emulator.apiKey);
	});

	it('refuses a lookup in an ERP other than the target, and a lookup without its credential', async () => {
		const items = [invoice('A', '6110', { stampliVendorId: 'SV-D', name: 'Deco' })];
		const rules = { ruleTable: [{ code: '6110', odooAccount: '5' }] };
		await expect(
			new GlMapper().execute.call(context({ ...rules, vendorMapping: 'quickbooks' }, items, {})),
		).rejects.toThrow('"Match Vendors In" is QuickBooks but the target system is Odoo');
		await expect(
			new GlMapper().execute.call(context({ ...rules, vendorMapping: 'odoo' }, items, {})),
		).rejects.toThrow('Looking accounts or vendors up in Odoo needs the Odoo credential');
	});
});
