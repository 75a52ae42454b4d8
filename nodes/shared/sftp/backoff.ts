// This module must not import n8n-workflow (package rule); the nodes wrap its errors in NodeApiError/NodeOperationError.
import { isTransientError } from './errors';

export interface BackoffOptions {
	/** Total attempts including the first (bounded). Default 4. */
	attempts?: number;
	/** First delay; doubles each retry. Default 500 ms. */
	initialDelayMs?: number;
	/** Cap for one delay. Default 8 s. */
	maxDelayMs?: number;
	/** Which errors to retry. Default: transient network errors only. */
	retryOn?: (error: unknown) => boolean;
	/** Called before each wait, e.g. for logging. */
	onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
	/**
	 * Waits between attempts: the nodes pass n8n's `sleep`, tests a recorder. This module keeps no timer
	 * of its own (n8n's package scanner refuses timers in community-node code), so without it there is
	 * a single attempt.
	 */
	sleep?: Sleep;
}

/** Resolves after `ms`; may stop early when `signal` aborts (n8n 2.x's `sleep` does, 1.x's ignores it). */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Runs `operation` with bounded exponential backoff (full jitter) on transient errors; rethrows the last error. */
export async function withBackoff<T>(
	operation: (attempt: number) => Promise<T>,
	options: BackoffOptions = {},
): Promise<T> {
	const sleep = options.sleep;
	const attempts = sleep ? Math.max(1, Math.min(options.attempts ?? 4, 10)) : 1;
	const initial = options.initialDelayMs ?? 500;
	const cap = options.maxDelayMs ?? 8000;
	const retryOn = options.retryOn ?? isTransientError;
	let lastError: unknown;
	for (let attempt = 1; attempt <= attempts; attempt++) {
		try {
			return await operation(attempt);
		} catch (error) {
			lastError = error;
			if (attempt === attempts || !retryOn(error)) throw error;
			const ceiling = Math.min(cap, initial * 2 ** (attempt - 1));
			// Half fixed, half jitter: spreads reconnect storms without ever waiting zero.
			const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
			options.onRetry?.(error, attempt, delay);
			await sleep!(delay);
		}
	}
	throw lastError;
}
