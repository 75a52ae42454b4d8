/**
 * Change data capture, as Intuit documents it: `GET /cdc?entities=<list>&changedSince=<dateTime>`
 * returns the full payload of every object of those entities changed since then, grouped by entity
 * and ordered by `LastUpdatedTime` within a group, deleted objects after the others as
 * `{ status: "Deleted", domain: "QBO", Id, MetaData: { LastUpdatedTime } }`. At most 1,000 objects
 * per answer, with no paging; a look-back of at most 30 days; JournalCode, TaxAgency, TimeActivity,
 * TaxCode and TaxRate are not supported.
 *
 * Intuit does not document the fault for a `changedSince` older than 30 days; the detail text here
 * is the one QuickBooks users report ("Operation cdc with changedSince date … which is older than
 * fixed days is not supported.").
 */
import type { CompanyClock } from './clock';
import { Fault } from './fault';

export const CDC_MAX_OBJECTS = 1000;
export const CDC_LOOK_BACK_DAYS = 30;
const UNSUPPORTED = new Set(['JournalCode', 'TaxAgency', 'TimeActivity', 'TaxCode', 'TaxRate']);

type Rec = Record<string, any> & { Id: string };

export interface CdcStore {
	/** The emulated entity of that name (case-insensitive), or undefined. */
	entity(name: string): string | undefined;
	records(entity: string): Iterable<Rec>;
	/** Id → deletion stamp of the entity's deleted records. */
	deleted(entity: string): Map<string, string>;
	/** A record as the API answers it (tax ids masked). */
	answer(record: Rec): Rec;
}

const badRequest = (detail: string) =>
	new Fault(400, '2010', 'Request has invalid or unsupported property', detail);

export function cdcAnswer(query: URLSearchParams, store: CdcStore, clock: CompanyClock) {
	const list = query.get('entities');
	const since = query.get('changedSince');
	if (!list) throw badRequest('Required parameter entities is missing in the request');
	if (!since) throw badRequest('Required parameter changedSince is missing in the request');
	const sinceMs = Date.parse(since);
	if (Number.isNaN(sinceMs)) throw badRequest(`Invalid changedSince date: ${since}`);
	if (sinceMs < clock.ms() - CDC_LOOK_BACK_DAYS * 86_400_000)
		throw badRequest(
			`Operation cdc with changedSince date ${since} which is older than fixed days is not supported.`,
		);
	const entities = list.split(',').map((name) => {
		const trimmed = name.trim();
		if (UNSUPPORTED.has(trimmed))
			throw badRequest(`Operation cdc is not supported for entity ${trimmed}`);
		const entity = store.entity(trimmed);
		if (!entity) throw badRequest(`Invalid entity: ${trimmed}`);
		return entity;
	});
	const changedAt = (rec: Rec) => Date.parse(String(rec.MetaData?.LastUpdatedTime ?? ''));
	let room = CDC_MAX_OBJECTS;
	const QueryResponse = entities.map((entity) => {
		const changed = [...store.records(entity)]
			.filter((rec) => changedAt(rec) >= sinceMs)
			.sort((a, b) => changedAt(a) - changedAt(b))
			.map((rec) => store.answer(rec));
		const gone = [...store.deleted(entity)]
			.filter(([, stamp]) => Date.parse(stamp) >= sinceMs)
			.sort(([, a], [, b]) => Date.parse(a) - Date.parse(b))
			.map(([Id, stamp]) => ({
				status: 'Deleted',
				domain: 'QBO',
				Id,
				MetaData: { LastUpdatedTime: stamp },
			}));
		const objects = [...changed, ...gone].slice(0, Math.max(0, room));
		room -= objects.length;
		if (objects.length === 0) return { startPosition: 1, maxResults: 0, totalCount: 0 };
		return {
			[entity]: objects,
			startPosition: 1,
			maxResults: objects.length,
			totalCount: objects.length,
		};
	});
	return { CDCResponse: [{ QueryResponse }], time: clock.time() };
}
