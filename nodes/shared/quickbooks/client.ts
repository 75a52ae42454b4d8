/**
 * QuickBooks Online Accounting API client. Plain TypeScript, no n8n import: HTTP goes through an
 * injected transport, so inside n8n every call is signed and refreshed by n8n's OAuth2 helper and
 * this client never sees or stores a token. It adds what every call needs: the base URL for the
 * environment, `minorversion`, a `requestid` for safe retries, the per-realm limiter, retries on
 * 429 / 5xx / network errors, error parsing, query paging and `/batch` chunking.
 */
import { randomUUID } from 'node:crypto';

import { faultFromObject, headerValue, isThrottle, parseQboError, QboError } from './errors';
import { realmLimiter, type RealmLimiter, type RequestKind } from './limiter';
import { MAX_QUERY_RESULTS, select } from './query';

export interface QboHttpRequest {
	method: 'GET' | 'POST';
	url: string;
	qs?: Record<string, string>;
	body?: unknown;
	headers?: Record<string, string>;
}

export interface QboHttpResponse {
	status: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/**
 * Sends one HTTP request and resolves with the answer whatever its status. It rejects only when no
 * answer arrived (network error). The n8n transport refreshes the token on 401 and retries once.
 */
export type QboTransport = (request: QboHttpRequest) => Promise<QboHttpResponse>;

export type QboEnvironment = 'sandbox' | 'production' | 'custom';

export const QBO_BASE_URLS: Record<Exclude<QboEnvironment, 'custom'>, string> = {
	sandbox: 'https://sandbox-quickbooks.api.intuit.com',
	production: 'https://quickbooks.api.intuit.com',
};

export const QBO_MINOR_VERSION = '75';
export const QBO_MAX_BATCH_ITEMS = 30;

export function resolveBaseUrl(environment: QboEnvironment, customBaseUrl?: string): string {
	if (environment === 'custom') {
		if (!customBaseUrl) throw new Error('QuickBooks environment "custom" needs an API base URL');
		const url = new URL(customBaseUrl);
		if (url.protocol !== 'http:' && url.protocol !== 'https:')
			throw new Error('QuickBooks API base URL must be http(s)');
		return customBaseUrl.replace(/\/+$/, '');
	}
	const base = QBO_BASE_URLS[environment];
	if (!base) throw new Error(`Unknown QuickBooks environment: ${String(environment)}`);
	return base;
}

export interface RetryOptions {
	/** Attempts for 5xx and network errors (first try included). */
	maxAttempts?: number;
	baseDelayMs?: number;
	maxDelayMs?: number;
	/** Attempts when throttled (429); each waits Retry-After, else a back-off that doubles. */
	maxThrottleAttempts?: number;
	/** First wait after a 429 without Retry-After; doubles up to `maxThrottleDelayMs`. */
	throttleBaseDelayMs?: number;
	/** Longest wait after a 429: Intuit asks for a minute once its per-minute budget is spent. */
	maxThrottleDelayMs?: number;
}

/** Waits; inside n8n this is n8n's own `sleep`, in tests a recording or shortened one. */
export type Sleep = (ms: number) => Promise<void>;

/**
 * Errors after which no request of this run can succeed, e.g. a credential that must be reconnected:
 * the transport marks them, and the client neither retries them nor sends anything after one.
 */
const unrecoverable = new WeakSet<object>();

export function markUnrecoverable<E>(error: E): E {
	if (error && typeof error === 'object') unrecoverable.add(error);
	return error;
}

export function isUnrecoverable(error: unknown): boolean {
	return !!error && typeof error === 'object' && unrecoverable.has(error);
}

export interface QboClientOptions {
	transport: QboTransport;
	realmId: string;
	environment?: QboEnvironment;
	/** Required when environment is `custom` (tests, the emulator). */
	baseUrl?: string;
	minorVersion?: string;
	/** The realm's limiter; by default this process's own limiter for the realm, with Intuit's limits. */
	limiter?: RealmLimiter;
	retry?: RetryOptions;
	/** Required: core code keeps no timers of its own (n8n's `sleep` in the nodes). */
	sleep: Sleep;
}

export interface QboClientStats {
	requests: number;
	batchRequests: number;
	throttled: number;
	retries: number;
	networkErrors: number;
}

export type BatchOperation =
	| {
			operation: 'create' | 'update' | 'delete';
			entity: string;
			body: Record<string, unknown>;
			options?: { sparse?: boolean };
	  }
	| { query: string };

export type BatchResult =
	| { ok: true; entity?: Record<string, unknown>; queryResponse?: Record<string, unknown> }
	| { ok: false; error: QboError };

export class QboClient {
	readonly realmId: string;
	readonly baseUrl: string;
	readonly limiter: RealmLimiter;
	readonly stats: QboClientStats = {
		requests: 0,
		batchRequests: 0,
		throttled: 0,
		retries: 0,
		networkErrors: 0,
	};
	private readonly transport: QboTransport;
	private readonly minorVersion: string;
	private readonly retry: Required<RetryOptions>;
	private readonly sleep: Sleep;
	/** Set by the first unrecoverable error: every later call fails with it at once. */
	private unusable?: unknown;

