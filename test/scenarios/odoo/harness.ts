/**
 * Writing an Odoo scenario once and running it on every target:
 *
 *   describeScenarios('vendor bills', (peer) => {
 *     scenario('creates a bill', async () => {
 *       const { client, data } = peer();
 *       ...
 *     });
 *   });
 *
 * `describeScenarios` makes one describe block per target (emulator, real 17/19 on each protocol,
 * or your Odoo). Each block gets its own database: a fresh emulator, a copy of the real template
 * database, or your database (shared, with records named after this run).
 */
import {
	clearOdooClientCaches,
	createOdooClient,
	type OdooClient,
	type OdooClientConfig,
	type OdooProtocol,
} from '../../../nodes/shared/odoo';
import { readFileSync } from 'node:fs';
import { startOdooEmulator, type OdooEmulator } from '../../emulators/odoo';
import { createOdooDatabase, type OdooConnection, type OdooDatabase } from '../../fixtures/odoo';
import { ScenarioData } from './data';
import { YOUR_ODOO_ENV, odooTargets, type OdooTarget } from './targets';

export interface ScenarioPeer {
	target: OdooTarget;
	/** Where the scenario's database is. */
	connection: OdooConnection;
	/** The product's client for this target (its protocol); overrides for wrong keys, companies… */
	client(overrides?: Partial<OdooClientConfig>): OdooClient;
	/** A second client for setting up data and checking results (same credentials and protocol). */
	admin: OdooClient;
	/** Test data made in the target's database, named after this suite. */
	data: ScenarioData;
	/** Only on emulator targets: the emulator, for faults a real server cannot produce on demand. */
	emulator?: OdooEmulator;
	/** Only on real fixture targets: the server's log so far. */
	serverLog?: () => string;
}

export interface ScenarioOptions {
	/** The scenario changes company settings (lock dates, currencies): runs on your Odoo only with STAMPLI_ODOO_ALLOW_SETTINGS_CHANGES=1. */
	changesSettings?: boolean;
	/** Only on these target kinds (e.g. emulator-only faults). */
	only?: Array<OdooTarget['kind']>;
	/** Only over these protocols (a JSON-2 rule has no meaning over XML-RPC). */
	protocols?: OdooProtocol[];
	timeoutMs?: number;
}

/** Real servers on a busy 2-core machine can take minutes for a scenario; a hang still ends. */
const DEFAULT_TIMEOUT_MS = 300_000;
let currentTarget: OdooTarget | undefined;
/** Scenarios registered in the block being described (skipped ones count: they are reported). */
let registered = 0;

/** One describe block per target; `body` registers scenarios with `scenario()`. */
export function describeScenarios(title: string, body: (peer: () => ScenarioPeer) => void): void {
	const targets = odooTargets();
	describe.each(targets.map((t) => [t.id, t] as const))(`${title} on %s`, (_id, target) => {
		if (target.notRun) {
			it.skip(`not run: ${target.id}: ${target.notRun}`, () => undefined);
			// Said once per file and target, so a person reading the console sees it without the JSON.
			process.stderr.write(
				`odoo scenarios: NOT RUN on ${target.id} (${title}): ${target.notRun}\n`,
			);
			return;
		}
		let peer: ScenarioPeer | undefined;
		let cleanup: (() => Promise<void>) | undefined;
		currentTarget = target;
		registered = 0;
		try {
			body(() => {
				if (!peer) throw new Error(`the ${target.id} peer did not start (see beforeAll)`);
				return peer;
			});
		} finally {
			currentTarget = undefined;
		}
		// No database for a block whose scenarios all belong to other protocols or kinds.
		if (registered === 0) return;
		beforeAll(async () => {
			clearOdooClientCaches();
			({ peer, cleanup } = await openPeer(target, title));
		}, DEFAULT_TIMEOUT_MS);
		afterAll(async () => {
			await cleanup?.();
		}, DEFAULT_TIMEOUT_MS);
	});
}

/** A scenario: a jest test on the current target, unless it is not for this target. */
export function scenario(
	name: string,
	fn: () => Promise<void>,
	options: ScenarioOptions = {},
): void {
	const target = currentTarget;
	if (!target) throw new Error('scenario() must be called inside describeScenarios()');
	const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	if (options.only && !options.only.includes(target.kind)) return;
	if (options.protocols && !options.protocols.includes(target.protocol)) return;
	registered++;
	if (
		options.changesSettings &&
		target.kind === 'yours' &&
		process.env[YOUR_ODOO_ENV.allowSettings] !== '1'
	) {
		it.skip(
			`not run: ${name} (changes company settings; set ${YOUR_ODOO_ENV.allowSettings}=1 on a staging copy)`,
			fn,
		);
		return;
	}
	it(name, fn, timeout);
}

async function openPeer(
	target: OdooTarget,
	title: string,
): Promise<{ peer: ScenarioPeer; cleanup: () => Promise<void> }> {
	let connection: OdooConnection;
	let emulator: OdooEmulator | undefined;
	let database: OdooDatabase | undefined;
	let serverLog: (() => string) | undefined;
	if (target.kind === 'emulator') {
		emulator = await startOdooEmulator({ version: target.major as 17 | 19 });
		connection = {
			url: emulator.url,
			db: emulator.db,
			login: emulator.login,
			apiKey: emulator.apiKey,
			version: `${target.major}.0`,
			major: target.major,
		};
	} else if (target.kind === 'fixture') {
		database = await createOdooDatabase(target.server!, title);
		connection = database;
		const logFile = target.server!.logFile;
		serverLog = () => {
			try {
				return readFileSync(logFile, 'utf8');
			} catch {
				return '';
			}
		};
	} else {
		connection = { ...target.yours!, version: `${target.major}.0`, major: target.major };
	}
	const config = (overrides: Partial<OdooClientConfig> = {}): OdooClientConfig => ({
		url: connection.url,
		db: connection.db,
		login: connection.login,
		apiKey: connection.apiKey,
		protocol: target.protocol,
		timeoutMs: 110_000,
		...overrides,
	});
	const client = (overrides: Partial<OdooClientConfig> = {}) =>
		createOdooClient(config(overrides), { noSharedCache: true });
	const admin = client();
	const data = await ScenarioData.open(admin, target, title);
	const peer: ScenarioPeer = { target, connection, client, admin, data, emulator, serverLog };
	return {
		peer,
		cleanup: async () => {
			await emulator?.stop();
			await database?.drop();
		},
	};
}
