/** Starts `worker.ts` processes (stand-ins for n8n workers) and collects their results. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import type { WorkerJob, WorkerResult } from './worker';

export type { WorkerJob, WorkerResult };

const WORKER = join(__dirname, 'worker.ts');

/** The variables an n8n process in queue mode has for this Redis (what the workers' limiter reads). */
export function queueModeEnv(redis: { host: string; port: number }): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
	};
}

/** Runs one worker process with `env` added to this process's environment (queue-mode variables or none). */
export function runWorker(job: WorkerJob, env: Record<string, string> = {}): Promise<WorkerResult> {
	return new Promise((resolve, reject) => {
		const childEnv: Record<string, string | undefined> = {
			...process.env,
			...env,
			QBO_WORKER_JOB: JSON.stringify(job),
		};
		// A worker outside queue mode must not inherit the test's own queue settings.
		if (!env.EXECUTIONS_MODE) delete childEnv.EXECUTIONS_MODE;
		const child = spawn(process.execPath, ['--import', 'tsx', WORKER], { env: childEnv });
		let out = '';
		let err = '';
		child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => {
			err += chunk.toString();
			if (process.env.QBO_WORKER_DEBUG) process.stderr.write(chunk);
		});
		child.on('error', reject);
		child.on('exit', (code) => {
			const line = out.trim().split('\n').pop() ?? '';
			if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as WorkerResult);
			else reject(new Error(`worker exited with ${code}: ${err || out}`));
		});
	});
}
