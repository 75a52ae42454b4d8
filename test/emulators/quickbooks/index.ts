/**
 * A protocol-faithful QuickBooks Online emulator on 127.0.0.1, built from Intuit's public docs:
 * - OAuth 2.0: authorize endpoint (redirects with code, state, realmId), token endpoint with the
 *   authorization_code and refresh_token grants (HTTP Basic client auth, rotating refresh tokens,
 *   configurable access-token lifetime);
 * - Accounting API `/v3/company/{realm}/…`: query, bill, vendorcredit, vendor, account, class,
 *   department, term, purchaseorder, customer, employee, batch, cdc (change data capture, cdc.ts);
 *   transactions deleted with `operation=delete` (CDC reports them as `status: "Deleted"`), name
 *   lists only made inactive; fully-qualified names of sub-accounts, classes and departments;
 *   record times in the company's time zone (clock.ts); SyncToken checks (5010), DisplayName unique across
 *   vendors, customers and employees (6240), duplicate DocNumber per vendor compared without
 *   regard to case (6140, only while the company's "Warn if duplicate bill number is used"
 *   preference is on, as in QuickBooks), invalid references (2500), DocNumber length (2050),
 *   masked TaxIdentifier, `requestid` replay;
 * - 401 `AuthenticationFailed` JSON body; `invalid_grant` from the token endpoint for a revoked or
 *   expired refresh token; 429 with the XML `ThrottleExceeded` body when more than the documented
 *   limits arrive (500 requests / 40 batch requests a minute, 10 a second, 10 concurrent);
 * - round-trip counters, and hooks for tests (intercept a request, act after one was answered —
 *   e.g. another run creating a vendor right after our vendor query —, expire tokens, touch a record).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { cdcAnswer } from './cdc';
import { companyClock, type CompanyClock } from './clock';
import { Fault } from './fault';
import { readBody, send, throttleXml, unauthorizedBody } from './http';
import { createOAuth } from './oauth';
import { createRecords, ENTITY_BY_RESOURCE, type Records } from './store';
import type {
	EmulatorCounters,
	EmulatorLimits,
	EmulatorOptions,
	QuickBooksEmulator,
} from './types';

export type * from './types';

function newCounters(): EmulatorCounters {
	return {
		requests: 0,
		byResource: {},
		batchRequests: 0,
		batchItems: 0,
		queries: 0,
		throttled: 0,
		throttledBy: { concurrency: 0, second: 0, minute: 0, batchMinute: 0 },
		unauthorized: 0,
		tokenGrants: { authorization_code: 0, refresh_token: 0 },
		tokenRefusals: 0,
		created: {},
		updated: {},
		replayedRequestIds: 0,
		maxConcurrentSeen: 0,
	};
}

/** Intuit's documented limits per window and per second, and the concurrency cap. */
function throttle(limits: EmulatorLimits | undefined, counters: EmulatorCounters) {
	const arrivals: Array<{ at: number; batch: boolean }> = [];
	let inFlight = 0;
	return {
		/** Which limit a request arriving now would break, counting requests over the sliding window and second. */
		overLimit(batch: boolean): keyof EmulatorCounters['throttledBy'] | undefined {
			if (!limits) return undefined;
			const t = Date.now();
			while (arrivals.length && arrivals[0].at <= t - limits.windowMs) arrivals.shift();
			const second = limits.windowMs / 60;
			if (inFlight >= limits.maxConcurrent) return 'concurrency';
			if (arrivals.filter((a) => a.at > t - second).length >= limits.requestsPerSecond)
				return 'second';
			if (arrivals.length >= limits.requestsPerWindow) return 'minute';
			if (batch && arrivals.filter((a) => a.batch).length >= limits.batchPerWindow)
				return 'batchMinute';
			return undefined;
		},
		enter(batch: boolean) {
			arrivals.push({ at: Date.now(), batch });
			inFlight++;
			counters.maxConcurrentSeen = Math.max(counters.maxConcurrentSeen, inFlight);
		},
		leave() {
			inFlight--;
		},
	};
}

interface ApiRequest {
	method: string;
	resourcePath: string;
	lower: string;
	id?: string;
	url: URL;
	body: any;
}

