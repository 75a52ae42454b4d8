/**
 * The committed templates in workflows/ are exactly what the generator (workflows/source/) writes,
 * and what users import carries no fixed workflow id (n8n would overwrite an edited copy on re-import).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TEMPLATE_FILES } from '../../workflows/source/catalog';
import { generatedTemplates } from '../../workflows/source/write';

describe('workflow templates', () => {
	it.each(generatedTemplates().map(({ file, text }) => [path.basename(file), file, text]))(
		'%s matches the generator (run `npm run templates` after changing workflows/source/)',
		(_name, file, text) => {
			expect(fs.readFileSync(file, 'utf8')).toBe(text);
		},
	);

	it('no template carries a workflow id or names another workflow by id', () => {
		for (const { file, text } of generatedTemplates()) {
			const workflow = JSON.parse(text) as { id?: unknown; settings?: Record<string, unknown> };
			expect({ file: path.basename(file), id: workflow.id }).toEqual({
				file: path.basename(file),
				id: undefined,
			});
			expect(workflow.settings?.errorWorkflow).toBeUndefined();
		}
	});

	it('no template assumes ids of a particular ERP database: pickers ship empty, accounts are named by code', () => {
		const ID_PARAMETERS = ['odooAccount', 'taxes', 'qboAccount', 'qboClass', 'qboDepartment', 'taxAccountId', 'journalId'];
		const found: string[] = [];
		let pickers = 0;
		const walk = (value: unknown, where: string): void => {
			if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${where}[${i}]`));
			if (!value || typeof value !== 'object') return;
			for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
				if (ID_PARAMETERS.includes(key)) {
					const locator = child as { __rl?: unknown; value?: unknown };
					if (locator?.__rl === true && locator.value === '') pickers++;
					else found.push(`${where}.${key} = ${JSON.stringify(child)}`);
				} else walk(child, `${where}.${key}`);
			}
		};
		for (const { file, text } of generatedTemplates()) {
			const workflow = JSON.parse(text) as { nodes: Array<{ name: string; parameters: unknown }> };
			for (const node of workflow.nodes) walk(node.parameters, `${path.basename(file)} ${node.name}`);
		}
		expect(found).toEqual([]);
		// Odoo rules' taxes (2), the QuickBooks class, department and tax account.
		expect(pickers).toBe(5);
	});

	it('the package ships every template', () => {
		const manifest = JSON.parse(
			fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8'),
		) as { files: string[] };
		expect(manifest.files).toContain('workflows/*.json');
		expect(generatedTemplates()).toHaveLength(Object.keys(TEMPLATE_FILES).length);
	});
});
