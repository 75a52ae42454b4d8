/**
 * Optional account resolution: account codes (Odoo `code`, QuickBooks `AcctNum`) → ERP ids, through
 * an injected directory, cached for one execution so N lines cost one lookup per distinct code.
 */
import type { GlAccount } from '../records/types';

export interface ResolvedAccount {
	id: string;
	name?: string;
	active: boolean;
}

export interface AccountDirectory {
	/** Codes not found are simply absent from the result. */
	resolveCodes(codes: string[]): Promise<Map<string, ResolvedAccount>>;
}

/** Remembers hits and misses; asks the inner directory only for codes it has not seen, once per call. */
export class CachingAccountDirectory implements AccountDirectory {
	private readonly cache = new Map<string, ResolvedAccount | null>();

	constructor(private readonly inner: AccountDirectory) {}

	async resolveCodes(codes: string[]): Promise<Map<string, ResolvedAccount>> {
		const unknown = [...new Set(codes)].filter((code) => !this.cache.has(code));
		if (unknown.length) {
			const found = await this.inner.resolveCodes(unknown);
			for (const code of unknown) this.cache.set(code, found.get(code) ?? null);
		}
		const result = new Map<string, ResolvedAccount>();
		for (const code of codes) {
			const hit = this.cache.get(code);
			if (hit) result.set(code, hit);
		}
		return result;
	}
}

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
