/**
 * The three wire protocols behind one interface. A transport knows how to reach the server and
 * how that protocol reports errors; it knows nothing about accounting. Every HTTP exchange is
 * counted, because round trips are what batching is judged on.
 */
import {
	OdooAccessDeniedError,
	OdooDatabaseNotFoundError,
	OdooError,
	OdooTransportError,
	errorFromExceptionName,
	errorFromXmlRpcFault,
	redact,
} from './errors';
import { fetchSend, type OdooHttpResponse, type OdooHttpSend } from './http';
import type { OdooValue } from './values';
import { XmlRpcFault, XmlRpcParseError, decodeMethodResponse, encodeMethodCall } from './xmlrpc';

export type OdooProtocol = 'xmlrpc' | 'json2' | 'jsonrpc';

export interface HttpSettings {
	baseUrl: string;
	timeoutMs: number;
	userAgent: string;
	/** Called once per HTTP request sent. */
	onRoundTrip: () => void;
	/** How requests travel; `fetch` when absent. */
	send?: OdooHttpSend;
}

export interface ExecuteTarget {
	db: string;
	uid: number;
	apiKey: string;
}

export interface OdooTransport {
	readonly protocol: OdooProtocol;
	/** Calls `model.method`; `args` positional, `kwargs` named (including `context`). */
	execute(
		target: ExecuteTarget,
		model: string,
		method: string,
		args: OdooValue[],
		kwargs: Record<string, OdooValue>,
	): Promise<unknown>;
	/** Returns the uid for login + key, or throws OdooAccessDeniedError. */
	authenticate(db: string, login: string, apiKey: string): Promise<number>;
}

/** Runs fn and reports its outcome as a value, so callers can translate errors outside a catch block. */
export async function attempt<T>(
	fn: () => Promise<T> | T,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
	try {
		return { ok: true, value: await fn() };
	} catch (error) {
		return { ok: false, error };
	}
}

function parseJson(text: string): { ok: true; value: any } | { ok: false } {
	try {
		return { ok: true, value: text === '' ? null : JSON.parse(text) };
	} catch {
		return { ok: false };
	}
}

type RawResponse = OdooHttpResponse;

export async function httpRequest(
	settings: HttpSettings,
	path: string,
	init: { method: 'GET' | 'POST'; body?: string; headers: Record<string, string> },
	secrets: string[],
): Promise<RawResponse> {
	const url = settings.baseUrl.replace(/\/+$/, '') + path;
	settings.onRoundTrip();
	const outcome = await attempt(() =>
		(settings.send ?? fetchSend)({
			method: init.method,
			url,
			body: init.body,
			headers: { 'User-Agent': settings.userAgent, ...init.headers },
			timeoutMs: settings.timeoutMs,
		}),
	);
	if (!outcome.ok) {
		const error = outcome.error as Error;
		// A request that timed out reached the server, which may still be working on it (and commit).
		if (error?.name === 'TimeoutError')
			throw new OdooTransportError(
				`Odoo did not answer within ${Math.round(settings.timeoutMs / 100) / 10} s (it may still be working): ${url}`,
				{ operation: path },
			);
		const cause = String(error?.cause ?? error?.message ?? error);
		throw new OdooTransportError(`Cannot reach Odoo at ${url}: ${redact(cause, secrets)}`, {
			operation: path,
		});
	}
	return outcome.value;
}

function snippet(body: string): string {
	return body.length > 200 ? `${body.slice(0, 200)}…` : body;
}

/**
 * XML-RPC and JSON-RPC call the same services (`common.authenticate`, `object.execute_kw`) with the
 * same positional arguments; only the envelope differs, which each subclass's `rpc` provides.
 */
abstract class ServiceRpcTransport {
	abstract rpc(
		service: 'common' | 'object',
		method: string,
		args: OdooValue[],
		operation: string,
		secrets: string[],
	): Promise<unknown>;

	async authenticate(db: string, login: string, apiKey: string): Promise<number> {
		const uid = await this.rpc(
			'common',
			'authenticate',
			[db, login, apiKey, {}],
			'common.authenticate',
			[apiKey],
		);
		if (typeof uid !== 'number' || uid <= 0) {
			throw new OdooAccessDeniedError(
				`Odoo refused the login "${login}" on database "${db}": wrong login or API key`,
				{ operation: 'common.authenticate' },
			);
		}
		return uid;
	}

	execute(
		target: ExecuteTarget,
		model: string,
		method: string,
		args: OdooValue[],
		kwargs: Record<string, OdooValue>,
	): Promise<unknown> {
		return this.rpc(
			'object',
			'execute_kw',
			[target.db, target.uid, target.apiKey, model, method, args, kwargs],
			`${model}.${method}`,
			[target.apiKey],
		);
	}
}

