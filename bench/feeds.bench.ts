/**
 * Master-data feed at scale (issue 5): 100,000 vendors + 20,000 purchase orders (100,000 lines) +
 * 2,000 GL accounts from the Odoo emulator (own process, latency 0) to feed files on a real OpenSSH
 * sshd. Two ways through n8n, each scenario in a fresh Node process so its peak RSS is its own:
 *   - direct: Odoo Master Data's "Write Feed Directly to Stampli" (one streaming step), over
 *     JSON-RPC and over XML-RPC (what `auto` picks before Odoo 19);
 *   - items:  records as n8n items (the whole run held in memory, as n8n does), then the Feed Writer.
 * Baseline for transfer speed: OpenSSH's `sftp` client uploading the same file to the same sshd.
 */
import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { streamOdooFeed, writeFeedFile } from '../nodes/shared/feeds';
import { createOdooClient, type OdooProtocol } from '../nodes/shared/odoo';
import { readMasterData } from '../nodes/shared/odoo/masterData';
import { connectSftp, type SftpConfig } from '../nodes/shared/sftp';
import { getDefaultTemplate } from '../nodes/shared/stampli/templates';
import { startSshd } from '../test/kit';
import { openSshSftp } from '../test/integration/feeds/opensshSftp';
import { measure, printTable, target } from './lib/measure';
import { runScenarioProcess, startPeerProcess } from './lib/processes';

const RSS_TARGET_MB = 100;
const THROUGHPUT_TARGET = 0.7;
const mb = (bytes: number) => bytes / 1024 / 1024;

interface Peers {
	odoo: { url: string; db: string; login: string; apiKey: string };
	sftp: SftpConfig;
}

type Row = Record<string, string | number>;

/** One scenario, in this (child) process: prints one JSON line of result rows. */
async function runScenario(scenario: string, peers: Peers): Promise<void> {
	const [path, protocol] = scenario.split(':') as ['direct' | 'items', OdooProtocol];
	const client = createOdooClient({ ...peers.odoo, protocol }, { noSharedCache: true });
	await client.uid(); // authenticate outside the measurement
	const session = await connectSftp(peers.sftp);
	const rows: Row[] = [];
	let peak = 0;
	const row = (
		feed: string,
		audit: { records: number; rows: number; bytes: number },
		wallMs: number,
		trips: number,
		rss: number,
	): Row => ({
		path: `${path}, ${protocol}`,
		feed,
		records: audit.records,
		rows: audit.rows,
		MB: mb(audit.bytes),
		s: wallMs / 1000,
		'records/s': Math.round(audit.records / (wallMs / 1000)),
		'odoo trips': trips,
		'MB/s to SFTP': mb(audit.bytes) / (wallMs / 1000),
		'peak RSS +MB': rss,
	});
	try {
		if (path === 'direct') {
			for (const resource of ['vendors', 'purchaseOrders', 'glAccounts'] as const) {
				const before = client.roundTrips;
				const { result, m } = await measure(resource, () =>
					streamOdooFeed(client, session, {
						format: 'csv',
						fileNamePattern: `bench-${protocol}-{feed}.csv`,
						targetDir: peers.sftp.inboundDir,
						read: { resource, mode: 'full' },
					}),
				);
				peak = Math.max(peak, m.peakRssGrowthMb);
				rows.push(
					row(
						result.audit.feed,
						result.audit,
						m.wallMs,
						client.roundTrips - before,
						m.peakRssGrowthMb,
					),
				);
			}
		} else {
			// n8n's item model: every record becomes an item held until the node finishes; then the writer runs.
			const before = client.roundTrips;
			const { result, m } = await measure('items', async () => {
				const items: Array<{ json: unknown; pairedItem: { item: number } }> = [];
				for await (const record of readMasterData(client, { resource: 'vendors', mode: 'full' }))
					items.push({ json: record, pairedItem: { item: 0 } });
				const records = (function* () {
					for (const item of items) yield item.json;
				})();
				return await writeFeedFile(session, records, {
					template: getDefaultTemplate('vendorFeed', 'csv'),
					format: 'csv',
					feed: 'vendors',
					fileNamePattern: `bench-items-{feed}.csv`,
					targetDir: peers.sftp.inboundDir,
				});
			});
			peak = m.peakRssGrowthMb;
			rows.push(row('vendors', result, m.wallMs, client.roundTrips - before, m.peakRssGrowthMb));
		}
	} finally {
		await session.close();
	}
	process.stdout.write(JSON.stringify({ rows, peak }) + '\n');
}

