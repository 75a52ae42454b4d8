/**
 * Maps a batch of canonical invoices: vendor first (batched), then every line through the compiled
 * rules, then optional account-code resolution (one cached lookup). Routes each invoice to Mapped or
 * Needs attention, whole (default) or split. Money fields are never read or rewritten.
 */
import {
	matchVendors,
	type AccountDirectory,
	type MappingTarget,
	type ResolvedAccount,
	type VendorMatch,
	type VendorMatchOptions,
} from '../erp';
import { erpModule } from '../erps';
import type { Invoice, InvoiceLine, LineMapping } from '../records/types';
import type { CompiledRuleSet } from './engine';
import type { AttentionReason, LineDecision, RuleTarget } from './types';

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

/** The target ERP's side of the mapping: its mapping target, under its system name and label. */
interface Target {
	system: string;
	label: string;
	mapping: MappingTarget;
	/** This ERP's part of a rule target. */
	of(target: RuleTarget): unknown;
}

function targetOf(system: string): Target {
	const module = erpModule(system);
	return {
		system,
		label: module.label,
		mapping: module.mappingTarget,
		of: (target) => (target as Record<string, unknown>)[system],
	};
}

type Resolved = Map<string, ResolvedAccount>;

/** One lookup for every code still to resolve in the batch (the directory caches across batches). */
async function resolveAccounts(
	decisions: LineDecision[][],
	target: Target,
	accounts: AccountDirectory | undefined,
): Promise<Resolved | undefined> {
	if (!accounts) return undefined;
	const codes = new Set<string>();
	for (const list of decisions)
		for (const d of list)
			if (d.status === 'mapped' || d.status === 'default') {
				const code = target.mapping.codeToResolve(target.of(d.target));
				if (code !== undefined) codes.add(code);
			}
	return codes.size ? await accounts.resolveCodes([...codes]) : new Map();
}

/** A line's explanation and, when it maps, its mapping (after account resolution). */
function explainLine(
	line: InvoiceLine,
	decision: LineDecision,
	target: Target,
	resolved: Resolved | undefined,
): LineExplanation {
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
	if (decision.status !== 'mapped' && decision.status !== 'default') return explanation;
	const rule =
		decision.status === 'mapped'
			? { id: decision.rule.id, reason: decision.reason }
			: { id: 'default', reason: decision.reason };
	explanation.rule =
		decision.status === 'mapped'
			? { id: decision.rule.id, row: decision.rule.row }
			: { id: 'default' };
	const ruleTarget = target.of(decision.target);
	const code = resolved ? target.mapping.codeToResolve(ruleTarget) : undefined;
	let account: ResolvedAccount | undefined;
	if (code !== undefined) {
		account = resolved!.get(code);
		if (!account || !account.active) {
			const by = decision.status === 'mapped' ? `rule ${decision.rule.id}` : 'default target';
			explanation.outcome = 'account';
			explanation.reason = `account ${code} (from ${by}) ${account ? 'is inactive' : 'was not found'} in ${target.label}`;
			return explanation;
		}
	}
	explanation.mapping = {
		lineNumber: line.lineNumber,
		[target.system]: target.mapping.lineTarget(
			ruleTarget,
			code !== undefined ? { code, account: account! } : undefined,
		),
		rule,
	} as LineMapping;
	return explanation;
}

/** The invoice (or one part of it) with its `mapping` and the matched ERP vendor. */
function withMapping(
	invoice: Invoice,
	system: string,
	vendor: VendorMatch | undefined,
	mappedLines: Map<number, LineMapping>,
	lines: InvoiceLine[],
	partial?: NonNullable<Invoice['mapping']>['partial'],
): Invoice {
	const vendorMapping =
		vendor?.status === 'matched'
			? { erpVendorId: vendor.erpVendorId, method: vendor.method }
			: undefined;
	return {
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
	};
}

/** Routes one invoice whole, or split into a mapped and a needs-attention part. */
function route(
	index: number,
	invoice: Invoice,
	system: string,
	vendor: VendorMatch | undefined,
	explanations: LineExplanation[],
	reasons: AttentionReason[],
	split: boolean,
): InvoiceOutcome[] {
	const mappedLines = new Map<number, LineMapping>();
	for (const e of explanations) if (e.mapping) mappedLines.set(e.lineNumber, e.mapping);
	const build = (lines: InvoiceLine[], partial?: NonNullable<Invoice['mapping']>['partial']) =>
		withMapping(invoice, system, vendor, mappedLines, lines, partial) as unknown as Record<
			string,
			unknown
		>;
	const base = { inputIndex: index, vendor };
	if (reasons.length === 0)
		return [{ ...base, route: 'mapped', json: build(invoice.lines), explanations }];
	const vendorBlocks = reasons.some((r) => r.lineNumber === undefined);
	const mapped = invoice.lines.filter((line) => mappedLines.has(line.lineNumber));
	if (!split || vendorBlocks || mapped.length === 0)
		return [
			{
				...base,
				route: 'needsAttention',
				json: { ...build(invoice.lines), reasons },
				explanations,
			},
		];
	const unmapped = invoice.lines.filter((line) => !mappedLines.has(line.lineNumber));
	const mappedNumbers = mapped.map((line) => line.lineNumber);
	const unmappedNumbers = unmapped.map((line) => line.lineNumber);
	return [
		{
			...base,
			route: 'mapped',
			json: build(mapped, {
				part: 'mapped',
				lineNumbers: mappedNumbers,
				otherLineNumbers: unmappedNumbers,
			}),
			explanations: explanations.filter((e) => mappedLines.has(e.lineNumber)),
		},
		{
			...base,
			route: 'needsAttention',
			json: {
				...build(unmapped, {
					part: 'needsAttention',
					lineNumbers: unmappedNumbers,
					otherLineNumbers: mappedNumbers,
				}),
				reasons,
			},
			explanations: explanations.filter((e) => !mappedLines.has(e.lineNumber)),
		},
	];
}

/** Items that are not canonical invoices go to Needs attention at once, with why. */
function splitValid(
	items: unknown[],
	outcomes: InvoiceOutcome[],
): Array<{ index: number; invoice: Invoice }> {
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
	return valid;
}

export async function mapInvoices(
	items: unknown[],
	options: MapInvoicesOptions,
): Promise<InvoiceOutcome[]> {
	const target = targetOf(options.rules.options.target);
	const outcomes: InvoiceOutcome[] = [];
	const valid = splitValid(items, outcomes);

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
	const resolved = await resolveAccounts(decisions, target, options.accounts);

	valid.forEach(({ index, invoice }, v) => {
		const reasons: AttentionReason[] = [];
		const vendor = vendorMatches?.[v];
		if (vendor && vendor.status !== 'matched' && vendorRequired)
			reasons.push({ reason: `vendor: ${vendor.reason}` });
		const explanations = invoice.lines.map((line, l) =>
			explainLine(line, decisions[v][l], target, resolved),
		);
		for (const e of explanations)
			if (!e.mapping) reasons.push({ lineNumber: e.lineNumber, reason: e.reason });
		outcomes.push(
			...route(
				index,
				invoice,
				target.system,
				vendor,
				explanations,
				reasons,
				options.split === true,
			),
		);
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
