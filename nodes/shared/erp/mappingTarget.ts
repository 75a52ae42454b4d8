/**
 * What the GL Mapper needs to know about an ERP to map lines for it: the rule-table columns of its
 * target, how to read and check them, which code a target still needs resolved to an id, and the
 * line target written into `mapping.lines[]`. The mapping engine only talks to this interface.
 */
import type { ResolvedAccount } from './accounts';

/**
 * The rule target of each ERP, under its system name. Each ERP folder adds its own entry with
 * `declare module`, e.g. `odoo?: OdooRuleTarget`; a rule row may carry targets for several ERPs.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface RuleTargets {}

/** The cells of one rule-table row, by canonical column name. */
export interface RuleCells {
	/** The cell as trimmed text; undefined when blank. A cell that is neither text nor a number is reported. */
	text(column: string): string | undefined;
	/** The cell as given (a JSON object or array is kept); undefined when blank. */
	raw(column: string): unknown;
}

/** Reports a problem of the row being read, by column. */
export type ReportProblem = (column: string | undefined, reason: string) => void;

/** A rule-table column as the GL Mapper's rule form shows it. */
export interface TargetField {
	column: string;
	label: string;
	placeholder?: string;
	description?: string;
	/** Offered in the "Default Target" collection too (default true). */
	inDefaultTarget?: boolean;
	/** The kind of ERP record whose id the column holds, when the form can offer a list to pick it from. */
	pick?: 'account' | 'tax' | 'class' | 'department' | 'analytic';
	/** Several ids in one cell (the list picks one; more are typed, separated by ;). */
	multiple?: boolean;
	/**
	 * What the picker's "By ID" mode accepts (a regular expression over the whole value), when it is
	 * more than one id; the column's parser still checks every value.
	 */
	idPattern?: { regex: string; errorMessage: string };
}

export interface MappingTarget<Rule = unknown, Line = unknown> {
	/** Rule-table columns of this ERP's target, in the documented order. */
	readonly columns: readonly string[];
	/** The columns the rule form offers, with their labels. */
	readonly fields: readonly TargetField[];
	/** The row's target for this ERP; undefined when none of its columns is filled. */
	parse(cells: RuleCells, problem: ReportProblem): Rule | undefined;
	/** Why a rule cannot be used to write to this ERP (no account), or undefined when it can. */
	missingAccount(
		target: Rule | undefined,
		accountResolution: boolean,
	): { column: string; reason: string } | undefined;
	/** The account code the target still needs turned into an id, if any. */
	codeToResolve(target: Rule | undefined): string | undefined;
	/** The target of one mapped line, with the account the code resolved to when there was one. */
	lineTarget(target: Rule | undefined, resolved?: { code: string; account: ResolvedAccount }): Line;
}
