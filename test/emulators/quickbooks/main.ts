/**
 * Standalone QuickBooks emulator for the demo and manual runs:
 *   tsx test/emulators/quickbooks/main.ts --port 8790 [--limits] [--ttl 3600]
 * Prints the URLs, realm id and client id/secret to paste into the n8n credential
 * (environment "Custom"), then serves until interrupted.
 */
import { startQuickBooksEmulator } from './index';

function arg(name: string): string | undefined {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
	const emulator = await startQuickBooksEmulator({
		port: Number(arg('port') ?? 0),
		accessTokenTtlSec: arg('ttl') ? Number(arg('ttl')) : undefined,
		enforceLimits: process.argv.includes('--limits'),
		seed: {
			accounts: [
				{ Name: 'Office Supplies', AcctNum: '6100' },
				{ Name: 'Professional Fees', AcctNum: '6200' },
				{ Name: 'Rent', AcctNum: '6300' },
			],
			classes: [{ Name: 'Consulting' }, { Name: 'Operations' }],
			departments: [{ Name: 'New York' }, { Name: 'London' }],
		},
	});
	console.log(
		JSON.stringify(
			{
				apiBaseUrl: emulator.url,
				authUrl: emulator.authUrl,
				tokenUrl: emulator.tokenUrl,
				realmId: emulator.realmId,
				clientId: emulator.clientId,
				clientSecret: emulator.clientSecret,
			},
			null,
			2,
		),
	);
	const stop = () => {
		void emulator.stop().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

void main();
