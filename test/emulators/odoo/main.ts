/**
 * Standalone Odoo emulator for the demo: `tsx test/emulators/odoo/main.ts --port 8069 --version 17`.
 * Prints one JSON line with url, db, login and API key, then serves until SIGINT/SIGTERM.
 */
import { startOdooEmulator } from './index';

function arg(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
	const version = Number(arg('version') ?? 17);
	if (version !== 17 && version !== 19) throw new Error('--version must be 17 or 19');
	const emulator = await startOdooEmulator({
		version,
		port: arg('port') ? Number(arg('port')) : undefined,
		latencyMs: arg('latency') ? Number(arg('latency')) : undefined,
		db: arg('db'),
		login: arg('login'),
		apiKey: arg('api-key') ?? process.env.ODOO_EMULATOR_API_KEY,
	});
	console.log(
		JSON.stringify({
			url: emulator.url,
			db: emulator.db,
			login: emulator.login,
			apiKey: emulator.apiKey,
			version,
		}),
	);
	const shutdown = () => void emulator.stop().then(() => process.exit(0));
	process.on('SIGINT', shutdown);
	process.on('SIGTERM', shutdown);
}

main().catch((error) => {
	console.error(String(error?.message ?? error));
	process.exit(1);
});
