/**
 * CPU time of process trees, read from Linux's /proc: what a peer (Odoo, its PostgreSQL, the n8n
 * processes) spent during a run, beside what the whole machine spent, so a benchmark on a shared
 * machine can say who the bottleneck was. Processes that exit during the run take their time with them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_SECOND = (() => {
	try {
		return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
	} catch {
		return 100;
	}
})();

interface ProcStat {
	pid: number;
	ppid: number;
	/** utime + stime, in ticks. */
	ticks: number;
}

function readStat(pid: number): ProcStat | undefined {
	try {
		const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name (field 2) may hold spaces: fields after it start past the last ')'.
		const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
		return { pid, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
	} catch {
		return undefined;
	}
}

function allPids(): number[] {
	return readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.map(Number);
}

function commandLine(pid: number): string {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
	} catch {
		return '';
	}
}

/** Pids whose command line contains `text`. */
export function pidsWithCommandLine(text: string): number[] {
	return allPids().filter((pid) => pid !== process.pid && commandLine(pid).includes(text));
}

/** Pids of the processes listening on a TCP port (needs `ss` from iproute2). */
export function pidsListeningOn(port: number): number[] {
	const out = execFileSync('ss', ['-Hltnp', `sport = :${port}`]).toString();
	return [...new Set([...out.matchAll(/pid=(\d+)/g)].map((match) => Number(match[1])))];
}

/** CPU seconds spent so far by the given processes and all their descendants (each counted once). */
export function treeCpuSeconds(roots: number[]): number {
	const stats = allPids()
		.map(readStat)
		.filter((stat): stat is ProcStat => stat !== undefined);
	const children = new Map<number, ProcStat[]>();
	for (const stat of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
	const byPid = new Map(stats.map((stat) => [stat.pid, stat]));
	const seen = new Set<number>();
	let ticks = 0;
	const visit = (stat: ProcStat | undefined) => {
		if (!stat || seen.has(stat.pid)) return;
		seen.add(stat.pid);
		ticks += stat.ticks;
		for (const child of children.get(stat.pid) ?? []) visit(child);
	};
	for (const pid of roots) visit(byPid.get(pid));
	return ticks / TICKS_PER_SECOND;
}

/** CPU seconds the whole machine has been busy (all cores, every process), from /proc/stat. */
export function machineBusySeconds(): number {
	const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
	const [user, nice, system, , , irq, softirq, steal] = line
		.trim()
		.split(/\s+/)
		.slice(1)
		.map(Number);
	return (user + nice + system + irq + softirq + (steal || 0)) / TICKS_PER_SECOND;
}

/**
 * A meter over named groups of process trees: `start()` reads every group, `stop()` returns the CPU
 * seconds each spent in between, plus the machine's. Roots are found again at each read (a restarted
 * process has a new pid).
 */
export function cpuMeter(groups: Record<string, () => number[]>) {
	const read = () => ({
		machine: machineBusySeconds(),
		...Object.fromEntries(
			Object.entries(groups).map(([name, roots]) => [name, treeCpuSeconds(roots())]),
		),
	});
	let before: Record<string, number> = {};
	return {
		start() {
			before = read();
		},
		stop(): Record<string, number> {
			const after = read();
			return Object.fromEntries(
				Object.entries(after).map(([name, value]) => [name, value - (before[name] ?? 0)]),
			);
		},
	};
}