/** Runs one API request against the records; a Fault becomes Intuit's error answer. */
function answerApi(
	records: Records,
	clock: CompanyClock,
	r: ApiRequest,
): { status: number; answer: unknown } {
	const now = () => clock.time();
	const { method, lower, id, url, body, resourcePath } = r;
	const isBatch = lower === 'batch';
	let status = 200;
	let answer: unknown;
	try {
		if (lower === 'query') {
			const statement = method === 'POST' ? String(body) : (url.searchParams.get('query') ?? '');
			answer = { ...records.runQuery(statement), time: now() };
		} else if (isBatch && method === 'POST') {
			answer = records.runBatch(body);
		} else if (lower === 'cdc' && method === 'GET') {
			answer = cdcAnswer(url.searchParams, records.cdcStore, clock);
		} else if (ENTITY_BY_RESOURCE[lower]) {
			const entity = ENTITY_BY_RESOURCE[lower];
			if (method === 'GET' && id) {
				const rec = records.table(entity).get(id);
				if (!rec)
					throw new Fault(400, '610', 'Object Not Found', `Object Not Found : ${entity} ${id}`);
				answer = { [entity]: records.masked(rec), time: now() };
			} else if (method === 'POST' && !id) {
				const op =
					url.searchParams.get('operation') ?? (body?.Id !== undefined ? 'update' : 'create');
				answer = { [entity]: records.runEntityOp(entity, op, body), time: now() };
			} else {
				throw new Fault(
					405,
					'2020',
					'Unsupported operation',
					`${method} ${resourcePath} is not supported`,
				);
			}
		} else {
			throw new Fault(
				400,
				'2020',
				'Unsupported resource',
				`Resource ${resourcePath.split('/')[0]} is not emulated`,
			);
		}
	} catch (error) {
		if (!(error instanceof Fault)) throw error;
		status = error.status;
		answer = { Fault: error.toJSON(), time: now() };
	}
	return { status, answer };
}

/** JSON bodies parsed; a body that is not JSON is answered with Intuit's 400 here (undefined returned). */
function parseBody(
	req: IncomingMessage,
	res: ServerResponse,
	raw: string,
	clock: CompanyClock,
): { body: any } | undefined {
	const contentType = req.headers['content-type'] ?? '';
	if (!raw || !contentType.includes('json')) return { body: raw };
	try {
		return { body: JSON.parse(raw) };
	} catch {
		send(res, 400, {
			Fault: new Fault(
				400,
				'2020',
				'Request has invalid or unsupported property',
				'Request body is not valid JSON',
			).toJSON(),
			time: clock.time(),
		});
		return undefined;
	}
}

