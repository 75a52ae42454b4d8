/**
 * Client-side throttle for one QuickBooks realm, shared by every process that talks to it.
 *
 * Intuit's limits per realm (and app): 500 requests a minute, 40 batch requests a minute, 10
 * requests a second and 10 in flight. Several n8n workers writing to one realm must share that
 * budget, so when a Redis is configured (n8n's queue mode has one) the limits are kept in Redis by
 * Bottleneck's clustering and every worker draws on the same counters; without Redis, or while it
 * is unreachable, each process keeps the same limits on its own.
 *
 * The minute budgets are token buckets: a bucket holds little and refills at a steady rate, so any
 * minute (plus a margin for requests that leave a moment after their token was taken) sees no more
 * than the limit, whichever instant the server starts counting from. Concurrency and the per-second
 * pace are Bottleneck's `maxConcurrent` and `minTime`.
 */
import { createHash } from 'node:crypto';

import Bottleneck from 'bottleneck';

import { disconnectRedisLinks, type RedisLink } from './redisLink';

export interface RealmLimits {
	/** All requests, batch included. Intuit: 500 a minute per realm. */
	requestsPerMinute: number;
	/** Batch requests. Intuit: 40 a minute per realm and app. */
	batchPerMinute: number;
	/** Intuit: 10 a second per realm and app. */
	requestsPerSecond: number;
	/** Requests in flight. Intuit: 10 per realm and app. */
	maxConcurrent: number;
	/** Length of Intuit's minute (60 000 ms); tests and benchmarks shrink it, and the second with it. */
	minuteMs: number;
	/** How late a request may reach the server after taking its token; the buckets leave room for it. */
	arrivalMarginMs: number;
}

export const INTUIT_LIMITS: Readonly<RealmLimits> = Object.freeze({
	requestsPerMinute: 500,
	batchPerMinute: 40,
	requestsPerSecond: 10,
	maxConcurrent: 10,
	minuteMs: 60_000,
	arrivalMarginMs: 500,
});

/** A slot held by a request that is longer than any request can take is given back (a worker that died holding it). */
const SLOT_EXPIRATION_MS = 130_000;

export interface BucketSettings {
	requests: Bottleneck.ConstructorOptions;
	batch: Bottleneck.ConstructorOptions;
	/** How often a limiter looks for refilled tokens. */
	heartbeatMs: number;
	/** Sustained pace of each bucket, for figures. */
	batchPerMinute: number;
	requestsPerMinute: number;
}

/**
 * Bottleneck settings that keep to `limits`. A bucket of capacity C refilled by A tokens every I ms
 * lets at most C + A × (⌊W / I⌋ + 1) requests start in any W ms; W is a minute plus the margin.
 */
export function bucketSettings(limits: RealmLimits): BucketSettings {
	const second = limits.minuteMs / 60;
	const window = limits.minuteMs + limits.arrivalMarginMs;
	// Requests: one second's worth at most in the bucket, refilled every second.
	const capacity = Math.min(limits.requestsPerSecond, limits.requestsPerMinute);
	const refills = Math.floor(window / second) + 1;
	const amount = Math.max(1, Math.floor((limits.requestsPerMinute - capacity) / refills));
	// Batches: one in the bucket, refilled often enough for the minute limit minus the bucket.
	const batchInterval = Math.floor(window / Math.max(1, limits.batchPerMinute - 1)) + 1;
	const heartbeatMs = Math.max(10, Math.floor(Math.min(250, batchInterval / 5, second / 4)));
	return {
		requests: {
			maxConcurrent: limits.maxConcurrent,
			// 5 % slower than the per-second limit, so arrival jitter cannot squeeze 11 into a second.
			minTime: Math.ceil((second / limits.requestsPerSecond) * 1.05),
			reservoir: capacity,
			reservoirIncreaseInterval: Math.round(second),
			reservoirIncreaseAmount: amount,
			reservoirIncreaseMaximum: capacity,
		},
		batch: {
			reservoir: 1,
			reservoirIncreaseInterval: batchInterval,
			reservoirIncreaseAmount: 1,
			reservoirIncreaseMaximum: 1,
		},
		heartbeatMs,
		batchPerMinute: limits.minuteMs / batchInterval,
		requestsPerMinute: (amount * limits.minuteMs) / second,
	};
}

export type RequestKind = 'request' | 'batch';
/** Gives the slot back; call it when the answer (or a network error) arrived. */
export type Release = () => void;

export interface RealmLimiter {
	/** Waits until a request of this kind may be sent and takes its slot. */
	acquire(kind?: RequestKind): Promise<Release>;
	/** `shared` while the budget is kept in Redis for every process, `local` otherwise. */
	readonly mode: 'shared' | 'local';
	/** Total milliseconds callers spent waiting, for figures. */
	readonly waitedMs: number;
}

/** The shared limiter could not hand out a slot (Redis went away): the caller uses the local one. */
class SharedBudgetUnavailable extends Error {}

interface Pending {
	abandoned: boolean;
	reject: (error: Error) => void;
}

/** A pair of Bottleneck limiters (all requests, batch requests) on one datastore. */
class Buckets {
	private readonly pending = new Set<Pending>();

	constructor(
		readonly requests: Bottleneck,
		readonly batch: Bottleneck,
	) {}

	async take(kind: RequestKind): Promise<Release> {
		// A batch takes a batch token, then a request slot like any request, ahead of waiting queries:
		// its token is spent, and the later it leaves the closer it comes to the next minute's.
		if (kind === 'batch') (await this.slot(this.batch))();
		return await this.slot(this.requests, kind === 'batch' ? 1 : 5);
	}

