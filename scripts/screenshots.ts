/**
 * Canvas screenshots of the six templates for docs/templates.md: `node --import tsx scripts/screenshots.ts`
 * (after `npm run build`). Starts its own n8n with the package, imports the templates and credentials
 * pointing at the demo stand-ins (so no credential warnings), opens each template in headless
 * Chromium and writes docs/img/<template>.png. Stops everything it started.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startN8n } from '../test/fixtures/n8n/instance';
import { openEditor, openWorkflow, searchNodePanel } from './demo/editor';
import { TEMPLATE_FILES, WORKFLOW_IDS, type TemplateKey } from './demo/ids';
import { standInCredentials, startErpStandIns, startInProcessSftp } from './demo/stack';
import { loadTemplates } from './demo/templates';

const OUT_DIR = path.resolve(__dirname, '..', 'docs', 'img');

async function main(): Promise<void> {
	const sftp = await startInProcessSftp();
	const erp = await startErpStandIns();
	const n8n = await startN8n(
		process.env.STAMPLI_PACKAGE_DIR ? { packageDir: process.env.STAMPLI_PACKAGE_DIR } : {},
	);
	try {
		await n8n.importCredentials(standInCredentials(sftp, erp));
		const templates = loadTemplates();
		for (const workflow of Object.values(templates)) await n8n.importWorkflow(workflow!);
		const editor = await openEditor(n8n);
		try {
			fs.mkdirSync(OUT_DIR, { recursive: true });
			await searchNodePanel(editor.page, n8n.url, 'Stampli');
			await editor.page.screenshot({ path: path.join(OUT_DIR, 'node-panel.png') });
			for (const key of Object.keys(templates) as TemplateKey[]) {
				const check = await openWorkflow(editor.page, n8n.url, WORKFLOW_IDS[key]);
				const file = path.join(OUT_DIR, TEMPLATE_FILES[key].replace(/\.json$/, '.png'));
				await editor.page.screenshot({ path: file });
				process.stdout.write(
					`${path.relative(process.cwd(), file)}: ${check.nodes} nodes, ${check.issues} with issues${check.unknownNodes ? ', UNKNOWN NODES' : ''}\n`,
				);
			}
		} finally {
			await editor.close();
		}
	} finally {
		await n8n.stop();
		await erp.stop();
		await sftp.stop();
	}
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).stack ?? error}\n`);
	process.exitCode = 1;
});
