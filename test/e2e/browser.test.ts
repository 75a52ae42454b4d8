/**
 * The n8n editor in headless Chromium: the package's nodes appear in the node panel with their icons,
 * every template opens with no unknown node and no credential or parameter issue, and every ERP id
 * picker lists the stand-in ERP's records, filters them as typed and saves the one chosen.
 */
import { startN8n, type N8nInstance } from '../fixtures/n8n/instance';
import { sleep } from 'n8n-workflow';

import {
	addCollectionOption,
	choosePickerItem,
	filterPicker,
	openEditor,
	openNode,
	openPicker,
	openWorkflow,
	pickerState,
	saveWorkflow,
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
import {
	importTemplates,
	loadTemplates,
	withNodeParameters,
	type TemplateIds,
} from '../kit/templates';
import { randomWorkflowId } from '../fixtures/n8n/cli';
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

	/** The id of the stand-in Odoo's record of `model` that `match` picks. */
	const odooId = (model: string, match: (record: Record<string, unknown>) => boolean) => {
		const found = erp.odoo.store.all(model).find(match);
		if (!found) throw new Error(`no ${model} record matches`);
		return String(found.id);
	};

	/**
	 * A node's parameters as n8n stored them, once `saved` says the editor's save reached them (the
	 * editor may store the workflow more than once, with earlier states, before it); the last read
	 * after a bounded wait otherwise, for the assertion to show.
	 */
	async function storedParameters(
		workflowId: string,
		nodeName: string,
		saved: (parameters: any) => boolean,
	): Promise<any> {
		let parameters: any;
		for (let attempt = 0; attempt < 120; attempt++) {
			const body = await n8n.rest('GET', `/workflows/${workflowId}`);
			const nodes = (body.data ?? body).nodes as Array<{ name: string; parameters: any }>;
			parameters = nodes.find((node) => node.name === nodeName)?.parameters;
			if (parameters && saved(parameters)) break;
			await sleep(500);
		}
		return parameters;
	}

	it("lists Odoo purchase taxes, accounts and analytic accounts in a GL Mapper rule's pickers, filtered as typed, and saves the ones chosen", async () => {
		const { page } = editor;
		await openNode(page, n8n.url, ids.odooBills, 'GL Mapper');
		// The emulator's purchase taxes (its sale tax is not offered): the seeded 15% and the stand-ins' 10%.
		expect(await openPicker(page, { parameter: 'taxes' })).toEqual(['10% (purchase)', '15%']);
		expect(await openPicker(page, { parameter: 'odooAccount', filter: 'office' })).toEqual([
			'620000 Office Supplies',
		]);
		expect(await choosePickerItem(page, 'odooAccount', '620000 Office Supplies')).toBe(
			'620000 Office Supplies',
		);
		// Every active analytic account, with its code, plan and company; then only what matches.
		const alpha = '[ALPHA] Project Alpha · Projects · My Company (San Francisco)';
		expect(await openPicker(page, { parameter: 'analytic' })).toEqual([
			'[MKT] Marketing · Projects · My Company (San Francisco)',
			'[OPS] Operations · Projects · My Company (San Francisco)',
			alpha,
		]);
		expect(await filterPicker(page, 'alp')).toEqual([alpha]);
		expect(await choosePickerItem(page, 'analytic', alpha)).toBe(alpha);

		await saveWorkflow(page);
		const alphaId = odooId('account.analytic.account', (a) => a.code === 'ALPHA');
		const stored = await storedParameters(
			ids.odooBills,
			'GL Mapper',
			(p) => p.rules?.rule?.[0]?.analytic?.value === alphaId,
		);
		expect(stored.rules.rule[0]).toMatchObject({
			odooAccount: {
				__rl: true,
				mode: 'list',
				value: odooId('account.account', (a) => a.code === '620000'),
				cachedResultName: '620000 Office Supplies',
			},
			analytic: { __rl: true, mode: 'list', value: alphaId, cachedResultName: alpha },
		});
	});

	it('shows an analytic distribution typed before the picker as it was, with no node issue', async () => {
		const workflow = templates.odooBills;
		const glMapper = workflow.nodes.find((node) => node.name === 'GL Mapper')!;
		const rules = glMapper.parameters.rules as { rule: Array<Record<string, unknown>> };
		const id = randomWorkflowId();
		await n8n.importWorkflows([
			{
				...withNodeParameters(workflow, 'GL Mapper', {
					rules: { rule: [{ ...rules.rule[0], analytic: '1:60;2:40' }, ...rules.rule.slice(1)] },
				}),
				name: 'Saved before the analytic picker',
				id,
			},
		]);
		expect(await openWorkflow(editor.page, n8n.url, id)).toMatchObject({ issues: 0 });
		await openNode(editor.page, n8n.url, id, 'GL Mapper');
		// n8n shows a value saved as plain text with no mode; it is kept and read as before.
		expect(await pickerState(editor.page, 'analytic')).toEqual({ mode: '', text: '1:60;2:40' });
	});

	it('picks the purchase journal of Odoo Account Move and the payment journal of Register Payments from an added option, and saves them', async () => {
		const { page } = editor;
		await openNode(page, n8n.url, ids.odooBills, NODE.odooBills);
		await addCollectionOption(page, 'Journal');
		expect(await openPicker(page, { parameter: 'journalId' })).toEqual(['Vendor Bills (BILL)']);
		expect(await filterPicker(page, 'bill')).toEqual(['Vendor Bills (BILL)']);
		expect(await choosePickerItem(page, 'journalId', 'Vendor Bills (BILL)')).toBe(
			'Vendor Bills (BILL)',
		);
		await saveWorkflow(page);
		const billJournal = odooId('account.journal', (j) => j.code === 'BILL');
		const bills = await storedParameters(
			ids.odooBills,
			NODE.odooBills,
			(p) => p.options?.journalId?.value === billJournal,
		);
		expect(bills.options).toMatchObject({
			// The template's options stay as they were.
			autoPost: true,
			journalId: {
				__rl: true,
				mode: 'list',
				value: billJournal,
				cachedResultName: 'Vendor Bills (BILL)',
			},
		});

		await openNode(page, n8n.url, ids.odooPayments, NODE.odooPayments);
		await addCollectionOption(page, 'Journal');
		// Bank and cash journals only (no purchase or miscellaneous journal).
		expect(await openPicker(page, { parameter: 'journalId' })).toEqual([
			'Bank (BNK1)',
			'Cash (CSH1)',
		]);
		expect(await filterPicker(page, 'cash')).toEqual(['Cash (CSH1)']);
		expect(await choosePickerItem(page, 'journalId', 'Cash (CSH1)')).toBe('Cash (CSH1)');
		await saveWorkflow(page);
		const cashJournal = odooId('account.journal', (j) => j.code === 'CSH1');
		const payments = await storedParameters(
			ids.odooPayments,
			NODE.odooPayments,
			(p) => p.paymentOptions?.journalId?.value === cashJournal,
		);
		expect(payments.paymentOptions.journalId).toEqual({
			__rl: true,
			mode: 'list',
			value: cashJournal,
			cachedResultName: 'Cash (CSH1)',
			cachedResultUrl: expect.stringContaining('model=account.journal'),
		});
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
