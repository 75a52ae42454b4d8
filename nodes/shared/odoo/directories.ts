/**
 * Odoo's directories: vendors (`res.partner`) and accounts (`account.account`), shared by the GL
 * Mapper and the bill writer. Every step is one batched read for all keys of the batch: external
 * ids through `ir.model.data` (module `stampli`, the names the bill writer records), tax ids and
 * references through one partner read, names through one candidate query compared locally.
 *
 * The rules every caller gets: archived partners are read too (a domain leaf on `active`, which
 * also works where `active_test` is ignored) so the resolver can report them; with a company set,
 * only partners of that company or shared ones are candidates; a contact is not a candidate beside
 * its company (Odoo copies the company's VAT onto its contacts); VATs are compared normalised, so
 * `US 98-7654321`, `98-7654321` and `987654321` are the same taxpayer whatever the batch holds.
 */
import {
	normaliseTaxId,
	normaliseVendorName,
	taxIdMatches,
	taxIdParts,
	type AccountDirectory,
	type ErpVendorCandidate,
	type ResolvedAccount,
	type VendorDirectory,
} from '../erp';
import { accountCompanyDomain, accountFields, normaliseAccount } from './accountFields';
import type { OdooClient } from './client';
import { EXTERNAL_ID_MODULE, externalName } from './externalIds';
import { many2oneId, type OdooDomain, type OdooRecord } from './values';

const PARTNER_FIELDS = ['id', 'name', 'vat', 'ref', 'active', 'commercial_partner_id'];
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
type Candidates = Map<string, ErpVendorCandidate[]>;

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

/**
 * A LIKE pattern matching every way the tax id may be stored: its characters in order with
 * anything (spaces, dots, dashes, a country prefix) around and between them. Odoo stores VATs as
 * typed unless `base_vat` is installed; candidates are then compared normalised with `taxIdMatches`.
 */
export function taxIdPattern(taxId: string): string {
	return `%${taxIdParts(taxId).core.split('').join('%')}%`;
}

/** Keeps each key's partners, leaving out contacts whose company is a candidate for the same key. */
function withoutContacts(byKey: Map<string, OdooRecord[]>, externalIds?: boolean): Candidates {
	const result: Candidates = new Map();
	for (const [key, partners] of byKey) {
		const ids = new Set(partners.map((p) => Number(p.id)));
		const kept = partners.filter((p) => {
			const company = many2oneId(p.commercial_partner_id);
			return company === null || company === p.id || !ids.has(company);
		});
		result.set(
			key,
			kept.map((p) => candidate(p, externalIds ? key : undefined)),
		);
	}
	return result;
}

function candidate(record: OdooRecord, externalId?: string): ErpVendorCandidate {
	return {
		erpVendorId: String(record.id),
		name: typeof record.name === 'string' ? record.name : '',
		...(typeof record.vat === 'string' && record.vat ? { taxId: record.vat } : {}),
		...(externalId ? { externalId } : {}),
		...(record.active === false ? { active: false } : {}),
	};
}

function push(map: Map<string, OdooRecord[]>, key: string, record: OdooRecord): void {
	const list = map.get(key);
	if (list) list.push(record);
	else map.set(key, [record]);
}

export class OdooVendorDirectory implements VendorDirectory {
	/** search_read calls made, per step, so callers and tests can check batching. */
	readonly calls = { byExternalIds: 0, byTaxIds: 0, byNames: 0, byReferences: 0 };
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

	private partners(domain: OdooDomain, page?: { offset: number; limit: number }) {
		return this.client.searchRead(
			'res.partner',
			[...ANY_ACTIVE, ...this.companyDomain(), ...domain],
			{
				fields: PARTNER_FIELDS,
				context: { active_test: false },
				...(page ? { order: 'id', ...page } : {}),
			},
		);
	}

	/** Keys are Stampli vendor ids; looked up as `stampli.vendor_<id>` on `res.partner`. */
	async byExternalIds(stampliVendorIds: string[]): Promise<Candidates> {
		const result: Candidates = new Map();
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
		// An explicit external id is trusted whatever the partner's company.
		this.calls.byExternalIds++;
		const partners = await this.client.searchRead(
			'res.partner',
			[['id', 'in', [...new Set(xmlIds.map((x) => x.res_id))]], ...ANY_ACTIVE],
			{ fields: PARTNER_FIELDS, context: { active_test: false } },
		);
		const partnerById = new Map(partners.map((p) => [Number(p.id), p]));
		for (const xmlId of xmlIds) {
			const stampliId = byName.get(xmlId.name);
			const partner = partnerById.get(Number(xmlId.res_id));
			// An external id left behind by a deleted partner points at nothing: not a candidate.
			if (stampliId === undefined || !partner) continue;
			const list = result.get(stampliId) ?? [];
			list.push(candidate(partner, stampliId));
			result.set(stampliId, list);
		}
		return result;
	}

	/** Keys are `normaliseTaxId` values; Odoo's `vat` is compared with `taxIdMatches`. */
	async byTaxIds(taxIds: string[]): Promise<Candidates> {
		return (await this.byTaxIdsOrReferences(taxIds, [])).taxIds;
	}

