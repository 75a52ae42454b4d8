/**
 * Odoo emulator: a real HTTP server on 127.0.0.1 speaking XML-RPC (`/xmlrpc/2/common`,
 * `/xmlrpc/2/object`), JSON-RPC (`/jsonrpc`) and, in 19 mode, JSON-2 (`/json/2/<model>/<method>`),
 * over the in-memory store. Counts round trips and can add latency per call and per record,
 * so benchmarks measure batching rather than loopback speed.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EmulatedOdooError, accessError, missingError, typeError, valueError } from './faults';
import { XmlRpcBadRequest, parseMethodCall, writeFault, writeMethodResponse } from './xmlrpcCodec';
import { OdooStore } from './store';
import { seedStore } from './seed';

export { OdooStore } from './store';
export { EmulatedOdooError } from './faults';

export interface OdooEmulatorOptions {
	version: 17 | 19;
	/** Added to every HTTP exchange. */
	latencyMs?: number;
	/** Added per record created, written or returned. */
	perRecordLatencyMs?: number;
	/** Seed the generic chart, journals, taxes, vendors, analytic accounts and a purchase order (default true). */
	seed?: boolean;
	port?: number;
	db?: string;
	login?: string;
	apiKey?: string;
}

export interface CallRecord {
	protocol: 'xmlrpc' | 'jsonrpc' | 'json2' | 'http';
	model?: string;
	method: string;
}

export interface OdooEmulator {
	url: string;
	db: string;
	login: string;
	apiKey: string;
	version: 17 | 19;
	store: OdooStore;
	/** HTTP requests served since start or the last reset. */
	roundTrips(): number;
	/** Model methods called, in order (bounded to the last 10,000). */
	calls(): CallRecord[];
	resetCounters(): void;
	/** Changes the added latency while running (a slow server for a timeout scenario). */
	setLatency(latency: { latencyMs?: number; perRecordLatencyMs?: number }): void;
	/**
	 * Loses the answer of every call `check` picks: the call runs and commits, then the connection
	 * is dropped before any answer, as when the client is killed or times out right after sending.
	 * Calls are served one at a time in the tests that use it.
	 */
	loseResponses(check: ((model: string, method: string) => boolean) | undefined): void;
	/** Lets a test make one model call fail the way a custom constraint would. */
	injectFault(
		check:
			| ((model: string, method: string, payload: unknown) => EmulatedOdooError | undefined)
			| undefined,
	): void;
	stop(): Promise<void>;
}

const UID = 2;

/**
 * Python signatures of the methods the emulator serves (Odoo 17 and 19): parameter names in order,
 * the required ones, and whether extra keywords are swallowed (`**kwargs`, which then fail deeper).
 */
interface Signature {
	params: string[];
	required: string[];
	/** Where an unknown keyword ends up failing when the method takes **kwargs. */
	varKwargs?: string;
	/** `@api.model` (no ids) rather than a record method. */
	model?: boolean;
}
function signatureOf(method: string, version: number): Signature | undefined {
	switch (method) {
		case 'create':
			return { params: ['vals_list'], required: ['vals_list'], model: true };
		case 'search':
			return { params: ['domain', 'offset', 'limit', 'order'], required: ['domain'], model: true };
		case 'search_read':
			return {
				params: ['domain', 'fields', 'offset', 'limit', 'order'],
				required: [],
				varKwargs: 'BaseModel._read_format()',
				model: true,
			};
		case 'search_count':
			return { params: ['domain', 'limit'], required: ['domain'], model: true };
		case 'name_search':
			return { params: ['name', 'domain', 'operator', 'limit'], required: [], model: true };
		case 'fields_get':
			return { params: ['allfields', 'attributes'], required: [], model: true };
		case 'default_get':
			// Odoo 19 renamed the parameter.
			return version >= 19
				? { params: ['fields'], required: ['fields'], model: true }
				: { params: ['fields_list'], required: ['fields_list'], model: true };
		case 'read':
			return { params: ['fields', 'load'], required: [] };
		case 'write':
			return { params: ['vals'], required: ['vals'] };
		case 'message_post':
			return { params: [], required: [], varKwargs: 'message_post()' };
		case 'unlink':
		case 'action_post':
		case 'button_draft':
		case 'button_confirm':
		case 'action_create_payments':
			return { params: [], required: [] };
		default:
			return undefined;
	}
}

