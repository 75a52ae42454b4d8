import {
	bucketSettings,
	BottleneckRealmLimiter,
	INTUIT_LIMITS,
	n8nQueueRedis,
} from '../../../nodes/shared/quickbooks';

describe('realm limiter', () => {
	/** The most starts a bucket of `capacity`, refilled by `amount` every `interval` ms, allows in `window` ms. */
	const most = (capacity: number, amount: number, interval: number, window: number) =>
		capacity + amount * (Math.floor(window / interval) + 1);

	test("Intuit's limits: no minute (plus the arrival margin) can see more than 500 requests or 40 batches", () => {
		const s = bucketSettings(INTUIT_LIMITS);
		const window = INTUIT_LIMITS.minuteMs + INTUIT_LIMITS.arrivalMarginMs;
		expect(
			most(
				s.batch.reservoir!,
				s.batch.reservoirIncreaseAmount!,
				s.batch.reservoirIncreaseInterval!,
				window,
			),
		).toBeLessThanOrEqual(40);
		expect(
			most(
				s.requests.reservoir!,
				s.requests.reservoirIncreaseAmount!,
				s.requests.reservoirIncreaseInterval!,
				window,
			),
		).toBeLessThanOrEqual(500);
		// 10 a second: starts at least a tenth of a second apart, 10 in flight.
		expect(s.requests.minTime).toBeGreaterThanOrEqual(100);
		expect(s.requests.maxConcurrent).toBe(10);
		// …while the batch pace stays within 5 % of the 40 a minute that bounds throughput (1,200 bills).
		expect(s.batchPerMinute).toBeGreaterThanOrEqual(38);
	});

	test('a shrunken minute scales every pace with it', () => {
		const s = bucketSettings({ ...INTUIT_LIMITS, minuteMs: 6_000, arrivalMarginMs: 100 });
		expect(s.requests.minTime).toBe(11);
		expect(s.batch.reservoirIncreaseInterval).toBe(157);
		expect(s.heartbeatMs).toBeLessThanOrEqual(25);
	});

	test('caps concurrency until a request finishes; a batch also takes a request slot', async () => {
		const limiter = new BottleneckRealmLimiter('unit', { ...INTUIT_LIMITS, maxConcurrent: 2 });
		expect(limiter.mode).toBe('local');
		const a = await limiter.acquire();
		const b = await limiter.acquire('batch');
		let third = false;
		const pending = limiter.acquire().then((release) => {
			third = true;
			return release;
		});
		await new Promise((resolve) => setImmediate(resolve));
		expect(third).toBe(false);
		a();
		(await pending)();
		expect(third).toBe(true);
		b();
	});
});

describe("n8n's queue-mode Redis settings", () => {
	const none = () => {
		throw new Error('no file expected');
	};
	test('only in queue mode; n8n defaults otherwise', () => {
		expect(n8nQueueRedis({ QUEUE_BULL_REDIS_HOST: 'redis' }, none)).toBeUndefined();
		expect(n8nQueueRedis({ EXECUTIONS_MODE: 'queue' }, none)).toEqual({
			host: 'localhost',
			port: 6379,
			db: 0,
		});
	});

	test('every variable n8n reads, the _FILE forms and cluster nodes', () => {
		const files: Record<string, string> = { '/run/secrets/redis': ' s3cret\n' };
		const settings = n8nQueueRedis(
			{
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: '"redis.internal"',
				QUEUE_BULL_REDIS_PORT: '6380',
				QUEUE_BULL_REDIS_DB: '2',
				QUEUE_BULL_REDIS_USERNAME: 'n8n',
				QUEUE_BULL_REDIS_PASSWORD_FILE: '/run/secrets/redis',
				QUEUE_BULL_REDIS_TLS: 'true',
				QUEUE_BULL_REDIS_TLS_SERVERNAME: 'redis.example',
				QUEUE_BULL_REDIS_TLS_VALIDATE_CERTIFICATE: 'false',
				QUEUE_BULL_REDIS_CLUSTER_NODES: 'r1:7000, r2:7001',
				QUEUE_BULL_REDIS_DUALSTACK: 'true',
			},
			(path) => files[path],
		);
		expect(settings).toEqual({
			host: 'redis.internal',
			port: 6380,
			db: 2,
			username: 'n8n',
			password: 's3cret',
			tls: { servername: 'redis.example', rejectUnauthorized: false },
			clusterNodes: [
				{ host: 'r1', port: 7000 },
				{ host: 'r2', port: 7001 },
			],
			dualStack: true,
		});
	});
});
