/**
 * One process standing in for one n8n worker writing to QuickBooks: it builds its client the way
 * the QuickBooks Bill node does (`quickBooksLimiter` from n8n's `QUEUE_BULL_REDIS_*` settings in its
 * environment, n8n's `sleep`), then either fires raw requests or writes bills through the product's
 * writer, execution after execution. Started by tests and `npm run bench` with
 *   node --import tsx test/integration/quickbooks/worker.ts   (job as JSON in QBO_WORKER_JOB)
 * and prints one JSON line with what it saw. Also usable from a real queue-mode harness: the job
 * format and the result are plain JSON.
 */
import { sleep } from 'n8n-workflow';

import { quickBooksLimiter } from '../../../nodes/common/quickbooks';
import {
	createQboClient,
	quickBooksWriter,
	shutdownRealmLimiters,
	type RealmLimits,
} from '../../../nodes/shared/quickbooks';
import { invoice } from './fixtures';
import { staticTransport } from './transport';

export interface WorkerJob {
	url: string;
	realmId: string;
	accessToken: string;
	limits?: Partial<RealmLimits>;
	/** `requests`: `queries` queries and `batches` small batch requests, all at once. */
	requests?: { queries: number; batches: number };
	/** `bills`: `count` bills in executions of `perExecution`, vendors by name from `vendors`. */
	bills?: { count: number; perExecution: number; prefix: string; vendors: string[] };
}

export interface WorkerResult {
	mode: 'shared' | 'local';
	requests: number;
	throttled: number;
	errors: string[];
	created: number;
	failed: number;
	startedAt: number;
	finishedAt: number;
	logs: string[];
}

async function main(): Promise<void> {
	const job = JSON.parse(process.env.QBO_WORKER_JOB ?? '{}') as WorkerJob;
	const logs: string[] = [];
	const connection = { environment: 'custom' as const, baseUrl: job.url, realmId: job.realmId };
	const limiter = quickBooksLimiter(connection, {
		limits: job.limits,
		log: (message) => logs.push(message),
	});
	const client = createQboClient({
		...connection,
		transport: staticTransport(job.accessToken),
		limiter,
		sleep,
	});
	// QBO_WORKER_DEBUG=1: what the limiter and client hold, every 5 s on stderr.
	if (process.env.QBO_WORKER_DEBUG)
		setInterval(() => {
			const snapshot = (limiter as { snapshot?: () => object }).snapshot?.();
			process.stderr.write(
				`${JSON.stringify({ at: Date.now(), stats: client.stats, snapshot })}\n`,
			);
		}, 5_000).unref();
	const result: WorkerResult = {
		mode: 'local',
		requests: 0,
		throttled: 0,
		errors: [],
		created: 0,
		failed: 0,
		startedAt: Date.now(),
		finishedAt: 0,
		logs,
	};
	if (job.requests) {
		const calls: Array<Promise<unknown>> = [];
		for (let i = 0; i < job.requests.queries; i++)
			calls.push(client.query('Vendor', `SELECT * FROM Vendor WHERE DisplayName = 'q${i}'`));
		for (let i = 0; i < job.requests.batches; i++)
			calls.push(client.batch([{ query: `SELECT * FROM Account STARTPOSITION ${i + 1}` }]));
		for (const outcome of await Promise.allSettled(calls))
			if (outcome.status === 'rejected') result.errors.push(String(outcome.reason?.message));
	}
	if (job.bills) {
		const writer = quickBooksWriter(client);
		const { count, perExecution, prefix, vendors } = job.bills;
		for (let start = 0; start < count; start += perExecution) {
			const batch = Array.from({ length: Math.min(perExecution, count - start) }, (_, k) =>
				invoice({
					stampliInvoiceId: `${prefix}-${start + k}`,
					invoiceNumber: `${prefix}-${String(start + k).padStart(6, '0')}`,
					vendor: {
						stampliVendorId: `SV-${(start + k) % vendors.length}`,
						name: vendors[(start + k) % vendors.length],
					},
				}),
			);
			for (const outcome of await writer.upsertBills(batch)) {
				if (outcome.ok) result.created += outcome.erp.action === 'created' ? 1 : 0;
				else {
					result.failed++;
					if (result.errors.length < 5) result.errors.push(outcome.reason);
				}
			}
		}
	}
	result.finishedAt = Date.now();
	result.mode = limiter.mode;
	result.requests = client.stats.requests;
	result.throttled = client.stats.throttled;
	await shutdownRealmLimiters();
	process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exitCode = 1;
});
