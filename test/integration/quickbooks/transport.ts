/**
 * Test transports over real HTTP (fetch) to the emulator. `refreshingTransport` behaves like
 * n8n's OAuth2 helper: it signs with the current access token and, on 401, refreshes through the
 * token endpoint once (single flight; rotated refresh token kept), then resends the request once.
 */
import {
	QboClient,
	realmLimiter,
	type QboClientOptions,
	type QboHttpRequest,
	type QboHttpResponse,
	type QboTransport,
	type Sleep,
} from '../../../nodes/shared/quickbooks';
import type { QuickBooksEmulator } from '../../emulators/quickbooks';

/** The sleep tests give the client (the nodes give n8n's). */
export const testSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A client for the emulator over real HTTP, refreshing tokens like n8n, with short retry waits and
 * Intuit's limits on a 6-second minute (the emulator enforces none unless a test asks it to).
 */
export function testClient(
	emulator: QuickBooksEmulator,
	options: Partial<QboClientOptions> = {},
): QboClient {
	return new QboClient({
		transport: options.transport ?? refreshingTransport(emulator).transport,
		realmId: emulator.realmId,
		environment: 'custom',
		baseUrl: emulator.url,
		sleep: testSleep,
		limiter: realmLimiter(`test|${emulator.url}`, { limits: { minuteMs: 6_000 } }),
		...options,
		retry: { baseDelayMs: 5, throttleBaseDelayMs: 20, ...options.retry },
	});
}

export async function httpSend(req: QboHttpRequest, accessToken: string): Promise<QboHttpResponse> {
	const url = new URL(req.url);
	for (const [k, v] of Object.entries(req.qs ?? {})) url.searchParams.set(k, v);
	const res = await fetch(url, {
		method: req.method,
		headers: { ...req.headers, Authorization: `Bearer ${accessToken}` },
		body:
			req.body === undefined
				? undefined
				: typeof req.body === 'string'
					? req.body
					: JSON.stringify(req.body),
	});
	const text = await res.text();
	let body: unknown = text;
	if ((res.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
	return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body };
}

/** The refresh_token grant at the emulator's token endpoint, as n8n's OAuth2 client sends it. */
export async function refreshGrant(
	emulator: QuickBooksEmulator,
	refreshToken: string,
): Promise<Response> {
	return await fetch(emulator.tokenUrl, {
		method: 'POST',
		headers: {
			Authorization: `Basic ${Buffer.from(`${emulator.clientId}:${emulator.clientSecret}`).toString('base64')}`,
			'Content-Type': 'application/x-www-form-urlencoded',
			Accept: 'application/json',
		},
		body: new URLSearchParams({
			grant_type: 'refresh_token',
			refresh_token: refreshToken,
		}).toString(),
	});
}

/**
 * A stale SyncToken, then re-reads that fail: someone edits bill `id` right after our first Bill
 * query (our update draws 5010), and every later Bill query answers 500.
 */
export function staleThenFailingRereads(emulator: QuickBooksEmulator, id: string): void {
	let billQueries = 0;
	const isBillQuery = (req: { resource: string; query: URLSearchParams }) =>
		req.resource === 'query' && /FROM Bill/.test(req.query.get('query') ?? '');
	emulator.afterRequest = (req) => {
		if (isBillQuery(req) && ++billQueries === 1) emulator.touch('Bill', id);
	};
	emulator.intercept = (req) =>
		isBillQuery(req) && billQueries >= 1
			? {
					status: 500,
					body: {
						Fault: { Error: [{ Message: 'Internal error', code: '10000' }], type: 'SystemFault' },
					},
				}
			: undefined;
}

export interface TokenState {
	accessToken: string;
	refreshToken: string;
	refreshes: number;
}

export function refreshingTransport(
	emulator: QuickBooksEmulator,
	tokens = emulator.issueTokens(),
): { transport: QboTransport; state: TokenState } {
	const state: TokenState = {
		accessToken: tokens.access_token,
		refreshToken: tokens.refresh_token,
		refreshes: 0,
	};
	let inFlight: Promise<void> | undefined;
	const refresh = async () => {
		const res = await refreshGrant(emulator, state.refreshToken);
		if (!res.ok) throw new Error(`token refresh failed with HTTP ${res.status}`);
		const data = (await res.json()) as { access_token: string; refresh_token: string };
		state.accessToken = data.access_token;
		state.refreshToken = data.refresh_token;
		state.refreshes++;
	};
	const transport: QboTransport = async (req) => {
		const used = state.accessToken;
		const first = await httpSend(req, used);
		if (first.status !== 401) return first;
		// Another request may have refreshed already (n8n compares the stored token the same way).
		if (state.accessToken === used) {
			inFlight ??= refresh().finally(() => (inFlight = undefined));
			await inFlight;
		}
		return httpSend(req, state.accessToken);
	};
	return { transport, state };
}

/** A transport with a fixed token and no refresh: what a disconnected credential looks like. */
export function staticTransport(accessToken: string): QboTransport {
	return (req) => httpSend(req, accessToken);
}
