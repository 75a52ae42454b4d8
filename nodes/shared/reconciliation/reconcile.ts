/** Item JSON in → per-file summaries out: the whole reconciliation as one call for the node. */
import { classifyItem, recordIdentity, NotReconcilableError, type Outcome } from './classify';
import { summarise, type FileSummary, type RecordIn } from './summarise';

type Json = Record<string, unknown>;

export interface ReconcileResult {
	summaries: FileSummary[];
	/** For each summary, the input indexes of the items it summarises (n8n's pairedItem). */
	itemIndexes: number[][];
	/** Items that are not records of a Stampli → ERP run, by input index, with why. */
	notReconcilable: Array<{ index: number; reason: string }>;
}

const isObject = (value: unknown): value is Json =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The records a run started with, from the items a reader emitted (canonical invoices or payments
 * with `source.file`). Items of other shapes are ignored here: they are not records that came in.
 */
export function recordsInFromItems(items: Json[]): RecordIn[] {
	const records: RecordIn[] = [];
	const seen = new Set<string>();
	for (const json of items) {
		const source = isObject(json.source) ? json.source : undefined;
		if (!source || typeof source.file !== 'string') continue;
		const identity = recordIdentity(json);
		if (identity.recordId === undefined) continue;
		// A reader emits each record once; a split or duplicated item must not count twice as "in".
		const key = `${source.file}\u0000${identity.recordId}`;
		if (seen.has(key)) continue;
		seen.add(key);
		records.push({
			kind: identity.kind,
			file: source.file,
			recordId: identity.recordId,
			...(identity.amount !== undefined ? { amount: identity.amount } : {}),
			...(identity.currency !== undefined ? { currency: identity.currency } : {}),
			...(typeof json.invoiceNumber === 'string' ? { number: json.invoiceNumber } : {}),
		});
	}
	return records;
}

export function reconcileItems(
	items: Json[],
	options: { expectedItems?: Json[] } = {},
): ReconcileResult {
	const outcomes: Outcome[] = [];
	const notReconcilable: ReconcileResult['notReconcilable'] = [];
	const indexesByFile = new Map<string, number[]>();
	items.forEach((json, index) => {
		try {
			const outcome = classifyItem(json);
			outcomes.push(outcome);
			const list = indexesByFile.get(outcome.file) ?? [];
			list.push(index);
			indexesByFile.set(outcome.file, list);
		} catch (error) {
			// A plain module (no n8n-workflow import, package rule): unexpected errors go to the node, which wraps them.
			if (!(error instanceof NotReconcilableError)) throw error;
			notReconcilable.push({ index, reason: error.message });
		}
	});
	const expected = options.expectedItems ? recordsInFromItems(options.expectedItems) : undefined;
	const summaries = summarise(outcomes, expected ? { expected } : {});
	return {
		summaries,
		itemIndexes: summaries.map((summary) => indexesByFile.get(summary.file) ?? []),
		notReconcilable,
	};
}

/**
 * The "records in" parameter: a list of records, or JSON text of one. Returns the records (entries
 * that are not objects are left out), or why the value is not such a list.
 */
export function expectedItemsFrom(value: unknown): { items: Json[] } | { problem: string } {
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			return { problem: `is not valid JSON: ${(error as Error).message}` };
		}
	}
	if (!Array.isArray(parsed)) return { problem: 'must be a list of records' };
	return { items: parsed.filter(isObject) };
}
