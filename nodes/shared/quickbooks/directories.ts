/**
 * QuickBooks' directories, shared by the GL Mapper and the bill writer: accounts and vendors over
 * the QuickBooks client. QuickBooks' query language has no OR,
 * so each lookup is one `IN (…)` query per group of at most 100 values (paged), inactive records
 * included (`Active IN (true, false)`) so they can be reported rather than missed.
 */
import {
	normaliseVendorName,
	type AccountDirectory,
	type ErpVendorCandidate,
	type ResolvedAccount,
	type VendorDirectory,
} from '../erp';
import type { QboClient } from './client';
import { chunkForIn, inClause } from './query';
import { normaliseName, type QboVendor } from './vendors';

type Client = Pick<QboClient, 'queryAll'>;
const ANY_ACTIVE = 'Active IN (true, false)';

interface QboAccountRow {
	Id: string;
	Name?: string;
	AcctNum?: string;
	FullyQualifiedName?: string;
	Active?: boolean;
}

/**
 * Codes are looked up as account numbers (`AcctNum`) first, then, for codes no account number
 * matched, as account names: many QuickBooks companies do not use account numbers. A name shared by
 * several accounts (sub-accounts may repeat a name) is not guessed: it stays unresolved.
 */
export class QuickBooksAccountDirectory implements AccountDirectory {
	/** Queries sent (pages included), for tests and logs. */
	queries = 0;

	constructor(private readonly client: Client) {}

	private async rows(field: 'AcctNum' | 'Name', values: string[]): Promise<QboAccountRow[]> {
		const rows: QboAccountRow[] = [];
		for (const group of chunkForIn(values)) {
			this.queries++;
			rows.push(
				...(await this.client.queryAll<QboAccountRow>('Account', [
					inClause(field, group),
					ANY_ACTIVE,
				])),
			);
		}
		return rows;
	}

	async resolveCodes(codes: string[]): Promise<Map<string, ResolvedAccount>> {
		const result = new Map<string, ResolvedAccount>();
		const wanted = [...new Set(codes.map((c) => c.trim()).filter(Boolean))];
		if (wanted.length === 0) return result;
		const resolved = (row: QboAccountRow): ResolvedAccount => ({
			id: String(row.Id),
			name: row.Name ?? row.FullyQualifiedName,
			active: row.Active !== false,
		});

		for (const row of await this.rows('AcctNum', wanted)) {
			if (row.AcctNum !== undefined && wanted.includes(row.AcctNum))
				result.set(row.AcctNum, resolved(row));
		}
		const byName = wanted.filter((code) => !result.has(code));
		if (byName.length) {
			const groups = new Map<string, QboAccountRow[]>();
			for (const row of await this.rows('Name', byName)) {
				// QuickBooks compares names case-insensitively; key them back to the code as asked.
				const code = byName.find((c) => c.toLowerCase() === (row.Name ?? '').toLowerCase());
				if (code !== undefined) groups.set(code, [...(groups.get(code) ?? []), row]);
			}
			for (const [code, rows] of groups) {
				const active = rows.filter((r) => r.Active !== false);
				if (rows.length === 1) result.set(code, resolved(rows[0]));
				else if (active.length === 1) result.set(code, resolved(active[0]));
				else if (active.length === 0) result.set(code, resolved(rows[0]));
			}
		}
		// Keys as the caller passed them (codes may carry spaces the rule table kept).
		const out = new Map<string, ResolvedAccount>();
		for (const code of codes) {
			const hit = result.get(code.trim());
			if (hit) out.set(code, hit);
		}
		return out;
	}
}

export interface QuickBooksVendorDirectoryOptions {
	/**
	 * Vendor names as they appear on the invoices of this execution. The matcher passes only
	 * normalised names, and QuickBooks can only compare whole DisplayNames, so these spellings are
	 * asked for too (`Acme, Inc.` finds a vendor stored exactly so, whatever its case).
	 */
	nameHints?: string[];
}

/**
 * QuickBooks keeps no external id we can query for a Stampli vendor, and answers tax ids masked
 * (`XXXXX6789`), so `byExternalIds` and `byTaxIds` return nothing and make no call: those steps
 * fall through to the name. Names: one `DisplayName IN (…)` query per group, compared after
 * `normaliseVendorName`. A vendor whose DisplayName differs from every asked spelling by more than
 * case is not found; map it in the vendor table.
 */
export class QuickBooksVendorDirectory implements VendorDirectory {
	queries = 0;
	/**
	 * Every vendor the name lookups returned, by DisplayName as QuickBooks compares it (an active one
	 * preferred), so the vendor sync that follows need not ask again.
	 */
	readonly seen = new Map<string, QboVendor>();
	private readonly hints: string[];

	constructor(
		private readonly client: Client,
		options: QuickBooksVendorDirectoryOptions = {},
	) {
		this.hints = [...new Set((options.nameHints ?? []).map((n) => n.trim()).filter(Boolean))];
	}

	byExternalIds(): Promise<Map<string, ErpVendorCandidate[]>> {
		return Promise.resolve(new Map());
	}

	byTaxIds(): Promise<Map<string, ErpVendorCandidate[]>> {
		return Promise.resolve(new Map());
	}

	async byNames(names: string[]): Promise<Map<string, ErpVendorCandidate[]>> {
		const result = new Map<string, ErpVendorCandidate[]>();
		const wanted = new Set(names);
		const spellings = [
			...new Set([...names, ...this.hints.filter((h) => wanted.has(normaliseVendorName(h)))]),
		].filter(Boolean);
		if (spellings.length === 0) return result;
		const seen = new Set<string>();
		for (const group of chunkForIn(spellings)) {
			this.queries++;
			for (const row of await this.client.queryAll<QboVendor>('Vendor', [
				inClause('DisplayName', group),
				ANY_ACTIVE,
			])) {
				if (seen.has(row.Id) || typeof row.DisplayName !== 'string') continue;
				const displayKey = normaliseName(row.DisplayName);
				if (!this.seen.has(displayKey) || this.seen.get(displayKey)!.Active === false)
					this.seen.set(displayKey, row);
				seen.add(row.Id);
				const key = normaliseVendorName(row.DisplayName);
				if (!wanted.has(key)) continue;
				const list = result.get(key) ?? [];
				list.push({
					erpVendorId: String(row.Id),
					name: row.DisplayName,
					...(row.Active === false ? { active: false } : {}),
				});
				result.set(key, list);
			}
		}
		return result;
	}
}
