/**
 * `npm run bench`: runs every bench/*.bench.ts in its own Node process (so peak RSS is that
 * benchmark's alone), each printing its figures beside the baseline it measured in the same run.
 * `npm run bench -- odoo` runs only the files whose name contains "odoo".
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const filters = process.argv.slice(2);
const dir = __dirname;
const files = readdirSync(dir)
	.filter((f) => f.endsWith('.bench.ts'))
	.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
	.sort();

let failed = 0;
for (const file of files) {
	process.stdout.write(`\n=== ${file} ===\n`);
	const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(dir, file)], {
		stdio: 'inherit',
	});
	if (result.status !== 0) {
		failed++;
		process.stdout.write(`!!! ${file} failed (${result.status ?? result.signal})\n`);
	}
}
process.stdout.write(`\n${files.length - failed} benchmarks ran, ${failed} failed\n`);
process.exitCode = failed ? 1 : 0;
