/**
 * A protocol-faithful QuickBooks Online emulator on 127.0.0.1, built from Intuit's public docs:
 * - OAuth 2.0: authorize endpoint (redirects with code, state, realmId), token endpoint with the
 *   authorization_code and refresh_token grants (HTTP Basic client auth, rotating refresh tokens,
 *   configurable access-token lifetime);
 * - Accounting API `/v3/company/{realm}/…`: query, bill, vendorcredit, vendor, account, class,
 *   department, term, purchaseorder, customer, employee, batch, cdc (change data capture, cdc.ts);
 *   transactions deleted with `operation=delete` (reported by CDC as `status: "Deleted"`), name
 *   lists only made inactive; fully-qualified names of sub-accounts, classes and departments;
 *   record times in the company's time zone (clock.ts); SyncToken checks (5010), DisplayName unique across
 *   vendors, customers and employees (6240), duplicate DocNumber per vendor compared without
 *   regard to case (6140, only while the company's "Warn if duplicate bill number is used"
 *   preference is on, as in QuickBooks), invalid references (2500), DocNumber length (2050),
 *   masked TaxIdentifier, `requestid` replay;
 * - 401 `AuthenticationFailed` JSON body; `invalid_grant` from the token endpoint for a revoked or
 *   expired refresh token; 429 with the XML `ThrottleExceeded` body when more than the documented
 *   limits arrive (500 requests / 40 batch requests a minute, 10 a second, 10 concurrent);
 * - round-trip counters, and hooks for tests (intercept a request, act after one was answered —
 *   e.g. another run creating a vendor right after our vendor query —, expire tokens, touch a record).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { cdcAnswer } from './cdc';
import { companyClock, type CompanyClock } from './clock';
import { Fault } from './fault';
import { fieldValue, matches, parseQuery, QueryParseError } from './query-language';

export interface EmulatorLimits {
	requestsPerWindow: number;
	batchPerWindow: number;
	maxConcurrent: number;
	/** Requests per second (Intuit: 10 per realm and app); the second shrinks with the window. */
	requestsPerSecond: number;
	/** Length of the throttle window; 60 000 ms is Intuit's minute. Benchmarks may scale it. */
	windowMs: number;
	/** Send a Retry-After header (seconds) on 429; Intuit's docs only say "wait 60 seconds". */
	retryAfterSec?: number;
}

export interface EmulatorSeed {
	accounts?: Array<
		Record<string, unknown> & { Id?: string; Name: string; AccountType?: string; AcctNum?: string }
	>;
	classes?: Array<Record<string, unknown> & { Id?: string; Name: string }>;
	departments?: Array<Record<string, unknown> & { Id?: string; Name: string }>;
	terms?: Array<Record<string, unknown> & { Id?: string; Name: string }>;
	vendors?: Array<Record<string, unknown> & { DisplayName: string }>;
	/** Seeded after vendors and accounts, which they reference. */
	purchaseOrders?: Array<Record<string, unknown> & { Id?: string }>;
	customers?: Array<{ Id?: string; DisplayName: string }>;
	employees?: Array<{ Id?: string; DisplayName: string }>;
}

export interface EmulatorPreferences {
	/**
	 * Settings → Advanced → "Warn if duplicate bill number is used": while on, a Bill whose
	 * DocNumber another bill of the same vendor has (case aside) is refused with 6140; while off,
	 * QuickBooks takes it. Default on.
	 */
	warnDuplicateBillNumber?: boolean;
}

export interface EmulatorOptions {
	accessTokenTtlSec?: number;
	preferences?: EmulatorPreferences;
	/** true → Intuit's limits with a 60 s window; an object to scale them. */
	enforceLimits?: boolean | Partial<EmulatorLimits>;
	latencyMs?: number;
	seed?: EmulatorSeed;
	realmId?: string;
	port?: number;
	/** The company's UTC offset in minutes (record times carry it); default -420 (-07:00). */
	utcOffsetMinutes?: number;
}

export interface InterceptedRequest {
	method: string;
	/** Path after `/v3/company/{realm}/`, e.g. `batch`, `bill`, `query`. */
	resource: string;
	query: URLSearchParams;
	body: any;
}

export type InterceptResult =
	{ status: number; headers?: Record<string, string>; body: string | object } | undefined;

/** A request and the answer about to be sent (`answer`: the JSON body, e.g. `{ QueryResponse }` or `{ BatchItemResponse }`). */
export interface AnsweredRequest extends InterceptedRequest {
	status: number;
	answer: any;
}

export interface EmulatorCounters {
	requests: number;
	byResource: Record<string, number>;
	batchRequests: number;
	batchItems: number;
	queries: number;
	throttled: number;
	/** Why requests were throttled. */
	throttledBy: { concurrency: number; second: number; minute: number; batchMinute: number };
	unauthorized: number;
	tokenGrants: { authorization_code: number; refresh_token: number };
	/** Token requests refused (`invalid_grant` and the like). */
	tokenRefusals: number;
	created: Record<string, number>;
	updated: Record<string, number>;
	replayedRequestIds: number;
	maxConcurrentSeen: number;
}

