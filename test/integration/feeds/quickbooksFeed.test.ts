/**
 * QuickBooks Master Data → Stampli, with the real nodes against the QuickBooks emulator (over HTTP,
 * OAuth bearer tokens, the package's client) and a real OpenSSH sshd: records as items end with a
 * state item that names the QuickBooks template and the cursor; the Stampli Feed Writer writes the
 * file with that template and commits the cursor only after the upload (a read-only inbound
 * directory makes the upload fail); the direct mode commits after its own upload; a vendor that
 * Stampli created reaches Stampli with its Stampli vendor id.
 */
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { parse as parseCsv } from 'csv-parse/sync';

import { QuickBooksMasterData } from '../../../nodes/QuickBooksMasterData/QuickBooksMasterData.node';
import { StampliFeedWriter } from '../../../nodes/StampliFeedWriter/StampliFeedWriter.node';
import { startQuickBooksEmulator, type QuickBooksEmulator } from '../../emulators/quickbooks';
import { useSshd, type SshdFixture } from '../../fixtures/sshd';
import { sftpCredential } from '../../kit/credentials';
import { executeContext } from '../../kit/n8nContext';

jest.setTimeout(60_000);

const sshd = useSshd();
let fixture: SshdFixture;
let emulator: QuickBooksEmulator;

beforeAll(async () => {
	fixture = sshd();
	emulator = await startQuickBooksEmulator({
		seed: {
			accounts: [
				{ Id: '60', Name: 'Office Expenses', AcctNum: '6100' },
				{ Id: '61', Name: 'Supplies', ParentRef: { value: '60' } },
			],
			classes: [{ Id: '70', Name: 'Consulting' }],
			vendors: [
				{ Id: '90', DisplayName: 'Staples Inc', Notes: 'Stampli vendor id: SV-90' },
				{ Id: '91', DisplayName: 'Acme Corp' },
			],
		},
	});
	// Past the overlap, so the seeded records are not changes of the next read.
	emulator.clock.shift(5 * 60_000);
});
afterAll(async () => {
	await emulator?.stop();
});

const inboundLocal = () => fixture.localPath(fixture.inboundDir);

function csvRows(file: string): Array<Record<string, string>> {
	return parseCsv(readFileSync(join(inboundLocal(), file)), { columns: true }) as Array<
		Record<string, string>
	>;
}

function withReadOnlyInbound<T>(run: () => Promise<T>): Promise<T> {
	chmodSync(inboundLocal(), 0o555);
	return run().finally(() => chmodSync(inboundLocal(), 0o755));
}

function qboCredential() {
	return {
		environment: 'custom',
		customApiBaseUrl: emulator.url,
		oauthTokenData: {
			access_token: emulator.issueTokens().access_token,
			callbackQueryString: { realmId: emulator.realmId },
		},
	};
}

let fileCounter = 0;

async function readNode(
	global: IDataObject,
	output: 'items' | 'writeFeed',
	parameters: Record<string, unknown> = {},
): Promise<INodeExecutionData[]> {
	const ctx = executeContext({
		type: 'n8n-nodes-stampli.quickBooksMasterData',
		name: `QuickBooks (${output})`,
		nodeId: `qbo-${output}`,
		parameters: {
			resource: 'vendors',
			mode: 'incremental',
			output,
			options: {},
			format: 'csv',
			fileNamePattern: `qbo_{feed}_${++fileCounter}.{ext}`,
			targetDir: '',
			feedOptions: {},
			...parameters,
		},
		items: [{ json: {} }],
		credentials: {
			stampliQuickBooksOAuth2Api: qboCredential(),
			stampliSftpApi: sftpCredential(fixture),
		},
		globalStaticData: global,
	});
	const [out] = await new QuickBooksMasterData().execute.call(ctx);
	return out;
}

async function writerNode(global: IDataObject, items: INodeExecutionData[]) {
	const ctx = executeContext({
		type: 'n8n-nodes-stampli.stampliFeedWriter',
		name: 'Feed Writer',
		nodeId: 'writer',
		parameters: {
			feedType: 'auto',
			format: 'csv',
			fileNamePattern: `qbo_items_{feed}_${++fileCounter}.{ext}`,
			targetDir: '',
			feedOptions: {},
		},
		items,
		credentials: { stampliSftpApi: sftpCredential(fixture) },
		globalStaticData: global,
	});
	const [out] = await new StampliFeedWriter().execute.call(ctx);
	return out;
}

const cursorOf = (global: IDataObject, key: string) =>
	JSON.parse(JSON.stringify((global.feedCursors as IDataObject | undefined)?.[key] ?? null));

