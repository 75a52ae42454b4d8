export {
	batchOf,
	type BatchRef,
	classifyItem,
	recordIdentity,
	NotReconcilableError,
	UNKNOWN_FILE,
	type Outcome,
	type OutcomeStatus,
	type RecordKind,
} from './classify';
export {
	summarise,
	type CurrencyTotals,
	type FileSummary,
	type RecordIn,
	type RecordLine,
	type RecordStatus,
	type SummariseOptions,
} from './summarise';
export {
	reconcileItems,
	recordsInFromItems,
	expectedItemsFrom,
	type ReconcileResult,
} from './reconcile';
export { combineBatchSummaries } from './batches';
