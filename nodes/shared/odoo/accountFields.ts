/**
 * Field names that differ between Odoo versions, in one place. Odoo 16 replaced
 * `user_type_id` with the `account_type` selection; Odoo 18 made accounts multi-company
 * (`company_ids`); Odoo 19 replaced `deprecated` with `active`; Odoo 16 replaced the line's
 * `analytic_account_id` with `analytic_distribution`.
 */
import type { OdooDomain, OdooRecord } from './values';

export interface AccountFieldNames {
	type: 'account_type' | 'user_type_id';
	company: 'company_ids' | 'company_id';
	/** `deprecated` (true = unusable) before 19, `active` (false = unusable) from 19. */
	usable: 'deprecated' | 'active';
	fields: string[];
}

export function accountFields(major: number): AccountFieldNames {
	const type = major >= 16 ? 'account_type' : 'user_type_id';
	const company = major >= 18 ? 'company_ids' : 'company_id';
	const usable = major >= 19 ? 'active' : 'deprecated';
	return { type, company, usable, fields: ['id', 'code', 'name', type, company, usable] };
}

/** A domain that restricts accounts to one company, in the version's vocabulary. */
export function accountCompanyDomain(major: number, companyId: number | undefined): OdooDomain {
	if (companyId === undefined) return [];
	return [
		[accountFields(major).company, major >= 18 ? 'in' : '=', major >= 18 ? [companyId] : companyId],
	];
}

export interface NormalisedAccount {
	id: number;
	code: string;
	name: string;
	/** Odoo 16+ `account_type` value; for older servers the user type's name. */
	type: string;
	usable: boolean;
	companyIds: number[];
}

export function normaliseAccount(major: number, record: OdooRecord): NormalisedAccount {
	const names = accountFields(major);
	const rawType = record[names.type];
	const rawCompany = record[names.company];
	const companyIds = Array.isArray(rawCompany)
		? names.company === 'company_ids'
			? (rawCompany as number[])
			: [rawCompany[0] as number]
		: typeof rawCompany === 'number'
			? [rawCompany]
			: [];
	return {
		id: record.id,
		code: String(record.code ?? ''),
		name: String(record.name ?? ''),
		type: Array.isArray(rawType) ? String(rawType[1]) : String(rawType ?? ''),
		usable: names.usable === 'active' ? record.active !== false : record.deprecated !== true,
		companyIds,
	};
}

/** Whether invoice lines take `analytic_distribution` (16+) or `analytic_account_id`. */
export function supportsAnalyticDistribution(major: number): boolean {
	return major >= 16;
}