	/** Keys are Stampli vendor ids, compared with the partner's `ref` (Internal Reference). */
	async byReferences(references: string[]): Promise<Candidates> {
		return (await this.byTaxIdsOrReferences([], references)).references;
	}

	/** Tax ids and references in one partner read. */
	async byTaxIdsOrReferences(
		taxIds: string[],
		references: string[],
	): Promise<{ taxIds: Candidates; references: Candidates }> {
		const wantedTax = [...new Set(taxIds.map(normaliseTaxId).filter((t) => taxIdParts(t).core))];
		const wantedRefs = [...new Set(references.filter(Boolean))];
		const leaves: OdooDomain = wantedTax.map((t) => ['vat', '=ilike', taxIdPattern(t)]);
		if (wantedRefs.length > 0) leaves.push(['ref', 'in', wantedRefs]);
		if (leaves.length === 0) return { taxIds: new Map(), references: new Map() };
		if (wantedTax.length > 0) this.calls.byTaxIds++;
		if (wantedRefs.length > 0) this.calls.byReferences++;
		const partners = await this.partners(orChain(leaves));
		const byTax = new Map<string, OdooRecord[]>();
		const byRef = new Map<string, OdooRecord[]>();
		const refs = new Set(wantedRefs);
		for (const partner of partners)
			if (typeof partner.ref === 'string' && refs.has(partner.ref))
				push(byRef, partner.ref, partner);
		const vatOf = (p: OdooRecord) => (typeof p.vat === 'string' ? p.vat : undefined);
		for (const key of taxIds) {
			const matches = taxIdMatches(key, partners, vatOf);
			if (matches.length > 0) byTax.set(key, matches);
		}
		return { taxIds: withoutContacts(byTax), references: withoutContacts(byRef) };
	}

	/**
	 * Keys are `normaliseVendorName` values. One query fetches every partner whose name contains
	 * the longest word of any key (`name ilike`), paged; each is kept only if its own normalised
	 * name equals a key, so `ACME, Inc.` matches `acme` and `Acme Tools` does not.
	 */
	async byNames(names: string[]): Promise<Candidates> {
		const words = [...new Set(names.map(nameCandidateWord).filter(Boolean))];
		if (words.length === 0) return new Map();
		const domain = orChain(words.map((w) => ['name', 'ilike', w]));
		const wanted = new Set(names);
		const byName = new Map<string, OdooRecord[]>();
		for (let page = 0; ; page++) {
			if (page >= this.maxPages) {
				throw new Error(
					`Odoo vendor name lookup: more than ${this.maxPages * this.pageSize} partners share a word with this batch's vendor names; ` +
						'use the vendor table or external ids for these vendors',
				);
			}
			this.calls.byNames++;
			const rows = await this.partners(domain, {
				offset: page * this.pageSize,
				limit: this.pageSize,
			});
			for (const partner of rows) {
				if (typeof partner.name !== 'string') continue;
				const key = normaliseVendorName(partner.name);
				if (wanted.has(key)) push(byName, key, partner);
			}
			if (rows.length < this.pageSize) return withoutContacts(byName);
		}
	}
}

/**
 * Account codes → ids: one `search_read` on `account.account` per call with a `code in [...]`
 * domain, archived / deprecated accounts included so they can be reported as inactive.
 */
export class OdooAccountDirectory implements AccountDirectory {
	constructor(
		private readonly client: Pick<OdooClient, 'serverVersion' | 'searchRead' | 'config'>,
	) {}

	async resolveCodes(codes: string[]): Promise<Map<string, ResolvedAccount>> {
		return (await this.resolve(codes, [])).byCode;
	}

	/**
	 * Codes and ids in one read (ids a mapping gave directly are checked too, so a missing or
	 * retired account is reported before anything is written).
	 */
	async resolve(
		codes: string[],
		ids: number[],
	): Promise<{ byCode: Map<string, ResolvedAccount>; byId: Map<number, ResolvedAccount> }> {
		const byCode = new Map<string, ResolvedAccount>();
		const byId = new Map<number, ResolvedAccount>();
		if (codes.length === 0 && ids.length === 0) return { byCode, byId };
		const major = await this.client.serverVersion();
		const codePart: OdooDomain = [
			['code', 'in', [...new Set(codes)]],
			...accountCompanyDomain(major, this.client.config.companyId),
		];
		const codeDomain: OdooDomain = codePart.length > 1 ? ['&', ...codePart] : codePart;
		const idLeaf: OdooDomain = [['id', 'in', [...new Set(ids)]]];
		const domain: OdooDomain =
			codes.length === 0 ? idLeaf : ids.length === 0 ? codePart : ['|', ...codeDomain, ...idLeaf];
		const records = await this.client.searchRead('account.account', domain, {
			fields: accountFields(major).fields,
			context: { active_test: false },
		});
		const wantedCodes = new Set(codes);
		for (const record of records) {
			const account = normaliseAccount(major, record);
			const resolved = { id: String(account.id), name: account.name, active: account.usable };
			byId.set(account.id, resolved);
			if (!wantedCodes.has(account.code)) continue;
			const existing = byCode.get(account.code);
			// Keep a usable account over an unusable duplicate of the same code.
			if (!existing || (!existing.active && account.usable)) byCode.set(account.code, resolved);
		}
		return { byCode, byId };
	}
}
