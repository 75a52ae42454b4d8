/**
 * The Odoo peers every scenario runs against:
 *   emulator-17-xmlrpc, emulator-17-jsonrpc, emulator-19-json2, emulator-19-xmlrpc  (test/emulators/odoo)
 *   odoo-17-xmlrpc, odoo-17-jsonrpc, odoo-19-json2, odoo-19-xmlrpc  (real servers, test/fixtures/odoo)
 *   yours-<major>-<protocol>  (your own Odoo, from STAMPLI_ODOO_URL and friends, instead of the real servers)
 * STAMPLI_ODOO_TARGETS=emulator,odoo-19 keeps only the targets whose id starts with one of the words.
 */
import type { OdooProtocol } from '../../../nodes/shared/odoo';
import type { OdooServerInfo } from '../../fixtures/odoo';

export type TargetKind = 'emulator' | 'fixture' | 'yours';

export interface OdooTarget {
	id: string;
	kind: TargetKind;
	major: number;
	protocol: OdooProtocol;
	/** Real fixture server of this version (kind `fixture`). */
	server?: OdooServerInfo;
	/** Your Odoo (kind `yours`). */
	yours?: { url: string; db: string; login: string; apiKey: string };
	/** Why this target does not run (no Odoo trees outside CI, filtered out…). */
	notRun?: string;
}

/** Environment of "your Odoo" mode; see README "Check your Odoo before you connect it". */
export const YOUR_ODOO_ENV = {
	url: 'STAMPLI_ODOO_URL',
	db: 'STAMPLI_ODOO_DB',
	login: 'STAMPLI_ODOO_LOGIN',
	apiKey: 'STAMPLI_ODOO_API_KEY',
	version: 'STAMPLI_ODOO_VERSION',
	protocols: 'STAMPLI_ODOO_PROTOCOLS',
	allowSettings: 'STAMPLI_ODOO_ALLOW_SETTINGS_CHANGES',
} as const;

/** Set by the global setup: JSON array of the running fixture servers, or the reason none runs. */
export const SERVERS_ENV = 'STAMPLI_ODOO_SERVERS';
export const NOT_RUN_ENV = 'STAMPLI_ODOO_NOT_RUN';

const REAL_PROTOCOLS: Record<number, OdooProtocol[]> = {
	17: ['xmlrpc', 'jsonrpc'],
	19: ['json2', 'xmlrpc'],
};

function keep(id: string): boolean {
	const filter = process.env.STAMPLI_ODOO_TARGETS;
	if (!filter) return true;
	return filter
		.split(',')
		.map((word) => word.trim())
		.filter(Boolean)
		.some((word) => id.startsWith(word));
}

function yoursFromEnv(): OdooTarget[] {
	const env = process.env;
	const missing = (['db', 'login', 'apiKey'] as const).filter((k) => !env[YOUR_ODOO_ENV[k]]);
	const major = Number(env[YOUR_ODOO_ENV.version] ?? NaN);
	const protocols = (env[YOUR_ODOO_ENV.protocols] ?? '')
		.split(',')
		.map((p) => p.trim())
		.filter(Boolean) as OdooProtocol[];
	if (missing.length > 0) {
		throw new Error(
			`${YOUR_ODOO_ENV.url} is set, so the scenarios run against your Odoo; also set ${missing.map((k) => YOUR_ODOO_ENV[k]).join(', ')}`,
		);
	}
	// Version and protocol are resolved by the global setup when not given (GET /web/version).
	const resolvedMajor = Number.isInteger(major)
		? major
		: Number(env.STAMPLI_ODOO_RESOLVED_MAJOR ?? 17);
	const list = protocols.length > 0 ? protocols : [resolvedMajor >= 19 ? 'json2' : 'xmlrpc'];
	return list.map((protocol) => ({
		id: `yours-${resolvedMajor}-${protocol}`,
		kind: 'yours' as const,
		major: resolvedMajor,
		protocol: protocol as OdooProtocol,
		yours: {
			url: env[YOUR_ODOO_ENV.url]!.replace(/\/+$/, ''),
			db: env[YOUR_ODOO_ENV.db]!,
			login: env[YOUR_ODOO_ENV.login]!,
			apiKey: env[YOUR_ODOO_ENV.apiKey]!,
		},
	}));
}

/** Every target, including the ones that do not run (with the reason), in a stable order. */
export function odooTargets(): OdooTarget[] {
	const targets: OdooTarget[] = [];
	for (const major of [17, 19])
		for (const protocol of REAL_PROTOCOLS[major])
			targets.push({ id: `emulator-${major}-${protocol}`, kind: 'emulator', major, protocol });
	if (process.env[YOUR_ODOO_ENV.url]) {
		targets.push(...yoursFromEnv());
	} else {
		const servers: OdooServerInfo[] = process.env[SERVERS_ENV]
			? JSON.parse(process.env[SERVERS_ENV]!)
			: [];
		const notRun =
			process.env[NOT_RUN_ENV] ??
			'the odoo jest project\'s global setup did not start real Odoo (run the suite with "npx jest --selectProjects odoo" or "npm test")';
		for (const major of [17, 19]) {
			const server = servers.find((s) => s.major === major);
			for (const protocol of REAL_PROTOCOLS[major])
				targets.push({
					id: `odoo-${major}-${protocol}`,
					kind: 'fixture',
					major,
					protocol,
					server,
					notRun: server ? undefined : notRun,
				});
		}
	}
	return targets.map((t) =>
		keep(t.id)
			? t
			: {
					...t,
					notRun:
						t.notRun ?? `left out by STAMPLI_ODOO_TARGETS=${process.env.STAMPLI_ODOO_TARGETS}`,
				},
	);
}
