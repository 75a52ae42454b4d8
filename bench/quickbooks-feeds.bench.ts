/**
 * QuickBooks → Stampli master-data feeds at scale: 50,000 vendors and 2,000 GL accounts from the
 * QuickBooks emulator (own process, Intuit's limits enforced on the real 60-second minute: 500
 * requests a minute, 10 a second, 10 concurrent) to feed files on a real OpenSSH sshd, through the
 * package's client and its limiter. Each scenario runs in a fresh Node process so its peak RSS is
 * its own:
 *   - ours:     streamQuickBooksFeed (Write Feed Directly): one query page in memory at a time;
 *               then 500 vendors changed through the API and an incremental run (change data capture);
 *   - baseline: every page read into one array first (what records-as-items amounts to), then the
 *               same feed writer.
 * Figures: requests used (and the fewest possible at MAXRESULTS 1000), 429s, time, peak RSS growth.
 */
import { streamQuickBooksFeed, writeFeedFile } from '../nodes/shared/feeds';
import { QBO_FEED_TEMPLATE } from '../nodes/shared/feeds/quickbooksFeed';
import { feedTemplateFrom } from '../nodes/shared/feeds/templateOptions';
import { createQboClient, realmLimiter, type QboClient } from '../nodes/shared/quickbooks';
import {
	mapQboRecord,
	type QboMasterDataCursor,
	type QboMasterDataResource,
} from '../nodes/shared/quickbooks/masterData';
import { connectSftp, type SftpConfig } from '../nodes/shared/sftp';
import { startQuickBooksEmulator, startSshd } from '../test/kit';
import { staticTransport, testSleep } from '../test/integration/quickbooks/transport';
import { measure, printTable, target } from './lib/measure';
import { runScenarioProcess, startPeerProcess } from './lib/processes';

const VENDORS = Number(process.env.QBO_FEED_BENCH_VENDORS ?? 50_000);
const ACCOUNTS = Number(process.env.QBO_FEED_BENCH_ACCOUNTS ?? 2_000);
const CHANGED = 500;
const RSS_TARGET_MB = 100;
const PAGE = 1000;
const mb = (bytes: number) => bytes / 1024 / 1024;

interface Peers {
	qbo: { url: string; realmId: string; accessToken: string };
	sftp: SftpConfig;
}
type Row = Record<string, string | number>;

/** The emulator, seeded at bench scale, in this (child) process; prints its address, then serves until stdin closes. */
async function serveEmulator(): Promise<void> {
	const emulator = await startQuickBooksEmulator({ enforceLimits: true, accessTokenTtlSec: 7200 });
	for (let i = 0; i < ACCOUNTS; i++)
		emulator.createRecord('Account', {
			Name: `Account ${i}`,
			AcctNum: String(10000 + i),
			AccountType: i % 10 === 0 ? 'Other Current Liability' : 'Expense',
			...(i >= 100 && i % 50 === 0 ? { ParentRef: { value: '1' } } : {}),
		});
	// Vendors go straight into the store: the API path checks each DisplayName against every vendor
	// (quadratic at this size), and seeding is not what is measured.
	const vendors = emulator.store.get('Vendor')!;
	const stamp = emulator.clock.stamp();
	for (let i = 0; i < VENDORS; i++) {
		const Id = String(100_000 + i);
		vendors.set(Id, {
			Id,
			SyncToken: '0',
			DisplayName: i % 1000 === 0 ? `=HYPERLINK("http://x/${i}")` : `Vendor ${i} & Sons, "Ltd"`,
			Active: i % 97 !== 0,
			PrimaryEmailAddr: { Address: `ap${i}@vendor${i % 97}.example` },
			BillAddr: { Line1: `${i} Main Street`, City: 'Fremont', CountrySubDivisionCode: 'CA' },
			CurrencyRef: { value: 'USD', name: 'United States Dollar' },
			...(i % 3 === 0 ? { Notes: `Stampli vendor id: SV-${i}` } : {}),
			MetaData: { CreateTime: stamp, LastUpdatedTime: stamp },
		});
	}
	// The seed is older than the overlap, so the incremental run sees only the bench's changes.
	emulator.clock.shift(10 * 60_000);
	const { access_token } = emulator.issueTokens();
	process.stdout.write(
		`${JSON.stringify({ url: emulator.url, realmId: emulator.realmId, accessToken: access_token })}\n`,
	);
	process.stdin.resume();
	process.stdin.on('end', () => {
		process.stderr.write(
			`emulator: ${emulator.counters.requests} requests, ${emulator.counters.throttled} throttled (429), by resource ${JSON.stringify(emulator.counters.byResource)}\n`,
		);
		void emulator.stop().then(() => process.exit(0));
	});
}

