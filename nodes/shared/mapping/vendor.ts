/**
 * Vendor mapping: Stampli vendor → ERP vendor, trying in order the vendor already known on the
 * invoice, a mapping table, the ERP external id, the tax id and finally the normalised name.
 * The first step that finds anything decides: one candidate is a match, two or more are reported
 * as ambiguous and never guessed. Each step is one batched directory call for the whole batch.
 */
import type { Vendor, VendorRef } from '../records/types';

export interface ErpVendorCandidate {
	erpVendorId: string;
	name: string;
	taxId?: string;
	/** The id the ERP keeps for the Stampli vendor (Odoo `ir.model.data` name, a QBO field, …). */
	externalId?: string;
	active?: boolean;
}

/**
 * The ERP's vendor directory, injected so Odoo / QuickBooks code can provide it. Each method is
 * called at most once per step per batch with every key still unresolved; the result is keyed by
 * the key as passed. `byTaxIds` receives `normaliseTaxId` keys and `byNames` `normaliseVendorName`
 * keys, so implementations must compare against the same normalisation of the ERP's values.
 */
export interface VendorDirectory {
	byExternalIds(ids: string[]): Promise<Map<string, ErpVendorCandidate[]>>;
	byTaxIds(taxIds: string[]): Promise<Map<string, ErpVendorCandidate[]>>;
	byNames(names: string[]): Promise<Map<string, ErpVendorCandidate[]>>;
}

export type VendorStep = 'provided' | 'table' | 'externalId' | 'taxId' | 'name';
export const VENDOR_STEPS: VendorStep[] = ['provided', 'table', 'externalId', 'taxId', 'name'];

export interface VendorMatchOptions {
	/** Stampli vendor id → ERP vendor id. */
	table?: Map<string, string>;
	directory?: VendorDirectory;
	/** Steps to try, in this fixed order; default all (directory steps only when a directory is given). */
	steps?: VendorStep[];
	/** Derives the ERP external id from the Stampli vendor id; default: the Stampli id itself. */
	externalIdOf?: (stampliVendorId: string) => string;
}

export type VendorMatch =
	| { status: 'matched'; erpVendorId: string; method: VendorStep; reason: string }
	| { status: 'ambiguous'; method: VendorStep; candidates: ErpVendorCandidate[]; reason: string }
	| { status: 'unmatched'; reason: string };

const LEGAL_SUFFIXES = new Set([
	'llc',
	'inc',
	'incorporated',
	'ltd',
	'limited',
	'gmbh',
	'sa',
	'sarl',
	'sas',
	'bv',
	'nv',
	'corp',
	'corporation',
	'co',
	'company',
	'plc',
	'ag',
	'kg',
	'llp',
	'lp',
	'srl',
	'spa',
	'pty',
	'oy',
	'ab',
	'as',
	'aps',
	'sl',
	'kft',
	'sro',
	'pte',
]);

/**
 * `ACME, Inc.` / `Acme Inc` / `acme   INC.` → `acme`. Case, accents, punctuation, whitespace and trailing
 * legal-form words are ignored; dots inside abbreviations are dropped (`S.A.R.L.` → `sarl`).
 */
