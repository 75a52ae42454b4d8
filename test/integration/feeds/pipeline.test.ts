/**
 * Odoo emulator → feed files → a real OpenSSH sshd: full and incremental runs, formula
 * neutralisation and XML escaping as Stampli would receive them, atomicity under failure, and what
 * the plain OpenSSH `sftp` client sees while an upload is under way.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { streamOdooFeed, writeFeedFile, type FeedAuditRecord } from '../../../nodes/shared/feeds';
import { createOdooClient, type OdooClient } from '../../../nodes/shared/odoo';
import type { MasterDataCursor } from '../../../nodes/shared/odoo/masterData';
import { connectSftp, type SftpSession } from '../../../nodes/shared/sftp';
import { getDefaultTemplate } from '../../../nodes/shared/stampli/templates';
import { startOdooEmulator, type OdooEmulator } from '../../emulators/odoo';
import { useSshd, type SshdFixture } from '../../fixtures/sshd';
import { openSshSftp, type OpenSshSftp } from './opensshSftp';

const sshd = useSshd();
let emulator: OdooEmulator;
let client: OdooClient;
let session: SftpSession;
let fixture: SshdFixture;
let openssh: OpenSshSftp;
const now = () => new Date('2026-11-20T06:00:00.000Z');

beforeAll(async () => {
	fixture = sshd();
	emulator = await startOdooEmulator({ version: 17 });
	client = createOdooClient(
		{
			url: emulator.url,
			db: emulator.db,
			login: emulator.login,
			apiKey: emulator.apiKey,
			protocol: 'auto',
		},
		{ noSharedCache: true },
	);
	session = await connectSftp({
		...fixture,
		inboundDir: fixture.inboundDir,
		outboundDir: fixture.outboundDir,
	});
	openssh = openSshSftp(fixture);
});
afterAll(async () => {
	await session?.close();
	await emulator?.stop();
	openssh?.cleanup();
});

function inboundFiles(): string[] {
	return readdirSync(fixture.localPath(fixture.inboundDir)).sort();
}

function readInbound(name: string): Buffer {
	return readFileSync(join(fixture.localPath(fixture.inboundDir), name));
}

function csvRows(name: string): Array<Record<string, string>> {
	return parseCsv(readInbound(name), { columns: true }) as Array<Record<string, string>>;
}

describe('full snapshot', () => {
	it('writes vendors, purchase orders and GL accounts as CSV files in inbound/, with manifests', async () => {
		const common = {
			format: 'csv' as const,
			fileNamePattern: '{feed}_{date:YYYYMMDD}_{time:HHmmss}.csv',
			targetDir: fixture.inboundDir,
			now,
			manifest: true,
		};
		const vendors = await streamOdooFeed(client, session, {
			...common,
			read: { resource: 'vendors', mode: 'full' },
		});
		const orders = await streamOdooFeed(client, session, {
			...common,
			read: { resource: 'purchaseOrders', mode: 'full' },
		});
		const accounts = await streamOdooFeed(client, session, {
			...common,
			read: { resource: 'glAccounts', mode: 'full' },
		});

		expect(vendors.audit).toMatchObject({
			feed: 'vendors',
			template: 'vendor-feed@1',
			remotePath: `${fixture.inboundDir}/vendors_20261120_060000.csv`,
			rows: 4,
			records: 4,
			startedAt: '2026-11-20T06:00:00.000Z',
			manifestPath: `${fixture.inboundDir}/vendors_20261120_060000.csv.sha256`,
			rejectedCount: 0,
		});
		const vendorBytes = readInbound('vendors_20261120_060000.csv');
		expect(vendors.audit.bytes).toBe(vendorBytes.length);
		expect(vendors.audit.sha256).toBe(createHash('sha256').update(vendorBytes).digest('hex'));
		expect(readInbound('vendors_20261120_060000.csv.sha256').toString()).toBe(
			`${vendors.audit.sha256}  vendors_20261120_060000.csv\n`,
		);
		expect(csvRows('vendors_20261120_060000.csv').map((r) => r.VendorName)).toEqual([
			'Azure Interior',
			'Deco Addict',
			'Gemini Furniture',
			'Wood Corner',
		]);

		const poRows = csvRows('purchase-orders_20261120_060000.csv');
		expect(poRows.map((r) => [r.PONumber, r.LineNumber, r.LineDescription, r.LineAmount])).toEqual([
			['P00001', '1', 'Office chairs', '600'],
			['P00001', '2', 'Desks', '550'],
		]);
		expect(orders.audit).toMatchObject({ records: 1, rows: 2 });

		const glRows = csvRows('gl-accounts_20261120_060000.csv');
		expect(glRows.find((r) => r.Code === '600000')).toEqual({
			AccountId: expect.any(String),
			Code: '600000',
			Name: 'Expenses',
			Type: 'expense',
			Active: 'true',
		});
		expect(accounts.audit.records).toBe(12); // the deprecated 629000 is left out of a full snapshot
		expect(inboundFiles().filter((f) => f.endsWith('.tmp'))).toEqual([]);
	});
});

describe('incremental runs', () => {
	it('first run sends everything, the next only what changed after the cursor, then nothing', async () => {
		const common = { format: 'csv' as const, targetDir: fixture.inboundDir, now };
		const first = await streamOdooFeed(client, session, {
			...common,
			fileNamePattern: 'delta-1-{feed}.csv',
			read: { resource: 'vendors', mode: 'incremental' },
		});
		expect(first.audit.records).toBe(4);
		const cursor = first.cursor as MasterDataCursor;

		const gemini = emulator.store.all('res.partner').find((p) => p.name === 'Gemini Furniture')!;
		emulator.store.write('res.partner', [gemini.id], { email: 'billing@gemini.test' });
		const second = await streamOdooFeed(client, session, {
			...common,
			fileNamePattern: 'delta-2-{feed}.csv',
			read: { resource: 'vendors', mode: 'incremental', cursor },
		});
		expect(second.audit.records).toBe(1);
		expect(csvRows('delta-2-vendors.csv')).toEqual([
			expect.objectContaining({ VendorName: 'Gemini Furniture', Email: 'billing@gemini.test' }),
		]);
		expect(second.read).toMatchObject({ mode: 'incremental', skippedAlreadyDelivered: 3 });

		const third = await streamOdooFeed(client, session, {
			...common,
			fileNamePattern: 'delta-3-{feed}.csv',
			read: { resource: 'vendors', mode: 'incremental', cursor: second.cursor },
		});
		expect(third.audit).toMatchObject({ skipped: 'empty', remotePath: null, records: 0 });
		expect(existsSync(join(fixture.localPath(fixture.inboundDir), 'delta-3-vendors.csv'))).toBe(
			false,
		);

		const forced = await streamOdooFeed(client, session, {
			...common,
			writeEmpty: true,
			fileNamePattern: 'delta-4-{feed}.csv',
			read: { resource: 'vendors', mode: 'incremental', cursor: third.cursor },
		});
		expect(forced.audit.rows).toBe(0);
		expect(readInbound('delta-4-vendors.csv').toString()).toMatch(/^VendorId,VendorName,.*\r\n$/);
	});
});

describe('hostile values', () => {
	it('neutralises a vendor named =HYPERLINK("x") in CSV', async () => {
		const id = emulator.store.create('res.partner', [
			{ name: '=HYPERLINK("x")', supplier_rank: 1, phone: '-12.50', city: '+cmd|calc' },
		])[0];
		const result = await streamOdooFeed(client, session, {
			format: 'csv',
			targetDir: fixture.inboundDir,
			now,
			fileNamePattern: 'hostile-{feed}.csv',
			read: { resource: 'vendors', mode: 'full', domain: [['id', '=', id]] },
		});
		expect(result.audit.records).toBe(1);
		const raw = readInbound('hostile-vendors.csv').toString();
		expect(raw).toContain(`"'=HYPERLINK(""x"")"`);
		const [row] = csvRows('hostile-vendors.csv');
		expect(row).toMatchObject({
			VendorName: `'=HYPERLINK("x")`,
			Phone: '-12.50',
			City: `'+cmd|calc`,
		});
	});

	it('writes well-formed XML with markup characters escaped, that parses back to the same values', async () => {
		const nasty = 'Smith & Sons <Tools> "Quoted" \'Apos\' ]]>';
		const id = emulator.store.create('res.partner', [
			{ name: nasty, supplier_rank: 1, street: 'Line\twith\ttabs', city: '=SUM(A1)' },
		])[0];
		const result = await streamOdooFeed(client, session, {
			format: 'xml',
			targetDir: fixture.inboundDir,
			now,
			fileNamePattern: 'escape-{feed}.xml',
			read: { resource: 'vendors', mode: 'full', domain: [['id', '=', id]] },
		});
		const text = readInbound('escape-vendors.xml').toString('utf8');
		expect(result.audit.fileName).toBe('escape-vendors.xml');
		expect(XMLValidator.validate(text)).toBe(true);
		const parsed = new XMLParser({ parseTagValue: false, processEntities: true }).parse(text);
		expect(parsed.VendorFeed.Vendor).toMatchObject({
			Name: nasty,
			Address: { Line1: 'Line\twith\ttabs', City: '=SUM(A1)' },
		});
		expect(text).toContain('Smith &amp; Sons &lt;Tools&gt;');
	});
});

describe('atomic upload', () => {
	function vendors(count: number, failAt?: number) {
		return (async function* () {
			for (let i = 0; i < count; i++) {
				if (i === failAt) throw new Error('source broke mid-stream');
				yield { vendorId: String(i), name: `Vendor ${i}`, active: true };
			}
		})();
	}
	const options = {
		template: getDefaultTemplate('vendorFeed', 'csv'),
		format: 'csv' as const,
		feed: 'vendors',
		targetDir: '',
		now,
		stream: { chunkBytes: 1024 },
	};

	it('a source failing mid-stream leaves neither the final name nor a temporary file', async () => {
		const before = inboundFiles();
		await expect(
			writeFeedFile(session, vendors(20_000, 15_000), {
				...options,
				targetDir: fixture.inboundDir,
				fileNamePattern: 'broken-{feed}.csv',
			}),
		).rejects.toThrow(/source broke mid-stream/);
		expect(inboundFiles()).toEqual(before);
	});

	it('a connection dropped mid-upload never leaves a partial file under the final name', async () => {
		const own = await connectSftp({ ...fixture });
		let dropped = false;
		const source = (async function* () {
			for (let i = 0; i < 50_000; i++) {
				if (i === 20_000 && !dropped) {
					dropped = true;
					// A network drop: the TCP socket dies under the SSH connection (ssh2-sftp-client → ssh2 Client → socket).
					(
						own as unknown as { client: { client: { _sock: { destroy(): void } } } }
					).client.client._sock.destroy();
				}
				yield { vendorId: String(i), name: `Vendor ${i}`, active: true };
			}
		})();
		await expect(
			writeFeedFile(own, source, {
				...options,
				targetDir: fixture.inboundDir,
				fileNamePattern: 'dropped-{feed}.csv',
			}),
		).rejects.toThrow();
		expect(dropped).toBe(true);
		expect(inboundFiles()).not.toContain('dropped-vendors.csv');
		await own.close();
	});

	it('the OpenSSH sftp client listing inbound/ during an upload sees only complete files', async () => {
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const source = (async function* () {
			for (let i = 0; i < 4000; i++) {
				if (i === 2000) await gate; // half written, on the server, under a temporary name
				yield { vendorId: String(i), name: `Vendor ${i}`, active: true };
			}
		})();
		const upload = writeFeedFile(session, source, {
			...options,
			targetDir: fixture.inboundDir,
			fileNamePattern: 'watched-{feed}.csv',
		});
		const dir = fixture.localPath(fixture.inboundDir);
		for (
			let i = 0;
			i < 200 && !readdirSync(dir).some((f) => f.startsWith('.watched-vendors.csv.'));
			i++
		)
			await new Promise((r) => setTimeout(r, 25));
		expect(
			readdirSync(dir).some((f) => f.startsWith('.watched-vendors.csv.') && f.endsWith('.tmp')),
		).toBe(true);

		const during = await openssh.batch([`ls -1 ${fixture.inboundDir}`]);
		expect(during.code).toBe(0);
		expect(during.stdout).not.toContain('watched-vendors.csv');

		release();
		const audit: FeedAuditRecord = await upload;
		const after = await openssh.batch([
			`ls -l ${fixture.inboundDir}/watched-vendors.csv`,
			`get ${fixture.inboundDir}/watched-vendors.csv ${join(dir, '..', 'watched-copy.csv')}`,
		]);
		expect(after.code).toBe(0);
		expect(after.stdout).toMatch(new RegExp(`\\s${audit.bytes}\\s.*watched-vendors\\.csv`));
		const copy = readFileSync(join(dir, '..', 'watched-copy.csv'));
		expect(createHash('sha256').update(copy).digest('hex')).toBe(audit.sha256);
		expect(audit.rows).toBe(4000);
		expect(readdirSync(dir).filter((f) => f.includes('watched') && f.endsWith('.tmp'))).toEqual([]);
	});
});
