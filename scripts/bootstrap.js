#!/usr/bin/env node
// One entry point for `npm test`, `npm run demo` and `npm run bench` on a fresh machine:
// installs what is missing (npm packages, OpenSSH server, the n8n used by e2e tests),
// builds, then runs the job. Plain JS with no dependencies, because it runs before `npm ci`.
'use strict';
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(command, args, options = {}) {
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
	if (result.error) throw result.error;
	if (result.status !== 0) {
		process.exitCode = result.status ?? 1;
		throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
	}
}

function log(message) {
	process.stderr.write(`[bootstrap] ${message}\n`);
}

const lockDigest = () =>
	crypto
		.createHash('sha256')
		.update(fs.readFileSync(path.join(root, 'package-lock.json')))
		.digest('hex');

function ensureNodeModules() {
	const marker = path.join(root, 'node_modules', '.stampli-lock-sha256');
	if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === lockDigest()) return;
	// `npm install` from the lock rather than `npm ci`: the registry here lacks some other-OS optional
	// binaries (e.g. @unrs/resolver-binding-*), which `npm ci` reports as a lock mismatch.
	log('installing npm packages (npm install from package-lock.json)');
	run('npm', ['install', '--no-audit', '--no-fund']);
	fs.writeFileSync(marker, lockDigest());
}

function build() {
	log('building (tsc + gulp)');
	run('npm', ['run', '--silent', 'build']);
}

function hasCommand(file) {
	return fs.existsSync(file);
}

/** Debian packages the tests need; installed with apt when we are root, else a clear instruction. */
function ensureDebianPackages(packages) {
	const missing = packages.filter(({ file }) => !hasCommand(file));
	if (missing.length === 0) return;
	const names = missing.map((p) => p.pkg);
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	if (!isRoot || !hasCommand('/usr/bin/apt-get')) {
		throw new Error(
			`missing Debian packages: ${names.join(' ')} — install them with: sudo apt-get install -y ${names.join(' ')}`,
		);
	}
	log(`installing Debian packages: ${names.join(' ')}`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	run('apt-get', ['update', '-qq'], { env });
	run('apt-get', ['install', '-y', '-qq', ...names], { env });
}

const SSHD = { pkg: 'openssh-server', file: '/usr/sbin/sshd' };
const SFTP_CLIENT = { pkg: 'openssh-client', file: '/usr/bin/sftp' };
const CHROMIUM = { pkg: 'chromium', file: '/usr/bin/chromium' };

function ensureN8nRuntime() {
	// Installs n8n 2.41.1 + Node 24 into a cache folder outside the clone, reused while its package files are unchanged.
	const runtime = require(path.join(root, 'test', 'fixtures', 'n8n', 'runtime.js'));
	return runtime.ensureN8nRuntime({ log });
}

/** One plain closing line with the totals of every jest project, for readers that do not parse jest's summary. */
function printTestTotals(resultsFile) {
	if (!fs.existsSync(resultsFile)) return;
	try {
		const r = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
		process.stdout.write(
			`\njest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + (r.numTodoTests ?? 0)} skipped\n`,
		);
	} finally {
		fs.rmSync(resultsFile, { force: true });
	}
}

const jobs = {
	lint() {
		ensureNodeModules();
		build();
		run('npm', ['run', '--silent', 'lint']);
	},
	test(args) {
		ensureNodeModules();
		build();
		ensureDebianPackages([SSHD, SFTP_CLIENT, CHROMIUM]);
		ensureN8nRuntime();
		const resultsFile = path.join(require('node:os').tmpdir(), `stampli-jest-${process.pid}.json`);
		try {
			run(bin('jest'), ['--ci', '--json', `--outputFile=${resultsFile}`, ...args]);
		} finally {
			printTestTotals(resultsFile);
		}
	},
	bench(args) {
		ensureNodeModules();
		build();
		ensureDebianPackages([SSHD, SFTP_CLIENT]);
		run(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/run.ts', ...args]);
	},
	demo(args) {
		ensureNodeModules();
		build();
		ensureN8nRuntime();
		run(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', ...args]);
	},
};

const [job, ...rest] = process.argv.slice(2);
if (!jobs[job]) {
	console.error(`usage: node scripts/bootstrap.js ${Object.keys(jobs).join('|')} [args]`);
	process.exit(2);
}
try {
	jobs[job](rest);
} catch (error) {
	log(error.message);
	if (!process.exitCode) process.exitCode = 1;
}
