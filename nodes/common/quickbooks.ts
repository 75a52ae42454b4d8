/**
 * The bridge between the plain QuickBooks client and n8n: every request goes through
 * `helpers.httpRequestWithAuthentication` with this package's OAuth2 credential, so n8n signs it,
 * refreshes the access token on 401, stores the rotated refresh token, and resends once
 * (n8n-core request-helpers/oauth.ts `requestOAuth2`, reached from authentication.ts for any
 * credential extending oAuth2Api). Only 401 is allowed to throw (that is what triggers n8n's
 * refresh); every other status comes back as a full response for the client's own retry logic.
 *
 * The realm's request budget is shared with every other n8n process through the Redis of n8n's
 * queue mode, found from n8n's own `QUEUE_BULL_REDIS_*` settings; waits use n8n's `sleep`.
 */
import { readFileSync } from 'node:fs';
import { env } from 'node:process';

import {
	sleep,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type IN8nHttpFullResponse,
} from 'n8n-workflow';

/** Where a QuickBooks client is built: a running node, or the editor listing choices. */
type QuickBooksContext = IExecuteFunctions | ILoadOptionsFunctions;

import {
	createQboClient,
	markUnrecoverable,
	n8nQueueRedis,
	realmLimiter,
	redisLink,
	resolveBaseUrl,
	type QboClient,
	type QboEnvironment,
	type QboTransport,
	type RealmLimiter,
	type RealmLimits,
} from '../shared/quickbooks';
import { CREDENTIALS } from './credentials';

export interface QboConnection {
	environment: QboEnvironment;
	baseUrl?: string;
	realmId: string;
}

/** Environment and realm from the credential; the realm id is what n8n saved from the OAuth callback. */
export async function quickBooksConnection(ctx: QuickBooksContext): Promise<QboConnection> {
	const credentials = await ctx.getCredentials(CREDENTIALS.quickBooks);
	const tokenData = (credentials.oauthTokenData ?? {}) as {
		callbackQueryString?: { realmId?: string };
	};
	const realmId =
		tokenData.callbackQueryString?.realmId ?? (credentials.realmId as string | undefined);
	if (!realmId) {
		throw new Error(
			'The QuickBooks credential has no company (realm) id: click "Connect my account" in the credential and finish the Intuit consent screen',
		);
	}
	const environment = (credentials.environment as QboEnvironment | undefined) ?? 'production';
	return {
		environment,
		baseUrl: environment === 'custom' ? String(credentials.customApiBaseUrl ?? '') : undefined,
		realmId: String(realmId),
	};
}

/**
 * n8n's answer when the refresh token was revoked or has expired: retrying cannot help, the user
 * must reconnect the credential. n8n 2.x throws "The credential … needs to be reconnected." marked
 * `credential-invalid`; n8n 1.x passes on the token endpoint's `invalid_grant`.
 */
export function needsReconnect(error: unknown): boolean {
	let current = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
		const e = current as {
			failure?: { cause?: unknown };
			body?: { error?: unknown };
			message?: unknown;
			cause?: unknown;
		};
		if (e.failure?.cause === 'credential-invalid' || e.body?.error === 'invalid_grant') return true;
		if (typeof e.message === 'string' && /needs to be reconnected/i.test(e.message)) return true;
		current = e.cause;
	}
	return false;
}

export function n8nQuickBooksTransport(ctx: QuickBooksContext): QboTransport {
	return async (req) => {
		try {
			const response = (await ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				CREDENTIALS.quickBooks,
				{
					method: req.method,
					url: req.url,
					qs: req.qs,
					headers: req.headers,
					body: req.body as never,
					json: true,
					returnFullResponse: true,
					ignoreHttpStatusErrors: { ignore: true, except: [401] },
				},
			)) as IN8nHttpFullResponse;
			return {
				status: response.statusCode,
				headers: response.headers as Record<string, unknown>,
				body: response.body,
			};
		} catch (error) {
			// A 401 that survived n8n's refresh-and-retry: hand the answer to the client, which reports it.
			const cause = (
				error as {
					cause?: {
						response?: { status?: number; headers?: Record<string, unknown>; data?: unknown };
					};
				}
			).cause;
			const status = cause?.response?.status ?? Number((error as { httpCode?: string }).httpCode);
			if (status && Number.isFinite(status))
				return {
					status,
					headers: cause?.response?.headers ?? {},
					body: cause?.response?.data ?? '',
				};
			// Already a NodeApiError (httpRequestWithAuthentication wraps); the client retries network
			// errors, but not a credential to reconnect: that error goes to the user as n8n wrote it.
			throw needsReconnect(error) ? markUnrecoverable(error) : error;
		}
	};
}

/**
 * The limiter of a realm, as every n8n process of the installation builds it: shared through the
 * queue-mode Redis when n8n runs in queue mode, else this process's own. `limits` is for tests and
 * benchmarks that shrink Intuit's minute.
 */
export function quickBooksLimiter(
	connection: QboConnection,
	options: { limits?: Partial<RealmLimits>; log?: (message: string) => void } = {},
): RealmLimiter {
	const redis = n8nQueueRedis(env, (path) => readFileSync(path, 'utf8'));
	const baseUrl = resolveBaseUrl(connection.environment, connection.baseUrl);
	return realmLimiter(`${baseUrl}|${connection.realmId}`, {
		limits: options.limits,
		link: redis ? redisLink(redis, options.log) : undefined,
	});
}

/** The QuickBooks credential of this node → a client whose requests n8n signs and refreshes. */
export async function connectQuickBooks(ctx: QuickBooksContext): Promise<QboClient> {
	const connection = await quickBooksConnection(ctx);
	return createQboClient({
		transport: n8nQuickBooksTransport(ctx),
		...connection,
		limiter: quickBooksLimiter(connection, { log: (message) => ctx.logger?.warn(message) }),
		sleep,
	});
}
