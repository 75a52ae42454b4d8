export * from './types';
export {
	RuleTableError,
	parseRuleTable,
	ruleColumns,
	rowsFromText,
	rowsFromValue,
	missingAccountReason,
	type RuleTableIssue,
} from './ruleTable';
export { CompiledRuleSet, compileRules } from './engine';
export * from './mapInvoices';
export { vendorTableFromRows } from './vendorTable';
export * from './setup';
