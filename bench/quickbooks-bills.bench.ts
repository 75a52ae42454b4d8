/**
 * QuickBooks Bill throughput under Intuit's limits, enforced by the emulator over real HTTP:
 * 500 requests and 40 batch requests per window per realm, 10 concurrent.
 *
 * TIME SCALE: Intuit's window is 60 s. To keep the bench near a minute, the emulator and the
 * client limiter both use a WINDOW_MS "minute" (default 10 s). Every per-minute figure below is
 * per *emulated* minute (= one window); with the real 60 s window the same request pattern yields
 * the same bills per real minute.
 *
 * - ours:     upsertBills — vendors by name (one query per 100 names), one DocNumber IN (…) query
 *             per 100 bills, creates in /batch requests of 30; 5,000 bills.
 * - baseline: per item, query the DocNumber then create the bill (2 requests per bill), 10 in
 *             parallel under the same limiter; run on a sample and extrapolated to 5,000.
 */
import {
	buildBillPayload,
	eq,
	createQboClient,
	type QboClient,
	realmLimiter,
	select,
	upsertBills,
} from '../nodes/shared/quickbooks';
import type { Invoice } from '../nodes/shared/records';
import { startQuickBooksEmulator, type QuickBooksEmulator } from '../test/kit';
import { invoice, seed } from '../test/integration/quickbooks/fixtures';
import { refreshingTransport, testSleep } from '../test/integration/quickbooks/transport';
import { measure, printTable, target } from './lib/measure';

const WINDOW_MS = Number(process.env.QBO_BENCH_WINDOW_MS ?? 10_000);
const BILLS = Number(process.env.QBO_BENCH_BILLS ?? 5000);
const BASELINE_SAMPLE = Number(process.env.QBO_BENCH_BASELINE ?? 300);
const VENDORS = 50;

const vendorSeed = Array.from({ length: VENDORS }, (_, k) => ({
	Id: String(1000 + k),
	DisplayName: `Bench Vendor ${k} O'Neil \\ Co`,
}));

function invoices(n: number, prefix: string): Invoice[] {
	return Array.from({ length: n }, (_, k) => {
		const v = vendorSeed[k % VENDORS];
		return invoice({
			invoiceNumber: `${prefix}-${String(k).padStart(6, '0')}`,
			vendor: { stampliVendorId: `SV-${v.Id}`, name: v.DisplayName },
		});
	});
}

async function emulatorWithLimits(): Promise<QuickBooksEmulator> {
	return startQuickBooksEmulator({
		seed: { ...seed, vendors: vendorSeed },
		enforceLimits: {
			requestsPerWindow: 500,
			batchPerWindow: 40,
			maxConcurrent: 10,
			windowMs: WINDOW_MS,
		},
	});
}

function client(emulator: QuickBooksEmulator): QboClient {
	return createQboClient({
		transport: refreshingTransport(emulator).transport,
		realmId: emulator.realmId,
		environment: 'custom',
		baseUrl: emulator.url,
		// Intuit's limits on the shrunken minute (the second and the arrival margin shrink with it).
		limiter: realmLimiter(`bench|${emulator.url}`, {
			limits: { minuteMs: WINDOW_MS, arrivalMarginMs: WINDOW_MS / 120 },
		}),
		sleep: testSleep,
	});
}

async function perItemBaseline(qbo: QboClient, list: Invoice[]): Promise<number> {
	let next = 0;
	let created = 0;
	const worker = async () => {
		while (next < list.length) {
			const inv = list[next++];
			const vendorId = vendorSeed.find((v) => v.DisplayName === inv.vendor.name)!.Id;
			const payload = buildBillPayload(inv, vendorId);
			const { items } = await qbo.query(
				payload.entity,
				select(payload.entity, { where: [eq('DocNumber', payload.docNumber)] }),
			);
			if (!items.length) {
				await qbo.create(payload.entity, payload.body);
				created++;
			}
		}
	};
	await Promise.all(Array.from({ length: 10 }, worker));
	return created;
}

