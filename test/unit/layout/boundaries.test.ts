/**
 * Package rule: protocol, file-format, mapping and ledger code under nodes/shared/ never imports n8n,
 * so it stays testable on its own; node files stay thin.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..', '..');

function tsFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return tsFiles(path);
		return name.endsWith('.ts') ? [path] : [];
	});
}

const importsOf = (source: string) =>
	[...source.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);

describe('layout boundaries', () => {
	const sharedFiles = tsFiles(join(root, 'nodes', 'shared'));

	it('has shared modules to check', () => {
		expect(sharedFiles.length).toBeGreaterThan(20);
	});

	it.each(sharedFiles.map((f) => [relative(root, f)]))('%s does not import n8n', (file) => {
		const imports = importsOf(readFileSync(join(root, file), 'utf8'));
		const n8nImports = imports.filter((spec) => /^(n8n-workflow|n8n-core|@n8n\/)/.test(spec));
		expect(n8nImports).toEqual([]);
		// A shared module never reaches back into a node folder.
		expect(imports.filter((spec) => /^\.\.\/\.\.\/[A-Z]/.test(spec))).toEqual([]);
	});
});