export function normaliseVendorName(name: string): string {
	const words = name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/&/g, ' and ')
		.replace(/[.'’]/g, '')
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim()
		.split(' ')
		.filter(Boolean);
	while (words.length > 1 && LEGAL_SUFFIXES.has(words[words.length - 1])) words.pop();
	// `co` after `and` is part of the name core (`Smith and Co` → `smith`), drop the dangling `and`.
	while (words.length > 1 && words[words.length - 1] === 'and') words.pop();
	return words.join(' ');
}

/** `DE 123-456.789` → `DE123456789`. */
export function normaliseTaxId(taxId: string): string {
	return taxId.toUpperCase().replace(/[\s\-./]/g, '');
}

function candidatesReason(candidates: ErpVendorCandidate[]): string {
	return candidates.map((c) => `${c.erpVendorId} "${c.name}"`).join(', ');
}

/** Matches each vendor; returns results in input order. Directory calls: at most one per step. */
export async function matchVendors(
	vendors: VendorRef[],
	options: VendorMatchOptions,
): Promise<VendorMatch[]> {
	const steps = new Set(options.steps ?? VENDOR_STEPS);
	const results: Array<VendorMatch | undefined> = vendors.map(() => undefined);
	const externalIdOf = options.externalIdOf ?? ((id: string) => id);
	const open = () => vendors.map((v, i) => ({ v, i })).filter(({ i }) => results[i] === undefined);

	if (steps.has('provided')) {
		for (const { v, i } of open()) {
			if (v.erpVendorId)
				results[i] = {
					status: 'matched',
					erpVendorId: v.erpVendorId,
					method: 'provided',
					reason: 'ERP vendor id given on the invoice',
				};
		}
	}
	if (steps.has('table') && options.table) {
		for (const { v, i } of open()) {
			const erpVendorId = options.table.get(v.stampliVendorId);
			if (erpVendorId)
				results[i] = {
					status: 'matched',
					erpVendorId,
					method: 'table',
					reason: `vendor table maps Stampli vendor ${v.stampliVendorId}`,
				};
		}
	}

	const directory = options.directory;
	const lookups: Array<{
		step: VendorStep;
		key: (v: VendorRef) => string | undefined;
		call: (keys: string[]) => Promise<Map<string, ErpVendorCandidate[]>>;
		what: string;
	}> = directory
		? [
				{
					step: 'externalId',
					key: (v) => (v.stampliVendorId ? externalIdOf(v.stampliVendorId) : undefined),
					call: (k) => directory.byExternalIds(k),
					what: 'external id',
				},
				{
					step: 'taxId',
					key: (v) => (v.taxId ? normaliseTaxId(v.taxId) || undefined : undefined),
					call: (k) => directory.byTaxIds(k),
					what: 'tax id',
				},
				{
					step: 'name',
					key: (v) => (v.name ? normaliseVendorName(v.name) || undefined : undefined),
					call: (k) => directory.byNames(k),
					what: 'normalised name',
				},
			]
		: [];
	for (const lookup of lookups) {
		if (!steps.has(lookup.step)) continue;
		const pending = open()
			.map(({ v, i }) => ({ i, key: lookup.key(v) }))
			.filter((p): p is { i: number; key: string } => p.key !== undefined);
		if (pending.length === 0) continue;
		const found = await lookup.call([...new Set(pending.map((p) => p.key))]);
		for (const { i, key } of pending) {
			const all = found.get(key) ?? [];
			const active = all.filter((c) => c.active !== false);
			if (active.length === 1) {
				results[i] = {
					status: 'matched',
					erpVendorId: active[0].erpVendorId,
					method: lookup.step,
					reason: `${lookup.what} "${key}" matched ERP vendor ${active[0].erpVendorId} "${active[0].name}"`,
				};
			} else if (active.length > 1) {
				results[i] = {
					status: 'ambiguous',
					method: lookup.step,
					candidates: active,
					reason: `${lookup.what} "${key}" matches ${active.length} ERP vendors (${candidatesReason(active)}); not guessed — add the vendor to the vendor table`,
				};
			} else if (all.length > 0) {
				results[i] = {
					status: 'unmatched',
					reason: `${lookup.what} "${key}" matches only archived ERP vendor(s) ${candidatesReason(all)}`,
				};
			}
		}
	}

	return results.map(
		(result, i) =>
			result ?? {
				status: 'unmatched',
				reason: `vendor ${vendors[i].stampliVendorId || '(no id)'} "${vendors[i].name ?? ''}" not found (tried: ${[...steps].filter((s) => s !== 'provided' && (s === 'table' ? options.table : directory)).join(', ') || 'nothing'})`,
			},
	);
}

/** A vendor directory over a list held in memory: tests, and the "vendor table only" mode. */
export class InMemoryVendorDirectory implements VendorDirectory {
	/** Keys asked per method, so callers can check batching. */
	readonly calls: Array<{ method: 'byExternalIds' | 'byTaxIds' | 'byNames'; keys: string[] }> = [];
	private readonly byExternal = new Map<string, ErpVendorCandidate[]>();
	private readonly byTax = new Map<string, ErpVendorCandidate[]>();
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
			add(this.byTax, v.taxId ? normaliseTaxId(v.taxId) : undefined, v);
			add(this.byName, normaliseVendorName(v.name), v);
		}
	}

	private pick(
		method: 'byExternalIds' | 'byTaxIds' | 'byNames',
		map: Map<string, ErpVendorCandidate[]>,
		keys: string[],
	) {
		this.calls.push({ method, keys });
		return Promise.resolve(new Map(keys.filter((k) => map.has(k)).map((k) => [k, map.get(k)!])));
	}

	byExternalIds(ids: string[]) {
		return this.pick('byExternalIds', this.byExternal, ids);
	}
	byTaxIds(taxIds: string[]) {
		return this.pick('byTaxIds', this.byTax, taxIds);
	}
	byNames(names: string[]) {
		return this.pick('byNames', this.byName, names);
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

/** Rows `{stampliVendorId, erpVendorId}` → mapping table; duplicates with different targets are an error. */
export function vendorTableFromRows(rows: unknown[], source: string): Map<string, string> {
	const table = new Map<string, string>();
	rows.forEach((raw, index) => {
		const row = (raw ?? {}) as { stampliVendorId?: unknown; erpVendorId?: unknown };
		const from = row.stampliVendorId;
		const to = row.erpVendorId;
		if (
			(typeof from !== 'string' && typeof from !== 'number') ||
			(typeof to !== 'string' && typeof to !== 'number') ||
			String(from) === '' ||
			String(to) === ''
		) {
			throw new Error(`${source}: row ${index + 1}: needs "stampliVendorId" and "erpVendorId"`);
		}
		const existing = table.get(String(from));
		if (existing !== undefined && existing !== String(to)) {
			throw new Error(
				`${source}: row ${index + 1}: Stampli vendor ${from} is mapped twice (${existing} and ${to})`,
			);
		}
		table.set(String(from), String(to));
	});
	return table;
}
