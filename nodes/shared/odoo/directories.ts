/**
 * VendorDirectory over the Odoo client. Every step is one batched read for all keys of the batch:
 * external ids through `ir.model.data` (module `stampli`, the names the vendor-bill upsert writes),
 * tax ids through `vat in [...]`, names through one candidate query compared locally. Archived
 * partners are read too (a domain leaf on `active`, which also works where `active_test` is
 * ignored) so the matcher can report them instead of silently missing them.
 */
import {
	EXTERNAL_ID_MODULE,
	externalName,
	type OdooClient,
	type OdooDomain,
	type OdooRecord,
} from '../../odoo';
import {
	normaliseTaxId,
	normaliseVendorName,
	type ErpVendorCandidate,
	type VendorDirectory,
} from '../vendor';

const PARTNER_FIELDS = ['id', 'name', 'vat', 'active'];
// Archived partners too. Spelled as an OR of two leaves: any domain leaf on `active` switches off
// Odoo's implicit active filter, and this form does not depend on how `in` treats booleans.
const ANY_ACTIVE: OdooDomain = ['|', ['active', '=', true], ['active', '=', false]];

export interface OdooVendorDirectoryOptions {
	/** Rows per name-candidate page (default 2,000). */
	pageSize?: number;
	/** Name-candidate pages before giving up with an error (default 10). */
	maxPages?: number;
}

type Client = Pick<OdooClient, 'searchRead' | 'config'>;

function orChain(leaves: OdooDomain): OdooDomain {
	return [...Array(Math.max(0, leaves.length - 1)).fill('|'), ...leaves];
}

/**
 * The word of a normalised name most likely to be stored verbatim in Odoo: the longest one.
 * The normalised form drops accents and inner punctuation, so an Odoo name whose longest word
 * carries them (`Müller`, `O'Brien`) is not a candidate; such vendors need the vendor table.
 */
export function nameCandidateWord(normalisedName: string): string {
	return normalisedName
		.split(' ')
		.reduce((best, word) => (word.length > best.length ? word : best), '');
}

export class OdooVendorDirectory implements VendorDirectory {
	/** search_read calls made, per step, so callers and tests can check batching. */
	readonly calls = { byExternalIds: 0, byTaxIds: 0, byNames: 0 };
	private readonly pageSize: number;
	private readonly maxPages: number;

	constructor(
		private readonly client: Client,
		options: OdooVendorDirectoryOptions = {},
	) {
		this.pageSize = options.pageSize ?? 2000;
		this.maxPages = options.maxPages ?? 10;
	}

	private companyDomain(): OdooDomain {
		const companyId = this.client.config.companyId;
		// Shared partners have no company; company-specific ones must be the working company's.
		return companyId === undefined ? [] : [['company_id', 'in', [companyId, false]]];
	}

	private candidate(record: OdooRecord, externalId?: string): ErpVendorCandidate {
		return {
			erpVendorId: String(record.id),
			name: typeof record.name === 'string' ? record.name : '',
			...(typeof record.vat === 'string' && record.vat ? { taxId: record.vat } : {}),
			...(externalId ? { externalId } : {}),
			...(record.active === false ? { active: false } : {}),
		};
	}

