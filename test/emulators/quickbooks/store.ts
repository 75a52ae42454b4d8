/**
 * The emulated company's records: validation as Intuit documents it (6240 DisplayName unique across
 * vendors, customers and employees; 6140 DocNumber per vendor; 2500 references; 2050 DocNumber
 * length; 5010 SyncToken; 610 inactive vendor), queries, entity operations (delete for
 * transactions only: name lists are made inactive), /batch, and the deletions CDC reports.
 * Sub-accounts, sub-classes and sub-departments carry `FullyQualifiedName` (`Parent:Child`).
 */
import type { CdcStore } from './cdc';
import { companyClock, type CompanyClock } from './clock';
import { centsToNumber, Fault, toCents } from './fault';
import { fieldValue, matches, parseQuery, QueryParseError } from './query-language';
import type { EmulatorCounters, EmulatorPreferences, EmulatorSeed, Entity } from './types';

export const ENTITY_BY_RESOURCE: Record<string, string> = {
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
export const NAME_LIST = new Set([
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

/** 5010: the SyncToken sent is not the record's current one (someone saved it in between). */
const staleObject = () =>
	new Fault(
		400,
		'5010',
		'Stale Object Error',
		`Stale Object Error : You and another user were working on this at the same time. The other user finished before you did, so your work was not saved.`,
	);

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

export type Records = ReturnType<typeof createRecords>;

export function createRecords(
	counters: EmulatorCounters,
	preferences: Required<EmulatorPreferences> = { warnDuplicateBillNumber: true },
	clock: CompanyClock = companyClock(),
) {
	const store = new Map<string, Map<string, Entity>>();
	for (const e of Object.values(ENTITY_BY_RESOURCE)) store.set(e, new Map());
	/** Entity → Id → when it was deleted (CDC reports deletions). */
	const tombstones = new Map<string, Map<string, string>>();
	const deletedOf = (entity: string) => {
		let map = tombstones.get(entity);
		if (!map) tombstones.set(entity, (map = new Map()));
		return map;
	};
	/** Today in the company's time zone, for a transaction without TxnDate. */
	const today = () => clock.stamp().slice(0, 10);
	let nextId = 1;

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

	const missing = (
		element: string,
		detail = `Required parameter ${element} is missing in the request`,
	) =>
		new Fault(
			400,
			'2020',
			'Required param missing, need to supply the required value for the API',
			detail,
			'ValidationFault',
			element,
		);

	const validatePurchaseOrder = (rec: Record<string, any>) => {
		if (!rec.VendorRef?.value) throw missing('VendorRef');
		assertRef('Vendor', rec.VendorRef, 'VendorRef');
		rec.VendorRef = {
			value: String(rec.VendorRef.value),
			name: nameOf(table('Vendor').get(String(rec.VendorRef.value))!),
		};
		if (!Array.isArray(rec.Line) || rec.Line.length === 0) throw missing('Line');
		let total = 0n;
		rec.Line.forEach((line: any, i: number) => {
			if (!EXPENSE_LINE_TYPES.has(line.DetailType) || !line[line.DetailType])
				throw missing(
					'Line.DetailType',
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
			if (rec.DocNumber && preferences.warnDuplicateBillNumber) {
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
		if (String(body.SyncToken) !== existing.SyncToken) throw staleObject();
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
		if (String(body.SyncToken) !== existing.SyncToken) throw staleObject();
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

	/** Seeds through the same validation as API writes, keeping the ids the seed gives. */
	const seed = (data: EmulatorSeed) => {
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
			data.accounts?.map((a) => ({ AccountType: 'Expense', ...a })),
		);
		seedInto('Class', data.classes);
		seedInto('Department', data.departments);
		seedInto('Term', data.terms);
		seedInto('Customer', data.customers);
		seedInto('Employee', data.employees);
		seedInto('Vendor', data.vendors);
		seedInto('PurchaseOrder', data.purchaseOrders);
		for (const k of Object.keys(counters.created)) delete counters.created[k];
	};

	const cdcStore: CdcStore = {
		entity: (name) =>
			Object.values(ENTITY_BY_RESOURCE).find((e) => e.toLowerCase() === name.toLowerCase()),
		records: (entity) => table(entity).values(),
		deleted: deletedOf,
		answer: masked,
	};

	return {
		store,
		table,
		masked,
		create,
		update,
		remove,
		runQuery,
		runEntityOp,
		runBatch,
		seed,
		cdcStore,
	};
}