async function main(): Promise<void> {
	const seedStart = Date.now();
	const peer = await startPeerProcess(
		[join(__dirname, '../test/integration/feeds/benchEmulator.ts')],
		'emulator',
	);
	const emulator = { child: peer.child, odoo: JSON.parse(peer.firstLine) as Peers['odoo'] };
	console.log(
		`emulator: 100,000 vendors, 20,000 POs × 5 lines, 2,000 accounts seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s (own process)`,
	);
	const sshd = await startSshd();
	try {
		const sftp: SftpConfig = {
			host: sshd.host,
			port: sshd.port,
			username: sshd.username,
			privateKey: sshd.privateKey,
			hostKeySha256: sshd.hostKeySha256,
			inboundDir: sshd.inboundDir,
			outboundDir: sshd.outboundDir,
		};
		const peers: Peers = { odoo: emulator.odoo, sftp };
		const rows: Row[] = [];
		const peaks: Record<string, number> = {};
		for (const scenario of ['direct:jsonrpc', 'direct:xmlrpc', 'items:jsonrpc', 'items:xmlrpc']) {
			const result = runScenarioProcess<{ rows: Row[]; peak: number }>(__filename, scenario, {
				FEED_BENCH_PEERS: JSON.stringify(peers),
			});
			rows.push(...result.rows);
			peaks[scenario] = result.peak;
		}
		printTable(rows);

		// Transfer only: the vendor file, our atomic upload vs OpenSSH sftp `put`, both including connect + auth, best of 3.
		const vendorFile = sshd.localPath(`${sshd.inboundDir}/bench-jsonrpc-vendors.csv`);
		const size = statSync(vendorFile).size;
		const openssh = openSshSftp(sshd);
		let ours = Infinity;
		let oursTransfer = Infinity;
		let theirs = Infinity;
		let handshake = Infinity;
		try {
			for (let attempt = 0; attempt < 3; attempt++) {
				let transferMs = 0;
				const { m: oursM } = await measure('uploadAtomic', async () => {
					const session = await connectSftp(sftp);
					try {
						const start = performance.now();
						const result = await session.uploadAtomic(
							sshd.inboundDir,
							'bench-transfer-ours.csv',
							createReadStream(vendorFile, { highWaterMark: 256 * 1024 }),
						);
						transferMs = performance.now() - start;
						return result;
					} finally {
						await session.close();
					}
				});
				ours = Math.min(ours, oursM.wallMs);
				oursTransfer = Math.min(oursTransfer, transferMs);
				const { result: put, m: theirsM } = await measure('sftp put', () =>
					openssh.batch([`put ${vendorFile} ${sshd.inboundDir}/bench-transfer-openssh.csv`]),
				);
				if (put.code !== 0) throw new Error(`sftp put failed: ${put.stderr}`);
				theirs = Math.min(theirs, theirsM.wallMs);
				const { m: emptyM } = await measure('sftp pwd', () => openssh.batch(['pwd']));
				handshake = Math.min(handshake, emptyM.wallMs);
			}
		} finally {
			openssh.cleanup();
		}
		const oursRate = mb(size) / (ours / 1000);
		const theirsRate = mb(size) / (theirs / 1000);
		const theirsTransferOnly = mb(size) / (Math.max(1, theirs - handshake) / 1000);
		const oursTransferRate = mb(size) / (oursTransfer / 1000);
		printTable([
			{
				upload: 'uploadAtomic (ssh2; connect, temp, rename)',
				MB: mb(size),
				s: ours / 1000,
				'MB/s': oursRate,
			},
			{
				upload: 'uploadAtomic on an open session',
				MB: mb(size),
				s: oursTransfer / 1000,
				'MB/s': oursTransferRate,
			},
			{
				upload: 'baseline: OpenSSH sftp put (process, connect)',
				MB: mb(size),
				s: theirs / 1000,
				'MB/s': theirsRate,
			},
			{
				upload: 'baseline minus an empty sftp session',
				MB: mb(size),
				s: Math.max(1, theirs - handshake) / 1000,
				'MB/s': theirsTransferOnly,
			},
		]);
		for (const [scenario, peak] of Object.entries(peaks)) {
			target(
				`peak RSS growth ≤ ${RSS_TARGET_MB} MB, ${scenario}: ${peak.toFixed(1)} MB`,
				peak <= RSS_TARGET_MB,
			);
		}
		target(
			`upload ≥ ${THROUGHPUT_TARGET * 100}% of OpenSSH sftp (both with connect): ${((oursRate / theirsRate) * 100).toFixed(0)}%`,
			oursRate >= THROUGHPUT_TARGET * theirsRate,
		);
		target(
			`upload on an open session ≥ ${THROUGHPUT_TARGET * 100}% of OpenSSH sftp's transfer alone: ${((oursTransferRate / theirsTransferOnly) * 100).toFixed(0)}%`,
			oursTransferRate >= THROUGHPUT_TARGET * theirsTransferOnly,
		);
	} finally {
		await sshd.stop();
		emulator.child.stdin?.end();
		emulator.child.kill('SIGTERM');
	}
}

const scenarioAt = process.argv.indexOf('--scenario');
const run =
	scenarioAt >= 0
		? runScenario(
				process.argv[scenarioAt + 1],
				JSON.parse(process.env.FEED_BENCH_PEERS ?? '{}') as Peers,
			)
		: main();
run.catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