export type Entity = Record<string, any> & { Id: string; SyncToken: string };

export interface QuickBooksEmulator {
	url: string;
	tokenUrl: string;
	authUrl: string;
	realmId: string;
	clientId: string;
	clientSecret: string;
	/** Issues a fresh token pair without the browser dance (what a completed OAuth flow yields). */
	issueTokens(): { access_token: string; refresh_token: string; expires_in: number };
	/** Every current access token stops working (as after its hour is up). */
	expireAccessTokens(): void;
	/** The current access tokens stop working after `requests` more authorised API requests: an expiry in the middle of a run. */
	expireAccessTokensAfter(requests: number): void;
	/** The user revoked the app (or the refresh token expired): every refresh token stops working. */
	revokeRefreshTokens(): void;
	/** Simulates a user editing a record in QuickBooks: bumps its SyncToken. */
	touch(entity: string, id: string): void;
	/** Called for every authenticated API request; return a response to answer instead. */
	intercept?: (request: InterceptedRequest) => InterceptResult;
	/**
	 * Called after a request was processed and before its answer is sent: what happens here lands
	 * between the client's request and its next one, deterministically (a race made reproducible).
	 */
	afterRequest?: (request: AnsweredRequest) => void;
	/** Creates a record as another API client would (same validation: 6240, 2500, …); counted in `created`. */
	createRecord(entity: string, body: Record<string, unknown>): Entity;
	/** Updates a record as a user would (sparse, SyncToken taken care of); counted in `updated`. */
	updateRecord(entity: string, id: string, changes: Record<string, unknown>): Entity;
	/** Deletes a transaction as a user would; CDC reports it as deleted. */
	deleteRecord(entity: string, id: string): void;
	/** The company's clock; `clock.shift(ms)` moves it (record times, CDC's look-back). */
	clock: CompanyClock;
	store: Map<string, Map<string, Entity>>;
	counters: EmulatorCounters;
	limits?: EmulatorLimits;
	stop(): Promise<void>;
}

const ENTITY_BY_RESOURCE: Record<string, string> = {
	bill: 'Bill',
	vendorcredit: 'VendorCredit',
	vendor: 'Vendor',
	account: 'Account',
	class: 'Class',
	department: 'Department',
	term: 'Term',
	purchaseorder: 'PurchaseOrder',
	customer: 'Customer',
	employee: 'Employee',
};
const NAME_LIST = new Set([
	'Vendor',
	'Account',
	'Class',
	'Department',
	'Term',
	'Customer',
	'Employee',
]);
const PERSON = ['Vendor', 'Customer', 'Employee'];
/** Lists whose records may be sub-records of another (`ParentRef`), named `Parent:Child`. */
const HIERARCHY: Record<string, string> = {
	Account: 'SubAccount',
	Class: 'SubClass',
	Department: 'SubDepartment',
};
/** Entities that can be deleted; name lists can only be made inactive. */
const DELETABLE = new Set(['Bill', 'VendorCredit', 'PurchaseOrder']);
const EXPENSE_LINE_TYPES = new Set(['AccountBasedExpenseLineDetail', 'ItemBasedExpenseLineDetail']);
/** Vendor.Notes: free-form text, at most 2,000 characters. */
const MAX_NOTES = 2000;

/** Today's date (UTC) for a transaction without TxnDate. */
const today = () => new Date().toISOString().slice(0, 10);

type SortKey = { n: number } | { s: string };

/** How ORDERBY compares a value: ids and amounts as numbers, record times as instants, else text. */
function sortKey(value: unknown): SortKey {
	if (typeof value === 'number') return { n: value };
	const text = String(value ?? '');
	if (/^-?\d+(\.\d+)?$/.test(text)) return { n: Number(text) };
	if (/^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(Date.parse(text)))
		return { n: Date.parse(text) };
	return { s: text.toLowerCase() };
}

function compareKeys(a: SortKey, b: SortKey): number {
	if ('n' in a && 'n' in b) return a.n - b.n;
	if ('n' in a) return -1;
	if ('n' in b) return 1;
	return a.s < b.s ? -1 : a.s > b.s ? 1 : 0;
}

function toCents(amount: unknown, element: string): bigint {
	if (typeof amount !== 'number' || !Number.isFinite(amount)) {
		throw new Fault(
			400,
			'2020',
			'Required param missing, need to supply the required value for the API',
			`Required parameter ${element} is missing in the request`,
			'ValidationFault',
			element,
		);
	}
	const [int, frac = ''] = amount.toFixed(2).split('.');
	return BigInt(int) * 100n + (int.startsWith('-') ? -1n : 1n) * BigInt(frac.padEnd(2, '0'));
}

function centsToNumber(cents: bigint): number {
	return Number(cents) / 100;
}

