/**
 * The Odoo client: one API over XML-RPC, JSON-2 and JSON-RPC. No n8n import, so every module and
 * test can use it. The uid and the server version are cached per credential (module scope), so
 * an n8n execution that builds a fresh client per run does not pay for them again.
 */
import { createHash } from 'node:crypto';
import {
	NUMBERING_RACE_RETRIES,
	OdooError,
	OdooTransportError,
	isNumberingRace,
	registerSecret,
} from './errors';
import {
	JsonRpcTransport,
	Json2Transport,
	XmlRpcTransport,
	attempt,
	httpRequest,
	type HttpSettings,
	type OdooProtocol,
	type OdooTransport,
} from './transport';
import type { OdooHttpSend } from './http';
import type { OdooContext, OdooDomain, OdooRecord, OdooValue } from './values';

export interface OdooClientConfig {
	url: string;
	db: string;
	login: string;
	apiKey: string;
	protocol: 'auto' | OdooProtocol;
	/** Company to work in (`allowed_company_ids` in every call's context). */
	companyId?: number;
	timeoutMs?: number;
}

export interface OdooClientOptions {
	userAgent?: string;
	/** How HTTP requests travel (n8n's request helper inside n8n); `fetch` when absent. */
	send?: OdooHttpSend;
	/** Skip the module-level uid/version cache (tests that change server state between calls). */
	noSharedCache?: boolean;
}

export interface OdooServerVersion {
	serverVersion: string;
	major: number;
	minor: number;
}

export interface SearchReadOptions {
	fields?: string[];
	offset?: number;
	limit?: number;
	order?: string;
	context?: OdooContext;
}

export interface OdooClient {
	/** The configuration without the API key. */
	readonly config: Readonly<Omit<OdooClientConfig, 'apiKey'>>;
	/** HTTP requests this client has sent. */
	readonly roundTrips: number;
	version(): Promise<OdooServerVersion>;
	/** Major server version, e.g. 17. */
	serverVersion(): Promise<number>;
	/** The protocol actually used (`auto` resolved). */
	protocol(): Promise<OdooProtocol>;
	uid(): Promise<number>;
	call<T = unknown>(
		model: string,
		method: string,
		args?: OdooValue[],
		kwargs?: Record<string, OdooValue>,
	): Promise<T>;
	searchRead<T extends OdooRecord = OdooRecord>(
		model: string,
		domain: OdooDomain,
		options?: SearchReadOptions,
	): Promise<T[]>;
	search(
		model: string,
		domain: OdooDomain,
		options?: Omit<SearchReadOptions, 'fields'>,
	): Promise<number[]>;
	read<T extends OdooRecord = OdooRecord>(
		model: string,
		ids: number[],
		fields?: string[],
		context?: OdooContext,
	): Promise<T[]>;
	create(
		model: string,
		valsList: Array<Record<string, OdooValue>>,
		context?: OdooContext,
	): Promise<number[]>;
	write(
		model: string,
		ids: number[],
		vals: Record<string, OdooValue>,
		context?: OdooContext,
	): Promise<boolean>;
	unlink(model: string, ids: number[], context?: OdooContext): Promise<boolean>;
}

const uidCache = new Map<string, Promise<number>>();
const versionCache = new Map<string, Promise<OdooServerVersion>>();

/** Forgets cached uids and versions (tests; a credential that changed). */
export function clearOdooClientCaches(): void {
	uidCache.clear();
	versionCache.clear();
}

function credentialKey(config: OdooClientConfig, protocol: OdooProtocol): string {
	const keyHash = createHash('sha256').update(config.apiKey).digest('hex');
	return [config.url, config.db, config.login, protocol, keyHash].join('|');
}

/** Anything thrown below the client becomes an OdooError (with secrets redacted). */
function toOdooError(error: unknown): OdooError {
	if (error instanceof OdooError) return error;
	return new OdooError(error instanceof Error ? error.message : String(error));
}

function parseVersionInfo(serverVersion: unknown, info: unknown): OdooServerVersion {
	const text = typeof serverVersion === 'string' ? serverVersion : '';
	const parts = Array.isArray(info) ? info : [];
	// `saas~17.1` servers report ['saas~17', 1, …]; take the digits.
	const major = Number(String(parts[0] ?? text).match(/\d+/)?.[0]);
	const minor = Number(String(parts[1] ?? text.split('.')[1] ?? 0).match(/\d+/)?.[0] ?? 0);
	if (!Number.isInteger(major) || major <= 0)
		throw new OdooTransportError(`Cannot tell the Odoo version from "${text}"`);
	return { serverVersion: text || `${major}.${minor}`, major, minor };
}