export class XmlRpcTransport extends ServiceRpcTransport implements OdooTransport {
	readonly protocol = 'xmlrpc' as const;

	constructor(private readonly http: HttpSettings) {
		super();
	}

	async rpc(
		endpoint: 'common' | 'object',
		method: string,
		params: OdooValue[],
		operation: string,
		secrets: string[],
	): Promise<unknown> {
		const raw = await httpRequest(
			this.http,
			`/xmlrpc/2/${endpoint}`,
			{
				method: 'POST',
				body: encodeMethodCall(method, params),
				headers: { 'Content-Type': 'text/xml' },
			},
			secrets,
		);
		if (raw.status !== 200)
			throw new OdooTransportError(
				`Odoo XML-RPC endpoint answered HTTP ${raw.status} for ${operation}: ${redact(snippet(raw.body), secrets)}`,
				{ code: raw.status, operation },
			);
		const decoded = await attempt(() => decodeMethodResponse(raw.body));
		if (decoded.ok) return decoded.value;
		const error = decoded.error;
		if (error instanceof XmlRpcFault)
			throw errorFromXmlRpcFault(error.faultCode, redact(error.faultString, secrets), operation);
		if (error instanceof XmlRpcParseError)
			throw new OdooTransportError(
				`Odoo answered ${operation} with something that is not XML-RPC: ${error.message}`,
				{ operation },
			);
		throw new OdooTransportError(
			`Odoo answered ${operation} with an unreadable response: ${String(error)}`,
			{ operation },
		);
	}

	async version(): Promise<Record<string, unknown>> {
		return (await this.rpc('common', 'version', [], 'common.version', [])) as Record<
			string,
			unknown
		>;
	}
}

export class JsonRpcTransport extends ServiceRpcTransport implements OdooTransport {
	readonly protocol = 'jsonrpc' as const;
	private nextId = 1;

	constructor(private readonly http: HttpSettings) {
		super();
	}

	async rpc(
		service: 'common' | 'object',
		method: string,
		args: OdooValue[],
		operation: string,
		secrets: string[],
	): Promise<unknown> {
		const body = JSON.stringify({
			jsonrpc: '2.0',
			method: 'call',
			params: { service, method, args },
			id: this.nextId++,
		});
		const raw = await httpRequest(
			this.http,
			'/jsonrpc',
			{ method: 'POST', body, headers: { 'Content-Type': 'application/json' } },
			secrets,
		);
		const json = parseJson(raw.body);
		if (!json.ok || json.value === null || typeof json.value !== 'object') {
			throw new OdooTransportError(
				`Odoo JSON-RPC endpoint answered HTTP ${raw.status} with something that is not JSON-RPC: ${redact(snippet(raw.body), secrets)}`,
				{ code: raw.status, operation },
			);
		}
		const parsed = json.value as {
			result?: unknown;
			error?: { message?: string; data?: { name?: string; message?: string; debug?: string } };
		};
		if (parsed.error) {
			const data = parsed.error.data ?? {};
			throw errorFromExceptionName(
				data.name,
				redact(data.message ?? parsed.error.message ?? 'Odoo Server Error', secrets),
				{ operation, debug: data.debug && redact(data.debug, secrets) },
			);
		}
		return parsed.result;
	}
}

/** Positional parameter names of the `@api.model` methods we call, for JSON-2's named arguments. */
const MODEL_METHOD_PARAMS: Record<string, string[]> = {
	create: ['vals_list'],
	search: ['domain', 'offset', 'limit', 'order'],
	search_read: ['domain', 'fields', 'offset', 'limit', 'order'],
	search_count: ['domain', 'limit'],
	name_search: ['name', 'domain', 'operator', 'limit'],
	fields_get: ['allfields', 'attributes'],
	// JSON-2 exists from Odoo 19, whose default_get names its parameter `fields`.
	default_get: ['fields'],
};

/** Record methods: the first positional argument is `ids`, the rest are named here. */
const RECORD_METHOD_PARAMS: Record<string, string[]> = {
	read: ['fields'],
	write: ['vals'],
	unlink: [],
	action_post: [],
	button_draft: [],
	action_create_payments: [],
	message_post: [],
};

