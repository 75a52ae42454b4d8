import type { CompanyClock } from './clock';

/** What the QuickBooks emulator exposes to tests: options, seed, hooks, counters. */
export interface EmulatorLimits {
	requestsPerWindow: number;
	batchPerWindow: number;
	maxConcurrent: number;
	/** Requests per second (Intuit: 10 per realm and app); the second shrinks with the window. */
	requestsPerSecond: number;
	/** Length of the throttle window; 60 000 ms is Intuit's minute. Benchmarks may scale it. */
	windowMs: number;
	/** Send a Retry-After header (seconds) on 429; Intuit's docs only say "wait 60 seconds". */
	retryAfterSec?: number;
}

export interface EmulatorSeed {
	accounts?: Array<
		Record<string, unknown> & { Id?: string; Name: string; AccountType?: string; AcctNum?: string }
	>;
	classes?: Array<Record<string, unknown> & { Id?: string; Name: string }>;
	departments?: Array<Record<string, unknown> & { Id?: string; Name: string }>;
	terms?: Array<Record<string, unknown> & { Id?: string; Name: string }>;
	vendors?: Array<Record<string, unknown> & { DisplayName: string }>;
	/** Seeded after vendors and accounts, which they reference. */
	purchaseOrders?: Array<Record<string, unknown> & { Id?: string }>;
	customers?: Array<{ Id?: string; DisplayName: string }>;
	employees?: Array<{ Id?: string; DisplayName: string }>;
}

export interface EmulatorPreferences {
	/**
	 * Settings → Advanced → "Warn if duplicate bill number is used": while on, a Bill whose
	 * DocNumber another bill of the same vendor has (case aside) is refused with 6140; while off,
	 * QuickBooks takes it. Default on.
	 */
	warnDuplicateBillNumber?: boolean;
}

export interface EmulatorOptions {
	accessTokenTtlSec?: number;
	preferences?: EmulatorPreferences;
	/** true → Intuit's limits with a 60 s window; an object to scale them. */
	enforceLimits?: boolean | Partial<EmulatorLimits>;
	latencyMs?: number;
	seed?: EmulatorSeed;
	realmId?: string;
	port?: number;
	/** The company's UTC offset in minutes (record times carry it); default -420 (-07:00). */
	utcOffsetMinutes?: number;
}

export interface InterceptedRequest {
	method: string;
	/** Path after `/v3/company/{realm}/`, e.g. `batch`, `bill`, `query`. */
	resource: string;
	query: URLSearchParams;
	body: any;
}

export type InterceptResult =
	{ status: number; headers?: Record<string, string>; body: string | object } | undefined;

/** A request and the answer about to be sent (`answer`: the JSON body, e.g. `{ QueryResponse }` or `{ BatchItemResponse }`). */
export interface AnsweredRequest extends InterceptedRequest {
	status: number;
	answer: any;
}

export interface EmulatorCounters {
	requests: number;
	byResource: Record<string, number>;
	batchRequests: number;
	batchItems: number;
	queries: number;
	throttled: number;
	/** Why requests were throttled. */
	throttledBy: { concurrency: number; second: number; minute: number; batchMinute: number };
	unauthorized: number;
	tokenGrants: { authorization_code: number; refresh_token: number };
	/** Token requests refused (`invalid_grant` and the like). */
	tokenRefusals: number;
	created: Record<string, number>;
	updated: Record<string, number>;
	replayedRequestIds: number;
	maxConcurrentSeen: number;
}

export type Entity = Record<string, any> & { Id: string; SyncToken: string };

export interface QuickBooksEmulator {
	url: string;
	tokenUrl: string;
	authUrl: string;
	realmId: string;
	clientId: string;
	clientSecret: string;
	/** Issues a fresh token pair without the browser dance (what a completed OAuth flow yields). */
	issueTokens(): { access_token: string; refresh_token: string; expires_in: number };
	/** Every current access token stops working (as after its hour is up). */
	expireAccessTokens(): void;
	/** The current access tokens stop working after `requests` more authorised API requests: an expiry in the middle of a run. */
	expireAccessTokensAfter(requests: number): void;
	/** The user revoked the app (or the refresh token expired): every refresh token stops working. */
	revokeRefreshTokens(): void;
	/** Simulates a user editing a record in QuickBooks: bumps its SyncToken. */
	touch(entity: string, id: string): void;
	/** Called for every authenticated API request; return a response to answer instead. */
	intercept?: (request: InterceptedRequest) => InterceptResult;
	/**
	 * Called after a request was processed and before its answer is sent: what happens here lands
	 * between the client's request and its next one, deterministically (a race made reproducible).
	 */
	afterRequest?: (request: AnsweredRequest) => void;
	/** Creates a record as another API client would (same validation: 6240, 2500, …); counted in `created`. */
	createRecord(entity: string, body: Record<string, unknown>): Entity;
	/** Updates a record as a user would (sparse, SyncToken taken care of); counted in `updated`. */
	updateRecord(entity: string, id: string, changes: Record<string, unknown>): Entity;
	/** Deletes a transaction as a user would; CDC reports it as deleted. */
	deleteRecord(entity: string, id: string): void;
	/** The company's clock; `clock.shift(ms)` moves it (record times, CDC's look-back). */
	clock: CompanyClock;
	store: Map<string, Map<string, Entity>>;
	counters: EmulatorCounters;
	limits?: EmulatorLimits;
	stop(): Promise<void>;
}
