/**
 * Jest global setup of the `odoo` project: prepares real Odoo 17 and 19 (Debian packages, trees,
 * template databases: cached after the first run) and starts one server per version for the whole
 * run. Suites find them in STAMPLI_ODOO_SERVERS and copy the template database for themselves.
 * In CI (CI=true) a missing Odoo tree fails the run; elsewhere the real targets report "not run".
 */
import { odooRuntime, startOdooServer, type OdooServer } from '../../fixtures/odoo';
import { NOT_RUN_ENV, SERVERS_ENV, YOUR_ODOO_ENV } from './targets';

const log = (message: string) => process.stderr.write(`${message}\n`);

declare global {
	var stampliOdooServers: OdooServer[] | undefined;
}

async function resolveYourVersion(): Promise<void> {
	const url = process.env[YOUR_ODOO_ENV.url]!.replace(/\/+$/, '');
	if (process.env[YOUR_ODOO_ENV.version]) return;
	const response = await fetch(`${url}/web/version`, { signal: AbortSignal.timeout(20_000) }).catch(
		() => undefined,
	);
	const body = response?.ok
		? ((await response.json().catch(() => ({}))) as { version_info?: number[] })
		: {};
	// Odoo 17 and older have no GET /web/version: take them as 17 unless STAMPLI_ODOO_VERSION says otherwise.
	process.env.STAMPLI_ODOO_RESOLVED_MAJOR = String(body.version_info?.[0] ?? 17);
	log(
		`odoo scenarios: your Odoo at ${url} is version ${process.env.STAMPLI_ODOO_RESOLVED_MAJOR} (set ${YOUR_ODOO_ENV.version} to override)`,
	);
}

export default async function globalSetup(): Promise<void> {
	if (process.env[YOUR_ODOO_ENV.url]) {
		await resolveYourVersion();
		return;
	}
	const wanted = process.env.STAMPLI_ODOO_TARGETS;
	if (wanted && !wanted.split(',').some((w) => w.trim().startsWith('odoo'))) {
		process.env[NOT_RUN_ENV] = `left out by STAMPLI_ODOO_TARGETS=${wanted}`;
		return;
	}
	const started = Date.now();
	const prepared = odooRuntime.prepareOdoo({ log });
	if (prepared.skipped) {
		process.env[NOT_RUN_ENV] =
			`${prepared.skipped}; to run them, set STAMPLI_ODOO_TREES to a folder with odoo-17.0.tar.gz and odoo-19.0.tar.gz, or point STAMPLI_ODOO_URL at your Odoo`;
		log(`odoo scenarios: real Odoo NOT RUN: ${process.env[NOT_RUN_ENV]}`);
		return;
	}
	const workers = Number(process.env.STAMPLI_ODOO_WORKERS ?? 0);
	const servers = await Promise.all(
		prepared.templates.map((template) => startOdooServer(template, { workers })),
	);
	globalThis.stampliOdooServers = servers;
	process.env[SERVERS_ENV] = JSON.stringify(
		servers.map(({ stop: _stop, timings: _t, ...info }) => info),
	);
	log(
		`odoo scenarios: ${servers.map((s) => `Odoo ${s.version} at ${s.url} (cluster ${s.timings.clusterSeconds} s, server ${s.timings.odooSeconds} s)`).join(', ')}; ready ${Math.round((Date.now() - started) / 100) / 10} s after the setup started`,
	);
}