/** Turns an execute_kw style call into JSON-2's body of named arguments. */
export function json2Body(
	model: string,
	method: string,
	args: OdooValue[],
	kwargs: Record<string, OdooValue>,
): Record<string, OdooValue> {
	const body: Record<string, OdooValue> = {};
	const modelParams = MODEL_METHOD_PARAMS[method];
	let names: string[];
	let positional = args;
	if (modelParams) {
		names = modelParams;
	} else {
		if (args.length > 0) body.ids = args[0];
		positional = args.slice(1);
		names = RECORD_METHOD_PARAMS[method] ?? [];
	}
	if (positional.length > names.length) {
		throw new TypeError(
			`JSON-2 needs named arguments: pass the arguments of ${model}.${method} after the ids as kwargs`,
		);
	}
	positional.forEach((value, index) => (body[names[index]] = value));
	for (const [key, value] of Object.entries(kwargs)) if (value !== undefined) body[key] = value;
	return body;
}

/**
 * JSON-2 answers errors raised inside its route as JSON; Werkzeug's own refusals before the route
 * (unknown database, unknown path, wrong content type) are HTML pages. Say what each one means.
 */
function json2PageError(
	raw: RawResponse,
	db: string,
	operation: string,
	secrets: string[],
): OdooError {
	const details = { code: raw.status, operation, debug: redact(snippet(raw.body), secrets) };
	if (raw.status === 404 && /X-Odoo-Database|No database is selected/i.test(raw.body))
		return new OdooDatabaseNotFoundError(db, details, 'was not found (HTTP 404 from JSON-2)');
	if (raw.status === 404)
		return new OdooTransportError(
			`Odoo has no JSON-2 endpoint for ${operation} (HTTP 404): JSON-2 needs Odoo 19 or newer; choose XML-RPC for older servers`,
			details,
		);
	if (raw.status === 415)
		return new OdooTransportError(
			`Odoo refused the request's content type for ${operation} (HTTP 415, JSON expected): is a proxy between n8n and Odoo rewriting requests?`,
			details,
		);
	return new OdooTransportError(
		`Odoo JSON-2 answered HTTP ${raw.status} for ${operation} with something that is not JSON: ${details.debug}`,
		details,
	);
}

export class Json2Transport implements OdooTransport {
	readonly protocol = 'json2' as const;

	constructor(private readonly http: HttpSettings) {}

	async execute(
		target: ExecuteTarget,
		model: string,
		method: string,
		args: OdooValue[],
		kwargs: Record<string, OdooValue>,
	): Promise<unknown> {
		const operation = `${model}.${method}`;
		const secrets = [target.apiKey];
		const raw = await httpRequest(
			this.http,
			`/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`,
			{
				method: 'POST',
				body: JSON.stringify(json2Body(model, method, args, kwargs)),
				headers: {
					'Content-Type': 'application/json; charset=utf-8',
					Authorization: `bearer ${target.apiKey}`,
					'X-Odoo-Database': target.db,
				},
			},
			secrets,
		);
		const json = parseJson(raw.body);
		if (!json.ok) throw json2PageError(raw, target.db, operation, secrets);
		const parsed = json.value;
		if (raw.status >= 200 && raw.status < 300) return parsed;
		// Odoo 19 error body: {name, message, arguments, context, debug} with a 4xx/5xx status.
		if (parsed && typeof parsed === 'object' && typeof parsed.name === 'string') {
			const message = redact(
				String(parsed.message ?? parsed.arguments?.[0] ?? `HTTP ${raw.status}`),
				secrets,
			);
			if (raw.status === 401)
				throw new OdooAccessDeniedError(
					`Odoo refused the API key for database "${target.db}": ${message}`,
					{ code: 401, exceptionName: parsed.name, operation },
				);
			throw errorFromExceptionName(parsed.name, message, {
				code: raw.status,
				operation,
				debug: typeof parsed.debug === 'string' ? redact(parsed.debug, secrets) : undefined,
			});
		}
		if (raw.status === 404)
			throw new OdooTransportError(
				`Odoo has no JSON-2 endpoint for ${operation} (HTTP 404): is this Odoo 19 or newer?`,
				{ code: 404, operation },
			);
		throw new OdooTransportError(`Odoo JSON-2 answered HTTP ${raw.status} for ${operation}`, {
			code: raw.status,
			operation,
		});
	}

	/** JSON-2 has no session: the key is checked per request. Resolve the uid of the key's user. */
	async authenticate(db: string, login: string, apiKey: string): Promise<number> {
		const found = (await this.execute(
			{ db, uid: 0, apiKey },
			'res.users',
			'search',
			[[['login', '=', login]]],
			{ limit: 1 },
		)) as number[];
		if (!Array.isArray(found) || found.length === 0) {
			throw new OdooAccessDeniedError(
				`Odoo accepted the API key but has no user with login "${login}" on database "${db}"`,
				{ operation: 'res.users.search' },
			);
		}
		return found[0];
	}
}

export { OdooError };
