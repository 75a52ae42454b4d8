/**
 * Two processes writing to one realm, as two n8n workers in queue mode do, against the emulator
 * with Intuit's limits enforced (real minute and second; each answer takes 1.5 s, so requests pile
 * up and the cap of 10 in flight is what decides). With n8n's queue-mode Redis (a real Debian
 * redis-server) they share one budget; without it each keeps its own and together they overshoot.
 * If Redis goes away mid-run, the run finishes on per-process limits and says so once.
 */
import { startQuickBooksEmulator, type QuickBooksEmulator } from '../../emulators/quickbooks';
import { startRedis, type RedisFixture } from '../../fixtures/redis';
import { seed } from './fixtures';
import { queueModeEnv, runWorker, type WorkerJob } from './workers';

jest.setTimeout(240_000);

let redis: RedisFixture;
let emulator: QuickBooksEmulator;

beforeAll(async () => {
	redis = await startRedis();
});
afterAll(async () => {
	await redis?.stop();
});
beforeEach(async () => {
	emulator = await startQuickBooksEmulator({ seed, enforceLimits: true, latencyMs: 1_500 });
});
afterEach(async () => {
	await emulator.stop();
});

const job = (): WorkerJob => ({
	url: emulator.url,
	realmId: emulator.realmId,
	accessToken: emulator.issueTokens().access_token,
	requests: { queries: 16, batches: 2 },
});

describe('one realm, two processes', () => {
	test("with n8n's queue-mode Redis they share the budget: never more than 10 in flight, no 429", async () => {
		const results = await Promise.all([
			runWorker(job(), queueModeEnv(redis)),
			runWorker(job(), queueModeEnv(redis)),
		]);
		expect(results.map((r) => r.mode)).toEqual(['shared', 'shared']);
		expect(results.flatMap((r) => r.errors)).toEqual([]);
		expect(emulator.counters.requests).toBe(36);
		expect(emulator.counters.maxConcurrentSeen).toBeLessThanOrEqual(10);
		expect(emulator.counters.maxConcurrentSeen).toBeGreaterThanOrEqual(8);
		expect(emulator.counters.throttled).toBe(0);
		expect(results.map((r) => r.throttled)).toEqual([0, 0]);
	});

	test('without Redis each process keeps its own 10: together they overshoot and draw 429s (the baseline)', async () => {
		const results = await Promise.all([runWorker(job()), runWorker(job())]);
		expect(results.map((r) => r.mode)).toEqual(['local', 'local']);
		// The 429s were absorbed by the per-request back-off: nothing failed, but the server saw the overshoot.
		expect(results.flatMap((r) => r.errors)).toEqual([]);
		expect(emulator.counters.throttledBy.concurrency).toBeGreaterThan(0);
	});

	test('Redis killed mid-run: the run finishes on per-process limits, each process logs it once', async () => {
		const running = Promise.all([
			runWorker(job(), queueModeEnv(redis)),
			runWorker(job(), queueModeEnv(redis)),
		]);
		// Let both start on the shared budget, then take Redis away for good.
		while (emulator.counters.requests < 12) await new Promise((r) => setTimeout(r, 50));
		await redis.kill();
		const results = await running;
		expect(results.flatMap((r) => r.errors)).toEqual([]);
		expect(results.map((r) => r.mode)).toEqual(['local', 'local']);
		for (const r of results)
			expect(r.logs.filter((line) => /Redis .* is unavailable/.test(line))).toHaveLength(1);
		expect(emulator.counters.requests - emulator.counters.throttled).toBe(36);
		await redis.restart();
	});
});
