/**
 * Intuit's OAuth 2.0 as the emulator plays it: the authorize endpoint (redirects with code, state
 * and realmId), the token endpoint with the authorization_code and refresh_token grants (HTTP Basic
 * client auth, rotating refresh tokens), and the access tokens API requests are checked against.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { readBody, send } from './http';
import type { EmulatorCounters } from './types';

export interface OAuthSettings {
	realmId: string;
	clientId: string;
	clientSecret: string;
	ttlMs: number;
	counters: EmulatorCounters;
}

export type OAuth = ReturnType<typeof createOAuth>;

export function createOAuth({ realmId, clientId, clientSecret, ttlMs, counters }: OAuthSettings) {
	const accessTokens = new Map<string, { expiresAt: number; realmId: string }>();
	let expireAfter: number | undefined;
	const refreshTokens = new Map<string, { realmId: string }>();
	const authCodes = new Map<string, { realmId: string; redirectUri: string }>();

	const newToken = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;
	const issueTokens = () => {
		const access = newToken('eyJemuAT.');
		const refresh = newToken('RT1-emu-');
		accessTokens.set(access, { expiresAt: Date.now() + ttlMs, realmId });
		refreshTokens.set(refresh, { realmId });
		return { access_token: access, refresh_token: refresh, expires_in: Math.round(ttlMs / 1000) };
	};

	/** The session of a bearer token, or undefined when it is unknown, expired or expired on purpose. */
	const session = (token: string) => {
		const found = accessTokens.get(token);
		if (!found || found.expiresAt <= Date.now()) return undefined;
		if (expireAfter !== undefined && --expireAfter < 0) {
			expireAfter = undefined;
			accessTokens.clear();
			return undefined;
		}
		return found;
	};

	const handleAuthorize = (url: URL, res: ServerResponse) => {
		const redirectUri = url.searchParams.get('redirect_uri');
		if (
			url.searchParams.get('client_id') !== clientId ||
			!redirectUri ||
			url.searchParams.get('response_type') !== 'code'
		) {
			send(res, 400, {
				error: 'invalid_request',
				error_description: 'client_id, redirect_uri and response_type=code are required',
			});
			return;
		}
		const code = `AB11${randomBytes(16).toString('hex')}`;
		authCodes.set(code, { realmId, redirectUri });
		const target = new URL(redirectUri);
		target.searchParams.set('code', code);
		const state = url.searchParams.get('state');
		if (state !== null) target.searchParams.set('state', state);
		target.searchParams.set('realmId', realmId);
		res.writeHead(302, { Location: target.toString() });
		res.end();
	};

	const handleToken = async (req: IncomingMessage, res: ServerResponse) => {
		const auth = req.headers.authorization ?? '';
		const raw = await readBody(req);
		const form = new URLSearchParams(raw);
		let id = form.get('client_id');
		let secret = form.get('client_secret');
		if (auth.startsWith('Basic '))
			[id, secret] = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':');
		if (id !== clientId || secret !== clientSecret) {
			send(res, 401, { error: 'invalid_client' });
			return;
		}
		const grant = form.get('grant_type');
		if (grant === 'authorization_code') {
			const code = authCodes.get(form.get('code') ?? '');
			if (!code || code.redirectUri !== form.get('redirect_uri')) {
				counters.tokenRefusals++;
				send(res, 400, { error: 'invalid_grant' });
				return;
			}
			authCodes.delete(form.get('code')!);
			counters.tokenGrants.authorization_code++;
		} else if (grant === 'refresh_token') {
			const token = form.get('refresh_token') ?? '';
			if (!refreshTokens.has(token)) {
				counters.tokenRefusals++;
				send(res, 400, { error: 'invalid_grant' });
				return;
			}
			// Rotation: the used refresh token stops working.
			refreshTokens.delete(token);
			counters.tokenGrants.refresh_token++;
		} else {
			send(res, 400, { error: 'unsupported_grant_type' });
			return;
		}
		const tokens = issueTokens();
		send(res, 200, { token_type: 'bearer', ...tokens, x_refresh_token_expires_in: 8726400 });
	};

	return {
		issueTokens,
		session,
		handleAuthorize,
		handleToken,
		expireAccessTokens: () => accessTokens.clear(),
		revokeRefreshTokens: () => refreshTokens.clear(),
		expireAccessTokensAfter: (requests: number) => {
			expireAfter = requests;
		},
	};
}