function clientFor(peers: Peers): QboClient {
	return createQboClient({
		transport: staticTransport(peers.qbo.accessToken),
		realmId: peers.qbo.realmId,
		environment: 'custom',
		baseUrl: peers.qbo.url,
		// Intuit's limits on the real minute, as inside n8n.
		limiter: realmLimiter(`bench|${peers.qbo.url}|${process.pid}`),
		sleep: testSleep,
	});
}

const fileOptions = (peers: Peers, name: string) => ({
	format: 'csv' as const,
	fileNamePattern: `bench-qbo-${name}-{feed}.csv`,
	targetDir: peers.sftp.inboundDir,
	neutraliseFormulas: true,
});

/** One scenario in this (child) process: prints one JSON line of rows. */
async function runScenario(scenario: 'ours' | 'baseline', peers: Peers): Promise<void> {
	const client = clientFor(peers);
	const session = await connectSftp(peers.sftp);
	const rows: Row[] = [];
	let peak = 0;
	const row = (
		what: string,
		audit: { records: number; bytes: number },
		requests: number,
		wallMs: number,
		rss: number,
		fewest: number | string,
	): Row => ({
		run: `${scenario}: ${what}`,
		records: audit.records,
		MB: mb(audit.bytes),
		requests,
		'fewest possible': fewest,
		throttled: client.stats.throttled,
		s: wallMs / 1000,
		'records/s': Math.round(audit.records / (wallMs / 1000)),
		'peak RSS +MB': rss,
	});
	const cursors: Partial<Record<QboMasterDataResource, QboMasterDataCursor>> = {};
	try {
		for (const resource of ['vendors', 'glAccounts'] as const) {
			const before = client.stats.requests;
			// Pages of 1000 until one comes back short: an exact multiple costs one empty page more.
			const fewest = (records: number) => Math.floor(records / PAGE) + 1;
			if (scenario === 'ours') {
				const { result, m } = await measure(resource, () =>
					streamQuickBooksFeed(client, session, {
						...fileOptions(peers, scenario),
						read: { resource, mode: 'full' },
					}),
				);
				if (result.cursor) cursors[resource] = result.cursor;
				peak = Math.max(peak, m.peakRssGrowthMb);
				rows.push(
					row(
						`${resource} full`,
						result.audit,
						client.stats.requests - before,
						m.wallMs,
						m.peakRssGrowthMb,
						fewest(result.audit.records),
					),
				);
			} else {
				const kind = resource === 'vendors' ? 'vendorFeed' : 'glAccountFeed';
				const entity = resource === 'vendors' ? 'Vendor' : 'Account';
				const { result, m } = await measure(resource, async () => {
					const all = await client.queryAll<Record<string, unknown>>(entity, [], PAGE, 1000);
					const records = all.map((r) => mapQboRecord(resource, r));
					return writeFeedFile(session, records, {
						...fileOptions(peers, scenario),
						feed: resource,
						template: feedTemplateFrom(kind, 'csv', {}, QBO_FEED_TEMPLATE[kind]),
					});
				});
				peak = Math.max(peak, m.peakRssGrowthMb);
				rows.push(
					row(
						`${resource} full`,
						result,
						client.stats.requests - before,
						m.wallMs,
						m.peakRssGrowthMb,
						fewest(result.records),
					),
				);
			}
		}
		if (scenario === 'ours') {
			// A user edits 500 vendors (sparse updates in /batch requests of 30), then the nightly run.
			const changes = Array.from({ length: CHANGED }, (_, k) => ({
				operation: 'update' as const,
				entity: 'Vendor',
				body: { Id: String(100_000 + k * 7 + 1), SyncToken: '0', CompanyName: `Changed ${k}` },
				options: { sparse: true },
			}));
			const edited = await client.batch(changes);
			const failedEdits = edited.filter((r) => !r.ok).length;
			if (failedEdits) throw new Error(`${failedEdits} vendor edits failed`);
			const before = client.stats.requests;
			const { result, m } = await measure('incremental', () =>
				streamQuickBooksFeed(client, session, {
					...fileOptions(peers, `${scenario}-changes`),
					read: { resource: 'vendors', mode: 'incremental', cursor: cursors.vendors },
				}),
			);
			peak = Math.max(peak, m.peakRssGrowthMb);
			rows.push(
				row(
					`vendors changed since (CDC)`,
					result.audit,
					client.stats.requests - before,
					m.wallMs,
					m.peakRssGrowthMb,
					1,
				),
			);
		}
	} finally {
		await session.close();
	}
	process.stdout.write(`${JSON.stringify({ rows, peak })}\n`);
}