async function main() {
	console.log(
		`QuickBooks bills: ${BILLS} bills, ${VENDORS} vendors; Intuit limits enforced by the emulator with a ${WINDOW_MS / 1000} s window standing in for 60 s ("emulated minute").`,
	);

	const oursEmu = await emulatorWithLimits();
	const oursClient = client(oursEmu);
	const oursList = invoices(BILLS, 'B');
	const ours = await measure('ours (batched)', () => upsertBills(oursClient, oursList));
	await oursEmu.stop();
	const oursFailed = ours.result.filter((o) => !o.ok);
	const oursThrottleErrors = oursFailed.filter((o) => !o.ok && o.code === '3001').length;
	const oursCreated = ours.result.filter((o) => o.ok && o.erp.action === 'created').length;

	const baseEmu = await emulatorWithLimits();
	const baseClient = client(baseEmu);
	const base = await measure(`per-item baseline (sample ${BASELINE_SAMPLE})`, () =>
		perItemBaseline(baseClient, invoices(BASELINE_SAMPLE, 'P')),
	);
	await baseEmu.stop();

	const windows = (ms: number) => ms / WINDOW_MS;
	const oursPerMin = oursCreated / windows(ours.m.wallMs);
	const basePerMin = base.result / windows(base.m.wallMs);
	const baseExtrapolatedMs = (BILLS / base.result) * base.m.wallMs;
	printTable([
		{
			run: 'ours: upsertBills (batch 30)',
			bills: oursCreated,
			'bills/emulated-min': Math.round(oursPerMin),
			requests: oursEmu.counters.requests,
			'batch reqs': oursEmu.counters.batchRequests,
			'429 seen': oursEmu.counters.throttled,
			'wall s': ours.m.wallMs / 1000,
			'emulated min': windows(ours.m.wallMs),
			'item errors': oursFailed.length,
		},
		{
			run: `baseline: query+create per bill (${BASELINE_SAMPLE} measured)`,
			bills: base.result,
			'bills/emulated-min': Math.round(basePerMin),
			requests: baseEmu.counters.requests,
			'batch reqs': baseEmu.counters.batchRequests,
			'429 seen': baseEmu.counters.throttled,
			'wall s': base.m.wallMs / 1000,
			'emulated min': windows(base.m.wallMs),
			'item errors': 0,
		},
		{
			run: `baseline extrapolated to ${BILLS} (not measured)`,
			bills: BILLS,
			'bills/emulated-min': Math.round(basePerMin),
			requests: Math.round((baseEmu.counters.requests / base.result) * BILLS),
			'batch reqs': 0,
			'429 seen': '-',
			'wall s': baseExtrapolatedMs / 1000,
			'emulated min': windows(baseExtrapolatedMs),
			'item errors': '-',
		},
	]);
	console.log(
		`speed-up: ${(oursPerMin / basePerMin).toFixed(1)}x bills per minute; requests per bill ${(oursEmu.counters.requests / oursCreated).toFixed(3)} vs ${(baseEmu.counters.requests / base.result).toFixed(2)}`,
	);
	console.log(
		`client limiter wait, summed over all queued requests: ${(oursClient.limiter.waitedMs / 1000).toFixed(1)} s (ours; the baseline used the same limiter); peak concurrency seen by the emulator ${oursEmu.counters.maxConcurrentSeen}`,
	);
	target(
		`≥ 1,000 bills per (emulated) minute under enforced limits — ${Math.round(oursPerMin)}`,
		oursPerMin >= 1000,
	);
	target(`0 throttle errors reaching items — ${oursThrottleErrors}`, oursThrottleErrors === 0);
	target(
		`all ${BILLS} bills created, none failed — ${oursCreated} created, ${oursFailed.length} failed`,
		oursCreated === BILLS && oursFailed.length === 0,
	);
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
