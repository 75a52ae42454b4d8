import {
	buildBillPayload,
	chunkForIn,
	escapeQueryValue,
	inClause,
	parseQboError,
	bucketSettings,
	BottleneckRealmLimiter,
	INTUIT_LIMITS,
	markUnrecoverable,
	n8nQueueRedis,
	QboClient,
	qboDocNumber,
	redactSecrets,
	resolveBaseUrl,
	retryAfterMs,
	sameTaxId,
	select,
	type QboHttpRequest,
	type QboHttpResponse,
} from '../../../nodes/shared/quickbooks';
import { invoice } from '../../integration/quickbooks/fixtures';
import { parseQuery, matches } from '../../emulators/quickbooks/query-language';

/** A sleep that returns at once and remembers how long it was asked to wait. */
function recordingSleep(): ((ms: number) => Promise<void>) & { waits: number[] } {
	const waits: number[] = [];
	return Object.assign(async (ms: number) => void waits.push(ms), { waits });
}

describe('query language', () => {
	test('escapes quotes and backslashes, and the emulator parser reads them back', () => {
		const name = "O'Brien \\ Sons";
		expect(escapeQueryValue(name)).toBe("O\\'Brien \\\\ Sons");
		const q = select('Vendor', {
			where: [inClause('DisplayName', [name, 'Plain'])],
			startPosition: 1,
			maxResults: 1000,
		});
		expect(q).toBe(
			"SELECT * FROM Vendor WHERE DisplayName IN ('O\\'Brien \\\\ Sons', 'Plain') STARTPOSITION 1 MAXRESULTS 1000",
		);
		const parsed = parseQuery(q);
		expect(parsed.where[0].value).toEqual([name, 'Plain']);
		expect(matches({ DisplayName: name }, parsed.where)).toBe(true);
		expect(matches({ DisplayName: "O'Brien  Sons" }, parsed.where)).toBe(false);
	});

	test('refuses MAXRESULTS above 1000 and bad field names', () => {
		expect(() => select('Bill', { maxResults: 1001 })).toThrow(/MAXRESULTS/);
		expect(() => inClause("DocNumber'--", ['x'])).toThrow(/Invalid QuickBooks field/);
	});

	test('chunks IN lists by count and length', () => {
		const values = Array.from({ length: 250 }, (_, i) => `INV-${i}`);
		const chunks = chunkForIn(values, 100);
		expect(chunks.map((c) => c.length)).toEqual([100, 100, 50]);
		expect(chunkForIn(['a'.repeat(2000), 'b'.repeat(2000)], 100, 3000)).toHaveLength(2);
	});
});

describe('error parsing', () => {
	test('JSON Fault', () => {
		const e = parseQboError(
			400,
			{ intuit_tid: 'tid-1' },
			{
				Fault: {
					Error: [
						{
							Message: 'Stale Object Error',
							Detail: 'Stale Object Error : You and x were working…',
							code: '5010',
							element: '',
						},
					],
					type: 'ValidationFault',
				},
			},
		);
		expect(e.code).toBe('5010');
		expect(e.faultType).toBe('ValidationFault');
		expect(e.intuitTid).toBe('tid-1');
		expect(e.message).toMatch(/QuickBooks error 5010: Stale Object Error/);
	});

	test('lower-case 401 fault with the token echoed is redacted', () => {
		const token =
			'eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0..abcdefghijklmnop.qrstuvwxyz0123456789';
		const e = parseQboError(
			401,
			{},
			JSON.stringify({
				fault: {
					error: [
						{
							message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401',
							detail: `Token expired: ${token}`,
							code: '3200',
						},
					],
					type: 'AUTHENTICATION',
				},
			}),
		);
		expect(e.code).toBe('3200');
		expect(e.message).not.toContain(token.slice(0, 20));
		expect(JSON.stringify(e.errors)).not.toContain(token.slice(0, 20));
	});

	test('XML ThrottleExceeded body', () => {
		const xml =
			'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="2026-01-01T00:00:00Z"><Fault type="SERVICE"><Error code="3001" element=""><Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message><Detail>The request limit was reached.</Detail></Error></Fault></IntuitResponse>';
		const e = parseQboError(429, {}, xml);
		expect(e).toMatchObject({ status: 429, faultType: 'SERVICE' });
		expect(e.code).toBe('3001');
		expect(e.errors[0].message).toContain('ThrottleExceeded');
	});

	test('redacts bearer and refresh tokens', () => {
		expect(redactSecrets('Authorization: Bearer abc.def-123456')).toBe(
			'Authorization: Bearer [redacted]',
		);
		expect(redactSecrets('refresh_token=RT1-12345678abcdef')).not.toContain('RT1-12345678abcdef');
	});

	test('Retry-After as seconds or a date', () => {
		expect(retryAfterMs({ 'Retry-After': '7' }, 0)).toBe(7000);
		expect(retryAfterMs({ 'retry-after': new Date(10_000).toUTCString() }, 4000)).toBe(6000);
		expect(retryAfterMs({}, 0)).toBeUndefined();
	});
});

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

