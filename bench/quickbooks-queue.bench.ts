/**
 * QuickBooks bills from several n8n workers into one realm (queue mode), against the emulator with
 * Intuit's limits enforced per realm: 500 requests and 40 batch requests a minute, 10 a second,
 * 10 in flight. Each worker is its own process (test/integration/quickbooks/worker.ts) that builds
 * the QuickBooks Bill node's client exactly as a worker does — limiter from n8n's
 * `QUEUE_BULL_REDIS_*` settings in its environment — and writes its share of the bills through the
 * product's writer.
 *
 * - ours:     `EXECUTIONS_MODE=queue` + `QUEUE_BULL_REDIS_*` of a real redis-server: one shared budget;
 * - baseline: the same workers without those settings: each keeps the budget on its own.
 *
 * TIME SCALE: Intuit's minute is 60 s; here the emulator and the workers' limits use a shrunken
 * minute (QBO_QUEUE_BENCH_MINUTE_MS, default 20 s; the second, the arrival margin and the answer
 * latency shrink with it), and every per-minute figure is per emulated minute. The cap is 40
 * batches of 30 = 1,200 bills a minute per realm.
 *
 * Reuse with real n8n workers: start the emulator with `queueBenchEmulator`, let the workers write,
 * then `summarise` it — the figures come from what the emulator saw, not from the workers.
 */
import { startQuickBooksEmulator, type QuickBooksEmulator } from '../test/kit';
import { startRedis } from '../test/fixtures/redis';
import { seed } from '../test/integration/quickbooks/fixtures';
import { queueModeEnv, runWorker, type WorkerResult } from '../test/integration/quickbooks/workers';
import { printTable, target } from './lib/measure';

const MINUTE_MS = Number(process.env.QBO_QUEUE_BENCH_MINUTE_MS ?? 20_000);
const BILLS = Number(process.env.QBO_QUEUE_BENCH_BILLS ?? 10_000);
const WORKERS = Number(process.env.QBO_QUEUE_BENCH_WORKERS ?? 2);
/** Bills per execution (one Stampli file each); a multiple of 30 keeps every batch full. */
const PER_EXECUTION = Number(process.env.QBO_QUEUE_BENCH_PER_EXECUTION ?? 2_520);
/** How long QuickBooks takes to answer, at Intuit's scale (a batch of 30 creates: about a second). */
const LATENCY_MS = Number(process.env.QBO_QUEUE_BENCH_LATENCY_MS ?? 1_000);
export const CAP_BILLS_PER_MINUTE = 40 * 30;

export const BENCH_VENDORS = Array.from({ length: 50 }, (_, k) => ({
	Id: String(1000 + k),
	DisplayName: `Queue Vendor ${k}`,
}));

interface Tracked {
	emulator: QuickBooksEmulator;
	/** Arrival and answer times of batch requests. */
	batches: Array<{ at: number; answered?: number }>;
}

/** The emulator the workers write to: Intuit's limits per realm on a minute of `minuteMs`. */
export async function queueBenchEmulator(minuteMs = MINUTE_MS): Promise<Tracked> {
	const emulator = await startQuickBooksEmulator({
		seed: { ...seed, vendors: BENCH_VENDORS },
		enforceLimits: { windowMs: minuteMs },
		latencyMs: Math.round((LATENCY_MS * minuteMs) / 60_000),
	});
	const tracked: Tracked = { emulator, batches: [] };
	const previous = emulator.intercept;
	emulator.intercept = (req) => {
		if (req.resource === 'batch') tracked.batches.push({ at: Date.now() });
		return previous?.(req);
	};
	emulator.afterRequest = (req) => {
		if (req.resource === 'batch')
			for (const b of tracked.batches) if (b.answered === undefined) b.answered = Date.now();
	};
	return tracked;
}

/** What the emulator saw: bills per emulated minute between the first batch and the last answer. */
export function summarise(tracked: Tracked, minuteMs = MINUTE_MS) {
	const { emulator, batches } = tracked;
	const created = emulator.counters.created.Bill ?? 0;
	const first = Math.min(...batches.map((b) => b.at));
	const last = Math.max(...batches.map((b) => b.answered ?? b.at));
	const minutes = (last - first) / minuteMs;
	return {
		created,
		billsPerMinute: created / minutes,
		minutes,
		requests: emulator.counters.requests,
		batchRequests: emulator.counters.batchRequests,
		throttled: emulator.counters.throttled,
		throttledBy: emulator.counters.throttledBy,
		peakInFlight: emulator.counters.maxConcurrentSeen,
	};
}