	constructor(options: QboClientOptions) {
		if (!options.realmId || !/^[0-9A-Za-z]+$/.test(options.realmId)) {
			throw new Error(
				'QuickBooks realm id (company id) is missing or malformed; reconnect the credential',
			);
		}
		this.transport = options.transport;
		this.realmId = options.realmId;
		this.baseUrl = resolveBaseUrl(
			options.environment ?? (options.baseUrl ? 'custom' : 'production'),
			options.baseUrl,
		);
		this.minorVersion = options.minorVersion ?? QBO_MINOR_VERSION;
		this.sleep = options.sleep;
		this.limiter = options.limiter ?? realmLimiter(`${this.baseUrl}|${this.realmId}`);
		this.retry = {
			maxAttempts: options.retry?.maxAttempts ?? 5,
			baseDelayMs: options.retry?.baseDelayMs ?? 500,
			maxDelayMs: options.retry?.maxDelayMs ?? 30_000,
			maxThrottleAttempts: options.retry?.maxThrottleAttempts ?? 8,
			throttleBaseDelayMs: options.retry?.throttleBaseDelayMs ?? 1_000,
			maxThrottleDelayMs: options.retry?.maxThrottleDelayMs ?? 60_000,
		};
	}

	private url(path: string): string {
		return `${this.baseUrl}/v3/company/${this.realmId}/${path.replace(/^\/+/, '')}`;
	}

	/**
	 * One API call with limiter, retries and error parsing. Resolves with the parsed JSON body;
	 * rejects with QboError (an answer) or the transport's error (no answer after all retries).
	 */
	async call(
		method: 'GET' | 'POST',
		path: string,
		init: { qs?: Record<string, string>; body?: unknown; kind?: RequestKind } = {},
	): Promise<any> {
		const kind = init.kind ?? 'request';
		const qs: Record<string, string> = { ...init.qs, minorversion: this.minorVersion };
		// Same requestid on every retry: QuickBooks answers a repeated requestid with the first result.
		if (method === 'POST') qs.requestid = randomUUID();
		const headers: Record<string, string> = { Accept: 'application/json' };
		if (init.body !== undefined)
			headers['Content-Type'] =
				typeof init.body === 'string' ? 'application/text' : 'application/json';
		let failures = 0;
		let throttles = 0;
		for (;;) {
			if (this.unusable) throw this.unusable;
			const release = await this.limiter.acquire(kind);
			let response: QboHttpResponse;
			try {
				this.stats.requests++;
				if (kind === 'batch') this.stats.batchRequests++;
				response = await this.transport({
					method,
					url: this.url(path),
					qs,
					body: init.body,
					headers,
				});
			} catch (error) {
				release();
				if (isUnrecoverable(error)) {
					this.unusable = error;
					throw error;
				}
				this.stats.networkErrors++;
				failures++;
				if (failures >= this.retry.maxAttempts) throw error;
				this.stats.retries++;
				await this.sleep(this.backoff(failures));
				continue;
			}
			release();
			const body = parseBody(response.body);
			if (response.status >= 200 && response.status < 300) {
				const fault =
					body && typeof body === 'object' ? faultFromObject((body as any).Fault) : undefined;
				if (fault && fault.errors.length)
					throw new QboError(
						response.status,
						fault.type,
						fault.errors,
						headerValue(response.headers, 'intuit_tid'),
					);
				return body;
			}
			const error = parseQboError(response.status, response.headers, response.body);
			if (isThrottle(response.status, error)) {
				this.stats.throttled++;
				throttles++;
				if (throttles >= this.retry.maxThrottleAttempts) throw error;
				this.stats.retries++;
				// Only this request waits (its slot is already back): a 429 from a burst or the
				// concurrency cap clears within a second, so a whole-minute pause would waste the
				// minute; the doubling still reaches Intuit's minute if the realm's budget is spent.
				await this.sleep(
					retryAfterMs(response.headers, Date.now()) ?? this.throttleBackoff(throttles),
				);
				continue;
			}
			if (response.status >= 500) {
				failures++;
				if (failures >= this.retry.maxAttempts) throw error;
				this.stats.retries++;
				await this.sleep(this.backoff(failures));
				continue;
			}
			throw error;
		}
	}