describe('QboClient retry behaviour (scripted transport)', () => {
	const ok: QboHttpResponse = {
		status: 200,
		headers: {},
		body: { QueryResponse: { Vendor: [{ Id: '1' }] } },
	};
	function scripted(answers: Array<QboHttpResponse | Error>) {
		const seen: QboHttpRequest[] = [];
		return {
			seen,
			transport: async (req: QboHttpRequest) => {
				seen.push(req);
				const next = answers.shift();
				if (!next) throw new Error('script exhausted');
				if (next instanceof Error) throw next;
				return next;
			},
		};
	}
	const make = (
		transport: (r: QboHttpRequest) => Promise<QboHttpResponse>,
		sleep = recordingSleep(),
	) =>
		new QboClient({
			transport,
			realmId: '123',
			environment: 'sandbox',
			limiter: new BottleneckRealmLimiter('unit', { ...INTUIT_LIMITS, minuteMs: 600 }),
			sleep,
			retry: { maxAttempts: 3 },
		});

	test('adds minorversion=75 and builds the sandbox URL', async () => {
		const s = scripted([ok]);
		await make(s.transport).query('Vendor', 'SELECT * FROM Vendor');
		expect(s.seen[0].url).toBe('https://sandbox-quickbooks.api.intuit.com/v3/company/123/query');
		expect(s.seen[0].qs).toMatchObject({ minorversion: '75', query: 'SELECT * FROM Vendor' });
		expect(resolveBaseUrl('production')).toBe('https://quickbooks.api.intuit.com');
	});

	test('429 without Retry-After: that request backs off 1 s, 2 s, 4 s … (not the whole realm for a minute)', async () => {
		const throttled: QboHttpResponse = {
			status: 429,
			headers: {},
			body: '<IntuitResponse><Fault type="SERVICE"><Error code="3001"><Message>ThrottleExceeded</Message></Error></Fault></IntuitResponse>',
		};
		const sleep = recordingSleep();
		const s = scripted([throttled, throttled, throttled, ok]);
		const client = make(s.transport, sleep);
		const { items } = await client.query('Vendor', 'SELECT * FROM Vendor');
		expect(items).toHaveLength(1);
		expect(client.stats.throttled).toBe(3);
		// Up to 20 % jitter below each step.
		expect(sleep.waits).toHaveLength(3);
		sleep.waits.forEach((ms, k) => {
			expect(ms).toBeLessThanOrEqual(1000 * 2 ** k);
			expect(ms).toBeGreaterThanOrEqual(800 * 2 ** k);
		});
		// Retry-After, when sent, is what the request waits.
		const after = recordingSleep();
		const s2 = scripted([{ ...throttled, headers: { 'Retry-After': '7' } }, ok]);
		await make(s2.transport, after).query('Vendor', 'SELECT * FROM Vendor');
		expect(after.waits).toEqual([7000]);
	});

	test('an error the transport marks unrecoverable is neither retried nor followed by any request', async () => {
		const reconnect = markUnrecoverable(new Error('The credential needs to be reconnected.'));
		const s = scripted([reconnect, ok, ok]);
		const sleep = recordingSleep();
		const client = make(s.transport, sleep);
		await expect(client.query('Vendor', 'SELECT * FROM Vendor')).rejects.toBe(reconnect);
		await expect(client.create('Bill', {})).rejects.toBe(reconnect);
		expect(s.seen).toHaveLength(1);
		expect(sleep.waits).toEqual([]);
	});

	test('5xx and network errors back off and retry, bounded; POST keeps its requestid', async () => {
		const s = scripted([
			new Error('ECONNRESET'),
			{ status: 503, headers: {}, body: 'Service Unavailable' },
			{ status: 200, headers: {}, body: { Bill: { Id: '9' } } },
		]);
		const bill = await make(s.transport).create('Bill', { DocNumber: 'X' });
		expect(bill.Id).toBe('9');
		expect(new Set(s.seen.map((r) => r.qs?.requestid)).size).toBe(1);
		const failing = scripted([new Error('down'), new Error('down'), new Error('down'), ok]);
		await expect(make(failing.transport).query('Vendor', 'SELECT * FROM Vendor')).rejects.toThrow(
			'down',
		);
		expect(failing.seen).toHaveLength(3);
	});

	test('4xx other than 429 is not retried', async () => {
		const s = scripted([
			{
				status: 400,
				headers: {},
				body: {
					Fault: {
						Error: [{ Message: 'Duplicate Name Exists Error', code: '6240' }],
						type: 'ValidationFault',
					},
				},
			},
			ok,
		]);
		await expect(make(s.transport).create('Vendor', { DisplayName: 'A' })).rejects.toMatchObject({
			code: '6240',
		});
		expect(s.seen).toHaveLength(1);
	});

	test('batch splits into requests of at most 30 with per-item results', async () => {
		const seen: any[] = [];
		const transport = async (req: QboHttpRequest): Promise<QboHttpResponse> => {
			const items = (req.body as any).BatchItemRequest;
			seen.push(items.length);
			return {
				status: 200,
				headers: {},
				body: {
					BatchItemResponse: items.map((i: any) =>
						i.Vendor.DisplayName === 'bad'
							? {
									bId: i.bId,
									Fault: {
										Error: [{ Message: 'Duplicate', code: '6240' }],
										type: 'ValidationFault',
									},
								}
							: { bId: i.bId, Vendor: { Id: i.bId } },
					),
				},
			};
		};
		const ops = Array.from({ length: 65 }, (_, i) => ({
			operation: 'create' as const,
			entity: 'Vendor',
			body: { DisplayName: i === 40 ? 'bad' : `v${i}` },
		}));
		const results = await make(transport).batch(ops);
		expect(seen.sort((a, b) => a - b)).toEqual([5, 30, 30]);
		expect(results.filter((r) => !r.ok)).toHaveLength(1);
		expect(results[40]).toMatchObject({ ok: false });
		expect(results[41]).toMatchObject({ ok: true, entity: { Id: 'b41' } });
	});
});