/** The binding errors of a call: JSON-2 answers 422 (signature.bind), execute_kw a Python TypeError. */
function checkBinding(
	method: string,
	signature: Signature,
	named: Record<string, unknown>,
	protocol: CallRecord['protocol'],
): void {
	for (const key of Object.keys(named)) {
		if (signature.params.includes(key)) continue;
		if (signature.varKwargs)
			throw typeError(`${signature.varKwargs} got an unexpected keyword argument '${key}'`);
		if (protocol === 'json2')
			throw new EmulatedOdooError(
				'werkzeug.exceptions.UnprocessableEntity',
				`got an unexpected keyword argument '${key}'`,
			);
		throw typeError(`${method}() got an unexpected keyword argument '${key}'`);
	}
	const missing = signature.required.filter((name) => named[name] === undefined);
	if (missing.length > 0) {
		if (protocol === 'json2')
			throw new EmulatedOdooError(
				'werkzeug.exceptions.UnprocessableEntity',
				`missing a required argument: '${missing[0]}'`,
			);
		throw typeError(
			`${method}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${missing.map((m) => `'${m}'`).join(' and ')}`,
		);
	}
}
/** Werkzeug's pages as Odoo 17/19 send them (text/html). */
const NOT_FOUND_PAGE =
	'<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n';
const NO_DATABASE_PAGE =
	'<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>No database is selected and the requested URL was not found in the server-wide controllers.</p>\n<p>Please verify the hostname, <a href=/web/login>login</a> and try again.</p>\n\n<!-- Alternatively, use the X-Odoo-Database header. -->\n';
const unsupportedMediaPage = (_path: string) =>
	'<!doctype html>\n<html lang=en>\n<title>415 Unsupported Media Type</title>\n<h1>Unsupported Media Type</h1>\n<p>Request inferred type is compatible with [&#39;http&#39;] but &#39;/json/2/&lt;__model__&gt;/&lt;__method__&gt;&#39; is type=&#39;json2&#39;.<br><br>Please verify the Content-Type request header and try again.</p>\n';

const MAIL_THREAD_MODELS = new Set([
	'account.move',
	'res.partner',
	'purchase.order',
	'account.payment',
]);

const sleep = (ms: number) =>
	ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

