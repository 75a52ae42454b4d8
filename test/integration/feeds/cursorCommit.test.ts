/**
 * The incremental cursor moves only once the feed file is on the server: the real nodes (Odoo Master
 * Data → Stampli Feed Writer in "Records as Items" mode, and Odoo Master Data alone in "Write Feed
 * Directly" mode) against the Odoo emulator and a real OpenSSH sshd whose inbound directory is made
 * read-only for the SFTP user, so the upload fails as a full disk or a revoked permission would.
 * After the failed run the cursor is where it was and the next run delivers the same change; a
 * successful run moves it.
 */
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { parse as parseCsv } from 'csv-parse/sync';
import { OdooMasterData } from '../../../nodes/OdooMasterData/OdooMasterData.node';
import { StampliFeedWriter } from '../../../nodes/StampliFeedWriter/StampliFeedWriter.node';
import { startOdooEmulator, type OdooEmulator } from '../../emulators/odoo';
import { useSshd, type SshdFixture } from '../../fixtures/sshd';
import { odooCredential } from '../../kit/credentials';
import { executeContext } from '../../kit/n8nContext';

jest.setTimeout(60_000);

const sshd = useSshd();
let fixture: SshdFixture;
let emulator: OdooEmulator;

beforeAll(async () => {
	fixture = sshd();
	emulator = await startOdooEmulator({ version: 17 });
});
afterAll(async () => {
	await emulator?.stop();
});

function sftpCredential(): Record<string, unknown> {
	return {
		host: fixture.host,
		port: fixture.port,
		username: fixture.username,
		password: fixture.password,
		hostKeySha256: fixture.hostKeySha256,
		inboundDir: fixture.inboundDir,
		outboundDir: fixture.outboundDir,
	};
}

const inboundLocal = () => fixture.localPath(fixture.inboundDir);

function inboundFiles(): string[] {
	return readdirSync(inboundLocal())
		.filter((name) => !name.startsWith('.'))
		.sort();
}

function vendorNames(file: string): string[] {
	const rows = parseCsv(readFileSync(join(inboundLocal(), file)), { columns: true }) as Array<
		Record<string, string>
	>;
	return rows.map((row) => row.VendorName);
}

/** Makes the inbound directory unwritable for the SFTP user (sshd runs the session as that user). */
function withReadOnlyInbound<T>(run: () => Promise<T>): Promise<T> {
	chmodSync(inboundLocal(), 0o555);
	return run().finally(() => chmodSync(inboundLocal(), 0o755));
}

/** Renames a vendor in Odoo, which moves its write_date. */
function renameVendor(from: string, to: string): void {
	const partner = emulator.store.all('res.partner').find((p) => p.name === from)!;
	emulator.store.write('res.partner', [partner.id as number], { name: to });
}

interface Workflow {
	/** The workflow's global static data (where committed cursors live). */
	global: IDataObject;
	/** Each node's own static data. */
	nodeData: Record<string, IDataObject>;
}

const newWorkflow = (): Workflow => ({ global: {}, nodeData: {} });

let fileCounter = 0;

async function readNode(
	workflow: Workflow,
	output: 'items' | 'writeFeed',
	extra: Record<string, unknown> = {},
): Promise<INodeExecutionData[]> {
	const name = `Odoo Vendors (${output})`;
	const ctx = executeContext({
		type: 'n8n-nodes-stampli.odooMasterData',
		name,
		nodeId: `reader-${output}`,
		parameters: {
			resource: 'vendors',
			mode: 'incremental',
			output,
			options: {},
			format: 'csv',
			fileNamePattern: `vendors_${output}_${++fileCounter}.{ext}`,
			targetDir: '',
			feedOptions: {},
			...extra,
		},
		items: [{ json: {} }],
		credentials: { stampliOdooApi: odooCredential(emulator), stampliSftpApi: sftpCredential() },
		staticData: (workflow.nodeData[name] ??= {}),
		globalStaticData: workflow.global,
	});
	const [out] = await new OdooMasterData().execute.call(ctx);
	return out;
}

async function writerNode(
	workflow: Workflow,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const ctx = executeContext({
		type: 'n8n-nodes-stampli.stampliFeedWriter',
		name: 'Vendor Feed',
		nodeId: 'writer',
		parameters: {
			feedType: 'vendorFeed',
			format: 'csv',
			fileNamePattern: `vendors_items_${++fileCounter}.{ext}`,
			targetDir: '',
			feedOptions: {},
		},
		items,
		credentials: { stampliSftpApi: sftpCredential() },
		staticData: (workflow.nodeData['Vendor Feed'] ??= {}),
		globalStaticData: workflow.global,
	});
	const [out] = await new StampliFeedWriter().execute.call(ctx);
	return out;
}

const cursorOf = (workflow: Workflow, key: string) =>
	JSON.parse(
		JSON.stringify((workflow.global.feedCursors as IDataObject | undefined)?.[key] ?? null),
	);

