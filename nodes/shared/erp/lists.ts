/**
 * Directories over lists held in memory: the GL Mapper's "ERP vendor list" and "GL account list"
 * modes (records from a previous node, e.g. Odoo Master Data), and tests. They answer like a live
 * ERP directory, with the same normalisation, and record the keys asked so batching can be checked.
 */
import type { GlAccount, Vendor } from '../records/types';
import type { AccountDirectory, ResolvedAccount } from './accounts';
import {
	normaliseVendorName,
	taxIdMatches,
	taxIdParts,
	type ErpVendorCandidate,
	type VendorDirectory,
} from './vendors';

/** Accounts held in memory: tests, and resolution against a GL-account list from a previous node. */
export class InMemoryAccountDirectory implements AccountDirectory {
	readonly calls: string[][] = [];
	private readonly byCode = new Map<string, ResolvedAccount>();

	constructor(accounts: Array<Pick<GlAccount, 'accountId' | 'code' | 'name' | 'active'>>) {
		for (const a of accounts)
			this.byCode.set(String(a.code), {
				id: String(a.accountId),
				name: a.name,
				active: a.active !== false,
			});
	}

	resolveCodes(codes: string[]): Promise<Map<string, ResolvedAccount>> {
		this.calls.push(codes);
		return Promise.resolve(
			new Map(codes.filter((c) => this.byCode.has(c)).map((c) => [c, this.byCode.get(c)!])),
		);
	}
}

/** Rows shaped like canonical GlAccount records (`accountId`, `code`, `name`, `active`). */
export function accountsFromRows(rows: unknown[], source: string): InMemoryAccountDirectory {
	const accounts = rows.map((raw, index) => {
		const row = (raw ?? {}) as Partial<GlAccount>;
		const id = row.accountId as unknown;
		const code = row.code as unknown;
		if (
			(typeof id !== 'string' && typeof id !== 'number') ||
			(typeof code !== 'string' && typeof code !== 'number') ||
			String(code) === ''
		) {
			throw new Error(`${source}: row ${index + 1}: a GL account needs "accountId" and "code"`);
		}
		return {
			accountId: String(id),
			code: String(code),
			name: typeof row.name === 'string' ? row.name : '',
			active: row.active !== false,
		};
	});
	return new InMemoryAccountDirectory(accounts);
}

type VendorMethod = 'byExternalIds' | 'byTaxIds' | 'byNames';

/** A vendor directory over a list held in memory. */
export class InMemoryVendorDirectory implements VendorDirectory {
	/** Keys asked per method, so callers can check batching. */
	readonly calls: Array<{ method: VendorMethod; keys: string[] }> = [];
	private readonly byExternal = new Map<string, ErpVendorCandidate[]>();
	/** By the tax id without its country prefix; `taxIdMatches` then checks the prefixes. */
	private readonly byTaxCore = new Map<string, ErpVendorCandidate[]>();
	private readonly byName = new Map<string, ErpVendorCandidate[]>();

	constructor(vendors: ErpVendorCandidate[]) {
		const add = (
			map: Map<string, ErpVendorCandidate[]>,
			key: string | undefined,
			v: ErpVendorCandidate,
		) => {
			if (!key) return;
			const list = map.get(key);
			if (list) list.push(v);
			else map.set(key, [v]);
		};
		for (const v of vendors) {
			add(this.byExternal, v.externalId, v);
			add(this.byTaxCore, v.taxId ? taxIdParts(v.taxId).core : undefined, v);
			add(this.byName, normaliseVendorName(v.name), v);
		}
	}

	private pick(method: VendorMethod, keys: string[], find: (key: string) => ErpVendorCandidate[]) {
		this.calls.push({ method, keys });
		const found = new Map<string, ErpVendorCandidate[]>();
		for (const key of keys) {
			const candidates = find(key);
			if (candidates.length) found.set(key, candidates);
		}
		return Promise.resolve(found);
	}

	byExternalIds(ids: string[]) {
		return this.pick('byExternalIds', ids, (k) => this.byExternal.get(k) ?? []);
	}
	byTaxIds(taxIds: string[]) {
		return this.pick('byTaxIds', taxIds, (k) =>
			taxIdMatches(k, this.byTaxCore.get(taxIdParts(k).core) ?? [], (v) => v.taxId),
		);
	}
	byNames(names: string[]) {
		return this.pick('byNames', names, (k) => this.byName.get(k) ?? []);
	}
}

/**
 * Builds ERP vendor candidates from rows: canonical `Vendor` records (e.g. Odoo Master Data output:
 * `vendorId`, `name`, `taxId`, `active`, `stampliVendorId` as external id) or rows with
 * `erpVendorId`, `name`, `taxId`, `externalId`, `active`. Rows without an id or name are reported.
 */
export function vendorCandidatesFromRows(rows: unknown[], source: string): ErpVendorCandidate[] {
	return rows.map((raw, index) => {
		const row = (raw ?? {}) as Partial<Vendor> & { erpVendorId?: unknown; externalId?: unknown };
		const id = row.erpVendorId ?? row.vendorId;
		if (
			(typeof id !== 'string' && typeof id !== 'number') ||
			typeof row.name !== 'string' ||
			row.name.trim() === ''
		) {
			throw new Error(
				`${source}: row ${index + 1}: an ERP vendor needs "erpVendorId" (or "vendorId") and "name"`,
			);
		}
		const externalId = row.externalId ?? row.stampliVendorId;
		return {
			erpVendorId: String(id),
			name: row.name,
			...(row.taxId ? { taxId: String(row.taxId) } : {}),
			...(externalId !== undefined && externalId !== null && externalId !== ''
				? { externalId: String(externalId) }
				: {}),
			...(row.active === false ? { active: false } : {}),
		};
	});
}
