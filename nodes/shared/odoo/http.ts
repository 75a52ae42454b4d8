/**
 * One HTTP exchange with Odoo, injected into the client: inside n8n it goes through n8n's request
 * helper (the instance's proxy settings, the credential's TLS option), in tests and the bench
 * through `fetch`. A send resolves with the answer whatever its status and rejects only when no
 * answer arrived; a timeout rejects with an error named `TimeoutError`.
 */
export interface OdooHttpRequest {
	method: 'GET' | 'POST';
	url: string;
	headers: Record<string, string>;
	body?: string;
	timeoutMs: number;
}

export interface OdooHttpResponse {
	status: number;
	contentType: string;
	body: string;
}

export type OdooHttpSend = (request: OdooHttpRequest) => Promise<OdooHttpResponse>;

/** Node's own fetch; redirects are refused, since Odoo's RPC endpoints never redirect. */
export const fetchSend: OdooHttpSend = async (request) => {
	const response = await fetch(request.url, {
		method: request.method,
		body: request.body,
		headers: request.headers,
		signal: AbortSignal.timeout(request.timeoutMs),
		redirect: 'error',
	});
	return {
		status: response.status,
		contentType: response.headers.get('content-type') ?? '',
		body: await response.text(),
	};
};
