/**
 * The n8n editor in headless Chromium: the package's nodes appear in the node panel with their icons,
 * and every template opens with no unknown node and no credential or parameter issue.
 */
import { startN8n, type N8nInstance } from '../fixtures/n8n/instance';
import {
	choosePickerItem,
	openEditor,
	openNode,
	openPicker,
	openWorkflow,
	searchNodePanel,
	type Editor,
} from '../kit/editor';
import {
	SAMPLE_QBO_CLASSES,
	SAMPLE_QBO_DEPARTMENTS,
	standInCredentials,
	startErpStandIns,
	startInProcessSftp,
	type ErpStandIns,
	type SftpEndpoint,
} from '../kit/standIns';
import { importTemplates, loadTemplates, type TemplateIds } from '../kit/templates';
import { NODE, TEMPLATE_KEYS } from '../../workflows/source/catalog';

jest.setTimeout(180_000);

describe('n8n editor (headless Chromium)', () => {
	let sftp: SftpEndpoint;
	let erp: ErpStandIns;
	let n8n: N8nInstance;
	let editor: Editor;
	let ids: TemplateIds;
	const templates = loadTemplates();

	beforeAll(async () => {
		[sftp, erp] = await Promise.all([startInProcessSftp(), startErpStandIns()]);
		n8n = await startN8n(
			process.env.STAMPLI_PACKAGE_DIR ? { packageDir: process.env.STAMPLI_PACKAGE_DIR } : {},
		);
		await n8n.importCredentials(standInCredentials(sftp, erp));
		ids = await importTemplates(n8n, templates);
		editor = await openEditor(n8n);
	}, 420_000);

	afterAll(async () => {
		await editor?.close();
		await n8n?.stop();
		await erp?.stop();
		await sftp?.stop();
	});

	it('finds the Stampli nodes in the node panel, each with its own icon', async () => {
		const results = await searchNodePanel(editor.page, n8n.url, 'Stampli');
		const names = results.map((result) => result.name);
		// Every package node: the GL Mapper is found by its alias.
		const expected = [
			'GL Mapper',
			'Stampli SFTP Trigger',
			'Stampli Files',
			'Stampli Feed Writer',
			'Stampli Reconcile',
			'Odoo Account Move',
			'Odoo Master Data',
			'QuickBooks Bill',
		];
		expect(names).toEqual(expect.arrayContaining(expected));
		for (const name of expected) {
			const icon = results.find((result) => result.name === name)?.icon;
			expect({ name, icon }).toEqual({
				name,
				icon: expect.stringMatching(/\/icons\/.*n8n-nodes-stampli.*\.svg/),
			});
			const response = await n8n.fetch('GET', new URL(icon!, n8n.url).pathname, { auth: 'cookie' });
			expect({
				name,
				status: response.status,
				type: response.headers.get('content-type'),
			}).toMatchObject({ status: 200, type: expect.stringContaining('svg') });
		}
	});

	it.each(TEMPLATE_KEYS)(
		'opens the %s template with no unknown node and no node issue',
		async (key) => {
			const workflow = templates[key];
			const check = await openWorkflow(editor.page, n8n.url, ids[key]);
			expect(check).toEqual({ nodes: workflow.nodes.length, issues: 0, unknownNodes: false });
		},
	);

	it("lists the Odoo purchase taxes in a GL Mapper rule's picker, filtered as typed, and keeps the one chosen", async () => {
		await openNode(editor.page, n8n.url, ids.odooBills, 'GL Mapper');
		// The emulator's purchase taxes (its sale tax is not offered): the seeded 15% and the stand-ins' 10%.
		expect(await openPicker(editor.page, { parameter: 'taxes' })).toEqual([
			'10% (purchase)',
			'15%',
		]);
		expect(await openPicker(editor.page, { parameter: 'odooAccount', filter: 'office' })).toEqual([
			'620000 Office Supplies',
		]);
		expect(await choosePickerItem(editor.page, 'odooAccount', '620000 Office Supplies')).toBe(
			'620000 Office Supplies',
		);
	});

	it('lists QuickBooks classes, departments and accounts in a GL Mapper rule, and accounts in the QuickBooks Bill tax picker', async () => {
		await openNode(editor.page, n8n.url, ids.quickBooksBills, NODE.glMapper);
		const names = (rows: Array<{ Name: string }>) => rows.map((row) => row.Name).sort();
		// Every seeded class and department, as the QuickBooks emulator holds them.
		expect((await openPicker(editor.page, { parameter: 'qboClass' })).sort()).toEqual(
			names(SAMPLE_QBO_CLASSES),
		);
		expect((await openPicker(editor.page, { parameter: 'qboDepartment' })).sort()).toEqual(
			names(SAMPLE_QBO_DEPARTMENTS),
		);
		expect(await choosePickerItem(editor.page, 'qboDepartment', 'Admin')).toBe('Admin');
		// Accounts show their number, name and type, filtered by name as typed.
		expect(await openPicker(editor.page, { parameter: 'qboAccount', filter: 'consult' })).toEqual([
			'6500 Consulting Fees (Expense)',
		]);

		await openNode(editor.page, n8n.url, ids.quickBooksBills, NODE.qboBills);
		expect(await openPicker(editor.page, { parameter: 'taxAccountId', filter: 'tax' })).toEqual([
			'2200 Purchase Tax Paid (Other Current Liability)',
		]);
	});
});
