/**
 * The seven workflow templates in a real n8n 2.41.1 (one process, SQLite) with the package installed
 * the README's way, against the real OpenSSH sshd fixture and the Odoo / QuickBooks emulators over
 * loopback HTTP. The flows and their assertions live in templateFlows.ts; templatesQueueMode.test.ts
 * runs the same ones in queue mode.
 */
import { startN8n, type N8nInstance } from '../fixtures/n8n/instance';
import { describeTemplateFlows } from './templateFlows';

let n8n: N8nInstance | undefined;

describeTemplateFlows<N8nInstance>({
	title: 'workflow templates in a real n8n',
	async start() {
		n8n = await startN8n(
			process.env.STAMPLI_PACKAGE_DIR ? { packageDir: process.env.STAMPLI_PACKAGE_DIR } : {},
		);
		return n8n;
	},
	async stop() {
		await n8n?.stop();
	},
	restart: async (instance) => await instance.restart(),
	startupTimeoutMs: 420_000,
	testTimeoutMs: 240_000,
	waitMs: 120_000,
});
