export * from './types';
export {
	RULE_COLUMNS,
	RuleTableError,
	parseRuleTable,
	rowsFromText,
	rowsFromValue,
	missingAccountReason,
	type RuleTableIssue,
} from './ruleTable';
export { CompiledRuleSet, compileRules } from './engine';
export * from './vendor';
export * from './accounts';
export * from './mapInvoices';
export { OdooAccountDirectory } from './odooAccounts';