describe('Records as Items: the Feed Writer commits the reader’s cursor after the upload', () => {
	const workflow = newWorkflow();
	const key = 'odoo:vendors:reader-items';

	it('the reader ends with a state item and saves nothing itself; the writer commits it after the upload', async () => {
		const items = await readNode(workflow, 'items');
		const state = items[items.length - 1].json.feedState as IDataObject;
		expect(state).toMatchObject({ version: 1, key, feed: 'vendorFeed', records: 4 });
		expect(items).toHaveLength(5);
		expect(workflow.global.feedCursors).toBeUndefined();
		expect(workflow.nodeData['Odoo Vendors (items)']).toEqual({});

		const [audit] = await writerNode(workflow, items);
		expect(audit.json).toMatchObject({ records: 4, cursorsCommitted: [{ key, records: 4 }] });
		expect(vendorNames(audit.json.fileName as string)).toHaveLength(4);
		expect(cursorOf(workflow, key)).toMatchObject({
			cursor: state.cursor,
			file: audit.json.remotePath,
		});
	});

	it('a failed upload leaves the cursor where it was; the next run delivers the same change, then moves it', async () => {
		const before = cursorOf(workflow, key);
		renameVendor('Deco Addict', 'Deco Addict (renamed)');

		const delta = await readNode(workflow, 'items');
		expect(delta.map((item) => item.json.name ?? 'state')).toEqual([
			'Deco Addict (renamed)',
			'state',
		]);
		const filesBefore = inboundFiles();
		await expect(withReadOnlyInbound(() => writerNode(workflow, delta))).rejects.toThrow(
			/cursor of Odoo Vendors \(items\) was not moved/,
		);
		expect(inboundFiles()).toEqual(filesBefore);
		expect(cursorOf(workflow, key)).toEqual(before);

		// Next run: the same change again, and this time it lands.
		const again = await readNode(workflow, 'items');
		expect(again.map((item) => item.json.name ?? 'state')).toEqual([
			'Deco Addict (renamed)',
			'state',
		]);
		const [audit] = await writerNode(workflow, again);
		expect(vendorNames(audit.json.fileName as string)).toEqual(['Deco Addict (renamed)']);
		const after = cursorOf(workflow, key);
		expect(after).not.toEqual(before);
		expect(after.file).toBe(audit.json.remotePath);

		// Delivered: the run after that finds nothing new, writes no file, and still commits its state.
		const nothing = await readNode(workflow, 'items');
		expect(nothing.map((item) => Object.keys(item.json))).toEqual([['feedState']]);
		const [empty] = await writerNode(workflow, nothing);
		expect(empty.json).toMatchObject({ skipped: 'empty', cursorsCommitted: [{ key, records: 0 }] });
		expect(cursorOf(workflow, key).file).toBeNull();
	});

	it('under Continue On Fail the failed file is an error item that says the cursor was kept', async () => {
		const before = cursorOf(workflow, key);
		renameVendor('Wood Corner', 'Wood Corner (renamed)');
		const delta = await readNode(workflow, 'items');
		const out = await withReadOnlyInbound(async () => {
			const ctx = executeContext({
				type: 'n8n-nodes-stampli.stampliFeedWriter',
				name: 'Vendor Feed',
				nodeId: 'writer',
				parameters: { feedType: 'vendorFeed', format: 'csv', targetDir: '', feedOptions: {} },
				items: delta,
				credentials: { stampliSftpApi: sftpCredential() },
				globalStaticData: workflow.global,
				continueOnFail: true,
			});
			return (await new StampliFeedWriter().execute.call(ctx))[0];
		});
		expect(out).toHaveLength(1);
		expect(out[0].json).toMatchObject({
			feed: 'vendors',
			error: expect.stringMatching(/permission denied/i),
			cursorsKept: [{ key, records: 1 }],
		});
		expect(out[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
		expect(cursorOf(workflow, key)).toEqual(before);
	});
});

describe('Write Feed Directly: the node commits its cursor after its own upload', () => {
	const workflow = newWorkflow();
	const key = 'odoo:vendors:reader-writeFeed';

	it('moves the cursor only when the file was written', async () => {
		const [first] = await readNode(workflow, 'writeFeed');
		expect(first.json).toMatchObject({ records: expect.any(Number) });
		const committed = cursorOf(workflow, key);
		expect(committed.file).toBe(first.json.remotePath);

		renameVendor('Gemini Furniture', 'Gemini Furniture (renamed)');
		await expect(withReadOnlyInbound(() => readNode(workflow, 'writeFeed'))).rejects.toThrow(
			/permission denied/i,
		);
		expect(cursorOf(workflow, key)).toEqual(committed);

		const [again] = await readNode(workflow, 'writeFeed');
		expect(vendorNames(again.json.fileName as string)).toEqual(['Gemini Furniture (renamed)']);
		expect(cursorOf(workflow, key)).not.toEqual(committed);
	});

	it('a cursor left in node static data by an earlier version is still honoured', async () => {
		const legacy = newWorkflow();
		const committed = cursorOf(workflow, key).cursor;
		legacy.nodeData['Odoo Vendors (writeFeed)'] = { 'cursor:vendors': committed };
		const [audit] = await readNode(legacy, 'writeFeed');
		expect(audit.json).toMatchObject({ skipped: 'empty', records: 0 });
		expect(cursorOf(legacy, key).cursor.writeDate).toBe(committed.writeDate);
	});
});
