/**
 * QuickBooks Online as a GL Mapper target: rule columns for the account (`qboAccount` id,
 * `qboAccountName`, or `qboAccountNumber` to resolve), class and department, and the line target
 * `mapping.lines[].quickbooks` the bill writer reads (AccountRef, ClassRef, DepartmentRef).
 */
import type { MappingTarget } from '../erp';

export interface QboRef {
	value: string;
	name?: string;
}

export interface QuickBooksLineTarget {
	accountRef?: QboRef;
	classRef?: QboRef;
	departmentRef?: QboRef;
}

export interface QuickBooksRuleTarget extends QuickBooksLineTarget {
	/** Account number to resolve into an AccountRef through an AccountDirectory. */
	accountNumber?: string;
}

declare module '../erp/mappingTarget' {
	interface RuleTargets {
		quickbooks?: QuickBooksRuleTarget;
	}
}

declare module '../records/types' {
	interface LineTargets {
		quickbooks?: QuickBooksLineTarget;
	}
}

export const quickBooksMappingTarget: MappingTarget<QuickBooksRuleTarget, QuickBooksLineTarget> = {
	columns: [
		'qboAccount',
		'qboAccountName',
		'qboAccountNumber',
		'qboClass',
		'qboClassName',
		'qboDepartment',
		'qboDepartmentName',
	],
	fields: [
		{ column: 'qboAccount', label: 'QuickBooks Account', pick: 'account' },
		{ column: 'qboAccountName', label: 'QuickBooks Account Name' },
		{
			column: 'qboAccountNumber',
			label: 'QuickBooks Account Number',
			description: 'Resolved to an account ID when account resolution is on',
			inDefaultTarget: false,
		},
		{ column: 'qboClass', label: 'QuickBooks Class', pick: 'class' },
		{ column: 'qboDepartment', label: 'QuickBooks Department', pick: 'department' },
	],

	parse(cells, problem) {
		const ref = (valueColumn: string, nameColumn: string): QboRef | undefined => {
			const value = cells.text(valueColumn);
			const name = cells.text(nameColumn);
			if (value === undefined) {
				if (name !== undefined && nameColumn !== 'qboAccountName')
					problem(valueColumn, `required when ${nameColumn} is set (QuickBooks refs need the id)`);
				return undefined;
			}
			return name !== undefined ? { value, name } : { value };
		};
		const accountRef = ref('qboAccount', 'qboAccountName');
		const accountNumber = cells.text('qboAccountNumber');
		const classRef = ref('qboClass', 'qboClassName');
		const departmentRef = ref('qboDepartment', 'qboDepartmentName');
		if (!accountRef && accountNumber === undefined && !classRef && !departmentRef) return undefined;
		return {
			...(accountRef ? { accountRef } : {}),
			...(accountNumber !== undefined ? { accountNumber } : {}),
			...(classRef ? { classRef } : {}),
			...(departmentRef ? { departmentRef } : {}),
		};
	},

	missingAccount(target, accountResolution) {
		if (target?.accountRef) return undefined;
		if (target?.accountNumber !== undefined) {
			return accountResolution
				? undefined
				: {
						column: 'qboAccountNumber',
						reason:
							'qboAccountNumber needs account resolution turned on; or set qboAccount (the account Id)',
					};
		}
		return {
			column: 'qboAccount',
			reason: 'missing target: set qboAccount (the QuickBooks account Id)',
		};
	},

	codeToResolve(target) {
		return target?.accountRef ? undefined : target?.accountNumber;
	},

	lineTarget(q = {}, resolved) {
		const line: QuickBooksLineTarget = {
			...(q.accountRef ? { accountRef: { ...q.accountRef } } : {}),
			...(q.classRef ? { classRef: { ...q.classRef } } : {}),
			...(q.departmentRef ? { departmentRef: { ...q.departmentRef } } : {}),
		};
		if (!resolved) return line;
		const { id, name } = resolved.account;
		return { ...line, accountRef: { value: id, ...(name ? { name } : {}) } };
	},
};