	/** Keys are Stampli vendor ids; looked up as `stampli.vendor_<id>` on `res.partner`. */
	async byExternalIds(stampliVendorIds: string[]): Promise<Map<string, ErpVendorCandidate[]>> {
		const result = new Map<string, ErpVendorCandidate[]>();
		if (stampliVendorIds.length === 0) return result;
		const byName = new Map(stampliVendorIds.map((id) => [externalName('vendor', id), id]));
		this.calls.byExternalIds++;
		const xmlIds = await this.client.searchRead<OdooRecord & { name: string; res_id: number }>(
			'ir.model.data',
			[
				['module', '=', EXTERNAL_ID_MODULE],
				['model', '=', 'res.partner'],
				['name', 'in', [...byName.keys()]],
			],
			{ fields: ['name', 'res_id'] },
		);
		if (xmlIds.length === 0) return result;
		// ir.model.data does not carry the partner's name or archived flag: one read for all of them.
		this.calls.byExternalIds++;
		const partners = await this.client.searchRead(
			'res.partner',
			[['id', 'in', [...new Set(xmlIds.map((x) => x.res_id))]], ...ANY_ACTIVE],
			{
				fields: PARTNER_FIELDS,
				context: { active_test: false },
			},
		);
		const partnerById = new Map(partners.map((p) => [Number(p.id), p]));
		for (const xmlId of xmlIds) {
			const stampliId = byName.get(xmlId.name);
			const partner = partnerById.get(Number(xmlId.res_id));
			// An external id left behind by a deleted partner points at nothing: not a candidate.
			if (stampliId === undefined || !partner) continue;
			const list = result.get(stampliId) ?? [];
			list.push(this.candidate(partner, stampliId));
			result.set(stampliId, list);
		}
		return result;
	}

	/** Keys are `normaliseTaxId` values; Odoo's `vat` is compared after the same normalisation. */
	async byTaxIds(taxIds: string[]): Promise<Map<string, ErpVendorCandidate[]>> {
		const result = new Map<string, ErpVendorCandidate[]>();
		if (taxIds.length === 0) return result;
		// Odoo usually stores VATs compact (base_vat), sometimes lower-case or as typed: ask for both spellings.
		const spellings = [...new Set(taxIds.flatMap((t) => [t, t.toLowerCase()]))];
		this.calls.byTaxIds++;
		const partners = await this.client.searchRead(
			'res.partner',
			[['vat', 'in', spellings], ...ANY_ACTIVE, ...this.companyDomain()],
			{
				fields: PARTNER_FIELDS,
				context: { active_test: false },
			},
		);
		const wanted = new Set(taxIds);
		for (const partner of partners) {
			if (typeof partner.vat !== 'string') continue;
			const key = normaliseTaxId(partner.vat);
			if (!wanted.has(key)) continue;
			const list = result.get(key) ?? [];
			list.push(this.candidate(partner));
			result.set(key, list);
		}
		return result;
	}

	/**
	 * Keys are `normaliseVendorName` values. One query fetches every partner whose name contains
	 * the longest word of any key (`name ilike`), paged; each is kept only if its own normalised
	 * name equals a key, so `ACME, Inc.` matches `acme` and `Acme Tools` does not.
	 */
	async byNames(names: string[]): Promise<Map<string, ErpVendorCandidate[]>> {
		const result = new Map<string, ErpVendorCandidate[]>();
		const words = [...new Set(names.map(nameCandidateWord).filter(Boolean))];
		if (words.length === 0) return result;
		const domain: OdooDomain = [
			...ANY_ACTIVE,
			...this.companyDomain(),
			...orChain(words.map((w) => ['name', 'ilike', w])),
		];
		const wanted = new Set(names);
		for (let page = 0; ; page++) {
			if (page >= this.maxPages) {
				throw new Error(
					`Odoo vendor name lookup: more than ${this.maxPages * this.pageSize} partners share a word with this batch's vendor names; ` +
						'use the vendor table or external ids for these vendors',
				);
			}
			this.calls.byNames++;
			const rows = await this.client.searchRead('res.partner', domain, {
				fields: PARTNER_FIELDS,
				context: { active_test: false },
				order: 'id',
				offset: page * this.pageSize,
				limit: this.pageSize,
			});
			for (const partner of rows) {
				if (typeof partner.name !== 'string') continue;
				const key = normaliseVendorName(partner.name);
				if (!wanted.has(key)) continue;
				const list = result.get(key) ?? [];
				list.push(this.candidate(partner));
				result.set(key, list);
			}
			if (rows.length < this.pageSize) return result;
		}
	}
}
