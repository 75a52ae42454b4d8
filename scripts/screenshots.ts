/**
 * Canvas screenshots of every template for docs/templates.md and of the ERP pickers for
 * docs/gl-mapper-rules.md: `node --import tsx scripts/screenshots.ts` (after `npm run build`);
 * `… scripts/screenshots.ts pickers` takes the picker screenshots only. Starts its own n8n with the
 * package, imports the templates and credentials pointing at the demo stand-ins (so no credential
 * warnings), opens each template in headless Chromium and writes docs/img/<template>.png and
 * docs/img/*-picker.png. Stops everything it started.
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
	addCollectionOption,
	openEditor,
	openNode,
	openPicker,
	openWorkflow,
	searchNodePanel,
	type Editor,
} from '../test/kit/editor';
import type { TemplateIds } from '../test/kit/templates';
import { NODE, TEMPLATE_FILES, TEMPLATE_KEYS } from '../workflows/source/catalog';

const OUT_DIR = path.resolve(__dirname, '..', 'docs', 'img');
const PICKERS_ONLY = process.argv.includes('pickers');

/** Opens a picker in the editor and keeps the screen as docs/img/<file>. */
async function pickerShot(
	editor: Editor,
	file: string,
	open: () => Promise<string[]>,
	what: string,
): Promise<void> {
	const listed = await open();
	const shot = path.join(OUT_DIR, file);
	await editor.page.screenshot({ path: shot });
	process.stdout.write(`${path.relative(process.cwd(), shot)}: ${listed.length} ${what} listed\n`);
}

async function pickerScreenshots(editor: Editor, baseUrl: string, ids: TemplateIds): Promise<void> {
	const { page } = editor;
	// Pickers listing the connected Odoo's records, in a GL Mapper rule.
	await openNode(page, baseUrl, ids.odooBills, NODE.glMapper);
	await pickerShot(
		editor,
		'gl-mapper-account-picker.png',
		() => openPicker(page, { parameter: 'odooAccount', filter: '6' }),
		'accounts',
	);
	await openNode(page, baseUrl, ids.odooBills, NODE.glMapper);
	await pickerShot(
		editor,
		'gl-mapper-analytic-picker.png',
		() => openPicker(page, { parameter: 'analytic' }),
		'analytic accounts',
	);
	// The payment journal of Register Payments, an option the template leaves unset.
	await openNode(page, baseUrl, ids.odooPayments, NODE.odooPayments);
	await addCollectionOption(page, 'Journal');
	await pickerShot(
		editor,
		'odoo-payment-journal-picker.png',
		() => openPicker(page, { parameter: 'journalId' }),
		'journals',
	);
}

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
			if (!PICKERS_ONLY) {
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
			}
			await pickerScreenshots(editor, n8n.url, ids);
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