	/** Jobs by stage in this process (Bottleneck's counts), for diagnostics. */
	counts(): Record<string, Bottleneck.Counts> {
		return { requests: this.requests.counts(), batch: this.batch.counts() };
	}

	/** Rejects every wait in progress; their jobs give their slot back as soon as Bottleneck runs them. */
	abandonWaiting(error: Error): void {
		for (const p of this.pending) {
			p.abandoned = true;
			p.reject(error);
		}
		this.pending.clear();
	}

	private slot(limiter: Bottleneck, priority = 5): Promise<Release> {
		return new Promise<Release>((resolve, reject) => {
			const entry: Pending = { abandoned: false, reject };
			this.pending.add(entry);
			let started = false;
			limiter
				.schedule(
					{ expiration: SLOT_EXPIRATION_MS, priority },
					() =>
						new Promise<void>((done) => {
							started = true;
							this.pending.delete(entry);
							if (entry.abandoned) done();
							else resolve(() => done());
						}),
				)
				.catch((error: Error) => {
					this.pending.delete(entry);
					if (!started) reject(new SharedBudgetUnavailable(error.message));
				});
		});
	}
}

function buckets(settings: BucketSettings, datastore: Bottleneck.ConstructorOptions): Buckets {
	// In memory, Bottleneck refills at most once per heartbeat and counts the interval from that
	// beat, so a short beat keeps the pace close to the bucket's; in Redis the refill is exact.
	const local = !datastore.datastore;
	const heartbeatInterval = local
		? Math.max(10, Math.floor(Number(settings.batch.reservoirIncreaseInterval) / 20))
		: settings.heartbeatMs;
	const make = (name: string, own: Bottleneck.ConstructorOptions) => {
		const limiter = new Bottleneck({
			...own,
			...datastore,
			id: `${String(datastore.id ?? 'local')}:${name}`,
			heartbeatInterval,
		});
		// Redis trouble is reported by the link; a limiter without an error listener would only log it twice.
		limiter.on('error', () => undefined);
		// A limiter whose first contact with Redis failed rejects `ready`; its jobs then fail and go local.
		limiter.ready().catch(() => undefined);
		return limiter;
	};
	return new Buckets(make('requests', settings.requests), make('batch', settings.batch));
}

export class BottleneckRealmLimiter implements RealmLimiter {
	private readonly local: Buckets;
	private shared?: Buckets;
	private waited = 0;

	/**
	 * @param id Names the realm's counters in Redis: every process writing to the realm uses the same one.
	 * @param link The Redis connection to share the budget through; without it the limits are per process.
	 */
	constructor(
		readonly id: string,
		readonly limits: RealmLimits,
		private readonly link?: RedisLink,
		private readonly now: () => number = Date.now,
	) {
		const settings = bucketSettings(limits);
		this.local = buckets(settings, {});
		if (link) {
			this.shared = buckets(settings, {
				datastore: 'ioredis',
				connection: link.connection,
				id,
				clientTimeout: 10_000,
				// No expiry on the realm's keys (a handful of small hashes): a worker whose keys expired while
				// its jobs waited would never be woken again, since only a live limiter announces capacity.
			});
			link.onDown((reason) => this.shared?.abandonWaiting(new SharedBudgetUnavailable(reason)));
		}
	}

	get mode(): 'shared' | 'local' {
		return this.link?.isUp() ? 'shared' : 'local';
	}

	get waitedMs(): number {
		return this.waited;
	}

	/** What this process's buckets hold right now, for diagnostics. */
	snapshot(): { mode: 'shared' | 'local'; local: object; shared?: object } {
		return { mode: this.mode, local: this.local.counts(), shared: this.shared?.counts() };
	}

	async acquire(kind: RequestKind = 'request'): Promise<Release> {
		const started = this.now();
		try {
			if (this.link && this.shared && (await this.link.settled())) {
				try {
					return await this.shared.take(kind);
				} catch (error) {
					if (!(error instanceof SharedBudgetUnavailable)) throw error;
					this.link.reportTrouble(error.message);
				}
			}
			return await this.local.take(kind);
		} finally {
			this.waited += this.now() - started;
		}
	}
}

/** One limiter per realm (and limits, and Redis) in this process, so parallel executions share it too. */
const limiters = new Map<string, BottleneckRealmLimiter>();

export interface RealmLimiterOptions {
	limits?: Partial<RealmLimits>;
	/** Shares the budget with every process connected to the same Redis. */
	link?: RedisLink;
}

/**
 * The limiter of a realm. `realm` identifies it across processes (API host and realm id); the
 * counters' name also carries a digest of the limits, so two package versions with different
 * limits never read each other's buckets.
 */
export function realmLimiter(realm: string, options: RealmLimiterOptions = {}): RealmLimiter {
	const limits: RealmLimits = { ...INTUIT_LIMITS, ...options.limits };
	const digest = createHash('sha256')
		.update(JSON.stringify([realm, limits]))
		.digest('hex')
		.slice(0, 16);
	const key = `${digest}|${options.link?.key ?? 'local'}`;
	let limiter = limiters.get(key);
	if (!limiter) {
		// The braces make Redis Cluster keep all of a realm's keys on one node (Bottleneck's scripts need that).
		limiter = new BottleneckRealmLimiter(`{n8n-nodes-stampli:qbo:${digest}}`, limits, options.link);
		limiters.set(key, limiter);
	}
	return limiter;
}

/** Forgets every limiter and closes the Redis links of this process (tests, benchmarks, a clean shutdown). */
export async function shutdownRealmLimiters(): Promise<void> {
	limiters.clear();
	await disconnectRedisLinks();
}
