/**
 * Account directories: account codes as the ERP knows them (a chart-of-accounts code, an account
 * number or name) → ERP ids, used by the GL Mapper's account resolution and by the writers. Cached
 * for one execution so N lines cost one lookup per distinct code.
 */

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
