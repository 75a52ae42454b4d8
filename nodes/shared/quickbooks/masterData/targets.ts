/**
 * The GL Mapper's QuickBooks account directory, loaded through the master-data reader: the whole
 * chart of accounts (inactive accounts included, so they are reported rather than missed) is read
 * once per execution in pages of 1,000 and looked up in memory. A rule's code may then be written
 * the ways people write an account: its number (`6100`), its number and name (`6100 Office
 * Supplies`, as QuickBooks lists it), its full name (`Office Expenses:Supplies`) or its name. Names
 * compare without regard to case, as QuickBooks compares them; a name several accounts share
 * (sub-accounts may repeat one) is resolved only when exactly one of them is active.
 */
import type { AccountDirectory, ResolvedAccount } from '../../erp';
import type { QboClient } from '../client';
import { readQboMasterData } from './reader';
import type { QboGlAccountRecord } from './types';

const key = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/** One account among several of the same name: the only active one, else none (ambiguous). */
function pick(candidates: QboGlAccountRecord[] | undefined): QboGlAccountRecord | undefined {
	if (!candidates?.length) return undefined;
	if (candidates.length === 1) return candidates[0];
	const active = candidates.filter((a) => a.active);
	if (active.length === 1) return active[0];
	return active.length === 0 && new Set(candidates.map((a) => a.accountId)).size === 1
		? candidates[0]
		: undefined;
}

export class QuickBooksChartDirectory implements AccountDirectory {
	/** Query pages read (one load per directory, whatever the number of codes). */
	pages = 0;
	private chart?: Promise<{
		byNumber: Map<string, QboGlAccountRecord[]>;
		byFullName: Map<string, QboGlAccountRecord[]>;
		byName: Map<string, QboGlAccountRecord[]>;
	}>;

	constructor(private readonly client: Pick<QboClient, 'call'>) {}

	private load() {
		this.chart ??= (async () => {
			const byNumber = new Map<string, QboGlAccountRecord[]>();
			const byFullName = new Map<string, QboGlAccountRecord[]>();
			const byName = new Map<string, QboGlAccountRecord[]>();
			const add = (map: Map<string, QboGlAccountRecord[]>, k: string, a: QboGlAccountRecord) =>
				map.set(k, [...(map.get(k) ?? []), a]);
			const reader = readQboMasterData(this.client, {
				resource: 'glAccounts',
				mode: 'full',
				includeInactive: true,
			});
			for await (const record of reader) {
				const account = record as QboGlAccountRecord;
				// `code` is the account number, or the full name when the company has none.
				if (account.code !== account.fullyQualifiedName)
					add(byNumber, account.code.trim(), account);
				add(byFullName, key(account.fullyQualifiedName), account);
				add(byName, key(account.name), account);
			}
			this.pages += reader.stats.pages;
			return { byNumber, byFullName, byName };
		})();
		return this.chart;
	}

	async resolveCodes(codes: string[]): Promise<Map<string, ResolvedAccount>> {
		const result = new Map<string, ResolvedAccount>();
		if (!codes.some((code) => code.trim())) return result;
		const { byNumber, byFullName, byName } = await this.load();
		const find = (code: string): QboGlAccountRecord | undefined => {
			const text = code.trim();
			const byNum = pick(byNumber.get(text));
			if (byNum) return byNum;
			// "6100 Office Supplies": a number, then that account's name or full name.
			const split = /^(\S+)\s+(.+)$/.exec(text);
			if (split) {
				const numbered = pick(
					(byNumber.get(split[1]) ?? []).filter(
						(a) => key(a.name) === key(split[2]) || key(a.fullyQualifiedName) === key(split[2]),
					),
				);
				if (numbered) return numbered;
			}
			return pick(byFullName.get(key(text))) ?? pick(byName.get(key(text)));
		};
		for (const code of codes) {
			const account = find(code);
			if (account)
				result.set(code, {
					id: account.accountId,
					name: account.name,
					active: account.active,
				});
		}
		return result;
	}
}
