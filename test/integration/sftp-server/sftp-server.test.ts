/**
 * The demo's in-process SFTP server, driven by the same client library the nodes use
 * (ssh2-sftp-client) over a real TCP socket on loopback.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SftpClient from 'ssh2-sftp-client';

// ssh2-sftp-client's default listeners console.log on end/close, which jest reports after a test ends.
const noop = () => undefined;
const quiet = { error: noop, end: noop, close: noop };
import { resolveInside, startSftpServer, type RunningSftpServer } from '../../fixtures/sftp-server';

describe('in-process SFTP server (demo stand-in)', () => {
	let root: string;
	let server: RunningSftpServer;
	let client: SftpClient;

	beforeAll(async () => {
		root = mkdtempSync(path.join(os.tmpdir(), 'stampli-sftp-server-'));
		await fs.mkdir(path.join(root, 'outbound'));
		await fs.writeFile(path.join(root, 'outbound', 'invoices-1.csv'), 'id,amount\nINV-1,10.00\n');
		server = await startSftpServer({ root, username: 'demo', password: 's3cret' });
	});

	afterAll(async () => {
		await server.stop();
		rmSync(root, { recursive: true, force: true });
	});

	beforeEach(async () => {
		client = new SftpClient('demo-server-test', quiet);
		const presented: string[] = [];
		await client.connect({
			host: server.host,
			port: server.port,
			username: 'demo',
			password: 's3cret',
			hostVerifier: (key: Buffer) => {
				presented.push(
					`SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`,
				);
				return true;
			},
		});
		expect(presented).toEqual([server.fingerprint]);
		// Client-side Nagle costs ~40 ms per sequential SFTP request on loopback; the stream test would crawl.
		(client as unknown as { client: { setNoDelay(on: boolean): void } }).client.setNoDelay(true);
	});

	afterEach(async () => {
		await client.end();
	});

	it('lists, stats and reads the seeded files', async () => {
		expect(await client.realPath('.')).toBe('/');
		const listing = await client.list('/outbound');
		expect(listing.map((entry) => [entry.name, entry.type, entry.size])).toEqual([
			['invoices-1.csv', '-', 22],
		]);
		const stats = await client.stat('/outbound/invoices-1.csv');
		expect(stats.isFile).toBe(true);
		expect(stats.size).toBe(22);
		const content = (await client.get('/outbound/invoices-1.csv')) as Buffer;
		expect(content.toString('utf8')).toBe('id,amount\nINV-1,10.00\n');
	});

	it('writes, renames, removes and makes directories; rename never overwrites', async () => {
		await client.mkdir('/inbound');
		await client.put(Buffer.from('a,b\n1,2\n'), '/inbound/.feed.tmp');
		await client.rename('/inbound/.feed.tmp', '/inbound/feed.csv');
		expect(await fs.readFile(path.join(root, 'inbound', 'feed.csv'), 'utf8')).toBe('a,b\n1,2\n');
		await client.put(Buffer.from('other'), '/inbound/other.csv');
		await expect(client.rename('/inbound/other.csv', '/inbound/feed.csv')).rejects.toThrow();
		await client.delete('/inbound/other.csv');
		expect(await client.exists('/inbound/other.csv')).toBe(false);
		expect(await client.exists('/inbound')).toBe('d');
	});

	it('streams a file larger than one read request both ways', async () => {
		const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
		await client.put(big, '/big.bin');
		const back = (await client.get('/big.bin')) as Buffer;
		expect(back.equals(big)).toBe(true);
		await client.delete('/big.bin');
	});

	it('keeps `..` inside the served root', async () => {
		expect(resolveInside(root, '../../etc/passwd').local).toBe(path.join(root, 'etc', 'passwd'));
		expect(await client.exists('/../../outbound/invoices-1.csv')).toBe('-');
		await expect(client.get('/../../../etc/hostname')).rejects.toThrow(/No such file|ENOENT/);
	});

	it('refuses a wrong password', async () => {
		const intruder = new SftpClient('intruder', quiet);
		await expect(
			intruder.connect({
				host: server.host,
				port: server.port,
				username: 'demo',
				password: 'wrong',
				retries: 0,
			}),
		).rejects.toThrow(/authentication/i);
	});
});
