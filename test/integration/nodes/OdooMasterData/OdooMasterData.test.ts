/**
 * The Odoo Master Data node run from a workflow fixture against the Odoo emulator and a real
 * OpenSSH sshd: records as items ending with the state item of an incremental read, a feed
 * written straight to Stampli's inbound directory, and a failing read under Continue On Fail.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { NodeApiError, type IDataObject } from 'n8n-workflow';

import { OdooMasterData } from '../../../../nodes/OdooMasterData/OdooMasterData.node';
import { CursorStore, feedStateOf } from '../../../../nodes/shared/feeds';
import { clearOdooClientCaches } from '../../../../nodes/shared/odoo';
import { startOdooEmulator, type OdooEmulator } from '../../../emulators/odoo';
import { useSshd } from '../../../fixtures/sshd';
import { odooCredential, sftpCredential } from '../../../kit/credentials';
import { contextFor, loadWorkflow } from '../../../kit/workflow';

const workflow = loadWorkflow(join(__dirname, 'master-data.workflow.json'));

describe('Odoo Master Data node', () => {
	const sshd = useSshd();
	let emulator: OdooEmulator;
	beforeAll(async () => {
		emulator = await startOdooEmulator({ version: 17 });
	});
	afterAll(() => emulator.stop());
	beforeEach(() => clearOdooClientCaches());

	const run = (node: string, staticData: IDataObject = {}, continueOnFail = false) =>
		new OdooMasterData().execute.call(
			contextFor(workflow, node, new OdooMasterData(), {
				credentials: {
					stampliOdooApi: odooCredential(emulator),
					stampliSftpApi: sftpCredential(sshd()),
				},
				staticData,
				continueOnFail,
			}),
		);

	it('reads vendors as items ending with a state item; once its cursor is committed, only what changed since', async () => {
		const staticData: IDataObject = {};
		const [first] = await run('Odoo Vendors', staticData);
		const records = first.slice(0, -1);
		const state = feedStateOf(first[first.length - 1].json)!;
		expect(records.length).toBeGreaterThan(2);
		expect(records.every((i) => typeof i.json.vendorId === 'string' && i.json.name)).toBe(true);
		expect(first.every((i) => JSON.stringify(i.pairedItem) === '{"item":0}')).toBe(true);
		expect(state).toMatchObject({ feed: 'vendorFeed', records: records.length });
		// The reader saves nothing itself: the Stampli Feed Writer commits the cursor after its upload.
		expect(staticData.feedCursors).toBeUndefined();
		new CursorStore(staticData).commit(state.key, state.cursor, null);
		const [second] = await run('Odoo Vendors', staticData);
		expect(second.map((i) => Object.keys(i.json))).toEqual([['feedState']]);
		expect(JSON.stringify(first)).not.toContain(emulator.apiKey);
	});

	it('writes the GL account feed straight to the inbound directory and outputs its audit record', async () => {
		const [[audit]] = await run('Odoo GL Accounts Feed');
		expect(audit.json).toMatchObject({
			feed: 'gl-accounts',
			fileName: 'gl-accounts_node-test.csv',
		});
		const local = sshd().localPath(`${sshd().inboundDir}/gl-accounts_node-test.csv`);
		expect(readFileSync(local, 'utf8').split('\n')[0]).toContain('Code');
		expect(existsSync(`${local}.sha256`)).toBe(true);
		expect(audit.json.records).toBeGreaterThan(5);
	});

	it('a read Odoo refuses is a NodeApiError, or an item naming it under Continue On Fail', async () => {
		await expect(run('Odoo Purchase Orders')).rejects.toThrow(NodeApiError);
		const [[failed]] = await run('Odoo Purchase Orders', {}, true);
		expect(failed.json).toMatchObject({ resource: 'purchaseOrders', mode: 'full' });
		expect(failed.json.error).toMatch(/nonexistent_field/);
	});
});
