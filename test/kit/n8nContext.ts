/**
 * One stand-in for the n8n contexts our nodes run in (IExecuteFunctions, IPollFunctions), shared
 * by every node test. It holds the parameters, items, credentials and static data a test gives,
 * and offers the helpers the nodes use the way n8n does: `httpRequest` over real HTTP (fetch) with
 * n8n's options (full response, ignored status errors, text encoding, timeout), the OAuth2 variant
 * signing with the credential's access token, and binary data.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	INodeExecutionData,
	IPollFunctions,
} from 'n8n-workflow';

export interface FakeContextOptions {
	/** Node type, e.g. `n8n-nodes-stampli.glMapper`; the name defaults to the type's last part. */
	type: string;
	name?: string;
	parameters?: Record<string, unknown>;
	items?: INodeExecutionData[];
	/** Credential data by credential type; each also appears on the node as chosen. */
	credentials?: Record<string, Record<string, unknown>>;
	continueOnFail?: boolean;
	/** The node's own static data (`getWorkflowStaticData('node')`). */
	staticData?: IDataObject;
	/** The workflow's global static data, shared by all nodes of a workflow; default: `staticData`. */
	globalStaticData?: IDataObject;
	/** The node's id (n8n's `node.id`); default `node-1`. */
	nodeId?: string;
	timezone?: string;
}

/** What n8n's request helper throws for a status it was told not to ignore. */
function statusError(status: number, headers: Record<string, unknown>, data: unknown): Error {
	const error = new Error(`Request failed with status code ${status}`) as Error & {
		httpCode: string;
		cause: unknown;
	};
	error.httpCode = String(status);
	error.cause = { response: { status, headers, data } };
	return error;
}

function requestBody(options: IHttpRequestOptions): {
	body?: string;
	headers: Record<string, string>;
} {
	const headers = Object.fromEntries(
		Object.entries(options.headers ?? {}).map(([k, v]) => [k, String(v)]),
	);
	const body = options.body;
	if (body === undefined || body === null || options.method === 'GET') return { headers };
	if (typeof body === 'string') return { body, headers };
	if (body instanceof URLSearchParams) return { body: body.toString(), headers };
	const hasType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
	return {
		body: JSON.stringify(body),
		headers: hasType ? headers : { ...headers, 'Content-Type': 'application/json' },
	};
}

/** `helpers.httpRequest` as n8n-core implements it, over fetch, for the options the package uses. */
export async function fakeHttpRequest(options: IHttpRequestOptions): Promise<unknown> {
	const url = new URL(options.url, options.baseURL);
	for (const [k, v] of Object.entries(options.qs ?? {})) url.searchParams.set(k, String(v));
	const { body, headers } = requestBody(options);
	let response: Response;
	try {
		response = await fetch(url, {
			method: options.method ?? 'GET',
			headers,
			body,
			redirect: options.disableFollowRedirect ? 'manual' : 'follow',
			signal: options.timeout ? AbortSignal.timeout(options.timeout) : undefined,
		});
	} catch (error) {
		if ((error as Error).name === 'TimeoutError')
			throw Object.assign(new Error(`timeout of ${options.timeout}ms exceeded`), {
				code: 'ECONNABORTED',
			});
		throw error;
	}
	const text = await response.text();
	let data: unknown = text;
	if (options.encoding !== 'text') {
		try {
			data = text === '' ? '' : JSON.parse(text);
		} catch {
			data = text;
		}
	}
	const responseHeaders = Object.fromEntries(response.headers.entries());
	const ignore = options.ignoreHttpStatusErrors;
	const ignored =
		ignore === true ||
		(typeof ignore === 'object' && ignore.ignore && !ignore.except?.includes(response.status));
	if (!ignored && (response.status < 200 || response.status >= 300))
		throw statusError(response.status, responseHeaders, data);
	return options.returnFullResponse
		? { statusCode: response.status, headers: responseHeaders, body: data }
		: data;
}

function fakeNode(options: FakeContextOptions): INode {
	return {
		id: options.nodeId ?? 'node-1',
		name: options.name ?? options.type.split('.').pop()!,
		type: options.type,
		typeVersion: 1,
		position: [0, 0],
		parameters: (options.parameters ?? {}) as INode['parameters'],
		credentials: Object.fromEntries(
			Object.keys(options.credentials ?? {}).map((k) => [k, { id: '1', name: k }]),
		),
	};
}

function baseContext(options: FakeContextOptions) {
	const node = fakeNode(options);
	const items = options.items ?? [];
	const staticData = options.staticData ?? {};
	const globalStaticData = options.globalStaticData ?? staticData;
	const credential = async (name: string) => {
		const data = options.credentials?.[name];
		if (!data) throw new Error(`Node "${node.name}" has no credential of type "${name}"`);
		return data;
	};
	return {
		node,
		items,
		getNode: () => node,
		getCredentials: credential,
		getWorkflowStaticData: (type: string) => (type === 'global' ? globalStaticData : staticData),
		getTimezone: () => options.timezone ?? 'UTC',
		continueOnFail: () => options.continueOnFail ?? false,
		helpers: {
			httpRequest: fakeHttpRequest,
			async httpRequestWithAuthentication(name: string, request: IHttpRequestOptions) {
				const data = await credential(name);
				const token = (data.oauthTokenData as { access_token?: string } | undefined)?.access_token;
				return await fakeHttpRequest({
					...request,
					headers: { ...request.headers, Authorization: `Bearer ${token ?? ''}` },
				});
			},
			assertBinaryData(index: number, property: string) {
				const data = items[index]?.binary?.[property];
				if (!data) throw new Error(`no binary ${property} on item ${index}`);
				return data;
			},
			async getBinaryDataBuffer(index: number, property: string) {
				return Buffer.from(items[index].binary![property].data, 'base64');
			},
			async prepareBinaryData(data: Buffer, fileName?: string, mimeType?: string) {
				return { data: data.toString('base64'), fileName, mimeType: mimeType ?? 'text/plain' };
			},
		},
	};
}

/** The context a regular node's `execute` gets. */
export function executeContext(options: FakeContextOptions): IExecuteFunctions {
	const base = baseContext(options);
	const parameters = options.parameters ?? {};
	return {
		...base,
		getInputData: () => base.items,
		getNodeParameter: (name: string, _index: number, fallback?: unknown) =>
			name in parameters ? parameters[name] : fallback,
	} as unknown as IExecuteFunctions;
}

/** The context a polling trigger's `poll` gets; `extra` adds or overrides members (e.g. `__emit`). */
export function pollContext(
	options: FakeContextOptions,
	extra: Record<string, unknown> = {},
): IPollFunctions {
	const base = baseContext(options);
	const parameters = options.parameters ?? {};
	return {
		...base,
		getMode: () => 'trigger',
		getNodeParameter: (name: string, fallback?: unknown) =>
			name in parameters ? parameters[name] : fallback,
		...extra,
	} as unknown as IPollFunctions;
}

/** The context a list-search method gets in the editor (`methods.listSearch`). */
export function loadOptionsContext(options: FakeContextOptions): ILoadOptionsFunctions {
	const base = baseContext(options);
	const parameters = options.parameters ?? {};
	return {
		...base,
		getCurrentNodeParameter: (name: string) => parameters[name],
		getCurrentNodeParameters: () => parameters,
		getNodeParameter: (name: string, fallback?: unknown) =>
			name in parameters ? parameters[name] : fallback,
		logger: { warn: () => undefined, debug: () => undefined, info: () => undefined },
	} as unknown as ILoadOptionsFunctions;
}
