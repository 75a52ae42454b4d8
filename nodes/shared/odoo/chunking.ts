/**
 * Writes sent in chunks sized by measurement. Odoo runs each RPC request in one transaction and
 * kills requests that outlive `limit_time_real` (120 s by default), rolling everything back; its
 * speed per record varies fivefold with load. So a batch is never sent whole: the first chunk is
 * small, the time Odoo took per record sets the next chunk's size so that one request stays well
 * under the budget, and each chunk commits on its own.
 */
import { OdooError } from './errors';

export interface ChunkingOptions {
	/** Server time one request should take at most, in ms (default 10,000: a third of the 30 s ceiling, for load spikes). */
	targetMs?: number;
	/** Records in the first chunk (default 25). */
	initialSize?: number;
	/** Records in any chunk (default 500). */
	maxSize?: number;
	/** Chunks in flight at once (default 1; 2 suits an Odoo in prefork mode with workers ≥ 2). */
	concurrency?: number;
}

/** The largest request seen, for the bench and the item's audit. */
export interface ChunkStats {
	requests: number;
	maxRequestMs: number;
	maxRequestRecords: number;
}

/** Chunk sizes from the time per record observed so far: start small, at most double, never over the budget. */
export class AdaptiveChunker {
	private msPerRecord: number | undefined;
	private size: number;
	private readonly targetMs: number;
	private readonly maxSize: number;
	readonly stats: ChunkStats = { requests: 0, maxRequestMs: 0, maxRequestRecords: 0 };

	constructor(options: ChunkingOptions = {}) {
		this.targetMs = Math.max(1, options.targetMs ?? 10_000);
		this.maxSize = Math.max(1, options.maxSize ?? 500);
		this.size = Math.min(this.maxSize, Math.max(1, options.initialSize ?? 25));
	}

	/** Size of the next chunk. */
	next(): number {
		return this.size;
	}

	/** Records how long a chunk of `records` took, and sizes the next one from it. */
	observe(records: number, ms: number): void {
		this.stats.requests++;
		if (ms > this.stats.maxRequestMs) {
			this.stats.maxRequestMs = ms;
			this.stats.maxRequestRecords = records;
		}
		if (records <= 0) return;
		const observed = Math.max(ms, 1) / records;
		// The slower of the last two observations: a single fast chunk must not double the risk.
		this.msPerRecord =
			this.msPerRecord === undefined
				? observed
				: Math.max(observed, (observed + this.msPerRecord) / 2);
		const fits = Math.floor(this.targetMs / this.msPerRecord);
		this.size = Math.max(1, Math.min(this.maxSize, fits, Math.max(records, this.size) * 2));
	}
}

export interface ChunkResult<R> {
	/** One result per item; `undefined` for items never sent (an earlier chunk got no answer). */
	results: Array<R | undefined>;
	/** Why the rest was not sent, when a chunk got no answer. */
	stoppedBy?: OdooError;
}

/** A transport failure: Odoo did not answer, and may still be working on the request. */
export function unanswered(error: unknown): boolean {
	return error instanceof OdooError && error.kind === 'transport';
}

/**
 * Runs `send` over consecutive chunks of `items` (up to `concurrency` at once), each chunk its own
 * request(s), and times it. `send` returns one result per item of its chunk; when `noAnswer` finds
 * a chunk that got no answer, no further chunk is started, since Odoo may still be working on it.
 */
export async function inChunks<I, R>(
	items: I[],
	chunker: AdaptiveChunker,
	send: (chunk: I[]) => Promise<R[]>,
	noAnswer: (results: R[]) => OdooError | undefined,
	concurrency = 1,
): Promise<ChunkResult<R>> {
	const results: Array<R | undefined> = new Array(items.length);
	let next = 0;
	let stoppedBy: OdooError | undefined;
	async function lane(): Promise<void> {
		while (next < items.length && !stoppedBy) {
			const start = next;
			next = Math.min(items.length, start + chunker.next());
			const chunk = items.slice(start, next);
			const started = Date.now();
			const out = await send(chunk);
			chunker.observe(chunk.length, Date.now() - started);
			out.forEach((result, k) => (results[start + k] = result));
			stoppedBy ??= noAnswer(out);
		}
	}
	const lanes = Math.max(1, Math.min(concurrency, items.length));
	await Promise.all(Array.from({ length: lanes }, () => lane()));
	return { results, ...(stoppedBy ? { stoppedBy } : {}) };
}
