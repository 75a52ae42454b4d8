/**
 * Client-side throttle for one QuickBooks realm: a sliding-window limiter over requests and
 * batch requests plus a concurrency cap. A request occupies its window slot from the moment it
 * is sent until `windowMs` after its answer arrived: the server counts it at some instant between
 * those two, so this never lets the server see more than the limit in any window.
 * Clock and sleep are injected so the limiter is unit-testable without waiting.
 */

export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
	now: () => Date.now(),
	sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface LimiterOptions {
	/** Requests (of any kind, batch included) per window. Intuit: 500/min per realm. */
	requestsPerWindow?: number;
	/** Batch requests per window. Intuit: 40/min per realm and app. */
	batchPerWindow?: number;
	/** Requests in flight. Intuit: 10 per realm and app. */
	maxConcurrent?: number;
	/** Window length; 60 000 ms for the real service. */
	windowMs?: number;
}

export type RequestKind = 'request' | 'batch';

interface Slot {
	kind: RequestKind;
	/** undefined while in flight; then the instant the slot stops counting. */
	expiresAt?: number;
}

export class RealmLimiter {
	readonly requestsPerWindow: number;
	readonly batchPerWindow: number;
	readonly maxConcurrent: number;
	readonly windowMs: number;
	private readonly slots: Slot[] = [];
	/** A 429 told us to stay away until this instant. */
	private blockedUntil = 0;
	private waiters: Array<() => void> = [];
	/** Total milliseconds callers spent waiting, for figures. */
	waitedMs = 0;

	constructor(
		options: LimiterOptions = {},
		private readonly clock: Clock = realClock,
	) {
		this.requestsPerWindow = options.requestsPerWindow ?? 500;
		this.batchPerWindow = options.batchPerWindow ?? 40;
		this.maxConcurrent = options.maxConcurrent ?? 10;
		this.windowMs = options.windowMs ?? 60_000;
	}

	private prune(now: number): void {
		for (let i = this.slots.length - 1; i >= 0; i--) {
			const s = this.slots[i];
			if (s.expiresAt !== undefined && s.expiresAt <= now) this.slots.splice(i, 1);
		}
	}

	/** Milliseconds until a request of this kind may start, 0 when it may start now. */
	delayFor(kind: RequestKind, now = this.clock.now()): number {
		this.prune(now);
		let wait = Math.max(0, this.blockedUntil - now);
		const inFlight = this.slots.filter((s) => s.expiresAt === undefined).length;
		if (inFlight >= this.maxConcurrent) return -1;
		const over = (slots: Slot[], limit: number) => {
			if (slots.length < limit) return 0;
			// Earliest moment enough slots have expired; in-flight slots have no expiry yet.
			const expiries = slots
				.map((s) => s.expiresAt)
				.filter((x): x is number => x !== undefined)
				.sort((a, b) => a - b);
			const needed = slots.length - limit + 1;
			if (expiries.length < needed) return -1;
			return expiries[needed - 1] - now;
		};
		const all = over(this.slots, this.requestsPerWindow);
		const batch =
			kind === 'batch'
				? over(
						this.slots.filter((s) => s.kind === 'batch'),
						this.batchPerWindow,
					)
				: 0;
		if (all === -1 || batch === -1) return -1;
		wait = Math.max(wait, all, batch);
		return wait;
	}

	/**
	 * Waits until a request may be sent and takes a slot. Returns `release`, to be called when the
	 * answer (or a network error) arrives.
	 */
	async acquire(kind: RequestKind = 'request'): Promise<() => void> {
		for (;;) {
			const now = this.clock.now();
			const wait = this.delayFor(kind, now);
			if (wait === 0) {
				const slot: Slot = { kind };
				this.slots.push(slot);
				let released = false;
				return () => {
					if (released) return;
					released = true;
					slot.expiresAt = this.clock.now() + this.windowMs;
					this.wake();
				};
			}
			const started = this.clock.now();
			if (wait === -1) {
				// Blocked by in-flight requests: wait for one to finish.
				await new Promise<void>((resolve) => this.waiters.push(resolve));
			} else {
				await this.clock.sleep(wait);
			}
			this.waitedMs += this.clock.now() - started;
		}
	}

	/** The server said 429: nobody sends before `ms` from now. */
	backOff(ms: number): void {
		this.blockedUntil = Math.max(this.blockedUntil, this.clock.now() + ms);
	}

	/** Counts for tests and figures. */
	snapshot(now = this.clock.now()): { inFlight: number; inWindow: number; batchInWindow: number } {
		this.prune(now);
		return {
			inFlight: this.slots.filter((s) => s.expiresAt === undefined).length,
			inWindow: this.slots.length,
			batchInWindow: this.slots.filter((s) => s.kind === 'batch').length,
		};
	}

	private wake(): void {
		const waiters = this.waiters;
		this.waiters = [];
		for (const w of waiters) w();
	}
}