function checkConfig(config: OdooClientConfig): void {
	for (const field of ['url', 'db', 'login', 'apiKey'] as const) {
		if (!config[field])
			throw new OdooError(`Odoo connection needs a ${field === 'apiKey' ? 'API key' : field}`);
	}
	if (!/^https?:\/\//.test(config.url))
		throw new OdooError(`Odoo URL must start with http:// or https:// (got "${config.url}")`);
}

/** One credential's connection: transports, the version and uid (cached), and the model call. */
class OdooSession {
	roundTrips = 0;
	private readonly http: HttpSettings;
	private readonly transports: Record<OdooProtocol, OdooTransport>;
	private readonly uids: Map<string, Promise<number>>;
	private readonly versions: Map<string, Promise<OdooServerVersion>>;
	private resolvedProtocol: Promise<OdooProtocol> | undefined;

	constructor(
		private readonly config: OdooClientConfig,
		options: OdooClientOptions,
	) {
		this.http = {
			baseUrl: config.url,
			timeoutMs: config.timeoutMs ?? 120_000,
			userAgent: options.userAgent ?? 'n8n-nodes-stampli',
			onRoundTrip: () => this.roundTrips++,
			send: options.send,
		};
		this.transports = {
			xmlrpc: new XmlRpcTransport(this.http),
			json2: new Json2Transport(this.http),
			jsonrpc: new JsonRpcTransport(this.http),
		};
		this.uids = options.noSharedCache ? new Map() : uidCache;
		this.versions = options.noSharedCache ? new Map() : versionCache;
	}

	/** GET /web/version (Odoo 19+; no login): the version without touching the deprecated RPC endpoints. */
	private async versionFromWeb(): Promise<OdooServerVersion | undefined> {
		const raw = await httpRequest(this.http, '/web/version', { method: 'GET', headers: {} }, [
			this.config.apiKey,
		]);
		if (raw.status !== 200) return undefined;
		const parsed = await attempt(() => {
			const info = JSON.parse(raw.body) as { version?: string; version_info?: unknown[] };
			return parseVersionInfo(info.version, info.version_info);
		});
		return parsed.ok ? parsed.value : undefined;
	}

	private async fetchVersion(): Promise<OdooServerVersion> {
		const viaWeb = await this.versionFromWeb();
		if (viaWeb) return viaWeb;
		// Odoo 18 and older have no GET /web/version: ask the RPC endpoint of the chosen protocol.
		if (this.config.protocol === 'jsonrpc') {
			const info = (await (this.transports.jsonrpc as JsonRpcTransport).rpc(
				'common',
				'version',
				[],
				'common.version',
				[],
			)) as Record<string, unknown>;
			return parseVersionInfo(info?.server_version, info?.server_version_info);
		}
		const info = await (this.transports.xmlrpc as XmlRpcTransport).version();
		return parseVersionInfo(info.server_version, info.server_version_info);
	}

	version(): Promise<OdooServerVersion> {
		const key = this.config.url;
		let cached = this.versions.get(key);
		if (!cached) {
			cached = this.fetchVersion();
			this.versions.set(key, cached);
			cached.catch(() => this.versions.delete(key));
		}
		return cached;
	}

	protocol(): Promise<OdooProtocol> {
		if (this.config.protocol !== 'auto') return Promise.resolve(this.config.protocol);
		this.resolvedProtocol ??= this.version().then((v) => (v.major >= 19 ? 'json2' : 'xmlrpc'));
		return this.resolvedProtocol;
	}

	async uid(): Promise<number> {
		const proto = await this.protocol();
		const key = credentialKey(this.config, proto);
		let cached = this.uids.get(key);
		if (!cached) {
			const { db, login, apiKey } = this.config;
			cached = this.transports[proto].authenticate(db, login, apiKey);
			this.uids.set(key, cached);
			cached.catch(() => this.uids.delete(key));
		}
		return cached;
	}

	private withCompany(kwargs: Record<string, OdooValue>): Record<string, OdooValue> {
		if (this.config.companyId === undefined) return kwargs;
		const context = { ...((kwargs.context as OdooContext | undefined) ?? {}) };
		context.allowed_company_ids ??= [this.config.companyId];
		return { ...kwargs, context };
	}

	async call<T>(
		model: string,
		method: string,
		args: OdooValue[] = [],
		kwargs: Record<string, OdooValue> = {},
	): Promise<T> {
		const proto = await this.protocol();
		// JSON-2 checks the key per request; it needs no uid.
		const userId = proto === 'json2' ? 0 : await this.uid();
		const { db, apiKey } = this.config;
		const once = () =>
			attempt(() =>
				this.transports[proto].execute(
					{ db, uid: userId, apiKey },
					model,
					method,
					args,
					this.withCompany(kwargs),
				),
			);
		let outcome = await once();
		// Each call is one transaction on the server: one refused by a numbering race wrote nothing,
		// so the same call again takes the next number.
		for (let retry = 0; retry < NUMBERING_RACE_RETRIES && !outcome.ok; retry++) {
			if (!isNumberingRace(toOdooError(outcome.error))) break;
			outcome = await once();
		}
		if (outcome.ok) return outcome.value as T;
		const error = toOdooError(outcome.error);
		// A revoked key invalidates the cached uid; the next call re-authenticates.
		if (error.kind === 'access_denied') this.uids.delete(credentialKey(this.config, proto));
		throw error;
	}
}

type Call = OdooClient['call'];

/** The ORM methods, each one `call`. */
function recordMethods(
	call: Call,
): Pick<OdooClient, 'searchRead' | 'search' | 'read' | 'create' | 'write' | 'unlink'> {
	return {
		searchRead: (model, domain, o = {}) =>
			call(model, 'search_read', [domain], {
				fields: o.fields,
				offset: o.offset,
				limit: o.limit,
				order: o.order,
				context: o.context,
			}),
		search: (model, domain, o = {}) =>
			call(model, 'search', [domain], {
				offset: o.offset,
				limit: o.limit,
				order: o.order,
				context: o.context,
			}),
		read: (model, ids, fields, context) => call(model, 'read', [ids], { fields, context }),
		create: async (model, valsList, context) => {
			if (valsList.length === 0) return [];
			const result = await call<number[] | number>(model, 'create', [valsList], { context });
			return Array.isArray(result) ? result : [result];
		},
		write: (model, ids, vals, context) => call(model, 'write', [ids, vals], { context }),
		unlink: (model, ids, context) => call(model, 'unlink', [ids], { context }),
	};
}

export function createOdooClient(
	config: OdooClientConfig,
	options: OdooClientOptions = {},
): OdooClient {
	checkConfig(config);
	registerSecret(config.apiKey);
	const session = new OdooSession(config, options);
	const call: Call = (model, method, args, kwargs) => session.call(model, method, args, kwargs);
	const version = () => session.version();
	return {
		config: Object.freeze({
			url: config.url,
			db: config.db,
			login: config.login,
			protocol: config.protocol,
			companyId: config.companyId,
			timeoutMs: config.timeoutMs,
		}),
		get roundTrips() {
			return session.roundTrips;
		},
		version,
		serverVersion: async () => (await version()).major,
		protocol: () => session.protocol(),
		uid: () => session.uid(),
		call,
		...recordMethods(call),
	};
}

/** Pages through `search_read` (ordered, so pages are stable) without holding everything in memory. */
export async function* iterateSearchRead<T extends OdooRecord = OdooRecord>(
	client: OdooClient,
	model: string,
	domain: OdooDomain,
	options: {
		fields?: string[];
		pageSize?: number;
		order?: string;
		context?: OdooContext;
		maxPages?: number;
	} = {},
): AsyncGenerator<T[], void, undefined> {
	const pageSize = options.pageSize ?? 500;
	const maxPages = options.maxPages ?? 100_000;
	const order = options.order ?? 'id asc';
	for (let page = 0, offset = 0; page < maxPages; page++) {
		const records = await client.searchRead<T>(model, domain, {
			fields: options.fields,
			offset,
			limit: pageSize,
			order,
			context: options.context,
		});
		if (records.length > 0) yield records;
		if (records.length < pageSize) return;
		offset += records.length;
	}
	throw new OdooError(
		`Stopped reading ${model} after ${maxPages} pages of ${pageSize}: raise maxPages if that is expected`,
	);
}