export async function startQuickBooksEmulator(
	options: EmulatorOptions = {},
): Promise<QuickBooksEmulator> {
	const realmId = options.realmId ?? '9341453050000001';
	const clientId = `ABemu${randomBytes(8).toString('hex')}`;
	const clientSecret = randomBytes(20).toString('hex');
	const ttlMs = (options.accessTokenTtlSec ?? 3600) * 1000;
	const latencyMs = options.latencyMs ?? 0;
	const limits: EmulatorLimits | undefined = options.enforceLimits
		? {
				requestsPerWindow: 500,
				batchPerWindow: 40,
				maxConcurrent: 10,
				requestsPerSecond: 10,
				windowMs: 60_000,
				...(typeof options.enforceLimits === 'object' ? options.enforceLimits : {}),
			}
		: undefined;
	const counters = newCounters();
	const clock = companyClock(options.utcOffsetMinutes);
	const records = createRecords(
		counters,
		{ warnDuplicateBillNumber: options.preferences?.warnDuplicateBillNumber ?? true },
		clock,
	);
	const oauth = createOAuth({ realmId, clientId, clientSecret, ttlMs, counters });
	const gate = throttle(limits, counters);
	const requestIdCache = new Map<string, { status: number; body: unknown }>();

	const unauthorized = (res: ServerResponse, detail: string) => {
		counters.unauthorized++;
		send(res, 401, unauthorizedBody(detail), {
			'WWW-Authenticate': 'Bearer realm="Intuit", error="invalid_token"',
		});
	};

	/** The checks before a request runs: token, realm, limits. False when already answered. */
	const admit = (req: IncomingMessage, res: ServerResponse, realm: string) => {
		const auth = req.headers.authorization ?? '';
		const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
		const session = oauth.session(token);
		if (!session) {
			unauthorized(res, token ? `Token expired: ${token}` : 'Authorization header missing');
			return false;
		}
		if (session.realmId !== realm) {
			send(res, 403, {
				Fault: new Fault(
					403,
					'3100',
					'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403',
					'The token does not grant access to this company',
					'AUTHORIZATION',
				).toJSON(),
				time: clock.time(),
			});
			return false;
		}
		return true;
	};

	const handleApi = async (
		req: IncomingMessage,
		res: ServerResponse,
		url: URL,
		match: RegExpExecArray,
	) => {
		const [, realm, resourcePath] = match;
		const [resource, id] = resourcePath.split('/');
		const lower = resource.toLowerCase();
		if (!admit(req, res, realm)) return;
		const raw = await readBody(req);
		const isBatch = lower === 'batch';
		counters.requests++;
		counters.byResource[lower] = (counters.byResource[lower] ?? 0) + 1;
		const broken = gate.overLimit(isBatch);
		if (broken) {
			counters.throttled++;
			counters.throttledBy[broken]++;
			const retry = limits?.retryAfterSec;
			send(res, 429, throttleXml(), retry !== undefined ? { 'Retry-After': String(retry) } : {});
			return;
		}
		gate.enter(isBatch);
		try {
			if (latencyMs) await new Promise((r) => setTimeout(r, latencyMs));
			const parsed = parseBody(req, res, raw, clock);
			if (!parsed) return;
			const { body } = parsed;
			if (isBatch) counters.batchRequests++;
			const method = req.method ?? 'GET';
			const request = { method, resource: resourcePath, query: url.searchParams, body };
			const intercepted = emulator.intercept?.(request);
			if (intercepted) {
				send(res, intercepted.status, intercepted.body, intercepted.headers);
				return;
			}
			const requestId = url.searchParams.get('requestid');
			const cacheKey = requestId ? `${lower}|${requestId}` : undefined;
			if (cacheKey && requestIdCache.has(cacheKey)) {
				counters.replayedRequestIds++;
				const cached = requestIdCache.get(cacheKey)!;
				send(res, cached.status, cached.body);
				return;
			}
			const { status, answer } = answerApi(records, clock, {
				method,
				resourcePath,
				lower,
				id,
				url,
				body,
			});
			if (cacheKey && method === 'POST') requestIdCache.set(cacheKey, { status, body: answer });
			emulator.afterRequest?.({ ...request, status, answer });
			send(res, status, answer);
		} finally {
			gate.leave();
		}
	};

	const server: Server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const run = async () => {
			if (req.method === 'GET' && url.pathname === '/connect/oauth2')
				return oauth.handleAuthorize(url, res);
			if (req.method === 'POST' && url.pathname === '/oauth2/v1/tokens/bearer')
				return oauth.handleToken(req, res);
			const match = /^\/v3\/company\/([^/]+)\/(.+)$/.exec(url.pathname);
			if (match) return handleApi(req, res, url, match);
			send(res, 404, { error: 'not_found' });
		};
		run().catch((error) => {
			if (!res.headersSent)
				send(res, 500, {
					Fault: {
						Error: [
							{
								Message: 'Internal emulator error',
								Detail: String(error?.message ?? error),
								code: '10000',
							},
						],
						type: 'SystemFault',
					},
				});
			else res.destroy();
		});
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		// Idle keep-alive sockets stay open longer than a client keeps them (Node's 5 s default lets a
		// busy client reuse a socket just as the server closes it: "other side closed").
		server.keepAliveTimeout = 65_000;
		server.headersTimeout = 66_000;
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	records.seed(options.seed ?? {});

	const sockets = new Set<import('node:net').Socket>();
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});

	const emulator: QuickBooksEmulator = {
		url: base,
		tokenUrl: `${base}/oauth2/v1/tokens/bearer`,
		authUrl: `${base}/connect/oauth2`,
		realmId,
		clientId,
		clientSecret,
		issueTokens: oauth.issueTokens,
		expireAccessTokens: oauth.expireAccessTokens,
		expireAccessTokensAfter: oauth.expireAccessTokensAfter,
		revokeRefreshTokens: oauth.revokeRefreshTokens,
		touch: (entity, id) => {
			const rec = records.table(entity).get(id);
			if (!rec) throw new Error(`No ${entity} ${id}`);
			rec.SyncToken = String(Number(rec.SyncToken) + 1);
			rec.MetaData = { ...rec.MetaData, LastUpdatedTime: clock.stamp() };
		},
		createRecord: (entity, body) => {
			if (!records.store.has(entity)) throw new Error(`Entity ${entity} is not emulated`);
			return records.create(entity, body);
		},
		updateRecord: (entity, id, changes) => {
			const rec = records.table(entity).get(id);
			if (!rec) throw new Error(`No ${entity} ${id}`);
			return records.update(entity, { ...changes, Id: id, SyncToken: rec.SyncToken, sparse: true });
		},
		deleteRecord: (entity, id) => {
			const rec = records.table(entity).get(id);
			if (!rec) throw new Error(`No ${entity} ${id}`);
			records.remove(entity, { Id: id, SyncToken: rec.SyncToken });
		},
		clock,
		store: records.store,
		counters,
		limits,
		stop: () =>
			new Promise<void>((resolve) => {
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			}),
	};
	return emulator;
}
