/**
 * AccountDirectory over the Odoo client: one `search_read` on `account.account` per call with a
 * `code in [...]` domain, archived / deprecated accounts included so they can be reported as inactive.
 */
import { accountCompanyDomain, accountFields, normaliseAccount, type OdooClient } from '../odoo';
import type { AccountDirectory, ResolvedAccount } from './accounts';

export class OdooAccountDirectory implements AccountDirectory {
	constructor(
		private readonly client: Pick<OdooClient, 'serverVersion' | 'searchRead' | 'config'>,
	) {}

	async resolveCodes(codes: string[]): Promise<Map<string, ResolvedAccount>> {
		const result = new Map<string, ResolvedAccount>();
		if (codes.length === 0) return result;
		const major = await this.client.serverVersion();
		const records = await this.client.searchRead(
			'account.account',
			[['code', 'in', codes], ...accountCompanyDomain(major, this.client.config.companyId)],
			{ fields: accountFields(major).fields, context: { active_test: false } },
		);
		for (const record of records) {
			const account = normaliseAccount(major, record);
			const existing = result.get(account.code);
			// Keep a usable account over an unusable duplicate of the same code.
			if (!existing || (!existing.active && account.usable))
				result.set(account.code, {
					id: String(account.id),
					name: account.name,
					active: account.usable,
				});
		}
		return result;
	}
}
