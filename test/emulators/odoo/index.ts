/**
 * Odoo emulator: a real HTTP server on 127.0.0.1 speaking XML-RPC (`/xmlrpc/2/common`,
 * `/xmlrpc/2/object`), JSON-RPC (`/jsonrpc`) and, in 19 mode, JSON-2 (`/json/2/<model>/<method>`),
 * over the in-memory store. Counts round trips and can add latency per call and per record,
 * so benchmarks measure batching rather than loopback speed.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	decodeMethodCall,
	encodeFault,
	encodeMethodResponse,
} from '../../../nodes/shared/odoo/xmlrpc';
import { EmulatedOdooError, missingError, valueError } from './faults';
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
	/** Lets a test make one model call fail the way a custom constraint would. */
	injectFault(
		check:
			| ((model: string, method: string, payload: unknown) => EmulatedOdooError | undefined)
			| undefined,
	): void;
	stop(): Promise<void>;
}

const UID = 2;
const MODEL_METHODS: Record<string, string[]> = {
	create: ['vals_list'],
	search: ['domain', 'offset', 'limit', 'order'],
	search_read: ['domain', 'fields', 'offset', 'limit', 'order'],
	search_count: ['domain', 'limit'],
	name_search: ['name', 'domain', 'operator', 'limit'],
	fields_get: ['allfields', 'attributes'],
};
const RECORD_METHODS: Record<string, string[]> = {
	read: ['fields', 'load'],
	write: ['vals'],
	unlink: [],
	action_post: [],
	button_draft: [],
	action_create_payments: [],
	message_post: [],
};
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
	let faultHook:
		| ((model: string, method: string, payload: unknown) => EmulatedOdooError | undefined)
		| undefined;
	const serverVersion = version === 19 ? '19.0-20251002' : '17.0-20240709';
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
	]);

	/** One call = one transaction: a raise undoes everything the call did. */
	function execute(
		model: string,
		method: string,
		ids: number[] | undefined,
		named: Record<string, any>,
		context: Record<string, any>,
	): { result: unknown; records: number } {
		if (READ_ONLY.has(method)) return executeInner(model, method, ids, named, context);
		store.begin();
		try {
			const outcome = executeInner(model, method, ids, named, context);
			store.commit();
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
		}
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

	/** execute_kw's positional args → (ids, named), as Odoo's call_kw splits them. */
	function fromPositional(
		method: string,
		args: unknown[],
		kwargs: Record<string, any>,
	): { ids?: number[]; named: Record<string, any> } {
		const { context: _context, ...rest } = kwargs ?? {};
		const named: Record<string, any> = { ...rest };
		let positional = args;
		let ids: number[] | undefined;
		let names = MODEL_METHODS[method];
		if (!names) {
			const first = args[0];
			ids = Array.isArray(first) ? (first as number[]) : typeof first === 'number' ? [first] : [];
			positional = args.slice(1);
			names = RECORD_METHODS[method] ?? [];
		}
		if (positional.length > names.length)
			throw new EmulatedOdooError(
				'builtins.TypeError',
				`${method}() takes ${names.length + 1} positional arguments but ${positional.length + 1} were given`,
			);
		positional.forEach((value, index) => (named[names[index]] = value));
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
		const { ids, named } = fromPositional(method, args, kwargs);
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
			const { method, params } = decodeMethodCall(body);
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
			out = encodeMethodResponse(result);
		} catch (error) {
			const fault =
				error instanceof EmulatedOdooError
					? error
					: new EmulatedOdooError('builtins.ValueError', String((error as Error).message));
			out = encodeFault(fault.faultCode, fault.faultString);
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
		if (dbHeader !== undefined && dbHeader !== db) {
			await respond(
				res,
				404,
				'application/json; charset=utf-8',
				json2Error('werkzeug.exceptions.NotFound', `database "${String(dbHeader)}" not found`),
				0,
			);
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
			if (!MODEL_METHODS[method] && ids !== undefined && !Array.isArray(ids))
				throw valueError('ids must be a list');
			const outcome = execute(
				model,
				method,
				MODEL_METHODS[method] ? undefined : (ids ?? []),
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
				json2Error(fault.pyName.replace(/^builtins\./, ''), fault.message),
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
			if (req.method === 'GET' && path === '/web/version') {
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
			return respond(
				res,
				404,
				'text/html; charset=utf-8',
				'<!DOCTYPE html><html><body><h1>404: Page not found</h1></body></html>',
				0,
			);
		})().catch((error) => {
			if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
			res.end(String(error?.message ?? error));
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
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
