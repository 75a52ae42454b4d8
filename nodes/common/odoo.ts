/**
 * The bridge between the plain Odoo client and n8n: requests travel through n8n's request helper,
 * so the instance's proxy settings apply and the credential's "Ignore SSL Issues" option is honoured.
 */
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import {
	createOdooClient,
	odooConfigFromCredential,
	type OdooClient,
	type OdooClientConfig,
	type OdooHttpSend,
} from '../shared/odoo';
import { CREDENTIALS } from './credentials';

type HttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

/** Whether the credential asks to accept self-signed or otherwise unverifiable certificates. */
export function ignoresSslIssues(credential: ICredentialDataDecryptedObject): boolean {
	return credential.ignoreSSLIssues === true;
}

function isTimeout(error: { code?: unknown; message?: unknown }): boolean {
	return (
		error.code === 'ECONNABORTED' ||
		error.code === 'ETIMEDOUT' ||
		/timeout of \d+ms exceeded/i.test(String(error.message))
	);
}

/** An Odoo send over n8n's `helpers.httpRequest`: bodies as text, every status answered, no redirects. */
export function n8nOdooSend(
	httpRequest: HttpRequest,
	skipSslCertificateValidation: boolean,
): OdooHttpSend {
	return async (request) => {
		let response: IN8nHttpFullResponse;
		try {
			response = (await httpRequest({
				method: request.method,
				url: request.url,
				headers: request.headers,
				body: request.body,
				timeout: request.timeoutMs,
				encoding: 'text',
				json: false,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				skipSslCertificateValidation,
			})) as IN8nHttpFullResponse;
		} catch (error) {
			const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause ?? {};
			if (isTimeout(error as never) || isTimeout(cause)) {
				const timeout = new Error(`no answer within ${request.timeoutMs} ms`);
				timeout.name = 'TimeoutError';
				throw timeout;
			}
			// No answer arrived: the client reports it as "cannot reach Odoo" (an OdooTransportError).
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
			throw error;
		}
		const contentType = response.headers?.['content-type'];
		const body = response.body;
		return {
			status: response.statusCode,
			contentType: typeof contentType === 'string' ? contentType : '',
			body:
				typeof body === 'string'
					? body
					: Buffer.isBuffer(body)
						? body.toString('utf8')
						: body === undefined || body === null
							? ''
							: JSON.stringify(body),
		};
	};
}

export interface OdooConnection {
	client: OdooClient;
	config: OdooClientConfig;
	send: OdooHttpSend;
}

/** The Odoo credential of this node → a client whose requests go through n8n (when running, or listing choices in the editor). */
export async function connectOdoo(
	ctx: IExecuteFunctions | ILoadOptionsFunctions,
): Promise<OdooConnection> {
	const credential = await ctx.getCredentials(CREDENTIALS.odoo);
	const config = odooConfigFromCredential(credential as Record<string, unknown>);
	const send = n8nOdooSend(
		(options) => ctx.helpers.httpRequest(options),
		ignoresSslIssues(credential),
	);
	return { client: createOdooClient(config, { send }), config, send };
}
