/**
 * Where an incremental read stopped, and when that is written down (Singer's RECORD … STATE order):
 * a reader emits its records, then one state item carrying its cursor; whoever writes the records'
 * feed file commits the cursor only once that file is uploaded (renamed onto its final name). A read
 * whose file never arrived leaves the cursor where it was, so the next run reads the same changes
 * again (at least once, never lost).
 *
 * The cursors live in one plain object, `feedCursors`, inside the store the caller passes — in n8n
 * the workflow's *global* static data, because the node that commits (the feed writer) is not the
 * node that read, and a node can only write its own node-scoped static data. n8n keeps static data
 * of a non-trigger node in memory during the execution and saves it when the execution ends, also
 * on a queue-mode worker, so both nodes must run in the same execution (the same workflow).
 */
import type { FeedKind } from './kinds';

/** The item field that marks a state item. */
export const FEED_STATE_FIELD = 'feedState';

/** One reader's state: which cursor to commit, for which feed's file, once that file is uploaded. */
export interface FeedState<Cursor = unknown> {
	version: 1;
	/** Where the cursor is kept: `<system>:<resource>:<reading node id>`. */
	key: string;
	/** The feed whose file carries this read's records. */
	feed: FeedKind;
	/** The node that read, for people (error messages, audit). */
	source?: string;
	/** Records the read delivered before this state. */
	records: number;
	/** The template (`name@version`) the records are shaped for, e.g. an ERP's variant of the feed; the writer's default otherwise. */
	template?: string;
	cursor: Cursor;
}

/** What the store keeps per key. */
export interface CommittedCursor<Cursor = unknown> {
	cursor: Cursor;
	committedAt: string;
	/** The uploaded file whose records this cursor covers; null when the read found nothing to write. */
	file: string | null;
}

export function stateItemJson<Cursor>(state: FeedState<Cursor>): { feedState: FeedState<Cursor> } {
	return { [FEED_STATE_FIELD]: state } as { feedState: FeedState<Cursor> };
}

/** The state an item carries, or undefined when it is a record (or not a state this package wrote). */
export function feedStateOf(json: unknown): FeedState | undefined {
	if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
	const state = (json as Record<string, unknown>)[FEED_STATE_FIELD];
	if (state === null || typeof state !== 'object' || Array.isArray(state)) return undefined;
	const s = state as Partial<FeedState>;
	if (s.version !== 1 || typeof s.key !== 'string' || s.key === '' || typeof s.feed !== 'string')
		return undefined;
	return s as FeedState;
}

const STORE_FIELD = 'feedCursors';

/**
 * The committed cursors over a plain object (n8n's global static data). Every write replaces the
 * top-level `feedCursors` object, because n8n notices changed static data only by assignments to
 * the objects it handed out, not to objects added since.
 */
export class CursorStore {
	constructor(private readonly data: Record<string, unknown>) {}

	private all(): Record<string, CommittedCursor> {
		const value = this.data[STORE_FIELD];
		return value && typeof value === 'object' && !Array.isArray(value)
			? (value as Record<string, CommittedCursor>)
			: {};
	}

	/** The committed cursor of a key, as stored (callers validate it). */
	get(key: string): unknown {
		return this.all()[key]?.cursor;
	}

	entry(key: string): CommittedCursor | undefined {
		return this.all()[key];
	}

	commit(key: string, cursor: unknown, file: string | null, now = new Date()): void {
		this.data[STORE_FIELD] = {
			...this.all(),
			[key]: { cursor, committedAt: now.toISOString(), file },
		};
	}

	reset(key: string): void {
		const all = { ...this.all() };
		if (!(key in all)) return;
		delete all[key];
		this.data[STORE_FIELD] = all;
	}
}

/** The key a reading node's cursor is kept under. */
export function cursorKey(system: string, resource: string, nodeId: string): string {
	return `${system}:${resource}:${nodeId}`;
}
