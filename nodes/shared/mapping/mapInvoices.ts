/**
 * Maps a batch of canonical invoices: vendor first (batched), then every line through the compiled
 * rules, then optional account-code resolution (one cached lookup). Routes each invoice to Mapped or
 * Needs attention, whole (default) or split. Money fields are never read or rewritten.
 */
import type { Invoice, InvoiceLine, LineMapping } from '../records/types';
import type { AccountDirectory } from './accounts';
import type { CompiledRuleSet } from './engine';
import type { AttentionReason, LineDecision, RuleTarget } from './types';
import { matchVendors, type VendorMatch, type VendorMatchOptions } from './vendor';

export interface MapInvoicesOptions {
	rules: CompiledRuleSet;
	/** Split an invoice into a mapped part and a needs-attention part instead of routing it whole. */
	split?: boolean;
	/** Vendor mapping; absent means off (no vendor is required). */
	vendors?: VendorMatchOptions & {
		/** Unmatched vendor sends the invoice to Needs attention (default true). */ required?: boolean;
	};
	/** Resolve account codes / numbers to ids; inactive or missing accounts need attention. */
	accounts?: AccountDirectory;
}

export type LineOutcome = 'mapped' | 'default' | 'unmapped' | 'ambiguous' | 'account';

export interface LineExplanation {
	lineNumber: number;
	glAccount: string;
	dimensions: Record<string, string | undefined>;
	amount: string;
	outcome: LineOutcome;
	reason: string;
	/** The rule that decided, when one did. */
	rule?: { id: string; row?: number };
	/** Every rule whose code and conditions matched, in table order. */
	candidates: Array<{ id: string; row: number; reason: string }>;
	mapping?: LineMapping;
}

export interface InvoiceOutcome {
	/** Index of the input item this came from (for pairedItem). */
	inputIndex: number;
	route: 'mapped' | 'needsAttention';
	/** The invoice with `mapping`; Needs-attention items also carry `reasons`. */
	json: Record<string, unknown>;
	vendor?: VendorMatch;
	explanations: LineExplanation[];
}

const SYSTEM_NAME = { odoo: 'Odoo', quickbooks: 'QuickBooks' } as const;

/** Why a value is not a canonical invoice the mapper can work on, or undefined. */
export function invoiceShapeProblem(value: unknown): string | undefined {
	if (!value || typeof value !== 'object') return 'item is not an object';
	const invoice = value as Partial<Invoice>;
	if (!Array.isArray(invoice.lines)) return 'item is not a canonical invoice: "lines" is missing';
	if (!invoice.vendor || typeof invoice.vendor !== 'object')
		return 'item is not a canonical invoice: "vendor" is missing';
	for (let i = 0; i < invoice.lines.length; i++) {
		const line = invoice.lines[i] as Partial<InvoiceLine> | null;
		if (!line || typeof line !== 'object') return `lines[${i}] is not an object`;
		if (typeof line.lineNumber !== 'number') return `lines[${i}].lineNumber is missing`;
		if (typeof line.glAccount !== 'string' && typeof line.glAccount !== 'number')
			return `line ${line.lineNumber}: glAccount is missing`;
	}
	return undefined;
}

function lineMapping(
	lineNumber: number,
	target: RuleTarget,
	system: 'odoo' | 'quickbooks',
	rule: { id: string; reason: string },
): LineMapping {
	if (system === 'odoo') {
		const t = target.odoo ?? {};
		return {
			lineNumber,
			odoo: {
				...(t.accountId !== undefined ? { accountId: t.accountId } : {}),
				...(t.accountCode !== undefined ? { accountCode: t.accountCode } : {}),
				...(t.analyticDistribution ? { analyticDistribution: { ...t.analyticDistribution } } : {}),
				...(t.taxIds ? { taxIds: [...t.taxIds] } : {}),
			},
			rule,
		};
	}
	const q = target.quickbooks ?? {};
	return {
		lineNumber,
		quickbooks: {
			...(q.accountRef ? { accountRef: { ...q.accountRef } } : {}),
			...(q.classRef ? { classRef: { ...q.classRef } } : {}),
			...(q.departmentRef ? { departmentRef: { ...q.departmentRef } } : {}),
		},
		rule,
	};
}

