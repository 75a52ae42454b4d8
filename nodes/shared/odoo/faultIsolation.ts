/**
 * Batched writes that survive one bad record. Odoo runs each call in one transaction, so a fault
 * on one record of a `create([...])` rolls back all of them; we then split the batch in halves
 * until the faulty records stand alone. N good records cost one round trip; k bad ones cost about
 * 2·k·log2(N) more.
 */
import type { OdooClient } from './client';
import { OdooError } from './errors';
import { attempt } from './transport';
import type { OdooValue } from './values';

export type Isolated<T> = { ok: true; value: T } | { ok: false; error: OdooError };

function asOdooError(error: unknown): OdooError {
	return error instanceof OdooError
		? error
		: new OdooError(error instanceof Error ? error.message : String(error));
}

/** Errors that say nothing about one record (network, auth, a malformed call): halving would only repeat them. */
function isBatchWide(error: OdooError): boolean {
	return error.kind === 'transport' || error.kind === 'access_denied' || error.kind === 'request';
}

/**
 * Runs `run(items)` on the whole list, and on a record-level fault on halves of it, recursively.
 * `run` must return one result per item, in order.
 */
export async function runIsolated<I, R>(
	items: I[],
	run: (batch: I[]) => Promise<R[]>,
	maxCalls = 10_000,
): Promise<Array<Isolated<R>>> {
	const results: Array<Isolated<R>> = new Array(items.length);
	let calls = 0;
	async function go(start: number, end: number): Promise<void> {
		if (start >= end) return;
		calls++;
		const outcome = await attempt(() => run(items.slice(start, end)));
		if (outcome.ok) {
			outcome.value.forEach((value, offset) => (results[start + offset] = { ok: true, value }));
			return;
		}
		const error = asOdooError(outcome.error);
		if (end - start === 1 || isBatchWide(error) || calls >= maxCalls) {
			for (let index = start; index < end; index++) results[index] = { ok: false, error };
			return;
		}
		const middle = start + Math.ceil((end - start) / 2);
		await go(start, middle);
		await go(middle, end);
	}
	await go(0, items.length);
	return results;
}

/** `model.create(valsList)` with per-record fault isolation; one id (or error) per vals. */
export function createIsolated(
	client: OdooClient,
	model: string,
	valsList: Array<Record<string, OdooValue>>,
	context?: Record<string, OdooValue>,
): Promise<Array<Isolated<number>>> {
	return runIsolated(valsList, (batch) => client.create(model, batch, context));
}

/** A record method called on many ids (`action_post`), isolating the ids that fault. */
export function callIsolated(
	client: OdooClient,
	model: string,
	method: string,
	ids: number[],
	tolerate?: (error: OdooError) => boolean,
): Promise<Array<Isolated<null>>> {
	return runIsolated(ids, async (batch) => {
		const outcome = await attempt(() => client.call(model, method, [batch]));
		if (!outcome.ok && !(tolerate && outcome.error instanceof OdooError && tolerate(outcome.error)))
			throw outcome.error;
		return batch.map(() => null);
	});
}

/**
 * Odoo 17 marshals XML-RPC answers without allow_none: a method that returns None (button_draft)
 * has done and committed its work, then faults while answering. That fault is a success.
 */
export function isNoneMarshalFault(error: OdooError): boolean {
	return error.kind === 'server' && /cannot marshal None/.test(error.message);
}
