/**
 * The built package as n8n will load it: every `n8n` entry in package.json exists under dist/,
 * exports a node/credential class, and ships its codex and light/dark icons; every credential
 * is testable (a `test`, a node's `testedBy` credential test, or OAuth2).
 * Runs after `npm run build` (the bootstrap builds before jest).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

type Described = { description: Record<string, any>; methods?: Record<string, any> };

function loadClass(file: string): any {
	const full = join(root, file);
	if (!existsSync(full))
		throw new Error(`${file} is declared in package.json but was not built (run npm run build)`);
	// n8n's loader takes the export named like the file (Foo.node.js → Foo).
	const className = file
		.split('/')
		.pop()!
		.replace(/\.(node|credentials)\.js$/, '');
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- loads built files by path, as n8n does
	const Class = require(full)[className] as (new () => unknown) | undefined;
	if (!Class) throw new Error(`${file} does not export a class named ${className}`);
	return new Class();
}

function iconFiles(icon: unknown): string[] {
	if (typeof icon === 'string') return [icon];
	if (icon && typeof icon === 'object') return Object.values(icon as Record<string, string>);
	return [];
}

const nodes = (pkg.n8n.nodes as string[]).map((file) => ({
	file,
	node: loadClass(file) as Described,
}));
const credentials = (pkg.n8n.credentials as string[]).map((file) => ({
	file,
	cred: loadClass(file) as any,
}));

describe('package.json n8n field', () => {
	it('lists the node types the templates and tests rely on', () => {
		const names = nodes.map(({ node }) => node.description.name);
		for (const required of [
			'stampliSftpTrigger',
			'stampliFeedWriter',
			'odooAccountMove',
			'odooMasterData',
			'glMapper',
			'quickBooksBill',
		]) {
			expect(names).toContain(required);
		}
		expect(new Set(names).size).toBe(names.length);
	});

	it.each(nodes.map(({ file, node }) => [node.description.name, file, node]))(
		'node %s has a codex and light/dark icons',
		(name, file, node) => {
			const dir = dirname(join(root, file as string));
			const base = (file as string).split('/').pop()!.replace(/\.js$/, '');
			const codex = JSON.parse(readFileSync(join(dir, `${base}.json`), 'utf8'));
			expect(codex.node).toBe(`n8n-nodes-stampli.${name}`);
			expect(codex.categories?.length).toBeGreaterThan(0);
			const icon = (node as Described).description.icon;
			expect(icon).toEqual({
				light: expect.stringMatching(/^file:.+\.svg$/),
				dark: expect.stringMatching(/^file:.+\.svg$/),
			});
			for (const ref of iconFiles(icon)) {
				const svg = readFileSync(join(dir, ref.replace(/^file:/, '')), 'utf8');
				expect(svg).toMatch(/<svg[\s>]/);
			}
		},
	);

	it.each(credentials.map(({ file, cred }) => [cred.name, file, cred]))(
		'credential %s is testable and has icons',
		(name, _file, cred) => {
			expect(name).toMatch(/^stampli/);
			const isOAuth2 = (cred.extends ?? []).includes('oAuth2Api');
			const testedBy = nodes
				.flatMap(({ node }) =>
					(node.description.credentials ?? [])
						.filter((c: any) => c.name === name && c.testedBy)
						.map((c: any) => ({ node, testedBy: c.testedBy })),
				)
				.filter(
					({ node, testedBy }) => typeof node.methods?.credentialTest?.[testedBy] === 'function',
				);
			expect(Boolean(cred.test) || isOAuth2 || testedBy.length > 0).toBe(true);
			for (const ref of iconFiles(cred.icon)) {
				expect(existsSync(join(root, 'dist', 'credentials', ref.replace(/^file:/, '')))).toBe(true);
			}
		},
	);
});