async function main(): Promise<void> {
	const seedStart = Date.now();
	const peer = await startPeerProcess([__filename, '--emulator'], 'QuickBooks emulator');
	const emulator = { child: peer.child, qbo: JSON.parse(peer.firstLine) as Peers['qbo'] };
	console.log(
		`QuickBooks emulator: ${VENDORS} vendors, ${ACCOUNTS} accounts seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s (own process); Intuit's limits enforced on the real 60 s minute`,
	);
	const sshd = await startSshd();
	try {
		const peers: Peers = {
			qbo: emulator.qbo,
			sftp: {
				host: sshd.host,
				port: sshd.port,
				username: sshd.username,
				privateKey: sshd.privateKey,
				hostKeySha256: sshd.hostKeySha256,
				inboundDir: sshd.inboundDir,
				outboundDir: sshd.outboundDir,
			},
		};
		const rows: Row[] = [];
		const peaks: Record<string, number> = {};
		for (const scenario of ['baseline', 'ours'] as const) {
			const result = runScenarioProcess<{ rows: Row[]; peak: number }>(__filename, scenario, {
				QBO_FEED_BENCH_PEERS: JSON.stringify(peers),
			});
			rows.push(...result.rows);
			peaks[scenario] = result.peak;
		}
		printTable(rows);
		const ours = rows.filter((r) => String(r.run).startsWith('ours'));
		const full = ours.filter((r) => String(r.run).endsWith('full'));
		const fullSeconds = full.reduce((s, r) => s + Number(r.s), 0);
		const fullRequests = full.reduce((s, r) => s + Number(r.requests), 0);
		const fewest = full.reduce((s, r) => s + Number(r['fewest possible']), 0);
		const throttled = Math.max(...ours.map((r) => Number(r.throttled)));
		console.log(
			`ours: ${fullRequests} requests for the two full feeds in ${fullSeconds.toFixed(1)} s (Intuit allows 500 a minute and 10 a second: at least ${(fullRequests / 10).toFixed(1)} s); peak RSS growth ours ${peaks.ours.toFixed(1)} MB vs baseline ${peaks.baseline.toFixed(1)} MB`,
		);
		target(
			`full reads use the fewest requests at MAXRESULTS 1000 — ${fullRequests} of ${fewest}`,
			fullRequests <= fewest,
		);
		target(
			`within Intuit's per-minute budget (500 requests) and without a 429 — ${fullRequests} requests, ${throttled} throttled`,
			fullRequests <= 500 && throttled === 0,
		);
		target(
			`the incremental run is one change-data-capture request — ${ours.at(-1)?.requests}`,
			ours.at(-1)?.requests === 1 && ours.at(-1)?.records === CHANGED,
		);
		target(
			`peak RSS growth ≤ ${RSS_TARGET_MB} MB streaming directly — ${peaks.ours.toFixed(1)} MB`,
			peaks.ours <= RSS_TARGET_MB,
		);
	} finally {
		emulator.child.stdin?.end();
		await new Promise((resolve) => emulator.child.once('exit', resolve));
		await sshd.stop();
	}
}

if (process.argv.includes('--emulator')) void serveEmulator();
else if (process.argv.includes('--scenario'))
	runScenario(
		process.argv[process.argv.indexOf('--scenario') + 1] as 'ours' | 'baseline',
		JSON.parse(process.env.QBO_FEED_BENCH_PEERS!) as Peers,
	).catch((error) => {
		console.error(error);
		process.exit(1);
	});
else
	main().catch((error) => {
		console.error(error);
		process.exitCode = 1;
	});