	private backoff(attempt: number): number {
		return jittered(Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1)));
	}

	private throttleBackoff(attempt: number): number {
		return jittered(
			Math.min(this.retry.maxThrottleDelayMs, this.retry.throttleBaseDelayMs * 2 ** (attempt - 1)),
		);
	}

	/** Runs one query page; returns the entities of `entity` and the raw QueryResponse. */
	async query<T = Record<string, unknown>>(
		entity: string,
		statement: string,
	): Promise<{ items: T[]; response: Record<string, unknown> }> {
		const body = await this.call('GET', 'query', { qs: { query: statement } });
		const response = (body?.QueryResponse ?? {}) as Record<string, unknown>;
		return { items: (response[entity] as T[] | undefined) ?? [], response };
	}

	/** All rows of `SELECT * FROM entity WHERE …`, paged with STARTPOSITION / MAXRESULTS. */
	async queryAll<T = Record<string, unknown>>(
		entity: string,
		where: string[] = [],
		pageSize = MAX_QUERY_RESULTS,
		maxPages = 1000,
	): Promise<T[]> {
		const all: T[] = [];
		for (let page = 0; page < maxPages; page++) {
			const statement = select(entity, {
				where,
				startPosition: page * pageSize + 1,
				maxResults: pageSize,
			});
			const { items } = await this.query<T>(entity, statement);
			all.push(...items);
			if (items.length < pageSize) return all;
		}
		throw new Error(`QuickBooks query on ${entity} returned more than ${maxPages} pages`);
	}

	async read(entity: string, id: string): Promise<Record<string, unknown>> {
		const body = await this.call('GET', `${entity.toLowerCase()}/${encodeURIComponent(id)}`);
		return body[entity];
	}

	async create(entity: string, data: Record<string, unknown>): Promise<Record<string, unknown>> {
		const body = await this.call('POST', entity.toLowerCase(), { body: data });
		return body[entity];
	}

	async update(
		entity: string,
		data: Record<string, unknown>,
		sparse = true,
	): Promise<Record<string, unknown>> {
		const body = await this.call('POST', entity.toLowerCase(), {
			body: sparse ? { ...data, sparse: true } : data,
		});
		return body[entity];
	}

	/**
	 * Runs operations through `/batch`, at most 30 per request, chunks in parallel under the
	 * limiter. Results come back in input order, one per operation, each ok or with its own error.
	 */
	async batch(operations: BatchOperation[]): Promise<BatchResult[]> {
		const results: BatchResult[] = new Array(operations.length);
		const chunks: number[][] = [];
		for (let i = 0; i < operations.length; i += QBO_MAX_BATCH_ITEMS) {
			chunks.push(
				Array.from(
					{ length: Math.min(QBO_MAX_BATCH_ITEMS, operations.length - i) },
					(_, k) => i + k,
				),
			);
		}
		await Promise.all(
			chunks.map(async (indexes) => {
				const request = indexes.map((index) => {
					const op = operations[index];
					const bId = `b${index}`;
					if ('query' in op) return { bId, Query: op.query };
					const body = op.options?.sparse ? { ...op.body, sparse: true } : op.body;
					return { bId, operation: op.operation, [op.entity]: body };
				});
				let response: any;
				try {
					response = await this.call('POST', 'batch', {
						body: { BatchItemRequest: request },
						kind: 'batch',
					});
				} catch (error) {
					// Nothing else can be sent this run: let the writer report it on every record.
					if (isUnrecoverable(error)) throw error;
					const qboError =
						error instanceof QboError
							? error
							: new QboError(0, 'NETWORK', [
									{ code: 'NETWORK', message: (error as Error).message },
								]);
					for (const index of indexes) results[index] = { ok: false, error: qboError };
					return;
				}
				const byId = new Map<string, any>();
				for (const item of response?.BatchItemResponse ?? []) byId.set(String(item.bId), item);
				for (const index of indexes) {
					const item = byId.get(`b${index}`);
					const op = operations[index];
					if (!item) {
						results[index] = {
							ok: false,
							error: new QboError(0, 'BATCH', [
								{ code: 'MISSING', message: 'QuickBooks returned no result for this batch item' },
							]),
						};
						continue;
					}
					const fault = faultFromObject(item.Fault);
					if (fault) {
						results[index] = { ok: false, error: new QboError(400, fault.type, fault.errors) };
					} else if ('query' in op) {
						results[index] = { ok: true, queryResponse: item.QueryResponse ?? {} };
					} else {
						results[index] = { ok: true, entity: item[op.entity] };
					}
				}
			}),
		);
		return results;
	}
}

/** Up to 20 % less, so parallel executions do not retry in lockstep. */
function jittered(ms: number): number {
	return Math.round(ms * (0.8 + Math.random() * 0.2));
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	const text = body.trim();
	if (!text.startsWith('{')) return body;
	try {
		return JSON.parse(text);
	} catch {
		return body;
	}
}

/** A QuickBooks client: the factory every caller uses (as `createOdooClient` for Odoo). */
export function createQboClient(options: QboClientOptions): QboClient {
	return new QboClient(options);
}

/** Retry-After as delta-seconds or an HTTP date, in milliseconds from now. */
export function retryAfterMs(
	headers: Record<string, unknown> | undefined,
	now: number,
): number | undefined {
	const value = headerValue(headers, 'retry-after');
	if (value === undefined || value === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
