#!/usr/bin/env node
// `npm run faults -- --repeats 20 [--only <regex>]`: every point of the fault matrix, N times each,
// through jest's `faults` project (the default `npm test` run takes the chosen points once).
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const args = process.argv.slice(2);
const valueOf = (flag) => {
	const at = args.indexOf(flag);
	return at >= 0 ? args[at + 1] : undefined;
};
const repeats = Number(valueOf('--repeats') ?? 1);
if (!Number.isInteger(repeats) || repeats < 1) {
	process.stderr.write('usage: npm run faults -- [--repeats N] [--only <regex>]\n');
	process.exit(2);
}
const env = { ...process.env, FAULT_REPEATS: String(repeats), FAULT_ALL: '1' };
if (valueOf('--only')) env.FAULT_ONLY = valueOf('--only');
const root = path.resolve(__dirname, '..', '..');
const result = spawnSync(
	process.execPath,
	[
		require.resolve('jest/bin/jest', { paths: [root] }),
		'--selectProjects',
		'faults',
		'--runInBand',
	],
	{ cwd: root, env, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
