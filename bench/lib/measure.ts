/** Shared measurement for benchmarks: wall time, CPU time and peak RSS growth of one async run. */
export interface Measurement {
	label: string;
	wallMs: number;
	cpuMs: number;
	peakRssGrowthMb: number;
}

export async function measure<T>(
	label: string,
	run: () => Promise<T>,
): Promise<{ result: T; m: Measurement }> {
	(globalThis as { gc?: () => void }).gc?.();
	const rssBefore = process.memoryUsage.rss();
	let peak = rssBefore;
	const sampler = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage.rss());
	}, 5);
	const cpuBefore = process.cpuUsage();
	const start = process.hrtime.bigint();
	try {
		const result = await run();
		const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
		const cpu = process.cpuUsage(cpuBefore);
		peak = Math.max(peak, process.memoryUsage.rss());
		return {
			result,
			m: {
				label,
				wallMs,
				cpuMs: (cpu.user + cpu.system) / 1000,
				peakRssGrowthMb: (peak - rssBefore) / 1024 / 1024,
			},
		};
	} finally {
		clearInterval(sampler);
	}
}

/** Prints a small aligned table of figures. */
export function printTable(rows: Array<Record<string, string | number>>): void {
	if (rows.length === 0) return;
	const keys = Object.keys(rows[0]);
	const cell = (v: string | number) =>
		typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : v;
	const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => cell(r[k] ?? '').length)));
	const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i])).join('  ');
	console.log(line(keys));
	for (const r of rows) console.log(line(keys.map((k) => cell(r[k] ?? ''))));
}

/** Prints a target check: `PASS`/`MISS` beside the figure, so a regression is visible in the output. */
export function target(description: string, ok: boolean): void {
	console.log(`${ok ? 'PASS' : 'MISS'}  target: ${description}`);
}
