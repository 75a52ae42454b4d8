/**
 * Odoo as a GL Mapper target: rule columns `odooAccount` (id), `odooAccountCode`, `analytic` (one
 * analytic account id, or an analytic distribution) and `taxes`, and the line target
 * `mapping.lines[].odoo` the bill writer reads.
 */
import { add, equals, isDecimalString, parseDecimal } from '../records/decimal';
import type { DecimalString } from '../records/types';
import type { MappingTarget, ReportProblem } from '../erp';

export interface OdooLineTarget {
	accountId?: number;
	accountCode?: string;
	/** Odoo 16+ analytic distribution: analytic account id → percentage (decimal string). */
	analyticDistribution?: Record<string, DecimalString>;
	taxIds?: number[];
}

/** A rule's Odoo target has the same fields as a line's. */
export type OdooRuleTarget = OdooLineTarget;

declare module '../erp/mappingTarget' {
	interface RuleTargets {
		odoo?: OdooRuleTarget;
	}
}

declare module '../records/types' {
	interface LineTargets {
		odoo?: OdooLineTarget;
	}
}

export const odooMappingTarget: MappingTarget<OdooRuleTarget, OdooLineTarget> = {
	columns: ['odooAccount', 'odooAccountCode', 'analytic', 'taxes'],
	fields: [
		{ column: 'odooAccount', label: 'Odoo Account', pick: 'account' },
		{ column: 'odooAccountCode', label: 'Odoo Account Code' },
		{
			column: 'analytic',
			label: 'Analytic Account',
			placeholder: '12 or 12:60;13:40',
			description:
				'One analytic account takes 100% of the line; with "By ID", an ID (100%) or ID:percent pairs summing to 100 (12:60;13:40)',
			pick: 'analytic',
			idPattern: {
				regex:
					'^\\s*(\\{[\\s\\S]*\\}|\\d+|\\d+(,\\d+)*\\s*:\\s*[\\d.]+(\\s*[;|]\\s*\\d+(,\\d+)*\\s*:\\s*[\\d.]+)*\\s*[;|]?)\\s*$',
				errorMessage: 'An analytic account ID, or ID:percent pairs separated by ; (12:60;13:40)',
			},
		},
		{ column: 'taxes', label: 'Taxes', placeholder: '3;7', pick: 'tax', multiple: true },
	],

	parse(cells, problem) {
		const odooAccount = cells.text('odooAccount');
		const odooAccountCode = cells.text('odooAccountCode');
		const analyticCell = cells.raw('analytic');
		const taxesCell = cells.raw('taxes');
		const analytic = analyticCell !== undefined ? parseAnalytic(analyticCell, problem) : undefined;
		const taxes = taxesCell !== undefined ? parseTaxes(taxesCell, problem) : undefined;
		if (odooAccount === undefined && odooAccountCode === undefined && !analytic && !taxes)
			return undefined;
		const odoo: OdooRuleTarget = {};
		if (odooAccount !== undefined) {
			if (!/^[1-9]\d*$/.test(odooAccount))
				problem(
					'odooAccount',
					`"${odooAccount}" is not an Odoo record id (a positive whole number)`,
				);
			else odoo.accountId = Number(odooAccount);
		}
		if (odooAccountCode !== undefined) odoo.accountCode = odooAccountCode;
		if (analytic) odoo.analyticDistribution = analytic;
		if (taxes) odoo.taxIds = taxes;
		return odoo;
	},

	missingAccount(target) {
		if (target?.accountId === undefined && target?.accountCode === undefined)
			return {
				column: 'odooAccount',
				reason: 'missing target: set odooAccount (id) or odooAccountCode',
			};
		return undefined;
	},

	codeToResolve(target) {
		return target?.accountId === undefined ? target?.accountCode : undefined;
	},

	lineTarget(t = {}, resolved) {
		const line: OdooLineTarget = {
			...(t.accountId !== undefined ? { accountId: t.accountId } : {}),
			...(t.accountCode !== undefined ? { accountCode: t.accountCode } : {}),
			...(t.analyticDistribution ? { analyticDistribution: { ...t.analyticDistribution } } : {}),
			...(t.taxIds ? { taxIds: [...t.taxIds] } : {}),
		};
		return resolved
			? { ...line, accountId: Number(resolved.account.id), accountCode: resolved.code }
			: line;
	},
};

/**
 * `12:60;13:40` (ids; Odoo 17 multi-plan keys like `12,14` allowed), a JSON object, or JSON text,
 * summing to 100; or one analytic account id alone (what the rule form's picker stores): 100 % to it.
 */
function parseAnalytic(
	cell: unknown,
	problem: ReportProblem,
): Record<string, DecimalString> | undefined {
	const single =
		typeof cell === 'number' ? String(cell) : typeof cell === 'string' ? cell.trim() : '';
	if (/^[1-9]\d*$/.test(single)) return { [single]: '100' };
	let entries: Array<[string, unknown]>;
	if (typeof cell === 'string' && cell.trim().startsWith('{')) {
		try {
			cell = JSON.parse(cell);
		} catch {
			problem('analytic', 'looks like JSON but does not parse');
			return undefined;
		}
	}
	if (cell && typeof cell === 'object' && !Array.isArray(cell)) entries = Object.entries(cell);
	else if (typeof cell === 'string') {
		entries = [];
		for (const part of cell
			.split(/[;|]/)
			.map((p) => p.trim())
			.filter(Boolean)) {
			const colon = part.lastIndexOf(':');
			if (colon <= 0) {
				problem('analytic', `"${part}" is not "<analytic account id>:<percent>"`);
				return undefined;
			}
			entries.push([part.slice(0, colon).trim(), part.slice(colon + 1).trim()]);
		}
	} else {
		problem('analytic', 'must be "id:percent;id:percent" or a JSON object');
		return undefined;
	}
	const distribution: Record<string, DecimalString> = {};
	for (const [key, raw] of entries) {
		if (!/^\d+(,\d+)*$/.test(key)) {
			problem('analytic', `"${key}" is not an analytic account id`);
			return undefined;
		}
		const value = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
		let percent: string;
		try {
			percent = parseDecimal(value);
		} catch {
			problem('analytic', `percentage "${value}" for ${key} is not a decimal number`);
			return undefined;
		}
		if (!isDecimalString(percent) || percent.startsWith('-')) {
			problem('analytic', `percentage for ${key} must not be negative`);
			return undefined;
		}
		distribution[key] = percent;
	}
	const values = Object.values(distribution);
	if (values.length === 0) {
		problem('analytic', 'no entries');
		return undefined;
	}
	const sum = add(...values);
	if (!equals(sum, '100')) {
		problem('analytic', `percentages sum to ${sum}, must be 100`);
		return undefined;
	}
	return distribution;
}

/** `3;7`, `3|7`, `3,7`, a number, or a JSON array → Odoo tax ids. */
function parseTaxes(cell: unknown, problem: ReportProblem): number[] | undefined {
	const parts = Array.isArray(cell)
		? cell.map((v) => String(v).trim())
		: String(cell)
				.split(/[;|,\s]+/)
				.filter(Boolean);
	const ids: number[] = [];
	for (const part of parts) {
		if (!/^[1-9]\d*$/.test(part)) {
			problem('taxes', `"${part}" is not an Odoo tax id`);
			return undefined;
		}
		ids.push(Number(part));
	}
	return ids.length ? ids : undefined;
}