/** The code a target still needs resolved, if any. */
function codeToResolve(target: RuleTarget, system: 'odoo' | 'quickbooks'): string | undefined {
	if (system === 'odoo')
		return target.odoo?.accountId === undefined ? target.odoo?.accountCode : undefined;
	return target.quickbooks?.accountRef ? undefined : target.quickbooks?.accountNumber;
}

export async function mapInvoices(
	items: unknown[],
	options: MapInvoicesOptions,
): Promise<InvoiceOutcome[]> {
	const system = options.rules.options.target;
	const outcomes: InvoiceOutcome[] = [];
	const valid: Array<{ index: number; invoice: Invoice }> = [];
	items.forEach((item, index) => {
		const problem = invoiceShapeProblem(item);
		if (problem) {
			const json = item && typeof item === 'object' ? { ...(item as object) } : { value: item };
			outcomes.push({
				inputIndex: index,
				route: 'needsAttention',
				json: { ...json, reasons: [{ reason: problem }] },
				explanations: [],
			});
		} else valid.push({ index, invoice: item as Invoice });
	});

	const vendorMatches = options.vendors
		? await matchVendors(
				valid.map((v) => v.invoice.vendor),
				options.vendors,
			)
		: undefined;
	const vendorRequired = options.vendors?.required ?? true;

	const decisions = valid.map(({ invoice }) =>
		invoice.lines.map((line) =>
			options.rules.match({
				glAccount: String(line.glAccount),
				dimensions: line.dimensions ?? {},
				vendorId: invoice.vendor.stampliVendorId,
				vendorName: invoice.vendor.name,
			}),
		),
	);

	// One lookup for every code still to resolve in the batch (the directory caches across batches).
	let resolved: Map<string, { id: string; name?: string; active: boolean }> | undefined;
	if (options.accounts) {
		const codes = new Set<string>();
		for (const list of decisions)
			for (const d of list)
				if (d.status === 'mapped' || d.status === 'default') {
					const code = codeToResolve(d.target, system);
					if (code !== undefined) codes.add(code);
				}
		resolved = codes.size ? await options.accounts.resolveCodes([...codes]) : new Map();
	}

	valid.forEach(({ index, invoice }, v) => {
		const reasons: AttentionReason[] = [];
		const vendor = vendorMatches?.[v];
		if (vendor && vendor.status !== 'matched' && vendorRequired)
			reasons.push({ reason: `vendor: ${vendor.reason}` });

		const explanations: LineExplanation[] = [];
		const mappedLines = new Map<number, LineMapping>();
		invoice.lines.forEach((line, l) => {
			const decision: LineDecision = decisions[v][l];
			const explanation: LineExplanation = {
				lineNumber: line.lineNumber,
				glAccount: String(line.glAccount),
				dimensions: line.dimensions ?? {},
				amount: line.amount,
				outcome: decision.status,
				reason: decision.reason,
				candidates:
					'candidates' in decision
						? decision.candidates.map((c) => ({ id: c.rule.id, row: c.rule.row, reason: c.reason }))
						: [],
			};
			if (decision.status === 'mapped' || decision.status === 'default') {
				const ruleRef =
					decision.status === 'mapped'
						? { id: decision.rule.id, reason: decision.reason }
						: { id: 'default', reason: decision.reason };
				if (decision.status === 'mapped')
					explanation.rule = { id: decision.rule.id, row: decision.rule.row };
				else explanation.rule = { id: 'default' };
				let mapping: LineMapping | undefined = lineMapping(
					line.lineNumber,
					decision.target,
					system,
					ruleRef,
				);
				const code = resolved ? codeToResolve(decision.target, system) : undefined;
				if (code !== undefined) {
					const account = resolved!.get(code);
					const by = decision.status === 'mapped' ? `rule ${decision.rule.id}` : 'default target';
					if (!account || !account.active) {
						explanation.outcome = 'account';
						explanation.reason = `account ${code} (from ${by}) ${account ? 'is inactive' : 'was not found'} in ${SYSTEM_NAME[system]}`;
						mapping = undefined;
					} else if (system === 'odoo') {
						mapping.odoo = { ...mapping.odoo, accountId: Number(account.id), accountCode: code };
					} else {
						mapping.quickbooks = {
							...mapping.quickbooks,
							accountRef: { value: account.id, ...(account.name ? { name: account.name } : {}) },
						};
					}
				}
				if (mapping) {
					explanation.mapping = mapping;
					mappedLines.set(line.lineNumber, mapping);
				}
			}
			if (!explanation.mapping)
				reasons.push({ lineNumber: line.lineNumber, reason: explanation.reason });
			explanations.push(explanation);
		});

		const vendorMapping =
			vendor?.status === 'matched'
				? { erpVendorId: vendor.erpVendorId, method: vendor.method }
				: undefined;
		const withMapping = (
			lines: InvoiceLine[],
			partial?: NonNullable<Invoice['mapping']>['partial'],
		): Invoice => ({
			...invoice,
			vendor: vendorMapping
				? { ...invoice.vendor, erpVendorId: vendorMapping.erpVendorId }
				: invoice.vendor,
			lines,
			mapping: {
				target: system,
				...(vendorMapping ? { vendor: vendorMapping } : {}),
				lines: lines
					.map((line) => mappedLines.get(line.lineNumber))
					.filter((m): m is LineMapping => m !== undefined),
				...(partial ? { partial } : {}),
			},
		});

		const vendorBlocks = reasons.some((r) => r.lineNumber === undefined);
		const unmappedLines = invoice.lines.filter((line) => !mappedLines.has(line.lineNumber));
		if (reasons.length === 0) {
			outcomes.push({
				inputIndex: index,
				route: 'mapped',
				json: withMapping(invoice.lines) as unknown as Record<string, unknown>,
				vendor,
				explanations,
			});
		} else if (options.split && !vendorBlocks && unmappedLines.length < invoice.lines.length) {
			const mapped = invoice.lines.filter((line) => mappedLines.has(line.lineNumber));
			const mappedNumbers = mapped.map((line) => line.lineNumber);
			const unmappedNumbers = unmappedLines.map((line) => line.lineNumber);
			outcomes.push({
				inputIndex: index,
				route: 'mapped',
				json: withMapping(mapped, {
					part: 'mapped',
					lineNumbers: mappedNumbers,
					otherLineNumbers: unmappedNumbers,
				}) as unknown as Record<string, unknown>,
				vendor,
				explanations: explanations.filter((e) => mappedLines.has(e.lineNumber)),
			});
			outcomes.push({
				inputIndex: index,
				route: 'needsAttention',
				json: {
					...withMapping(unmappedLines, {
						part: 'needsAttention',
						lineNumbers: unmappedNumbers,
						otherLineNumbers: mappedNumbers,
					}),
					reasons,
				},
				vendor,
				explanations: explanations.filter((e) => !mappedLines.has(e.lineNumber)),
			});
		} else {
			outcomes.push({
				inputIndex: index,
				route: 'needsAttention',
				json: { ...withMapping(invoice.lines), reasons },
				vendor,
				explanations,
			});
		}
	});

	return outcomes.sort((a, b) => a.inputIndex - b.inputIndex);
}

