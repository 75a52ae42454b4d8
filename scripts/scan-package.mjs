#!/usr/bin/env node
// n8n's own community-package scanner (@n8n/scan-community-package) on this package, the way n8n's
// verification runs it on a published version: its ESLint rule set on the attested source
// (package.json + nodes/ + credentials/) and on the packed tarball (compiled .js + package.json).
// Published packages are fetched from the registry; here the same two legs run on the clone and on
// `npm pack` of it. Every finding is printed; the run fails on any finding not in ACCEPTED below.
// Part of `npm run lint`; needs a build (`npm run build`) for the tarball leg.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const runtimeDependencies = new Set(Object.keys(manifest.dependencies ?? {}));

/**
 * Findings accepted on purpose. Keep this list short: each entry names its rule, where it may occur
 * and why. The first is the package's one permanent exception (runtime dependencies); the second
 * follows from keeping the core free of n8n imports, explained in the README (the scan says when an
 * entry no longer matches anything).
 */
const ACCEPTED = [
	{
		why: 'self-hosted only: an SFTP client needs runtime dependencies (ssh2, csv-parse, …) and Node built-ins (streams), which n8n Cloud does not allow',
		matches: (f) =>
			(f.rule === '@n8n/community-nodes/no-runtime-dependencies' && f.file === 'package.json') ||
			(f.rule === '@n8n/community-nodes/no-restricted-imports' &&
				(runtimeDependencies.has(packageOf(f.module)) || isNodeBuiltin(f.module))),
	},
	// --- the n8n-free core (README, n8n's package scanner) ---
	{
		why: 'by design: the plain-TypeScript core (nodes/shared, no n8n imports) throws its own error types, and the HTTP send it is given rethrows transport errors to it; every node turns them into NodeApiError/NodeOperationError at its boundary (nodes/common/errors.ts)',
		matches: (f) =>
			f.rule === '@n8n/community-nodes/require-node-api-error' &&
			/^(dist\/)?nodes\/(shared\/|common\/odoo\.)/.test(f.file),
	},
];

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageOf(module) {
	if (!module) return '';
	const parts = module.split('/');
	return module.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function isNodeBuiltin(module) {
	return Boolean(module) && (module.startsWith('node:') || builtinModules.has(module));
}
const builtinModules = new Set((await import('node:module')).builtinModules);

const require = createRequire(path.join(root, 'package.json'));
let scannerFile;
try {
	scannerFile = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
} catch {
	console.error('@n8n/scan-community-package is not installed: run `npm install` first');
	process.exit(2);
}
// The scanner makes a temp folder when loaded and removes it only on a graceful exit: give it one of
// ours that we remove ourselves.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'stampli-scan-'));
process.env.TMPDIR = scratch;
const scanner = await import(scannerFile);
const fromScanner = createRequire(scannerFile);
const { ESLint } = await import(fromScanner.resolve('eslint'));
const glob = (await import(fromScanner.resolve('fast-glob'))).default;

/** The scanner's own config and file selection (its analyzePackage), with the findings as data. */
async function lint(dir, patterns, leg) {
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await scanner.buildScanConfig(),
	});
	const files = glob.sync(patterns, {
		cwd: dir,
		absolute: true,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	const findings = [];
	for (const result of await eslint.lintFiles(files))
		for (const message of result.messages) {
			if (message.severity < 2) continue;
			findings.push({
				leg,
				file: path.relative(dir, result.filePath).split(path.sep).join('/'),
				line: message.line,
				rule: message.ruleId ?? '(parse error)',
				message: message.message,
				module: /(?:Import|Require|import) of '([^']+)'/.exec(message.message)?.[1],
			});
		}
	return findings;
}

function pack() {
	const packDir = path.join(scratch, 'pack');
	const unpacked = path.join(scratch, 'package');
	fs.mkdirSync(packDir);
	fs.mkdirSync(unpacked);
	const packed = spawnSync(
		'npm',
		['pack', '--json', '--ignore-scripts', '--pack-destination', packDir],
		{ cwd: root, encoding: 'utf8' },
	);
	if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
	const tarball = path.join(packDir, JSON.parse(packed.stdout)[0].filename);
	const tar = spawnSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
	if (tar.status !== 0) throw new Error(`tar failed:\n${tar.stderr}`);
	if (!fs.existsSync(path.join(unpacked, 'dist')))
		throw new Error('the packed package has no dist/: run `npm run build` first');
	return { tarball: path.basename(tarball), unpacked };
}

let exitCode = 0;
try {
	const { tarball, unpacked } = pack();
	const findings = [
		...(await lint(root, scanner.SOURCE_FILE_PATTERNS, 'source')),
		...(await lint(unpacked, ['**/*.js', 'package.json'], 'tarball')),
	];
	const used = new Set();
	const refused = [];
	for (const finding of findings) {
		const index = ACCEPTED.findIndex((entry) => entry.matches(finding));
		if (index === -1) refused.push(finding);
		else used.add(index);
		finding.accepted = index === -1 ? undefined : index;
	}
	const show = (f) => `  ${f.leg}: ${f.file}:${f.line}  ${f.rule}  ${f.message.split('\n')[0]}`;
	console.log(
		`n8n package scanner (@n8n/scan-community-package ${scanner ? fromScanner('../package.json').version : ''}) on the source and on ${tarball}: ${findings.length} finding(s)`,
	);
	ACCEPTED.forEach((entry, index) => {
		const mine = findings.filter((f) => f.accepted === index);
		if (mine.length === 0) return;
		console.log(`accepted (${mine.length}) — ${entry.why}:`);
		for (const f of mine) console.log(show(f));
	});
	for (const [index, entry] of ACCEPTED.entries())
		if (!used.has(index))
			console.log(`note: accepted entry no longer needed, remove it: ${entry.why}`);
	if (refused.length > 0) {
		console.log(`NOT accepted (${refused.length}) — fix these:`);
		for (const f of refused) console.log(show(f));
		exitCode = 1;
	} else {
		console.log('scanner: no finding outside the accepted list');
	}
} catch (error) {
	console.error(error.stack ?? error);
	exitCode = 1;
} finally {
	fs.rmSync(scratch, { recursive: true, force: true });
}
process.exit(exitCode);
