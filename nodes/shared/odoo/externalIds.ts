/**
 * External ids (`ir.model.data`) that make every write idempotent. Odoo has no `external_id`
 * field on account.move; an xml id `stampli.<name>` pointing at the record is the durable key.
 */
import { createHash } from 'node:crypto';
import type { OdooClient } from './client';
import type { OdooDomain } from './values';

export const EXTERNAL_ID_MODULE = 'stampli';

/** `invoice_INV-1/2` → `invoice_INV_1_2_<hash>`: only [A-Za-z0-9_], unique per original id. */
export function externalName(kind: 'invoice' | 'payment' | 'vendor', stampliId: string): string {
	const cleaned = stampliId.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 80);
	const needsHash = cleaned !== stampliId;
	const suffix = needsHash
		? `_${createHash('sha256').update(stampliId).digest('hex').slice(0, 10)}`
		: '';
	return `${kind}_${cleaned}${suffix}`;
}

export function fullExternalId(name: string): string {
	return `${EXTERNAL_ID_MODULE}.${name}`;
}

export interface XmlIdRow {
	id: number;
	module: string;
	name: string;
	model: string;
	res_id: number;
}

export interface XmlIdQuery {
	/** Names under module `stampli`. */
	stampliNames: string[];
	/** Currency codes resolved through `base.<CODE>` (res.currency). */
	currencies?: string[];
	/** Also fetch `mail.mt_note` (the subtype of internal notes). */
	noteSubtype?: boolean;
}

/** One `ir.model.data` read answers our external ids, currency ids and the note subtype together. */
export async function lookupXmlIds(client: OdooClient, query: XmlIdQuery): Promise<XmlIdRow[]> {
	const branches: OdooDomain[] = [];
	if (query.stampliNames.length > 0)
		branches.push([
			'&',
			['module', '=', EXTERNAL_ID_MODULE],
			['name', 'in', [...new Set(query.stampliNames)]],
		]);
	if (query.currencies && query.currencies.length > 0) {
		branches.push([
			'&',
			'&',
			['module', '=', 'base'],
			['model', '=', 'res.currency'],
			['name', 'in', [...new Set(query.currencies)]],
		]);
	}
	if (query.noteSubtype) branches.push(['&', ['module', '=', 'mail'], ['name', '=', 'mt_note']]);
	if (branches.length === 0) return [];
	const domain: OdooDomain = [...Array(branches.length - 1).fill('|'), ...branches.flat()];
	return client.searchRead<XmlIdRow>('ir.model.data', domain, {
		fields: ['module', 'name', 'model', 'res_id'],
	});
}