/** Preview mode: one explanation item per line (or per unusable item), routed like its invoice would be. */
export function previewItems(
	outcomes: InvoiceOutcome[],
): Array<{ inputIndex: number; route: InvoiceOutcome['route']; json: Record<string, unknown> }> {
	const items: Array<{
		inputIndex: number;
		route: InvoiceOutcome['route'];
		json: Record<string, unknown>;
	}> = [];
	for (const outcome of outcomes) {
		const invoice = outcome.json as Partial<Invoice> & { reasons?: AttentionReason[] };
		const header = {
			preview: true,
			wouldGoTo: outcome.route,
			stampliInvoiceId: invoice.stampliInvoiceId,
			invoiceNumber: invoice.invoiceNumber,
			vendor: {
				stampliVendorId: invoice.vendor?.stampliVendorId,
				name: invoice.vendor?.name,
				...(outcome.vendor
					? {
							match: outcome.vendor.status,
							...('method' in outcome.vendor ? { method: outcome.vendor.method } : {}),
							...(outcome.vendor.status === 'matched'
								? { erpVendorId: outcome.vendor.erpVendorId }
								: {}),
							reason: outcome.vendor.reason,
						}
					: {}),
			},
		};
		if (outcome.explanations.length === 0) {
			items.push({
				inputIndex: outcome.inputIndex,
				route: outcome.route,
				json: { ...header, reasons: invoice.reasons ?? [] },
			});
			continue;
		}
		for (const line of outcome.explanations)
			items.push({
				inputIndex: outcome.inputIndex,
				route: outcome.route,
				json: { ...header, line },
			});
	}
	return items;
}