describe('bill payloads', () => {
	test('DocNumber rule: ≤ 21 kept, longer shortened deterministically or rejected', () => {
		expect(qboDocNumber('INV-1')).toBe('INV-1');
		const a = qboDocNumber('INV-2026-ACME-WEST-000123456');
		expect(a).toHaveLength(21);
		expect(a).toBe(qboDocNumber('INV-2026-ACME-WEST-000123456'));
		expect(a).not.toBe(qboDocNumber('INV-2026-ACME-WEST-000123457'));
		expect(() => qboDocNumber('x'.repeat(22), 'reject')).toThrow(/21/);
	});

	test('mixed departments, a missing tax account and a total mismatch are refused with the field named', () => {
		const mixed = invoice();
		mixed.mapping!.lines[1].quickbooks!.departmentRef = { value: '81' };
		expect(() => buildBillPayload(mixed, '1')).toThrow(/2 QuickBooks departments/);
		const taxed = invoice({ taxTotal: '5.00' });
		taxed.total = '155.25';
		expect(() => buildBillPayload(taxed, '1')).toThrow(/Tax Account/);
		expect(buildBillPayload(taxed, '1', { taxAccountId: '62' }).body.Line).toHaveLength(3);
		const off = invoice();
		off.total = '150.24';
		expect(() => buildBillPayload(off, '1')).toThrow(/add up to 150.25 but total is 150.24/);
	});

	test('amounts go to the wire as numbers from decimal strings; fingerprint stable', () => {
		const inv = invoice({ amounts: ['0.10', '0.20'] });
		const p = buildBillPayload(inv, '1');
		expect((p.body.Line as any[]).map((l) => l.Amount)).toEqual([0.1, 0.2]);
		expect(buildBillPayload(inv, '1').fingerprint).toBe(p.fingerprint);
		expect(p.body.PrivateNote).toContain(`fp:${p.fingerprint}`);
	});

	test('tax ids compare through the QuickBooks mask', () => {
		expect(sameTaxId('12-3456789', 'XXXXX6789')).toBe(true);
		expect(sameTaxId('12-3456780', 'XXXXX6789')).toBe(false);
	});
});
