/**
 * Long-running child processes in their own process group, with output appended to a log file:
 * stop() reaches everything they spawned (n8n's task runners, postgres' backends), and a test process
 * that exits without stopping them still kills them (a crashed suite must not leak servers).
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';

export interface GroupProcess {
	readonly pid: number;
	/** Resolves when the process has exited. */
	readonly exited: Promise<void>;
	/** `exit <code|signal>` once it has exited, else undefined. */
	exitInfo(): string | undefined;
	/** SIGTERM to the group, SIGKILL after `graceMs`; resolves when it is gone. */
	stop(graceMs?: number): Promise<void>;
	/** SIGKILL to the group at once (a crash, for fault tests). */
	kill(): Promise<void>;
}

const liveGroups = new Set<number>();
process.once('exit', () => {
	for (const pid of liveGroups) signalGroup(pid, 'SIGKILL');
});

function signalGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves true when `promise` settles within `ms`, false otherwise; the timer never outlives the race. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
	try {
		return await Promise.race([promise.then(() => true), timeout]);
	} finally {
		clearTimeout(timer);
	}
}

export function tailOf(file: string, lines: number): string {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/** Starts `command` in a new process group with stdout and stderr appended to `logFile`. */
export function spawnGroup(
	command: string,
	args: string[],
	options: SpawnOptions & { logFile: string; banner?: string },
): GroupProcess {
	const { logFile, banner, ...spawnOptions } = options;
	const logFd = fs.openSync(logFile, 'a');
	if (banner) fs.writeSync(logFd, `\n=== ${banner} at ${new Date().toISOString()}\n`);
	const child = spawn(command, args, {
		...spawnOptions,
		stdio: ['ignore', logFd, logFd],
		detached: true,
	});
	fs.closeSync(logFd);
	const pid = child.pid;
	if (pid === undefined) throw new Error(`could not start ${command}`);
	liveGroups.add(pid);
	let info: string | undefined;
	const exited = new Promise<void>((resolve) => {
		child.once('exit', (code, signal) => {
			info = `exit ${code ?? signal}`;
			resolve();
		});
		child.once('error', (error) => {
			info = `failed to start: ${error.message}`;
			resolve();
		});
	});
	const gone = async (waitMs: number): Promise<void> => {
		await settlesWithin(exited, waitMs);
		// Children of the group may outlive its leader by a moment; nothing of the group may stay.
		signalGroup(pid, 'SIGKILL');
		liveGroups.delete(pid);
	};
	return {
		pid,
		exited,
		exitInfo: () => info,
		async stop(graceMs = 15_000) {
			if (info === undefined) {
				signalGroup(pid, 'SIGTERM');
				if (!(await settlesWithin(exited, graceMs))) signalGroup(pid, 'SIGKILL');
			}
			await gone(5_000);
		},
		async kill() {
			signalGroup(pid, 'SIGKILL');
			await gone(5_000);
		},
	};
}

/**
 * Polls `ready` (bounded) until it returns true; fails early when the process exits or `signal` is
 * aborted (then the process is stopped).
 */
export async function waitUntilReady(
	proc: GroupProcess,
	ready: () => Promise<boolean>,
	{
		timeoutMs,
		what,
		logFile,
		signal,
	}: { timeoutMs: number; what: string; logFile: string; signal?: AbortSignal },
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (proc.exitInfo() || signal?.aborted) break;
		try {
			if (await ready()) return;
		} catch {
			// not answering yet
		}
		await sleep(250);
	}
	const reason = proc.exitInfo()
		? `${what} exited (${proc.exitInfo()})`
		: signal?.aborted
			? `${what} start aborted`
			: `${what} not ready within ${timeoutMs} ms`;
	await proc.stop(5_000);
	throw new Error(`${reason}; log ${logFile}, last lines:\n${tailOf(logFile, 60)}`);
}
