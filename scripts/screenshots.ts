/**
 * Canvas screenshots of every template for docs/templates.md: `node --import tsx scripts/screenshots.ts`
 * (after `npm run build`). Starts its own n8n with the package, imports the templates and credentials
 * pointing at the demo stand-ins (so no credential warnings), opens each template in headless
 * Chromium and writes docs/img/<template>.png. Stops everything it started.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
	importTemplates,
	loadTemplates,
	standInCredentials,
	startErpStandIns,
	startInProcessSftp,
	startN8n,
} from '../test/kit';
import {
	openEditor,
	openNode,
	openPicker,
	openWorkflow,
	searchNodePanel,
} from '../test/kit/editor';
import { TEMPLATE_FILES, TEMPLATE_KEYS } from '../workflows/source/catalog';

const OUT_DIR = path.resolve(__dirname, '..', 'docs', 'img');

async function main(): Promise<void> {
	const sftp = await startInProcessSftp();
	const erp = await startErpStandIns();
	const n8n = await startN8n(
		process.env.STAMPLI_PACKAGE_DIR ? { packageDir: process.env.STAMPLI_PACKAGE_DIR } : {},
	);
	try {
		await n8n.importCredentials(standInCredentials(sftp, erp));
		const ids = await importTemplates(n8n, loadTemplates());
		const editor = await openEditor(n8n);
		try {
			fs.mkdirSync(OUT_DIR, { recursive: true });
			await searchNodePanel(editor.page, n8n.url, 'Stampli');
			await editor.page.screenshot({ path: path.join(OUT_DIR, 'node-panel.png') });
			for (const key of TEMPLATE_KEYS) {
				const check = await openWorkflow(editor.page, n8n.url, ids[key]);
				const file = path.join(OUT_DIR, TEMPLATE_FILES[key].replace(/\.json$/, '.png'));
				await editor.page.screenshot({ path: file });
				process.stdout.write(
					`${path.relative(process.cwd(), file)}: ${check.nodes} nodes, ${check.issues} with issues${check.unknownNodes ? ', UNKNOWN NODES' : ''}\n`,
				);
			}
			// A picker listing the connected Odoo's accounts, in a GL Mapper rule.
			await openNode(editor.page, n8n.url, ids.odooBills, 'GL Mapper');
			const listed = await openPicker(editor.page, { parameter: 'odooAccount', filter: '6' });
			const picker = path.join(OUT_DIR, 'gl-mapper-account-picker.png');
			await editor.page.screenshot({ path: picker });
			process.stdout.write(
				`${path.relative(process.cwd(), picker)}: ${listed.length} accounts listed\n`,
			);
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
