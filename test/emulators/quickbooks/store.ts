/**
 * The emulated company's records: validation as Intuit documents it (6240 DisplayName unique across
 * vendors, customers and employees; 6140 DocNumber per vendor; 2500 references; 2050 DocNumber
 * length; 5010 SyncToken; 610 inactive vendor), queries, entity operations and /batch.
 */
import { matches, parseQuery, QueryParseError } from './query-language';
import { centsToNumber, Fault, now, toCents } from './fault';
import type { EmulatorCounters, EmulatorPreferences, EmulatorSeed, Entity } from './types';

export const ENTITY_BY_RESOURCE: Record<string, string> = {
	bill: 'Bill',
	vendorcredit: 'VendorCredit',
	vendor: 'Vendor',
	account: 'Account',
	class: 'Class',
	department: 'Department',
	customer: 'Customer',
	employee: 'Employee',
};
export const NAME_LIST = new Set([
	'Vendor',
	'Account',
	'Class',
	'Department',
	'Customer',
	'Employee',
]);
const PERSON = ['Vendor', 'Customer', 'Employee'];

export type Records = ReturnType<typeof createRecords>;

export function createRecords(
	counters: EmulatorCounters,
	preferences: Required<EmulatorPreferences> = { warnDuplicateBillNumber: true },
) {
	const store = new Map<string, Map<string, Entity>>();
	for (const e of Object.values(ENTITY_BY_RESOURCE)) store.set(e, new Map());
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

	const validate = (entity: string, rec: Record<string, any>) => {
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
			const clash = PERSON.includes(entity)
				? findByName(PERSON, name, rec.Id)
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
		if (entity === 'Bill' || entity === 'VendorCredit') rec.TxnDate ??= now().slice(0, 10);
		validate(entity, rec);
		rec.MetaData = { CreateTime: now(), LastUpdatedTime: now() };
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
		next.MetaData = { ...existing.MetaData, LastUpdatedTime: now() };
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
			const f = q.orderBy.field;
			rows.sort(
				(a, b) =>
					String(a[f] ?? '').localeCompare(String(b[f] ?? ''), undefined, { numeric: true }) *
					(q.orderBy!.desc ? -1 : 1),
			);
		}
		const page = rows.slice(q.startPosition - 1, q.startPosition - 1 + q.maxResults).map(masked);
		if (page.length === 0) return { QueryResponse: {} };
		return {
			QueryResponse: { [entity]: page, startPosition: q.startPosition, maxResults: page.length },
		};
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
		return { BatchItemResponse, time: now() };
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
		seedInto('Customer', data.customers);
		seedInto('Employee', data.employees);
		seedInto('Vendor', data.vendors);
		for (const k of Object.keys(counters.created)) delete counters.created[k];
	};

	return { store, table, masked, create, runQuery, runEntityOp, runBatch, seed };
}
