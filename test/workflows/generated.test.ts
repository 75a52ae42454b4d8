/**
 * The committed templates in workflows/ are exactly what the generator (workflows/source/) writes,
 * and what users import carries no fixed workflow id (n8n would overwrite an edited copy on re-import).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
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

	it('the package ships every template', () => {
		const manifest = JSON.parse(
			fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8'),
		) as { files: string[] };
		expect(manifest.files).toContain('workflows/*.json');
		expect(generatedTemplates()).toHaveLength(7);
	});
});
