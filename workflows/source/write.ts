/**
 * Writes the templates into workflows/ (`npm run templates`), or with `--check` only compares: exits 1
 * and names each file whose committed JSON differs from what the specs produce.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildTemplate } from './builder';
import { TEMPLATE_FILES } from './catalog';
import { templateSpecs } from './templates';

export const WORKFLOWS_DIR = path.resolve(__dirname, '..');

/** Every template file's path and the exact text the generator produces for it. */
export function generatedTemplates(): Array<{ file: string; text: string }> {
	return templateSpecs().map((spec) => ({
		file: path.join(WORKFLOWS_DIR, TEMPLATE_FILES[spec.key]),
		text: `${JSON.stringify(buildTemplate(spec), null, '\t')}\n`,
	}));
}

if (require.main === module) {
	const check = process.argv.includes('--check');
	let differs = 0;
	for (const { file, text } of generatedTemplates()) {
		const name = path.relative(process.cwd(), file);
		const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
		if (check) {
			if (current !== text) {
				differs++;
				process.stdout.write(`${name} differs from the generator's output\n`);
			}
		} else if (current !== text) {
			fs.writeFileSync(file, text);
			process.stdout.write(`wrote ${name}\n`);
		}
	}
	if (check && differs > 0) {
		process.stdout.write('run `npm run templates` and commit the result\n');
		process.exitCode = 1;
	}
}
