import {
	normaliseVendorName,
	sameTaxId,
	type AccountDirectory,
	type ErpVendorCandidate,
	type ResolvedAccount,
	type VendorDirectory,
} from '../../../../nodes/shared/erp';
import type { Ledger } from './ledger';

export class LedgerlyAccounts implements AccountDirectory {
	constructor(private readonly ledger: Ledger) {}

	async resolveCodes(codes: string[]): Promise<Map<string, ResolvedAccount>> {
		this.ledger.lookups.push(`accounts ${codes.join(',')}`);
		const found = new Map<string, ResolvedAccount>();
		for (const a of this.ledger.accounts)
			if (codes.includes(a.code)) found.set(a.code, { id: a.id, name: a.name, active: a.active });
		return found;
	}
}

export class LedgerlyVendors implements VendorDirectory {
	constructor(private readonly ledger: Ledger) {}

	private candidates(
		keys: string[],
		matches: (key: string, v: Ledger['vendors'][number]) => boolean,
	) {
		const found = new Map<string, ErpVendorCandidate[]>();
		for (const key of keys) {
			const list = this.ledger.vendors
				.filter((v) => matches(key, v))
				.map((v) => ({ erpVendorId: v.id, name: v.name, ...(v.taxId ? { taxId: v.taxId } : {}) }));
			if (list.length) found.set(key, list);
		}
		return Promise.resolve(found);
	}

	byExternalIds() {
		return Promise.resolve(new Map<string, ErpVendorCandidate[]>());
	}
	byTaxIds(taxIds: string[]) {
		this.ledger.lookups.push(`vendors by tax id ${taxIds.join(',')}`);
		return this.candidates(taxIds, (key, v) => !!v.taxId && sameTaxId(key, v.taxId));
	}
	byNames(names: string[]) {
		this.ledger.lookups.push(`vendors by name ${names.join(',')}`);
		return this.candidates(names, (key, v) => normaliseVendorName(v.name) === key);
	}
}
