/**
 * GL Mapper rule model. Plain data: rules come from the node UI, a JSON/CSV table or an
 * expression, are validated once by `parseRuleTable`, then compiled by `compileRules`. What a rule
 * maps to is each ERP's business (its `MappingTarget`); the engine only carries it.
 */
import type { RuleTargets } from '../erp';
import type { LineMapping } from '../records/types';

/** The system name of a registered ERP (`odoo`, `quickbooks`). */
export type TargetSystem = string;
export type MatchKind = 'exact' | 'prefix' | 'range' | 'regex';
export type Precedence = 'firstMatch' | 'mostSpecific';

/** Which line / invoice attribute a condition looks at. `vendor` matches the vendor's Stampli id or its name. */
export type ConditionField =
	| { kind: 'dimension'; name: string }
	| { kind: 'vendor' }
	| { kind: 'vendorId' }
	| { kind: 'vendorName' };

/** Equality (one value) or membership (several values). */
export interface DimensionCondition {
	field: ConditionField;
	/** Column the condition came from, for explanations (`department`, `dim.costCenter`, `vendor`). */
	label: string;
	values: string[];
}

/** A rule's targets, per ERP (a row may carry several ERPs' columns). */
export type RuleTarget = RuleTargets;

export interface GlRule {
	/** The row's `id` column, or `row <n>` when the table has none. */
	id: string;
	/** 1-based row number in the source table (data rows, header excluded). */
	row: number;
	match: MatchKind;
	/** exact / prefix. */
	code?: string;
	/** range: inclusive numeric bounds, kept as typed for explanations. */
	codeFrom?: string;
	codeTo?: string;
	/** regex source. */
	pattern?: string;
	conditions: DimensionCondition[];
	target: RuleTarget;
	/** Breaks ties between equally specific rules under `mostSpecific` (higher wins). */
	priority?: number;
	note?: string;
}

/** One row of a rule table before validation: column name → cell. */
export type RuleRow = Record<string, unknown>;

export interface CompileOptions {
	target: TargetSystem;
	precedence: Precedence;
	/** Dimension / vendor comparisons ignore case (default true). */
	caseInsensitive?: boolean;
	/** Used when no rule matches; only when the user set one. */
	defaultTarget?: RuleTarget;
	/** Account codes will be resolved later, so a rule may give only a code / number. */
	accountResolution?: boolean;
	/** Source name for error messages, e.g. `rules.csv` or `node parameter "Rules"`. */
	sourceName?: string;
}

/** What a line is matched against. */
export interface MatchInput {
	glAccount: string;
	dimensions: Record<string, string | undefined>;
	vendorId?: string;
	vendorName?: string;
}

export interface Candidate {
	rule: GlRule;
	reason: string;
}

export type LineDecision =
	| { status: 'mapped'; rule: GlRule; reason: string; candidates: Candidate[]; target: RuleTarget }
	| { status: 'default'; reason: string; target: RuleTarget }
	| { status: 'unmapped'; reason: string }
	| { status: 'ambiguous'; reason: string; candidates: Candidate[] };

export interface AttentionReason {
	lineNumber?: number;
	reason: string;
}

export type { LineMapping };
