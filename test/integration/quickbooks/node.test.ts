/**
 * The QuickBooks Bill node as n8n runs it, with a request helper that behaves like n8n's OAuth2
 * helper (refresh on 401, then resend once) against the emulator over real HTTP, and fails the
 * refresh the way n8n 2.x and 1.x do when the refresh token is revoked or expired.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { QuickBooksBill } from '../../../nodes/QuickBooksBill/QuickBooksBill.node';
import { startQuickBooksEmulator, type QuickBooksEmulator } from '../../emulators/quickbooks';
import { executeContext, fakeHttpRequest } from '../../kit/n8nContext';
import { invoice, seed } from './fixtures';
import { refreshGrant, staleThenFailingRereads } from './transport';

jest.setTimeout(60_000);

const CREDENTIAL = 'stampliQuickBooksOAuth2Api';
/** What n8n 2.41 says when a refresh is refused with invalid_grant (oauth.ts buildOAuth2ReconnectError). */
const RECONNECT_DESCRIPTION =
	'Access could not be refreshed because the connected account has revoked access, the refresh token expired, or the account password or permissions changed. Open the credential and reconnect it to continue.';

let emulator: QuickBooksEmulator;
beforeEach(async () => {
	emulator = await startQuickBooksEmulator({ seed });
});
afterEach(async () => {
	await emulator.stop();
});

interface Run {
	ctx: IExecuteFunctions;
	tokenRequests: () => number;
}

/** The node's context; `n8n` picks how a refused refresh surfaces (2.x: reconnect error, 1.x: invalid_grant). */
function run(
	items: INodeExecutionData[],
	options: { continueOnFail?: boolean; n8n?: 1 | 2 } = {},
): Run {
	const tokens = emulator.issueTokens();
	const data = {
		access_token: tokens.access_token,
		refresh_token: tokens.refresh_token,
		callbackQueryString: { realmId: emulator.realmId },
	};
	const ctx = executeContext({
		type: 'n8n-nodes-stampli.quickBooksBill',
		parameters: { operation: 'upsertBills', options: {} },
		items,
		credentials: {
			[CREDENTIAL]: { environment: 'custom', customApiBaseUrl: emulator.url, oauthTokenData: data },
		},
		continueOnFail: options.continueOnFail,
	});
	let tokenRequests = 0;
	const send = (request: IHttpRequestOptions) =>
		fakeHttpRequest({
			...request,
			headers: { ...request.headers, Authorization: `Bearer ${data.access_token}` },
		});
	ctx.helpers.httpRequestWithAuthentication = async function (
		_name: string,
		request: IHttpRequestOptions,
	) {
		const node = ctx.getNode();
		try {
			return await send(request);
		} catch (error) {
			if ((error as { httpCode?: string }).httpCode !== '401')
				throw new NodeApiError(node, error as never);
		}
		tokenRequests++;
		const answer = await refreshGrant(emulator, data.refresh_token);
		const body = (await answer.json()) as {
			error?: string;
			access_token: string;
			refresh_token: string;
		};
		if (body.error === 'invalid_grant') {
			const cause =
				options.n8n === 1
					? Object.assign(
							new Error(
								'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
							),
							{ body, code: 'EAUTH' },
						)
					: new NodeOperationError(
							node,
							`The credential "${CREDENTIAL}" needs to be reconnected.`,
							{
								description: RECONNECT_DESCRIPTION,
								level: 'warning',
								failure: { cause: 'credential-invalid' },
							} as never,
						);
			throw new NodeApiError(node, cause as never);
		}
		data.access_token = body.access_token;
		data.refresh_token = body.refresh_token;
		return await send(request);
	} as never;
	return { ctx, tokenRequests: () => tokenRequests };
}

const execute = (r: Run) => new QuickBooksBill().execute.call(r.ctx);

describe('a revoked or expired refresh token', () => {
	for (const line of [2, 1] as const) {
		test(`n8n ${line}.x: stops at the first reconnect error, once, with n8n's own message`, async () => {
			const r = run([{ json: invoice() as never }, { json: invoice() as never }], { n8n: line });
			emulator.expireAccessTokens();
			emulator.revokeRefreshTokens();
			const error = await execute(r).then(
				() => undefined,
				(e: unknown) => e as NodeApiError,
			);
			expect(error).toBeInstanceOf(NodeApiError);
			if (line === 2) {
				expect(error!.message).toBe(`The credential "${CREDENTIAL}" needs to be reconnected.`);
				expect(error!.description).toBe(RECONNECT_DESCRIPTION);
			} else expect(error!.message).toMatch(/refresh token is invalid, expired, revoked/);
			// One refused refresh, one refused API call: no retries, nothing sent after.
			expect(r.tokenRequests()).toBe(1);
			expect(emulator.counters.tokenRefusals).toBe(1);
			expect(emulator.counters.unauthorized).toBe(1);
		});
	}

	test('with Continue On Fail every item says so, and still nothing is retried', async () => {
		const r = run(
			[
				{ json: invoice() as never },
				{ json: invoice({ vendor: { stampliVendorId: 'SV-9', name: 'Other' } }) as never },
			],
			{
				continueOnFail: true,
			},
		);
		emulator.expireAccessTokens();
		emulator.revokeRefreshTokens();
		const [out] = await execute(r);
		expect(out.map((item) => item.json.error)).toEqual([
			`The credential "${CREDENTIAL}" needs to be reconnected.`,
			`The credential "${CREDENTIAL}" needs to be reconnected.`,
		]);
		expect(r.tokenRequests()).toBe(1);
	});
});

describe('Continue On Fail after bills were written', () => {
	test('a re-read that fails after a 5010 fails its item; the bill written beside it is on its item', async () => {
		const changing = invoice();
		const first = await execute(run([{ json: changing as never }]));
		const id = String((first[0][0].json.erp as { id: string }).id);
		staleThenFailingRereads(emulator, id);
		const [out] = await execute(
			run(
				[{ json: { ...changing, dueDate: '2026-12-31' } as never }, { json: invoice() as never }],
				{
					continueOnFail: true,
				},
			),
		);
		expect(out).toHaveLength(2);
		expect(out[0].json.error).toMatch(/reading the Bill again failed/);
		expect(out[0].pairedItem).toEqual({ item: 0 });
		expect(out[1].json.erp).toMatchObject({ action: 'created' });
	});
});