describe('QuickBooks Master Data → Stampli Feed Writer (records as items)', () => {
	const global: IDataObject = {};
	const key = 'quickbooks:vendors:qbo-items';

	it('writes the QuickBooks vendor feed with the Stampli vendor id and commits the cursor after the upload', async () => {
		const items = await readNode(global, 'items');
		const state = items[items.length - 1].json.feedState as IDataObject;
		expect(state).toMatchObject({
			key,
			feed: 'vendorFeed',
			records: 2,
			template: 'qbo-vendor-feed@1',
		});
		expect(global.feedCursors).toBeUndefined();
		const [audit] = await writerNode(global, items);
		expect(audit.json).toMatchObject({ template: 'qbo-vendor-feed@1', records: 2 });
		expect(
			csvRows(audit.json.fileName as string).map((r) => [
				r.VendorId,
				r.StampliVendorId,
				r.VendorName,
			]),
		).toEqual([
			['90', 'SV-90', 'Staples Inc'],
			['91', '', 'Acme Corp'],
		]);
		expect(cursorOf(global, key)).toMatchObject({
			cursor: state.cursor,
			file: audit.json.remotePath,
		});
	});

	it('a failed upload keeps the cursor; the next run delivers the change again and lands it', async () => {
		const before = cursorOf(global, key);
		emulator.clock.shift(5 * 60_000);
		emulator.updateRecord('Vendor', '91', { Active: false });
		const delta = await readNode(global, 'items');
		expect(delta.map((i) => i.json.vendorId ?? 'state')).toEqual(['91', 'state']);
		await expect(withReadOnlyInbound(() => writerNode(global, delta))).rejects.toThrow(
			/was not moved/,
		);
		expect(cursorOf(global, key)).toEqual(before);
		expect(emulator.counters.byResource.cdc).toBe(1);

		const again = await readNode(global, 'items');
		expect(again.map((i) => [i.json.vendorId ?? 'state', i.json.active])).toEqual([
			['91', false],
			['state', undefined],
		]);
		const [audit] = await writerNode(global, again);
		expect(csvRows(audit.json.fileName as string)).toEqual([
			expect.objectContaining({ VendorId: '91', Active: 'false' }),
		]);
		expect(cursorOf(global, key).file).toBe(audit.json.remotePath);
		expect(Date.parse(cursorOf(global, key).cursor.changedSince)).toBeGreaterThan(
			Date.parse(before.cursor.changedSince),
		);
	});
});

describe('QuickBooks Master Data, Write Feed Directly', () => {
	const global: IDataObject = {};

	it('streams the GL accounts with type and full name; the cursor moves only with the file', async () => {
		const key = 'quickbooks:glAccounts:qbo-writeFeed';
		const [first] = await readNode(global, 'writeFeed', { resource: 'glAccounts' });
		expect(first.json).toMatchObject({ feed: 'gl-accounts', template: 'qbo-gl-account-feed@1' });
		expect(
			csvRows(first.json.fileName as string).map((r) => [r.Code, r.FullName, r.QuickBooksType]),
		).toEqual([
			['6100', 'Office Expenses', 'Expense'],
			['Office Expenses:Supplies', 'Office Expenses:Supplies', 'Expense'],
		]);
		const committed = cursorOf(global, key);
		expect(committed.file).toBe(first.json.remotePath);

		emulator.clock.shift(5 * 60_000);
		emulator.updateRecord('Account', '61', { Name: 'Paper' });
		await expect(
			withReadOnlyInbound(() => readNode(global, 'writeFeed', { resource: 'glAccounts' })),
		).rejects.toThrow(/permission denied/i);
		expect(cursorOf(global, key)).toEqual(committed);

		const [again] = await readNode(global, 'writeFeed', { resource: 'glAccounts' });
		expect(again.json.read).toMatchObject({ cdcRequests: 1, records: 1 });
		expect(csvRows(again.json.fileName as string).map((r) => r.FullName)).toEqual([
			'Office Expenses:Paper',
		]);
		expect(cursorOf(global, key)).not.toEqual(committed);
	});

	it('classes go to their own feed; terms have none and say so', async () => {
		const [classes] = await readNode(global, 'writeFeed', { resource: 'classes', mode: 'full' });
		expect(classes.json).toMatchObject({ feed: 'classes', template: 'class-feed@1', records: 1 });
		await expect(readNode(global, 'writeFeed', { resource: 'terms' })).rejects.toThrow(
			/no Stampli feed for QuickBooks "terms"/,
		);
	});
});