export async function startOdooEmulator(options: OdooEmulatorOptions): Promise<OdooEmulator> {
	const version = options.version;
	const db = options.db ?? 'stampli';
	const login = options.login ?? 'admin';
	const apiKey = options.apiKey ?? randomBytes(20).toString('hex');
	const store = new OdooStore(version);
	if (options.seed !== false) seedStore(store);
	let roundTrips = 0;
	let callLog: CallRecord[] = [];
	let loseCheck: ((model: string, method: string) => boolean) | undefined;
	/** Set when the call being answered committed and its answer is to be lost. */
	let loseAnswer = false;
	let faultHook:
		| ((model: string, method: string, payload: unknown) => EmulatedOdooError | undefined)
		| undefined;
	// As the real servers report it (XML-RPC common.version); 19's GET /web/version says "19.0" too.
	const serverVersion = version === 19 ? '19.0' : '17.0-20240709';
	const versionInfo = {
		server_version: serverVersion,
		server_version_info: [version, 0, 0, 'final', 0, ''],
		server_serie: `${version}.0`,
		protocol_version: 1,
	};

	function log(entry: CallRecord): void {
		callLog.push(entry);
		if (callLog.length > 10_000) callLog = callLog.slice(-10_000);
	}

	function checkDb(name: unknown): void {
		if (name !== db) {
			throw new EmulatedOdooError(
				'psycopg2.OperationalError',
				`connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  database "${String(name)}" does not exist`,
			);
		}
	}

	const READ_ONLY = new Set([
		'search',
		'search_read',
		'search_count',
		'read',
		'name_search',
		'fields_get',
		'default_get',
	]);

	/**
	 * Odoo checks `allowed_company_ids` against the user's companies when a call touches a model
	 * with a company (observed on 17 and 19: ir.model.data answers, res.partner does not).
	 */
	function checkCompanies(model: string, context: Record<string, any>): void {
		const wanted = context.allowed_company_ids;
		if (!Array.isArray(wanted) || !store.hasModel(model)) return;
		const schema = store.schema[model];
		if (!('company_id' in schema) && !('company_ids' in schema)) return;
		const allowed: number[] = store.get('res.users', UID)?.company_ids ?? [];
		if (wanted.some((id: unknown) => !allowed.includes(Number(id))))
			throw accessError('Access to unauthorized or invalid companies.');
	}

	/** One call = one transaction: a raise undoes everything the call did. */
	function execute(
		model: string,
		method: string,
		ids: number[] | undefined,
		named: Record<string, any>,
		context: Record<string, any>,
	): { result: unknown; records: number } {
		checkCompanies(model, context);
		if (READ_ONLY.has(method)) return executeInner(model, method, ids, named, context);
		store.begin();
		try {
			const outcome = executeInner(model, method, ids, named, context);
			store.commit();
			if (loseCheck?.(model, method)) loseAnswer = true;
			return outcome;
		} catch (error) {
			store.rollback();
			throw error;
		}
	}

	/** Runs one model method; returns the result and how many records it touched (for latency). */
	function executeInner(
		model: string,
		method: string,
		ids: number[] | undefined,
		named: Record<string, any>,
		context: Record<string, any>,
	): { result: unknown; records: number } {
		if (!store.hasModel(model))
			throw new EmulatedOdooError('odoo.exceptions.UserError', `Object ${model} doesn't exist`);
		if (method.startsWith('_'))
			throw new EmulatedOdooError(
				'odoo.exceptions.AccessError',
				`Private methods (such as ${method}) cannot be called remotely.`,
			);
		const injected = faultHook?.(model, method, { ids, ...named, context });
		if (injected) throw injected;
		const idList = ids ?? [];
		switch (method) {
			case 'create': {
				const single = !Array.isArray(named.vals_list);
				const valsList = single ? [named.vals_list] : named.vals_list;
				const created =
					model === 'account.payment.register'
						? store.createPaymentWizard(valsList, context)
						: store.create(model, valsList);
				return { result: single ? created[0] : created, records: valsList.length };
			}
			case 'search':
			case 'search_read':
			case 'search_count': {
				const rows = store.search(model, named.domain ?? [], {
					offset: named.offset,
					limit: named.limit,
					order: named.order,
					activeTest: context.active_test,
				});
				if (method === 'search_count') return { result: rows.length, records: 0 };
				if (method === 'search') return { result: rows.map((r) => r.id), records: rows.length };
				return {
					result: rows.map((r) => store.format(model, r, named.fields || undefined)),
					records: rows.length,
				};
			}
			case 'read': {
				// read() silently drops ids that do not exist (observed on 17).
				const rows = idList.map((id) => store.get(model, id)).filter((r) => r !== undefined);
				return {
					result: rows.map((r) => store.format(model, r!, named.fields || undefined)),
					records: rows.length,
				};
			}
			case 'write':
				if (idList.some((id) => !store.get(model, id)))
					throw missingError(
						model,
						idList.filter((id) => !store.get(model, id)),
					);
				return { result: store.write(model, idList, named.vals ?? {}), records: idList.length };
			case 'unlink':
				return { result: store.unlink(model, idList), records: idList.length };
			case 'name_search': {
				const rows = store.search(
					model,
					[...(named.domain ?? []), ['display_name', named.operator ?? 'ilike', named.name ?? '']],
					{ limit: named.limit ?? 100 },
				);
				return {
					result: rows.map((r) => [r.id, store.displayName(model, r)]),
					records: rows.length,
				};
			}
			case 'fields_get': {
				const out: Record<string, unknown> = {};
				for (const [name, def] of Object.entries(store.schema[model]))
					out[name] = {
						type:
							def.type === 'm2o'
								? 'many2one'
								: def.type === 'o2m'
									? 'one2many'
									: def.type === 'm2m'
										? 'many2many'
										: def.type,
						string: name,
						relation: def.comodel ?? false,
					};
				return { result: out, records: 0 };
			}
			case 'default_get': {
				const fields: string[] = named.fields ?? named.fields_list ?? [];
				return { result: store.defaultGet(model, fields, context), records: 0 };
			}
		}
		if (model === 'purchase.order' && method === 'button_confirm')
			return { result: store.confirmPurchaseOrders(idList), records: idList.length };
		if (model === 'account.move' && method === 'action_post')
			return { result: store.actionPost(idList), records: idList.length };
		if (model === 'account.move' && method === 'button_draft')
			return { result: store.buttonDraft(idList), records: idList.length };
		if (model === 'account.payment.register' && method === 'action_create_payments')
			return { result: store.actionCreatePayments(idList), records: idList.length };
		if (MAIL_THREAD_MODELS.has(model) && method === 'message_post')
			return { result: store.messagePost(model, idList, named), records: 1 };
		throw new EmulatedOdooError(
			'builtins.AttributeError',
			`The method '${method}' does not exist on the model '${model}'`,
		);
	}

	/** execute_kw's positional args → (ids, named), as Odoo's call_kw splits them; then the binding check. */
	function fromPositional(
		method: string,
		args: unknown[],
		kwargs: Record<string, any>,
		protocol: CallRecord['protocol'],
	): { ids?: number[]; named: Record<string, any> } {
		const { context: _context, ...rest } = kwargs ?? {};
		const named: Record<string, any> = { ...rest };
		const signature = signatureOf(method, version);
		let positional = args;
		let ids: number[] | undefined;
		if (!signature?.model) {
			const first = args[0];
			ids = Array.isArray(first) ? (first as number[]) : typeof first === 'number' ? [first] : [];
			positional = args.slice(1);
		}
		const names = signature?.params ?? [];
		if (signature && positional.length > names.length)
			throw typeError(
				`${method}() takes ${names.length + 1} positional arguments but ${positional.length + 1} were given`,
			);
		positional.forEach((value, index) => {
			if (names[index] in named)
				throw typeError(`${method}() got multiple values for argument '${names[index]}'`);
			named[names[index]] = value;
		});
		if (signature) checkBinding(method, signature, named, protocol);
		return { ids, named };
	}

	function xmlRpcCommon(method: string, params: unknown[]): unknown {
		switch (method) {
			case 'version':
				return versionInfo;
			case 'authenticate':
			case 'login': {
				const [dbName, user, password] = params;
				checkDb(dbName);
				return user === login && password === apiKey ? UID : false;
			}
			case 'about':
				return 'See http://openerp.com';
			default:
				throw new EmulatedOdooError(
					'builtins.AttributeError',
					`module 'odoo.service.common' has no attribute 'exp_${method}'`,
				);
		}
	}

	function objectCall(
		params: unknown[],
		protocol: CallRecord['protocol'],
	): { result: unknown; records: number } {
		const [dbName, uid, password, model, method, args = [], kwargs = {}] = params as [
			string,
			number,
			string,
			string,
			string,
			unknown[],
			Record<string, any>,
		];
		checkDb(dbName);
		if (uid !== UID || password !== apiKey)
			throw new EmulatedOdooError('odoo.exceptions.AccessDenied', 'Access Denied');
		if (!Array.isArray(args)) throw valueError('execute_kw args must be a list');
		log({ protocol, model, method });
		const { ids, named } = fromPositional(method, args, kwargs, protocol);
		return execute(model, method, ids, named, (kwargs?.context as Record<string, any>) ?? {});
	}

	async function readBody(req: IncomingMessage): Promise<string> {
		const chunks: Buffer[] = [];
		let size = 0;
		for await (const chunk of req) {
			size += (chunk as Buffer).length;
			if (size > 256 * 1024 * 1024) throw new Error('request too large');
			chunks.push(chunk as Buffer);
		}
		return Buffer.concat(chunks).toString('utf8');
	}

	async function respond(
		res: ServerResponse,
		status: number,
		contentType: string,
		body: string,
		records: number,
	): Promise<void> {
		await sleep((options.latencyMs ?? 0) + (options.perRecordLatencyMs ?? 0) * records);
		if (loseAnswer) {
			loseAnswer = false;
			res.socket?.destroy();
			return;
		}
		res.writeHead(status, {
			'Content-Type': contentType,
			'Content-Length': Buffer.byteLength(body),
		});
		res.end(body);
	}

	async function handleXmlRpc(path: string, body: string, res: ServerResponse): Promise<void> {
		let records = 0;
		let out: string;
		try {
			const { method, params } = parseMethodCall(body);
			let result: unknown;
			if (path === '/xmlrpc/2/common') result = xmlRpcCommon(method, params);
			else if (method === 'execute_kw') ({ result, records } = objectCall(params, 'xmlrpc'));
			else if (method === 'execute') {
				const [dbName, uid, password, model, m, ...rest] = params;
				({ result, records } = objectCall([dbName, uid, password, model, m, rest, {}], 'xmlrpc'));
			} else
				throw new EmulatedOdooError(
					'builtins.AttributeError',
					`module 'odoo.service.model' has no attribute 'exp_${method}'`,
				);
			// Odoo marshals without allow_none: the call has been committed, then the answer faults.
			if (result === null || result === undefined)
				throw new EmulatedOdooError(
					'builtins.TypeError',
					'cannot marshal None unless allow_none is enabled',
				);
			out = writeMethodResponse(result);
		} catch (error) {
			const fault =
				error instanceof EmulatedOdooError
					? error
					: error instanceof XmlRpcBadRequest
						? new EmulatedOdooError('builtins.ValueError', String(error.message))
						: new EmulatedOdooError(
								error instanceof TypeError ? 'builtins.TypeError' : 'builtins.ValueError',
								String((error as Error).message),
							);
			out = writeFault(fault.faultCode, fault.faultString);
		}
		await respond(res, 200, 'text/xml; charset=utf-8', out, records);
	}

	async function handleJsonRpc(body: string, res: ServerResponse): Promise<void> {
		let id: unknown = null;
		let records = 0;
		let payload: Record<string, unknown>;
		try {
			const request = JSON.parse(body);
			id = request.id ?? null;
			const { service, method, args = [] } = request.params ?? {};
			let result: unknown;
			if (service === 'common') result = xmlRpcCommon(method, args);
			else if (service === 'object' && method === 'execute_kw')
				({ result, records } = objectCall(args, 'jsonrpc'));
			else
				throw new EmulatedOdooError(
					'builtins.AttributeError',
					`service ${service} has no method ${method}`,
				);
			payload = { jsonrpc: '2.0', id, result: result ?? null };
		} catch (error) {
			const fault =
				error instanceof EmulatedOdooError
					? error
					: new EmulatedOdooError('builtins.ValueError', String((error as Error).message));
			payload = {
				jsonrpc: '2.0',
				id,
				error: {
					code: 200,
					message: 'Odoo Server Error',
					data: {
						name: fault.pyName.replace(/^builtins\./, ''),
						message: fault.message,
						arguments: [fault.message],
						debug: fault.traceback,
						context: {},
					},
				},
			};
		}
		await respond(res, 200, 'application/json', JSON.stringify(payload), records);
	}

	function json2Error(name: string, message: string, extraArgs: unknown[] = []): string {
		return JSON.stringify({
			name,
			message,
			arguments: [message, ...extraArgs],
			context: {},
			debug: `Traceback (most recent call last):\n  File "/opt/odoo/odoo/http.py", line 2212, in _transactioning\n${name}: ${message}\n`,
		});
	}

	async function handleJson2(
		req: IncomingMessage,
		path: string,
		body: string,
		res: ServerResponse,
	): Promise<void> {
		const [, , , model, method] = path.split('/').map(decodeURIComponent);
		const auth = String(req.headers.authorization ?? '');
		const dbHeader = req.headers['x-odoo-database'];
		// An unknown database is refused by Werkzeug before the route: an HTML page, not JSON-2's error shape.
		if (dbHeader !== undefined && dbHeader !== db) {
			await respond(res, 404, 'text/html; charset=utf-8', NO_DATABASE_PAGE, 0);
			return;
		}
		if (!/^application\/json(\s*;|$)/i.test(String(req.headers['content-type'] ?? ''))) {
			await respond(res, 415, 'text/html; charset=utf-8', unsupportedMediaPage(path), 0);
			return;
		}
		if (!/^bearer\s+/i.test(auth) || auth.replace(/^bearer\s+/i, '') !== apiKey) {
			await respond(
				res,
				401,
				'application/json; charset=utf-8',
				json2Error('werkzeug.exceptions.Unauthorized', 'Invalid apikey', [401]),
				0,
			);
			return;
		}
		let records = 0;
		try {
			const parsed = body === '' ? {} : JSON.parse(body);
			if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
				throw valueError('the JSON body must be an object of named arguments');
			const { ids, context = {}, ...named } = parsed as Record<string, any>;
			log({ protocol: 'json2', model, method });
			const signature = signatureOf(method, version);
			if (signature?.model && ids !== undefined)
				throw new EmulatedOdooError(
					'werkzeug.exceptions.UnprocessableEntity',
					`cannot call ${model}.${method} with ids`,
				);
			if (!signature?.model && ids !== undefined && !Array.isArray(ids))
				throw valueError('ids must be a list');
			if (signature) checkBinding(method, signature, named, 'json2');
			const outcome = execute(
				model,
				method,
				signature?.model ? undefined : (ids ?? []),
				named,
				context,
			);
			records = outcome.records;
			await respond(
				res,
				200,
				'application/json; charset=utf-8',
				JSON.stringify(outcome.result ?? null),
				records,
			);
		} catch (error) {
			const fault =
				error instanceof EmulatedOdooError
					? error
					: new EmulatedOdooError('builtins.ValueError', String((error as Error).message));
			await respond(
				res,
				fault.httpStatus,
				'application/json; charset=utf-8',
				json2Error(
					fault.pyName.replace(/^builtins\./, ''),
					fault.message,
					// Werkzeug's HTTP exceptions carry their status as a second argument.
					fault.pyName.startsWith('werkzeug.') ? [fault.httpStatus] : [],
				),
				records,
			);
		}
	}

	const server = createServer((req, res) => {
		roundTrips++;
		const path = (req.url ?? '/').split('?')[0];
		(async () => {
			const body = await readBody(req);
			if (req.method === 'POST' && (path === '/xmlrpc/2/common' || path === '/xmlrpc/2/object'))
				return handleXmlRpc(path, body, res);
			if (req.method === 'POST' && path === '/jsonrpc') return handleJsonRpc(body, res);
			if (version >= 19 && req.method === 'POST' && /^\/json\/2\/[^/]+\/[^/]+$/.test(path))
				return handleJson2(req, path, body, res);
			// GET /web/version (and /json/version) came with Odoo 19's rpc module; 17 answers 404.
			if (
				version >= 19 &&
				req.method === 'GET' &&
				(path === '/web/version' || path === '/json/version')
			) {
				log({ protocol: 'http', method: 'web/version' });
				return respond(
					res,
					200,
					'application/json',
					JSON.stringify({
						version: `${version}.0`,
						version_info: versionInfo.server_version_info,
					}),
					0,
				);
			}
			return respond(res, 404, 'text/html; charset=utf-8', NOT_FOUND_PAGE, 0);
		})().catch((error) => {
			if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
			res.end(String(error?.message ?? error));
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		// Idle keep-alive sockets stay open longer than a client keeps them (Node's 5 s default lets a
		// busy client reuse a socket just as the server closes it: "other side closed").
		server.keepAliveTimeout = 65_000;
		server.headersTimeout = 66_000;
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}`,
		db,
		login,
		apiKey,
		version,
		store,
		roundTrips: () => roundTrips,
		calls: () => [...callLog],
		resetCounters: () => {
			roundTrips = 0;
			callLog = [];
		},
		setLatency: (latency) => {
			if (latency.latencyMs !== undefined) options.latencyMs = latency.latencyMs;
			if (latency.perRecordLatencyMs !== undefined)
				options.perRecordLatencyMs = latency.perRecordLatencyMs;
		},
		loseResponses: (check) => {
			loseCheck = check;
		},
		injectFault: (check) => {
			faultHook = check;
		},
		stop: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections?.();
				server.close(() => resolve());
			}),
	};
}