async function run(label: string, env: Record<string, string>) {
	const tracked = await queueBenchEmulator();
	const accessToken = tracked.emulator.issueTokens().access_token;
	const share = Math.ceil(BILLS / WORKERS);
	const started = Date.now();
	const results: WorkerResult[] = await Promise.all(
		Array.from({ length: WORKERS }, (_, k) =>
			runWorker(
				{
					url: tracked.emulator.url,
					realmId: tracked.emulator.realmId,
					accessToken,
					limits: { minuteMs: MINUTE_MS, arrivalMarginMs: MINUTE_MS / 120 },
					bills: {
						count: Math.min(share, BILLS - k * share),
						perExecution: PER_EXECUTION,
						prefix: `W${k}`,
						vendors: BENCH_VENDORS.map((v) => v.DisplayName),
					},
				},
				env,
			),
		),
	);
	const wallMs = Date.now() - started;
	await tracked.emulator.stop();
	const s = summarise(tracked);
	return {
		label,
		s,
		wallMs,
		modes: [...new Set(results.map((r) => r.mode))].join(','),
		failed: results.reduce((n, r) => n + r.failed, 0),
		throttleFailures: results.reduce(
			(n, r) => n + r.errors.filter((e) => /3001|ThrottleExceeded/.test(e)).length,
			0,
		),
		clientThrottled: results.reduce((n, r) => n + r.throttled, 0),
	};
}

async function main() {
	console.log(
		`QuickBooks queue mode: ${BILLS} bills from ${WORKERS} worker processes into one realm, executions of ${PER_EXECUTION}; Intuit's per-realm limits enforced by the emulator on a ${MINUTE_MS / 1000} s "emulated minute"; cap ${CAP_BILLS_PER_MINUTE} bills/min.`,
	);
	const redis = await startRedis();
	try {
		const ours = await run('ours: budget shared through Redis', queueModeEnv(redis));
		const base = await run('baseline: per-process limiter', {});
		printTable(
			[ours, base].map((r) => ({
				run: r.label,
				limiter: r.modes,
				bills: r.s.created,
				'bills/emulated-min': Math.round(r.s.billsPerMinute),
				'% of cap': Math.round((1000 * r.s.billsPerMinute) / CAP_BILLS_PER_MINUTE) / 10,
				'batch reqs': r.s.batchRequests,
				'429 answers': r.s.throttled,
				'429 by (conc/sec/min/batch)': `${r.s.throttledBy.concurrency}/${r.s.throttledBy.second}/${r.s.throttledBy.minute}/${r.s.throttledBy.batchMinute}`,
				'peak in flight': r.s.peakInFlight,
				'items failed': r.failed,
				'wall s': r.wallMs / 1000,
			})),
		);
		target(
			`≥ 95 % of the per-realm cap (${0.95 * CAP_BILLS_PER_MINUTE} bills/min) summed over workers — ${Math.round(ours.s.billsPerMinute)}`,
			ours.s.billsPerMinute >= 0.95 * CAP_BILLS_PER_MINUTE,
		);
		target(`0 throttled (429) answers — ${ours.s.throttled}`, ours.s.throttled === 0);
		target(`peak in flight ≤ 10 — ${ours.s.peakInFlight}`, ours.s.peakInFlight <= 10);
		target(
			`all ${BILLS} bills written, none failed — ${ours.s.created} written, ${ours.failed} failed`,
			ours.s.created === BILLS && ours.failed === 0,
		);
		console.log(
			`baseline overshoot: ${base.s.throttled} 429 answers (${base.throttleFailures} reaching items), ${base.s.batchRequests} batch requests for ${base.s.created} bills, peak in flight ${base.s.peakInFlight}`,
		);
	} finally {
		await redis.stop();
	}
}

if (require.main === module)
	main().catch((error) => {
		console.error(error);
		process.exitCode = 1;
	});
