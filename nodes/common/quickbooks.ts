/**
 * The bridge between the plain QuickBooks client and n8n: every request goes through
 * `helpers.httpRequestWithAuthentication` with this package's OAuth2 credential, so n8n signs it,
 * refreshes the access token on 401, stores the rotated refresh token, and resends once
 * (n8n-core request-helpers/oauth.ts `requestOAuth2`, reached from authentication.ts for any
 * credential extending oAuth2Api). Only 401 is allowed to throw (that is what triggers n8n's
 * refresh); every other status comes back as a full response for the client's own retry logic.
 */
import type { IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';

import {
	createQboClient,
	type QboClient,
	type QboEnvironment,
	type QboTransport,
} from '../shared/quickbooks';
import { CREDENTIALS } from './credentials';

export interface QboConnection {
	environment: QboEnvironment;
	baseUrl?: string;
	realmId: string;
}

/** Environment and realm from the credential; the realm id is what n8n saved from the OAuth callback. */
export async function quickBooksConnection(ctx: IExecuteFunctions): Promise<QboConnection> {
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

export function n8nQuickBooksTransport(ctx: IExecuteFunctions): QboTransport {
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
			// Already a NodeApiError (httpRequestWithAuthentication wraps); the client retries network errors.
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
			throw error;
		}
	};
}

/** The QuickBooks credential of this node → a client whose requests n8n signs and refreshes. */
export async function connectQuickBooks(ctx: IExecuteFunctions): Promise<QboClient> {
	return createQboClient({
		transport: n8nQuickBooksTransport(ctx),
		...(await quickBooksConnection(ctx)),
	});
}
