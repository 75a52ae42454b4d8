/**
 * The one vendor resolver, used by the GL Mapper and by every ERP writer: Stampli vendor → ERP
 * vendor, trying in order the vendor already known on the invoice, a mapping table, the ERP's
 * external id, the tax id, the ERP's own reference field and finally the normalised name. The
 * first step that finds anything decides: one candidate is a match, two or more are reported as
 * ambiguous with their ids and names, never guessed (no "lowest id wins"). Each step is one batched
 * directory call for the whole batch.
 */
import type { VendorRef } from '../records/types';

export interface ErpVendorCandidate {
	erpVendorId: string;
	name: string;
	taxId?: string;
	/** The id the ERP keeps for the Stampli vendor (Odoo `ir.model.data` name, a QBO field, …). */
	externalId?: string;
	active?: boolean;
}

/**
 * An ERP's vendor directory. Each method is called at most once per step per batch with every
 * key still unresolved; the result is keyed by the key as passed. `byTaxIds` receives
 * `normaliseTaxId` keys, to be compared with `sameTaxId`; `byNames` receives `normaliseVendorName`
 * keys, to be compared against the same normalisation of the ERP's names. Where the ERP has
 * companies, only vendors usable by the working company are candidates; a contact that inherits
 * its company's tax id is not a candidate of its own.
 */
export interface VendorDirectory {
	byExternalIds(ids: string[]): Promise<Map<string, ErpVendorCandidate[]>>;
	byTaxIds(taxIds: string[]): Promise<Map<string, ErpVendorCandidate[]>>;
	byNames(names: string[]): Promise<Map<string, ErpVendorCandidate[]>>;
	/** The ERP's own reference field holding the Stampli vendor id (Odoo's partner `ref`), where it has one. */
	byReferences?(references: string[]): Promise<Map<string, ErpVendorCandidate[]>>;
	/**
	 * Tax ids and references answered by one request, where the ERP can; the resolver uses it when
	 * both steps are asked, and still applies the reference candidates only after the tax id step.
	 */
	byTaxIdsOrReferences?(
		taxIds: string[],
		references: string[],
	): Promise<{
		taxIds: Map<string, ErpVendorCandidate[]>;
		references: Map<string, ErpVendorCandidate[]>;
	}>;
}

export type VendorStep = 'provided' | 'table' | 'externalId' | 'taxId' | 'reference' | 'name';
/** The GL Mapper's steps; `reference` is asked for where a writer keeps Stampli ids in the ERP's reference field. */
export const VENDOR_STEPS: VendorStep[] = ['provided', 'table', 'externalId', 'taxId', 'name'];

export interface VendorMatchOptions {
	/** Stampli vendor id → ERP vendor id. */
	table?: Map<string, string>;
	directory?: VendorDirectory;
	/** Steps to try, in this fixed order; default VENDOR_STEPS (directory steps only when a directory is given). */
	steps?: VendorStep[];
	/** Derives the ERP external id from the Stampli vendor id; default: the Stampli id itself. */
	externalIdOf?: (stampliVendorId: string) => string;
}

export type VendorMatch =
	| { status: 'matched'; erpVendorId: string; method: VendorStep; reason: string }
	| { status: 'ambiguous'; method: VendorStep; candidates: ErpVendorCandidate[]; reason: string }
	| { status: 'unmatched'; reason: string };

const LEGAL_SUFFIXES = new Set(
	(
		'llc inc incorporated ltd limited gmbh sa sarl sas bv nv corp corporation co company plc ag kg ' +
		'llp lp srl spa pty oy ab as aps sl kft sro pte'
	).split(' '),
);

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

