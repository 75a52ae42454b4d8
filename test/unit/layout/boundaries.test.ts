/**
 * Package rules: protocol, file-format, mapping and ledger code under nodes/shared/ never imports
 * n8n, so it stays testable on its own; no node folder imports another node folder (what nodes
 * share lives in nodes/common/ or nodes/shared/); nodes/shared/ and nodes/common/ never reach back
 * into a node folder. Imports are resolved to the folder they land in, whatever their depth.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const nodesDir = join(root, 'nodes');

function tsFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return tsFiles(path);
		return name.endsWith('.ts') ? [path] : [];
	});
}

const importsOf = (source: string) =>
	[...source.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);

/** The top folder under nodes/ a file or resolved import lands in (`GlMapper`, `common`, `shared`), or undefined outside nodes/. */
function nodesFolderOf(path: string): string | undefined {
	const rel = relative(nodesDir, path);
	if (rel.startsWith('..')) return undefined;
	const [first, ...rest] = rel.split(sep);
	return rest.length > 0 ? first : undefined;
}

/** Top folders under nodes/ that a file's relative imports land in, other than its own. */
function foldersImported(file: string): string[] {
	const own = nodesFolderOf(file);
	return importsOf(readFileSync(file, 'utf8'))
		.filter((spec) => spec.startsWith('.'))
		.map((spec) => nodesFolderOf(resolve(dirname(file), spec)))
		.filter((folder): folder is string => folder !== undefined && folder !== own);
}

const isNodeFolder = (folder: string) => folder !== 'common' && folder !== 'shared';

describe('layout boundaries', () => {
	const sharedFiles = tsFiles(join(nodesDir, 'shared'));
	const commonFiles = tsFiles(join(nodesDir, 'common'));
	const nodeFiles = readdirSync(nodesDir)
		.filter((name) => isNodeFolder(name) && statSync(join(nodesDir, name)).isDirectory())
		.flatMap((name) => tsFiles(join(nodesDir, name)));

	it('has modules to check in every layer', () => {
		expect(sharedFiles.length).toBeGreaterThan(20);
		expect(commonFiles.length).toBeGreaterThan(3);
		expect(nodeFiles.length).toBeGreaterThan(8);
	});

	it('resolves imports to folders at any depth', () => {
		const file = join(nodesDir, 'GlMapper', 'a', 'b', 'x.ts');
		expect(nodesFolderOf(resolve(dirname(file), '../../../QuickBooksBill/transport'))).toBe(
			'QuickBooksBill',
		);
		expect(nodesFolderOf(resolve(dirname(file), '../../../../credentials/X'))).toBeUndefined();
	});

	it.each(sharedFiles.map((f) => [relative(root, f)]))(
		'%s does not import n8n or anything outside nodes/shared',
		(file) => {
			const imports = importsOf(readFileSync(join(root, file), 'utf8'));
			const n8nImports = imports.filter((spec) => /^(n8n-workflow|n8n-core|@n8n\/)/.test(spec));
			expect(n8nImports).toEqual([]);
			expect(foldersImported(join(root, file))).toEqual([]);
		},
	);

	it.each(commonFiles.map((f) => [relative(root, f)]))('%s imports no node folder', (file) => {
		expect(foldersImported(join(root, file)).filter(isNodeFolder)).toEqual([]);
	});

	it.each(nodeFiles.map((f) => [relative(root, f)]))('%s imports no other node folder', (file) => {
		expect(foldersImported(join(root, file)).filter(isNodeFolder)).toEqual([]);
	});
});
