#!/usr/bin/env node
// One entry point for `npm test`, `npm run demo` and `npm run bench` on a fresh machine:
// installs what is missing (npm packages, Debian packages, the n8n runtimes used by e2e tests),
// builds, then runs the job. Independent installs run at the same time (the machine has 2 cores and
// most of an install is waiting on the network and the disk). Plain JS with no dependencies, because
// it runs before `npm install`.
'use strict';
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const runtimes = require(path.join(root, 'test', 'fixtures', 'n8n', 'runtime.js'));

function log(message) {
	process.stderr.write(`[bootstrap] ${message}\n`);
}

const children = new Set();

/** Runs a command with inherited output; rejects on a non-zero exit. */
function run(command, args, options = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
		children.add(child);
		child.once('error', (error) => {
			children.delete(child);
			reject(error);
		});
		child.once('close', (code, signal) => {
			children.delete(child);
			if (code === 0) resolve();
			else {
				const error = new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}`);
				error.exitCode = code ?? 1;
				reject(error);
			}
		});
	});
}

/** Timing of each bootstrap step, printed at the end so a slow first run says where its time went. */
const timings = [];
async function timed(label, work) {
	const started = Date.now();
	try {
		return await work();
	} finally {
		timings.push([label, (Date.now() - started) / 1000]);
	}
}

const lockDigest = () =>
	crypto
		.createHash('sha256')
		.update(fs.readFileSync(path.join(root, 'package-lock.json')))
		.digest('hex');

async function ensureNodeModules() {
	const marker = path.join(root, 'node_modules', '.stampli-lock-sha256');
	if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === lockDigest()) return;
	// `npm install` from the lock rather than `npm ci`: the registry here lacks some other-OS optional
	// binaries (e.g. @unrs/resolver-binding-*), which `npm ci` reports as a lock mismatch.
	// --no-save: installing must never rewrite package-lock.json in the clone.
	log('installing npm packages (npm install --no-save from package-lock.json)');
	await timed('npm packages', () =>
		run('npm', ['install', '--no-audit', '--no-fund', '--no-save']),
	);
	fs.writeFileSync(marker, lockDigest());
}

async function build() {
	log('building (tsc + gulp)');
	await timed('build', () => run('npm', ['run', '--silent', 'build']));
}

/** Debian packages the tests need; installed with apt when we are root, else a clear instruction. */
async function ensureDebianPackages(packages) {
	const missing = packages.filter((p) => !(p.present ? p.present() : fs.existsSync(p.file)));
	if (missing.length === 0) return;
	const names = missing.map((p) => p.pkg);
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	if (!isRoot || !fs.existsSync('/usr/bin/apt-get')) {
		throw new Error(
			`missing Debian packages: ${names.join(' ')} — install them with: sudo apt-get install -y ${names.join(' ')}`,
		);
	}
	log(`installing Debian packages: ${names.join(' ')}`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	await timed('Debian packages', async () => {
		await run('apt-get', ['update', '-qq'], { env });
		await run('apt-get', ['install', '-y', '-qq', ...names], { env });
	});
}

const SSHD = { pkg: 'openssh-server', file: '/usr/sbin/sshd' };
const SFTP_CLIENT = { pkg: 'openssh-client', file: '/usr/bin/sftp' };
const CHROMIUM = { pkg: 'chromium', file: '/usr/bin/chromium' };
// n8n's queue mode (test/fixtures/queue): Redis and PostgreSQL from Debian.
const REDIS = { pkg: 'redis-server', file: '/usr/bin/redis-server' };
const POSTGRES = {
	pkg: 'postgresql',
	// The server binaries live in a versioned folder (/usr/lib/postgresql/<major>/bin).
	present: () =>
		fs.existsSync('/usr/lib/postgresql') &&
		fs
			.readdirSync('/usr/lib/postgresql')
			.some((major) => fs.existsSync(`/usr/lib/postgresql/${major}/bin/initdb`)),
};

/** Installs (or finds) the n8n runtimes of the given lines, concurrently, each behind its cache lock. */
function ensureN8nRuntimes(lines) {
	return Promise.all(
		lines.map((line) =>
			timed(`n8n ${line} runtime`, () => runtimes.ensureN8nRuntime({ line, log })),
		),
	);
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
	async lint() {
		await ensureNodeModules();
		await build();
		await timed('lint', () => run('npm', ['run', '--silent', 'lint']));
	},
	/** Installs the n8n runtimes only (CI starts it in the background while it lints). */
	async runtimes() {
		await ensureN8nRuntimes(runtimes.LINES);
	},
	async test(args) {
		await ensureNodeModules();
		await Promise.all([
			build(),
			ensureDebianPackages([SSHD, SFTP_CLIENT, CHROMIUM, REDIS, POSTGRES]),
			ensureN8nRuntimes(runtimes.LINES),
			timed('odoo', () =>
				run(process.execPath, [path.join(root, 'test', 'fixtures', 'odoo', 'runtime.js')]),
			), // real Odoo 17/19: Debian packages, trees, template databases
		]);
		const resultsFile = path.join(os.tmpdir(), `stampli-jest-${process.pid}.json`);
		try {
			await timed('jest', () =>
				run(bin('jest'), ['--ci', '--json', `--outputFile=${resultsFile}`, ...args]),
			);
		} finally {
			printTestTotals(resultsFile);
		}
	},
	async bench(args) {
		await ensureNodeModules();
		await Promise.all([build(), ensureDebianPackages([SSHD, SFTP_CLIENT])]);
		await run(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/run.ts', ...args]);
	},
	async demo(args) {
		await ensureNodeModules();
		await Promise.all([build(), ensureN8nRuntimes([runtimes.DEFAULT_LINE])]);
		// The demo handles Ctrl-C itself (it stops what it started and says so); bootstrap only waits.
		process.removeListener('SIGINT', onSignal);
		process.on('SIGINT', () => undefined);
		await run(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', ...args]);
	},
};

/** Ctrl-C: stop the children, then exit through process.exit so the runtime locks are released. */
function onSignal(signal) {
	log(`${signal}: stopping`);
	for (const child of children) child.kill(signal);
	process.exit(130);
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const [job, ...rest] = process.argv.slice(2);
if (!jobs[job]) {
	console.error(`usage: node scripts/bootstrap.js ${Object.keys(jobs).join('|')} [args]`);
	process.exit(2);
}
const started = Date.now();
jobs[job](rest)
	.catch((error) => {
		log(error.message);
		process.exitCode = error.exitCode || 1;
	})
	.finally(() => {
		const slow = timings.filter(([, seconds]) => seconds >= 1);
		if (slow.length > 0)
			log(
				`${job}: ${Math.round((Date.now() - started) / 1000)} s in all; ${slow.map(([label, seconds]) => `${label} ${Math.round(seconds)} s`).join(', ')}`,
			);
	});