export async function startQuickBooksEmulator(
	options: EmulatorOptions = {},
): Promise<QuickBooksEmulator> {
	const realmId = options.realmId ?? '9341453050000001';
	const clientId = `ABemu${randomBytes(8).toString('hex')}`;
	const clientSecret = randomBytes(20).toString('hex');
	const ttlMs = (options.accessTokenTtlSec ?? 3600) * 1000;
	const latencyMs = options.latencyMs ?? 0;
	const warnDuplicateBillNumber = options.preferences?.warnDuplicateBillNumber ?? true;
	const limits: EmulatorLimits | undefined = options.enforceLimits
		? {
				requestsPerWindow: 500,
				batchPerWindow: 40,
				maxConcurrent: 10,
				requestsPerSecond: 10,
				windowMs: 60_000,
				...(typeof options.enforceLimits === 'object' ? options.enforceLimits : {}),
			}
		: undefined;

	const accessTokens = new Map<string, { expiresAt: number; realmId: string }>();
	let expireAfter: number | undefined;
	const refreshTokens = new Map<string, { realmId: string }>();
	const authCodes = new Map<string, { realmId: string; redirectUri: string }>();
	const clock = companyClock(options.utcOffsetMinutes);
	const store = new Map<string, Map<string, Entity>>();
	for (const e of Object.values(ENTITY_BY_RESOURCE)) store.set(e, new Map());
	/** Entity → Id → when it was deleted (CDC reports deletions). */
	const tombstones = new Map<string, Map<string, string>>();
	const deletedOf = (entity: string) => {
		let map = tombstones.get(entity);
		if (!map) tombstones.set(entity, (map = new Map()));
		return map;
	};
	let nextId = 1;
	const requestIdCache = new Map<string, { status: number; body: unknown }>();
	const arrivals: Array<{ at: number; batch: boolean }> = [];
	let inFlight = 0;

	const counters: EmulatorCounters = {
		requests: 0,
		byResource: {},
		batchRequests: 0,
		batchItems: 0,
		queries: 0,
		throttled: 0,
		throttledBy: { concurrency: 0, second: 0, minute: 0, batchMinute: 0 },
		unauthorized: 0,
		tokenGrants: { authorization_code: 0, refresh_token: 0 },
		tokenRefusals: 0,
		created: {},
		updated: {},
		replayedRequestIds: 0,
		maxConcurrentSeen: 0,
	};

	const newToken = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;
	const issueTokens = () => {
		const access = newToken('eyJemuAT.');
		const refresh = newToken('RT1-emu-');
		accessTokens.set(access, { expiresAt: Date.now() + ttlMs, realmId });
		refreshTokens.set(refresh, { realmId });
		return { access_token: access, refresh_token: refresh, expires_in: Math.round(ttlMs / 1000) };
	};

	// ---- records -------------------------------------------------------------------------------

	const table = (entity: string) => store.get(entity)!;
	const nameOf = (e: Entity) => String(e.DisplayName ?? e.Name ?? '');
	const findByName = (entities: string[], name: string, exceptId?: string) => {
		const key = name.trim().toLowerCase();
		for (const entity of entities) {
			for (const rec of table(entity).values())
				if (rec.Id !== exceptId && nameOf(rec).trim().toLowerCase() === key) return rec;
		}
		return undefined;
	};
	const assertRef = (entity: string, ref: any, element: string) => {
		if (ref === undefined) return;
		const id = ref?.value;
		if (!id || !table(entity).has(String(id))) {
			throw new Fault(
				400,
				'2500',
				'Invalid Reference Id',
				`Invalid Reference Id : ${entity} element id ${String(id)} not found`,
				'ValidationFault',
				element,
			);
		}
	};
	const masked = (rec: Entity): Entity => {
		if (typeof rec.TaxIdentifier !== 'string') return structuredClone(rec);
		const copy = structuredClone(rec);
		copy.TaxIdentifier = `XXXXX${rec.TaxIdentifier.replace(/[^0-9A-Za-z]/g, '').slice(-4)}`;
		return copy;
	};

	/** `FullyQualifiedName` (`Parent:Child`) and the Sub… flag of an account, class or department. */
	const qualify = (entity: string, rec: Record<string, any>) => {
		const parentId = rec.ParentRef?.value;
		if (parentId !== undefined) {
			assertRef(entity, rec.ParentRef, 'ParentRef');
			if (String(parentId) === rec.Id)
				throw new Fault(
					400,
					'6000',
					'A business validation error has occurred',
					'A record cannot be its own parent',
				);
			rec.FullyQualifiedName = `${table(entity).get(String(parentId))!.FullyQualifiedName}:${rec.Name}`;
		} else rec.FullyQualifiedName = rec.Name;
		rec[HIERARCHY[entity]] = parentId !== undefined;
	};

	const validatePurchaseOrder = (rec: Record<string, any>) => {
		if (!rec.VendorRef?.value)
			throw new Fault(
				400,
				'2020',
				'Required param missing, need to supply the required value for the API',
				'Required parameter VendorRef is missing in the request',
				'ValidationFault',
				'VendorRef',
			);
		assertRef('Vendor', rec.VendorRef, 'VendorRef');
		rec.VendorRef = {
			value: String(rec.VendorRef.value),
			name: nameOf(table('Vendor').get(String(rec.VendorRef.value))!),
		};
		if (!Array.isArray(rec.Line) || rec.Line.length === 0)
			throw new Fault(
				400,
				'2020',
				'Required param missing, need to supply the required value for the API',
				'Required parameter Line is missing in the request',
				'ValidationFault',
				'Line',
			);
		let total = 0n;
		rec.Line.forEach((line: any, i: number) => {
			if (!EXPENSE_LINE_TYPES.has(line.DetailType) || !line[line.DetailType])
				throw new Fault(
					400,
					'2020',
					'Required param missing, need to supply the required value for the API',
					`Required parameter Line.DetailType is missing or unsupported in line ${i + 1}`,
				);
			const detail = line[line.DetailType];
			if (line.DetailType === 'AccountBasedExpenseLineDetail')
				assertRef('Account', detail.AccountRef, 'AccountRef');
			assertRef('Class', detail.ClassRef, 'ClassRef');
			if (detail.AccountRef)
				detail.AccountRef = {
					value: String(detail.AccountRef.value),
					name: table('Account').get(String(detail.AccountRef.value))!.Name,
				};
			if (detail.ClassRef)
				detail.ClassRef = {
					value: String(detail.ClassRef.value),
					name: table('Class').get(String(detail.ClassRef.value))!.FullyQualifiedName,
				};
			total += toCents(line.Amount, 'Line.Amount');
			line.Id ??= String(i + 1);
			line.LineNum = i + 1;
		});
		rec.TotalAmt = centsToNumber(total);
		rec.POStatus ??= 'Open';
		if (rec.POStatus !== 'Open' && rec.POStatus !== 'Closed')
			throw new Fault(
				400,
				'2010',
				'Request has invalid or unsupported property',
				`POStatus ${String(rec.POStatus)} is not Open or Closed`,
				'ValidationFault',
				'POStatus',
			);
		rec.CurrencyRef ??= { value: 'USD', name: 'United States Dollar' };
		rec.TxnDate ??= today();
	};

	const validate = (entity: string, rec: Record<string, any>) => {
		if (entity === 'Vendor' && typeof rec.Notes === 'string' && rec.Notes.length > MAX_NOTES)
			throw new Fault(
				400,
				'2050',
				'String length is either shorter or longer than supported by specification',
				`String length specified does not match the supported length. Min:0 Max:${MAX_NOTES} supported. Supplied length:${rec.Notes.length}`,
				'ValidationFault',
				'Notes',
			);
		if (entity === 'Term') rec.Type ??= 'STANDARD';
		if (entity === 'PurchaseOrder') validatePurchaseOrder(rec);
		if (NAME_LIST.has(entity)) {
			const name =
				entity === 'Vendor' || entity === 'Customer' || entity === 'Employee'
					? rec.DisplayName
					: rec.Name;
			if (typeof name !== 'string' || !name.trim()) {
				throw new Fault(
					400,
					'2020',
					'Required param missing, need to supply the required value for the API',
					`Required parameter ${PERSON.includes(entity) ? 'DisplayName' : 'Name'} is missing in the request`,
				);
			}
			if (name.includes(':') || /[\t\n]/.test(name)) {
				throw new Fault(
					400,
					'2170',
					'Invalid String',
					`Invalid string: name contains a colon, tab or newline: ${name}`,
				);
			}
			if (HIERARCHY[entity]) qualify(entity, rec);
			const clash = PERSON.includes(entity)
				? findByName(PERSON, name, rec.Id)
				: HIERARCHY[entity]
					? [...table(entity).values()].find(
							(other) =>
								other.Id !== rec.Id &&
								String(other.FullyQualifiedName).toLowerCase() ===
									String(rec.FullyQualifiedName).toLowerCase(),
						)
					: findByName([entity], name, rec.Id);
			if (clash) {
				throw new Fault(
					400,
					'6240',
					'Duplicate Name Exists Error',
					`The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name. : Id=${clash.Id}`,
				);
			}
		}
		if (entity === 'Bill' || entity === 'VendorCredit') {
			if (!rec.VendorRef?.value) {
				throw new Fault(
					400,
					'2020',
					'Required param missing, need to supply the required value for the API',
					'Required parameter VendorRef is missing in the request',
					'ValidationFault',
					'VendorRef',
				);
			}
			assertRef('Vendor', rec.VendorRef, 'VendorRef');
			if (table('Vendor').get(String(rec.VendorRef.value))?.Active === false) {
				throw new Fault(
					400,
					'610',
					'Object Not Found',
					`Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.`,
					'ValidationFault',
					'VendorRef',
				);
			}
			assertRef('Department', rec.DepartmentRef, 'DepartmentRef');
			if (rec.DocNumber !== undefined && String(rec.DocNumber).length > 21) {
				throw new Fault(
					400,
					'2050',
					'String length is either shorter or longer than supported by specification',
					'String length specified does not match the supported length. Min:0 Max:21 supported. Supplied length:' +
						String(rec.DocNumber).length,
					'ValidationFault',
					'DocNumber',
				);
			}
			if (!Array.isArray(rec.Line) || rec.Line.length === 0) {
				throw new Fault(
					400,
					'2020',
					'Required param missing, need to supply the required value for the API',
					'Required parameter Line is missing in the request',
					'ValidationFault',
					'Line',
				);
			}
			let total = 0n;
			rec.Line.forEach((line: any, i: number) => {
				if (
					line.DetailType !== 'AccountBasedExpenseLineDetail' ||
					!line.AccountBasedExpenseLineDetail
				) {
					throw new Fault(
						400,
						'2020',
						'Required param missing, need to supply the required value for the API',
						`Required parameter Line.DetailType is missing or unsupported in line ${i + 1}`,
					);
				}
				const detail = line.AccountBasedExpenseLineDetail;
				if (!detail.AccountRef) {
					throw new Fault(
						400,
						'2020',
						'Required param missing, need to supply the required value for the API',
						'Required parameter AccountRef is missing in the request',
						'ValidationFault',
						'Line.AccountBasedExpenseLineDetail.AccountRef',
					);
				}
				assertRef('Account', detail.AccountRef, 'AccountRef');
				assertRef('Class', detail.ClassRef, 'ClassRef');
				total += toCents(line.Amount, 'Line.Amount');
				line.Id = String(i + 1);
				line.LineNum = i + 1;
			});
			rec.TotalAmt = centsToNumber(total);
			if (entity === 'Bill') rec.Balance = rec.TotalAmt;
			if (rec.DocNumber && warnDuplicateBillNumber) {
				const number = String(rec.DocNumber).toLowerCase();
				for (const other of table(entity).values()) {
					if (
						other.Id !== rec.Id &&
						String(other.DocNumber ?? '').toLowerCase() === number &&
						other.VendorRef?.value === rec.VendorRef.value
					) {
						throw new Fault(
							400,
							'6140',
							'Duplicate Document Number Error',
							`Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${rec.DocNumber} is assigned to TxnType=${entity} with TxnId=${other.Id}`,
						);
					}
				}
			}
		}
	};

	const create = (entity: string, body: Record<string, any>): Entity => {
		if (body.Id !== undefined)
			throw new Fault(
				400,
				'2020',
				'Request has invalid or unsupported property',
				'Id must not be sent on create',
			);
		const rec: Record<string, any> = structuredClone(body);
		delete rec.sparse;
		rec.Id = String(nextId++);
		rec.SyncToken = '0';
		if (NAME_LIST.has(entity) && rec.Active === undefined) rec.Active = true;
		if (entity === 'Bill' || entity === 'VendorCredit') rec.TxnDate ??= today();
		validate(entity, rec);
		const stamp = clock.stamp();
		rec.MetaData = { CreateTime: stamp, LastUpdatedTime: stamp };
		table(entity).set(rec.Id, rec as Entity);
		counters.created[entity] = (counters.created[entity] ?? 0) + 1;
		return masked(rec as Entity);
	};

	const update = (entity: string, body: Record<string, any>): Entity => {
		const existing = body.Id === undefined ? undefined : table(entity).get(String(body.Id));
		if (!existing)
			throw new Fault(
				400,
				'610',
				'Object Not Found',
				`Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.`,
			);
		if (body.SyncToken === undefined)
			throw new Fault(
				400,
				'2020',
				'Required param missing, need to supply the required value for the API',
				'Required parameter SyncToken is missing in the request',
			);
		if (String(body.SyncToken) !== existing.SyncToken) {
			throw new Fault(
				400,
				'5010',
				'Stale Object Error',
				`Stale Object Error : You and another user were working on this at the same time. The other user finished before you did, so your work was not saved.`,
			);
		}
		const sparse = body.sparse === true;
		const next: Record<string, any> = sparse
			? { ...structuredClone(existing), ...structuredClone(body) }
			: { ...structuredClone(body), MetaData: existing.MetaData };
		delete next.sparse;
		// A masked tax id echoed back is not a new tax id.
		if (typeof next.TaxIdentifier === 'string' && next.TaxIdentifier.startsWith('XXXXX'))
			next.TaxIdentifier = existing.TaxIdentifier;
		next.Id = existing.Id;
		validate(entity, next);
		next.SyncToken = String(Number(existing.SyncToken) + 1);
		next.MetaData = { ...existing.MetaData, LastUpdatedTime: clock.stamp() };
		table(entity).set(existing.Id, next as Entity);
		counters.updated[entity] = (counters.updated[entity] ?? 0) + 1;
		return masked(next as Entity);
	};

	const runQuery = (statement: string) => {
		counters.queries++;
		let q;
		try {
			q = parseQuery(statement);
		} catch (error) {
			if (error instanceof QueryParseError)
				throw new Fault(400, '4000', 'Error parsing query', `QueryParserError: ${error.message}`);
			throw error;
		}
		const entity = Object.values(ENTITY_BY_RESOURCE).find(
			(e) => e.toLowerCase() === q.entity.toLowerCase(),
		);
		if (!entity)
			throw new Fault(
				400,
				'4001',
				'Invalid query',
				`QueryValidationError: Property or entity ${q.entity} not found`,
			);
		let rows = [...table(entity).values()];
		// Name lists answer active records only unless the query asks about Active.
		if (NAME_LIST.has(entity) && !q.where.some((c) => c.field.toLowerCase() === 'active'))
			rows = rows.filter((r) => r.Active !== false);
		rows = rows.filter((r) => matches(r, q.where));
		if (q.count) return { QueryResponse: { totalCount: rows.length } };
		if (q.orderBy) {
			const field = q.orderBy.field;
			const direction = q.orderBy.desc ? -1 : 1;
			// Keys computed once per row: ids and amounts compare as numbers, times as instants.
			const keyed = rows.map((row) => ({ row, key: sortKey(fieldValue(row, field)) }));
			keyed.sort((a, b) => compareKeys(a.key, b.key) * direction);
			rows = keyed.map((k) => k.row);
		}
		const page = rows.slice(q.startPosition - 1, q.startPosition - 1 + q.maxResults).map(masked);
		if (page.length === 0) return { QueryResponse: {} };
		return {
			QueryResponse: { [entity]: page, startPosition: q.startPosition, maxResults: page.length },
		};
	};

	/** `operation=delete`: transactions only; name lists are made inactive instead (Intuit). */
	const remove = (entity: string, body: Record<string, any>): Entity => {
		if (!DELETABLE.has(entity))
			throw new Fault(
				400,
				'2020',
				'Operation not supported',
				`Operation Delete is not supported for ${entity}: make it inactive (Active = false)`,
			);
		const existing = body.Id === undefined ? undefined : table(entity).get(String(body.Id));
		if (!existing)
			throw new Fault(
				400,
				'610',
				'Object Not Found',
				`Object Not Found : ${entity} ${String(body.Id)}`,
			);
		if (String(body.SyncToken) !== existing.SyncToken)
			throw new Fault(
				400,
				'5010',
				'Stale Object Error',
				`Stale Object Error : You and another user were working on this at the same time. The other user finished before you did, so your work was not saved.`,
			);
		table(entity).delete(existing.Id);
		deletedOf(entity).set(existing.Id, clock.stamp());
		return { Id: existing.Id, status: 'Deleted', domain: 'QBO' } as unknown as Entity;
	};

	const runEntityOp = (entity: string, operation: string, body: any): Entity => {
		if (!body || typeof body !== 'object')
			throw new Fault(
				400,
				'2020',
				'Request has invalid or unsupported property',
				'Missing request body',
			);
		if (operation === 'create') return create(entity, body);
		if (operation === 'update') return update(entity, body);
		if (operation === 'delete') return remove(entity, body);
		throw new Fault(
			400,
			'2020',
			'Operation not supported',
			`Operation ${operation} is not supported by this emulator`,
		);
	};

	const runBatch = (body: any) => {
		const items = body?.BatchItemRequest;
		if (!Array.isArray(items) || items.length === 0)
			throw new Fault(400, '2020', 'Required param missing', 'BatchItemRequest is required');
		if (items.length > 30)
			throw new Fault(
				400,
				'2030',
				'Batch item limit exceeded',
				`Batch request may contain at most 30 items, got ${items.length}`,
			);
		counters.batchItems += items.length;
		// Items run serially; each gets its own result or Fault.
		const BatchItemResponse = items.map((item: any) => {
			const bId = item.bId;
			try {
				if (typeof item.Query === 'string')
					return { bId, QueryResponse: runQuery(item.Query).QueryResponse };
				const entity = Object.keys(item).find((k) => Object.values(ENTITY_BY_RESOURCE).includes(k));
				if (!entity)
					throw new Fault(
						400,
						'2020',
						'Request has invalid or unsupported property',
						'No entity in batch item',
					);
				return { bId, [entity]: runEntityOp(entity, item.operation, item[entity]) };
			} catch (error) {
				if (error instanceof Fault) return { bId, Fault: error.toJSON() };
				throw error;
			}
		});
		return { BatchItemResponse, time: clock.time() };
	};

	const cdcStore = {
		entity: (name: string) =>
			Object.values(ENTITY_BY_RESOURCE).find((e) => e.toLowerCase() === name.toLowerCase()),
		records: (entity: string) => table(entity).values(),
		deleted: deletedOf,
		answer: masked,
	};

	// ---- HTTP ------------------------------------------------------------------------------------

	const readBody = (req: IncomingMessage) =>
		new Promise<string>((resolve, reject) => {
			const chunks: Buffer[] = [];
			let size = 0;
			req.on('data', (c: Buffer) => {
				size += c.length;
				if (size > 10 * 1024 * 1024) {
					reject(new Error('body too large'));
					req.destroy();
					return;
				}
				chunks.push(c);
			});
			req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
			req.on('error', reject);
		});

	const send = (
		res: ServerResponse,
		status: number,
		body: unknown,
		headers: Record<string, string> = {},
	) => {
		const text = typeof body === 'string' ? body : JSON.stringify(body);
		const type =
			typeof body === 'string' && text.startsWith('<')
				? 'application/xml'
				: 'application/json;charset=UTF-8';
		res.writeHead(status, {
			'Content-Type': type,
			intuit_tid: randomBytes(8).toString('hex'),
			...headers,
		});
		res.end(text);
	};

	const throttleXml = () =>
		`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="${clock.time()}"><Fault type="SERVICE"><Error code="3001" element=""><Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message><Detail>The request limit was reached.</Detail></Error></Fault></IntuitResponse>`;

	const unauthorized = (res: ServerResponse, detail: string) => {
		counters.unauthorized++;
		send(
			res,
			401,
			{
				warnings: null,
				intuitObject: null,
				fault: {
					error: [
						{
							message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401',
							detail,
							code: '3200',
							element: null,
						},
					],
					type: 'AUTHENTICATION',
				},
				report: null,
				queryResponse: null,
				batchItemResponse: [],
				requestId: null,
				time: Date.now(),
				status: null,
			},
			{ 'WWW-Authenticate': 'Bearer realm="Intuit", error="invalid_token"' },
		);
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

	/** Which limit a request arriving now would break, counting requests over the sliding window and second. */
	const overLimit = (batch: boolean): keyof EmulatorCounters['throttledBy'] | undefined => {
		if (!limits) return undefined;
		const t = Date.now();
		while (arrivals.length && arrivals[0].at <= t - limits.windowMs) arrivals.shift();
		const second = limits.windowMs / 60;
		if (inFlight >= limits.maxConcurrent) return 'concurrency';
		if (arrivals.filter((a) => a.at > t - second).length >= limits.requestsPerSecond)
			return 'second';
		if (arrivals.length >= limits.requestsPerWindow) return 'minute';
		if (batch && arrivals.filter((a) => a.batch).length >= limits.batchPerWindow)
			return 'batchMinute';
		return undefined;
	};

	const handleApi = async (
		req: IncomingMessage,
		res: ServerResponse,
		url: URL,
		match: RegExpExecArray,
	) => {
		const [, realm, resourcePath] = match;
		const auth = req.headers.authorization ?? '';
		const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
		const session = accessTokens.get(token);
		if (!session || session.expiresAt <= Date.now()) {
			unauthorized(res, token ? `Token expired: ${token}` : 'Authorization header missing');
			return;
		}
		if (expireAfter !== undefined && --expireAfter < 0) {
			expireAfter = undefined;
			accessTokens.clear();
			unauthorized(res, `Token expired: ${token}`);
			return;
		}
		if (session.realmId !== realm) {
			send(res, 403, {
				Fault: new Fault(
					403,
					'3100',
					'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403',
					'The token does not grant access to this company',
					'AUTHORIZATION',
				).toJSON(),
				time: clock.time(),
			});
			return;
		}
		const raw = await readBody(req);
		const [resource, id] = resourcePath.split('/');
		const lower = resource.toLowerCase();
		const isBatch = lower === 'batch';
		counters.requests++;
		counters.byResource[lower] = (counters.byResource[lower] ?? 0) + 1;
		const broken = overLimit(isBatch);
		if (broken) {
			counters.throttled++;
			counters.throttledBy[broken]++;
			send(
				res,
				429,
				throttleXml(),
				limits?.retryAfterSec !== undefined ? { 'Retry-After': String(limits.retryAfterSec) } : {},
			);
			return;
		}
		arrivals.push({ at: Date.now(), batch: isBatch });
		inFlight++;
		counters.maxConcurrentSeen = Math.max(counters.maxConcurrentSeen, inFlight);
		try {
			if (latencyMs) await new Promise((r) => setTimeout(r, latencyMs));
			let body: any;
			const contentType = req.headers['content-type'] ?? '';
			if (raw && contentType.includes('json')) {
				try {
					body = JSON.parse(raw);
				} catch {
					send(res, 400, {
						Fault: new Fault(
							400,
							'2020',
							'Request has invalid or unsupported property',
							'Request body is not valid JSON',
						).toJSON(),
						time: clock.time(),
					});
					return;
				}
			} else {
				body = raw;
			}
			if (isBatch) counters.batchRequests++;
			const intercepted = emulator.intercept?.({
				method: req.method ?? 'GET',
				resource: resourcePath,
				query: url.searchParams,
				body,
			});
			if (intercepted) {
				send(res, intercepted.status, intercepted.body, intercepted.headers);
				return;
			}
			const requestId = url.searchParams.get('requestid');
			const cacheKey = requestId ? `${lower}|${requestId}` : undefined;
			if (cacheKey && requestIdCache.has(cacheKey)) {
				counters.replayedRequestIds++;
				const cached = requestIdCache.get(cacheKey)!;
				send(res, cached.status, cached.body);
				return;
			}
			let status = 200;
			let answer: unknown;
			try {
				if (lower === 'query') {
					const statement =
						req.method === 'POST' ? String(body) : (url.searchParams.get('query') ?? '');
					answer = { ...runQuery(statement), time: clock.time() };
				} else if (isBatch && req.method === 'POST') {
					answer = runBatch(body);
				} else if (lower === 'cdc' && req.method === 'GET') {
					answer = cdcAnswer(url.searchParams, cdcStore, clock);
				} else if (ENTITY_BY_RESOURCE[lower]) {
					const entity = ENTITY_BY_RESOURCE[lower];
					if (req.method === 'GET' && id) {
						const rec = table(entity).get(id);
						if (!rec)
							throw new Fault(400, '610', 'Object Not Found', `Object Not Found : ${entity} ${id}`);
						answer = { [entity]: masked(rec), time: clock.time() };
					} else if (req.method === 'POST' && !id) {
						const op =
							url.searchParams.get('operation') ?? (body?.Id !== undefined ? 'update' : 'create');
						answer = { [entity]: runEntityOp(entity, op, body), time: clock.time() };
					} else {
						throw new Fault(
							405,
							'2020',
							'Unsupported operation',
							`${req.method} ${resourcePath} is not supported`,
						);
					}
				} else {
					throw new Fault(
						400,
						'2020',
						'Unsupported resource',
						`Resource ${resource} is not emulated`,
					);
				}
			} catch (error) {
				if (!(error instanceof Fault)) throw error;
				status = error.status;
				answer = { Fault: error.toJSON(), time: clock.time() };
			}
			if (cacheKey && req.method === 'POST') requestIdCache.set(cacheKey, { status, body: answer });
			emulator.afterRequest?.({
				method: req.method ?? 'GET',
				resource: resourcePath,
				query: url.searchParams,
				body,
				status,
				answer,
			});
			send(res, status, answer);
		} finally {
			inFlight--;
		}
	};

	const server: Server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const run = async () => {
			if (req.method === 'GET' && url.pathname === '/connect/oauth2')
				return handleAuthorize(url, res);
			if (req.method === 'POST' && url.pathname === '/oauth2/v1/tokens/bearer')
				return handleToken(req, res);
			const match = /^\/v3\/company\/([^/]+)\/(.+)$/.exec(url.pathname);
			if (match) return handleApi(req, res, url, match);
			send(res, 404, { error: 'not_found' });
		};
		run().catch((error) => {
			if (!res.headersSent)
				send(res, 500, {
					Fault: {
						Error: [
							{
								Message: 'Internal emulator error',
								Detail: String(error?.message ?? error),
								code: '10000',
							},
						],
						type: 'SystemFault',
					},
				});
			else res.destroy();
		});
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	// Seed after the helpers exist, through the same validation as API writes.
	const seed = options.seed ?? {};
	const seedInto = (entity: string, rows: Array<Record<string, any>> | undefined) => {
		for (const row of rows ?? []) {
			const { Id, ...rest } = row;
			const rec = create(entity, rest);
			if (Id !== undefined && Id !== rec.Id) {
				const stored = table(entity).get(rec.Id)!;
				table(entity).delete(rec.Id);
				stored.Id = String(Id);
				table(entity).set(stored.Id, stored);
				nextId = Math.max(nextId, Number(Id) + 1 || nextId);
			}
		}
		counters.created[entity] = 0;
	};
	seedInto(
		'Account',
		seed.accounts?.map((a) => ({ AccountType: 'Expense', ...a })),
	);
	seedInto('Class', seed.classes);
	seedInto('Department', seed.departments);
	seedInto('Term', seed.terms);
	seedInto('Customer', seed.customers);
	seedInto('Employee', seed.employees);
	seedInto('Vendor', seed.vendors);
	seedInto('PurchaseOrder', seed.purchaseOrders);
	for (const k of Object.keys(counters.created)) delete counters.created[k];

	const sockets = new Set<import('node:net').Socket>();
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});

	const emulator: QuickBooksEmulator = {
		url: base,
		tokenUrl: `${base}/oauth2/v1/tokens/bearer`,
		authUrl: `${base}/connect/oauth2`,
		realmId,
		clientId,
		clientSecret,
		issueTokens,
		expireAccessTokens: () => accessTokens.clear(),
		revokeRefreshTokens: () => refreshTokens.clear(),
		expireAccessTokensAfter: (requests: number) => {
			expireAfter = requests;
		},
		touch: (entity, id) => {
			const rec = table(entity).get(id);
			if (!rec) throw new Error(`No ${entity} ${id}`);
			rec.SyncToken = String(Number(rec.SyncToken) + 1);
			rec.MetaData = { ...rec.MetaData, LastUpdatedTime: clock.stamp() };
		},
		createRecord: (entity, body) => {
			if (!store.has(entity)) throw new Error(`Entity ${entity} is not emulated`);
			return create(entity, body);
		},
		updateRecord: (entity, id, changes) => {
			const rec = table(entity).get(id);
			if (!rec) throw new Error(`No ${entity} ${id}`);
			return update(entity, { ...changes, Id: id, SyncToken: rec.SyncToken, sparse: true });
		},
		deleteRecord: (entity, id) => {
			const rec = table(entity).get(id);
			if (!rec) throw new Error(`No ${entity} ${id}`);
			remove(entity, { Id: id, SyncToken: rec.SyncToken });
		},
		clock,
		store,
		counters,
		limits,
		stop: () =>
			new Promise<void>((resolve) => {
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			}),
	};
	return emulator;
}
