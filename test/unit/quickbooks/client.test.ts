import {
	BottleneckRealmLimiter,
	INTUIT_LIMITS,
	markUnrecoverable,
	QboClient,
	resolveBaseUrl,
	retryAfterMs,
	type QboHttpRequest,
	type QboHttpResponse,
} from '../../../nodes/shared/quickbooks';

/** A sleep that returns at once and remembers how long it was asked to wait. */
function recordingSleep(): ((ms: number) => Promise<void>) & { waits: number[] } {
	const waits: number[] = [];
	return Object.assign(async (ms: number) => void waits.push(ms), { waits });
}

describe('Retry-After', () => {
	test('Retry-After as seconds or a date', () => {
		expect(retryAfterMs({ 'Retry-After': '7' }, 0)).toBe(7000);
		expect(retryAfterMs({ 'retry-after': new Date(10_000).toUTCString() }, 4000)).toBe(6000);
		expect(retryAfterMs({}, 0)).toBeUndefined();
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
