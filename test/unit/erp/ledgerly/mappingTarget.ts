import type { MappingTarget } from '../../../../nodes/shared/erp';

export interface LedgerlyRuleTarget {
	accountCode?: string;
	costCenter?: string;
}

export interface LedgerlyLineTarget {
	accountId?: string;
	accountCode?: string;
	costCenter?: string;
}

declare module '../../../../nodes/shared/erp/mappingTarget' {
	interface RuleTargets {
		ledgerly?: LedgerlyRuleTarget;
	}
}

declare module '../../../../nodes/shared/records/types' {
	interface LineTargets {
		ledgerly?: LedgerlyLineTarget;
	}
}

/** Ledgerly rules name an account code (always resolved to an id) and an optional cost center. */
export const ledgerlyMappingTarget: MappingTarget<LedgerlyRuleTarget, LedgerlyLineTarget> = {
	columns: ['ledgerlyAccount', 'ledgerlyCostCenter'],
	fields: [
		{ column: 'ledgerlyAccount', label: 'Ledgerly Account Code' },
		{ column: 'ledgerlyCostCenter', label: 'Ledgerly Cost Center' },
	],
	parse(cells) {
		const accountCode = cells.text('ledgerlyAccount');
		const costCenter = cells.text('ledgerlyCostCenter');
		if (accountCode === undefined && costCenter === undefined) return undefined;
		return {
			...(accountCode !== undefined ? { accountCode } : {}),
			...(costCenter !== undefined ? { costCenter } : {}),
		};
	},
	missingAccount(target, accountResolution) {
		if (target?.accountCode === undefined)
			return { column: 'ledgerlyAccount', reason: 'missing target: set ledgerlyAccount' };
		if (!accountResolution)
			return { column: 'ledgerlyAccount', reason: 'Ledgerly needs account resolution turned on' };
		return undefined;
	},
	codeToResolve: (target) => target?.accountCode,
	lineTarget(target = {}, resolved) {
		return {
			...(target.accountCode !== undefined ? { accountCode: target.accountCode } : {}),
			...(target.costCenter !== undefined ? { costCenter: target.costCenter } : {}),
			...(resolved ? { accountId: resolved.account.id } : {}),
		};
	},
};
