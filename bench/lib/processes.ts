/**
 * Benchmarks that measure peak RSS run each scenario in a fresh Node process, and their peers (an
 * emulator seeded at scale) in another, so a figure is that scenario's alone.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Starts `args` under tsx and resolves with the process and its first stdout line (its address). */
export async function startPeerProcess(
	args: string[],
	what: string,
): Promise<{ child: ChildProcess; firstLine: string }> {
	const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
		stdio: ['pipe', 'pipe', 'inherit'],
	});
	const firstLine = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`${what} did not start within 120 s`)),
			120_000,
		);
		createInterface({ input: child.stdout! }).once('line', (line) => {
			clearTimeout(timer);
			resolve(line);
		});
		child.once('exit', (code) => reject(new Error(`${what} exited (${code})`)));
	});
	return { child, firstLine };
}

/** Runs `file --scenario <scenario>` in its own process (with --expose-gc) and parses its last stdout line. */
export function runScenarioProcess<T>(
	file: string,
	scenario: string,
	env: Record<string, string>,
): T {
	const child = spawnSync(
		process.execPath,
		['--expose-gc', '--import', 'tsx', file, '--scenario', scenario],
		{ env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'], timeout: 300_000 },
	);
	if (child.status !== 0)
		throw new Error(`scenario ${scenario} failed (${child.status ?? child.signal})`);
	return JSON.parse(child.stdout.toString().trim().split('\n').pop()!) as T;
}