/** `de 123-456.789` → `DE123456789`: case, spaces, dots, dashes and other separators ignored. */
export function normaliseTaxId(taxId: string): string {
	return taxId.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** A normalised tax id split into its optional two-letter country prefix and the rest. */
export function taxIdParts(taxId: string): { country?: string; core: string } {
	const normalised = normaliseTaxId(taxId);
	const match = /^([A-Z]{2})(\d.*)$/.exec(normalised);
	return match ? { country: match[1], core: match[2] } : { core: normalised };
}

/**
 * Whether two tax ids may name the same taxpayer: equal once normalised, a country prefix on one
 * side only being ignored (`US 98-7654321` = `987654321`; `DE1` ≠ `FR1`). The resolver prefers
 * exact equals over such matches.
 */
export function sameTaxId(a: string, b: string): boolean {
	const pa = taxIdParts(a);
	const pb = taxIdParts(b);
	return (
		pa.core !== '' &&
		pa.core === pb.core &&
		(!pa.country || !pb.country || pa.country === pb.country)
	);
}

/**
 * The candidates a tax id matches, best first: those whose tax id is the same once normalised
 * (country prefix included); only when there is none, those equal but for a country prefix on one
 * side (`987654321` ~ `US 98-7654321`), all of them, so several are reported as ambiguous rather
 * than guessed. Two different country prefixes never match (`DE123456789` ≠ `US123456789`).
 */
export function taxIdMatches<T>(
	taxId: string,
	candidates: T[],
	taxIdOf: (candidate: T) => string | undefined,
): T[] {
	const key = normaliseTaxId(taxId);
	const same: T[] = [];
	const prefixOnOneSide: T[] = [];
	for (const candidate of candidates) {
		const other = taxIdOf(candidate);
		if (!other || !sameTaxId(key, other)) continue;
		if (normaliseTaxId(other) === key) same.push(candidate);
		else prefixOnOneSide.push(candidate);
	}
	return same.length > 0 ? same : prefixOnOneSide;
}

function candidatesReason(candidates: ErpVendorCandidate[]): string {
	return candidates.map((c) => `${c.erpVendorId} "${c.name}"`).join(', ');
}

interface Lookup {
	step: VendorStep;
	key: (v: VendorRef) => string | undefined;
	what: string;
}

function directoryLookups(options: VendorMatchOptions): Lookup[] {
	const externalIdOf = options.externalIdOf ?? ((id: string) => id);
	return [
		{
			step: 'externalId',
			key: (v) => (v.stampliVendorId ? externalIdOf(v.stampliVendorId) : undefined),
			what: 'external id',
		},
		{
			step: 'taxId',
			key: (v) => (v.taxId ? normaliseTaxId(v.taxId) || undefined : undefined),
			what: 'tax id',
		},
		{ step: 'reference', key: (v) => v.stampliVendorId || undefined, what: 'reference' },
		{
			step: 'name',
			key: (v) => (v.name ? normaliseVendorName(v.name) || undefined : undefined),
			what: 'normalised name',
		},
	];
}

/**
 * A tax id written exactly as asked (once normalised) outranks one that only matches without its
 * country prefix: `12-3456789` finds the partner stored as `12-3456789` even when `US123456789` and
 * `DE123456789` exist; with no exact one, `US 98-7654321` still finds `987654321`.
 */
function exactTaxIdsFirst(key: string, candidates: ErpVendorCandidate[]): ErpVendorCandidate[] {
	const exact = candidates.filter((c) => c.taxId && normaliseTaxId(c.taxId) === key);
	return exact.length > 0 ? exact : candidates;
}

/** The match one step's candidates make: one active is a match, several are ambiguous, archived only is unmatched. */
function decide(lookup: Lookup, key: string, all: ErpVendorCandidate[]): VendorMatch | undefined {
	const active = all.filter((c) => c.active !== false);
	if (active.length === 1)
		return {
			status: 'matched',
			erpVendorId: active[0].erpVendorId,
			method: lookup.step,
			reason: `${lookup.what} "${key}" matched ERP vendor ${active[0].erpVendorId} "${active[0].name}"`,
		};
	if (active.length > 1)
		return {
			status: 'ambiguous',
			method: lookup.step,
			candidates: active,
			reason: `${lookup.what} "${key}" matches ${active.length} ERP vendors (${candidatesReason(active)}); not guessed — add the vendor to the vendor table`,
		};
	if (all.length > 0)
		return {
			status: 'unmatched',
			reason: `${lookup.what} "${key}" matches only archived ERP vendor(s) ${candidatesReason(all)}`,
		};
	return undefined;
}

/** Matches each vendor; returns results in input order. Directory calls: at most one per step. */
export async function matchVendors(
	vendors: VendorRef[],
	options: VendorMatchOptions,
): Promise<VendorMatch[]> {
	const steps = new Set(options.steps ?? VENDOR_STEPS);
	const results: Array<VendorMatch | undefined> = vendors.map(() => undefined);
	const open = () => vendors.map((v, i) => ({ v, i })).filter(({ i }) => results[i] === undefined);
	const matched = (erpVendorId: string, method: VendorStep, reason: string): VendorMatch => ({
		status: 'matched',
		erpVendorId,
		method,
		reason,
	});

	if (steps.has('provided'))
		for (const { v, i } of open())
			if (v.erpVendorId)
				results[i] = matched(v.erpVendorId, 'provided', 'ERP vendor id given on the invoice');
	if (steps.has('table') && options.table)
		for (const { v, i } of open()) {
			const erpVendorId = options.table.get(v.stampliVendorId);
			if (erpVendorId)
				results[i] = matched(
					erpVendorId,
					'table',
					`vendor table maps Stampli vendor ${v.stampliVendorId}`,
				);
		}

	const directory = options.directory;
	if (directory) {
		const ask = directoryCalls(directory, steps);
		for (const lookup of directoryLookups(options)) {
			if (!steps.has(lookup.step)) continue;
			const pending = open()
				.map(({ v, i }) => ({ i, key: lookup.key(v) }))
				.filter((p): p is { i: number; key: string } => p.key !== undefined);
			if (pending.length === 0) continue;
			const found = await ask(lookup.step, [...new Set(pending.map((p) => p.key))], open());
			for (const { i, key } of pending) {
				const candidates = found.get(key) ?? [];
				results[i] = decide(
					lookup,
					key,
					lookup.step === 'taxId' ? exactTaxIdsFirst(key, candidates) : candidates,
				);
			}
		}
	}

	const tried =
		[...steps]
			.filter((s) => s !== 'provided' && (s === 'table' ? options.table : directory))
			.join(', ') || 'nothing';
	return results.map((result, i) => {
		if (result) return result;
		const none: VendorMatch = {
			status: 'unmatched',
			reason: `vendor ${vendors[i].stampliVendorId || '(no id)'} "${vendors[i].name ?? ''}" not found (tried: ${tried})`,
		};
		NOT_FOUND.add(none);
		return none;
	});
}

const NOT_FOUND = new WeakSet<VendorMatch>();

/** Whether no step found any candidate at all (not even an archived one). */
export function vendorNotFound(match: VendorMatch): boolean {
	return NOT_FOUND.has(match);
}

type Ask = (
	step: VendorStep,
	keys: string[],
	open: Array<{ v: VendorRef }>,
) => Promise<Map<string, ErpVendorCandidate[]>>;

/**
 * One directory call per step. When the directory answers tax ids and references together and both
 * steps are asked, the tax id step fetches both (references of every vendor still open then), and the
 * reference step reads what that call brought.
 */
function directoryCalls(directory: VendorDirectory, steps: Set<VendorStep>): Ask {
	const together =
		directory.byTaxIdsOrReferences && steps.has('taxId') && steps.has('reference')
			? directory.byTaxIdsOrReferences.bind(directory)
			: undefined;
	let prefetched: Map<string, ErpVendorCandidate[]> | undefined;
	return async (step, keys, open) => {
		switch (step) {
			case 'externalId':
				return await directory.byExternalIds(keys);
			case 'taxId': {
				if (!together) return await directory.byTaxIds(keys);
				const references = [
					...new Set(open.map(({ v }) => v.stampliVendorId).filter((id): id is string => !!id)),
				];
				const both = await together(keys, references);
				prefetched = both.references;
				return both.taxIds;
			}
			case 'reference':
				if (prefetched) return new Map(keys.map((k) => [k, prefetched!.get(k) ?? []]));
				return directory.byReferences ? await directory.byReferences(keys) : new Map();
			case 'name':
				return await directory.byNames(keys);
			default:
				return new Map();
		}
	};
}
