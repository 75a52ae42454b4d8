export * from './schema';
export { auditRowsFromItem, auditRowsFromItems, cleanText, type AuditContext } from './rows';
export { rowsFromStore, byTime, type StoredRows } from './stored';
export {
	resolvePeriod,
	localDate,
	checkTimeZone,
	addDays,
	datesBetween,
	type Period,
	type PeriodKind,
} from './period';
export { adviceFor } from './advice';
export { sumMoney, money } from './money';
export {
	summarisePeriod,
	type PeriodSummary,
	type FileLine,
	type ExceptionLine,
	type CurrencyLine,
	type Counts,
	type DayLine,
} from './summary';
export { findRecords, type LookupBy, type RecordHistory } from './lookup';
export { renderReportHtml, escapeHtml, dailyChart, type ReportPage } from './report/html';
export { reportCsv } from './report/csv';
