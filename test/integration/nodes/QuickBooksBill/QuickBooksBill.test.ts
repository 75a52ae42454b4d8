/**
 * The QuickBooks Bill node run from workflow fixtures (./*.workflow.json) against the QuickBooks
 * emulator over HTTP, through the shared n8n context stand-in: what its items carry (erp, audit,
 * errors), pairing, and which n8n error type a failure raises.
 */
import { join } from 'node:path';

import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { QuickBooksBill } from '../../../../nodes/QuickBooksBill/QuickBooksBill.node';
import { startQuickBooksEmulator, type QuickBooksEmulator } from '../../../emulators/quickbooks';
import { contextFor, loadWorkflow } from '../../../kit/workflow';
import { seed } from '../../quickbooks/fixtures';

const bills = loadWorkflow(join(__dirname, 'upsert-bills.workflow.json'));
const vendors = loadWorkflow(join(__dirname, 'sync-vendors.workflow.json'));

let emulator: QuickBooksEmulator;
beforeEach(async () => {
	emulator = await startQuickBooksEmulator({ seed });
});
afterEach(() => emulator.stop());

function credentials() {
	return {
		stampliQuickBooksOAuth2Api: {
			environment: 'custom',
			customApiBaseUrl: emulator.url,
			oauthTokenData: {
				access_token: emulator.issueTokens().access_token,
				callbackQueryString: { realmId: emulator.realmId },
			},
		},
	};
}

const run = (workflow = bills, name = 'QuickBooks Bill', continueOnFail = true) =>
	new QuickBooksBill().execute.call(
		contextFor(workflow, name, new QuickBooksBill(), {
			credentials: credentials(),
			continueOnFail,
		}),
	);

describe('QuickBooks Bill node', () => {
	it('upserts bills: erp and audit on every written item, the unmapped one failed with its code', async () => {
		const [out] = await run();
		expect(out.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(out.map((i) => (i.json.erp as { action?: string } | undefined)?.action)).toEqual([
			'created',
			'created',
			'created',
			undefined,
		]);
		expect(out[0].json.audit).toMatchObject({
			what: 'quickbooks.bill',
			stampliId: 'STI-Q1',
			file: '/outbound/invoices-20261102.csv',
			action: 'created',
			erpId: (out[0].json.erp as { id: string }).id,
		});
		expect(emulator.store.get('VendorCredit')!.size).toBe(1);
		// A vendor QuickBooks did not know is created with its tax id, once.
		expect([...emulator.store.get('Vendor')!.values()].map((v) => v.DisplayName)).toContain(
			'Brand New Supplies LLC',
		);
		expect(out[3].json).toMatchObject({
			errorCode: 'UNMAPPED_LINE',
			audit: { what: 'quickbooks.bill', stampliId: 'STI-Q4', action: 'failed' },
		});
		expect(out[3].json.error).toMatch(/line 2: no QuickBooks account mapped for GL code "7300"/);

		// A re-run writes nothing new.
		const [again] = await run();
		expect(again.slice(0, 3).map((i) => (i.json.erp as { action: string }).action)).toEqual([
			'unchanged',
			'unchanged',
			'unchanged',
		]);
	});

	it('without Continue On Fail: bad input is a NodeOperationError, a QuickBooks refusal a NodeApiError', async () => {
		emulator.intercept = (request) =>
			request.resource === 'batch'
				? {
						status: 400,
						body: {
							Fault: {
								Error: [
									{ Message: 'Business Validation Error', Detail: 'closed period', code: '6000' },
								],
								type: 'ValidationFault',
							},
						},
					}
				: undefined;
		const refused = await run(bills, 'QuickBooks Bill', false).catch((error: unknown) => error);
		expect(refused).toBeInstanceOf(NodeApiError);
		expect((refused as NodeApiError).message).toContain('closed period');
		emulator.intercept = undefined;
		await expect(run(bills, 'QuickBooks Bill', false)).rejects.toThrow(NodeOperationError);
	});

	it('syncs vendors: found unchanged or updated, created, and a name a customer holds failed with 6240', async () => {
		const [out] = await run(vendors, 'QuickBooks Vendors');
		expect(out.map((i) => (i.json.erp as { action?: string } | undefined)?.action)).toEqual([
			'updated',
			'created',
			undefined,
		]);
		expect(out[2].json).toMatchObject({
			errorCode: '6240',
			audit: { what: 'quickbooks.vendor', stampliId: 'SV-8', action: 'failed' },
		});
		expect(out[1].json.audit).toMatchObject({ what: 'quickbooks.vendor', stampliId: 'SV-7' });
		expect(out.map((i) => i.pairedItem)).toEqual([0, 1, 2].map((item) => ({ item })));
	});
});
