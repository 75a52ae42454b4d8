// Proves that a real n8n (2.41.1 in the e2e project, 1.123.81 in e2e-n8n1), with this package
// installed by the README's own install command, registers every node and credential type
// package.json declares, and serves their icons. Expectations come from
// package.json's `n8n` field and the built dist files, so a declared-but-unbuilt entry fails here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
	startN8n,
	type CredentialTypeDescription,
	type N8nInstance,
	type NodeTypeDescription,
} from '../fixtures/n8n/instance';
import { TEMPLATE_FILES } from '../../workflows/source/catalog';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
	name: string;
	n8n: { n8nNodesApiVersion: number; nodes: string[]; credentials: string[] };
};

type Icon = string | { light: string; dark: string } | undefined;

interface DeclaredNode {
	file: string;
	name?: string;
	icon?: Icon;
	usableAsTool?: boolean;
	problem?: string;
}

interface DeclaredCredential {
	file: string;
	name?: string;
	icon?: Icon;
	extends?: string[];
	problem?: string;
}

/** Loads a built file and finds the exported class n8n would instantiate; a missing file is reported, not thrown. */
function loadDeclared<T>(
	file: string,
	pick: (instance: any) => T | undefined,
): { value?: T; problem?: string } {
	const absolute = path.join(REPO_ROOT, file);
	if (!fs.existsSync(absolute))
		return {
			problem: `${file} is declared in package.json "n8n" but does not exist (not written or not built: run npm run build)`,
		};
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports -- the built file is what n8n loads
		const exported = require(absolute) as Record<string, unknown>;
		for (const candidate of Object.values(exported)) {
			if (typeof candidate !== 'function') continue;
			const value = pick(new (candidate as new () => unknown)());
			if (value) return { value };
		}
		return { problem: `${file} exports no class n8n can load` };
	} catch (error) {
		return { problem: `${file} fails to load: ${(error as Error).message}` };
	}
}

const declaredNodes: DeclaredNode[] = manifest.n8n.nodes.map((file) => {
	const { value, problem } = loadDeclared(file, (instance) =>
		instance?.description?.name
			? {
					name: String(instance.description.name),
					icon: instance.description.icon as Icon,
					usableAsTool: instance.description.usableAsTool === true,
				}
			: undefined,
	);
	return { file, ...value, problem };
});

const declaredCredentials: DeclaredCredential[] = manifest.n8n.credentials.map((file) => {
	const { value, problem } = loadDeclared(file, (instance) =>
		instance?.name && Array.isArray(instance.properties)
			? {
					name: String(instance.name),
					icon: instance.icon as Icon,
					extends: instance.extends as string[] | undefined,
				}
			: undefined,
	);
	return { file, ...value, problem };
});

function iconPaths(icon: Icon): string[] {
	if (icon === undefined) return [];
	return typeof icon === 'string' ? [icon] : [icon.light, icon.dark];
}

describe('n8n registers the package', () => {
	let n8n: N8nInstance;
	let nodeTypes: NodeTypeDescription[];
	let credentialTypes: CredentialTypeDescription[];

	beforeAll(async () => {
		n8n = await startN8n();
		nodeTypes = await n8n.nodeTypes();
		credentialTypes = await n8n.credentialTypes();
	}, 420_000);

	afterAll(async () => {
		await n8n?.stop();
	}, 60_000);

	/** An assertion message that carries what n8n said about the package, since a file that fails to load is only logged. */
	const withLog = (message: string): string => {
		const lines = fs.readFileSync(n8n.logFile, 'utf8').split('\n');
		const relevant = lines.flatMap((line, index) =>
			line.includes('Failed to load') || line.includes(manifest.name)
				? lines.slice(index, index + 2)
				: [],
		);
		const said =
			relevant.length > 0 ? [...new Set(relevant)].slice(0, 20).join('\n') : n8n.logTail(30);
		return `${message}\n--- n8n log (${n8n.logFile}) ---\n${said}`;
	};

	it('declares at least one node and one credential, and every declared file is built and loadable', () => {
		expect(declaredNodes.length).toBeGreaterThan(0);
		expect(declaredCredentials.length).toBeGreaterThan(0);
		const problems = [...declaredNodes, ...declaredCredentials].flatMap((entry) =>
			entry.problem ? [entry.problem] : [],
		);
		expect(problems).toEqual([]);
	});

	it('installs with the README command: the templates ship, no source maps or type declarations do', () => {
		expect(n8n.installCommand).toMatch(/npm install \S+\.tgz/);
		const installed = path.join(n8n.userFolder, '.n8n', 'nodes', 'node_modules', manifest.name);
		const shipped = fs
			.readdirSync(path.join(installed, 'workflows'))
			.filter((f) => f.endsWith('.json'));
		expect(shipped.sort()).toEqual(Object.values(TEMPLATE_FILES).sort());
		const noise = (
			fs.readdirSync(path.join(installed, 'dist'), { recursive: true }) as string[]
		).filter((file) => file.endsWith('.map') || file.endsWith('.d.ts'));
		expect(noise).toEqual([]);
	});

	it('loads the package as a community package, with n8n-workflow from n8n itself', () => {
		const installed = path.join(n8n.userFolder, '.n8n', 'nodes', 'node_modules', manifest.name);
		expect(fs.existsSync(path.join(installed, 'package.json'))).toBe(true);
		// A second n8n-workflow would break instanceof checks (NodeOperationError, NodeApiError) inside n8n.
		expect(fs.existsSync(path.join(installed, 'node_modules', 'n8n-workflow'))).toBe(false);
		expect(n8n.packageName).toBe(manifest.name);
	});

	it.each(manifest.n8n.nodes)(
		'registers node %s as n8n-nodes-stampli.<name> with resolvable icons',
		async (file) => {
			const declared = declaredNodes.find((entry) => entry.file === file)!;
			if (declared.problem) throw new Error(declared.problem);
			const typeName = `${manifest.name}.${declared.name}`;
			const registered = nodeTypes.filter((type) => type.name === typeName);
			if (registered.length === 0)
				throw new Error(withLog(`${typeName} (from ${file}) is not registered in n8n`));
			const iconFiles = iconPaths(declared.icon);
			expect(iconFiles.length).toBeGreaterThan(0);
			for (const type of registered)
				await expectIconsServed(type.iconUrl, iconFiles.length, typeName);
		},
	);

	it.each(manifest.n8n.credentials)('registers credential %s with its name', async (file) => {
		const declared = declaredCredentials.find((entry) => entry.file === file)!;
		if (declared.problem) throw new Error(declared.problem);
		const registered = credentialTypes.find((type) => type.name === declared.name);
		if (!registered)
			throw new Error(
				withLog(`credential type ${declared.name} (from ${file}) is not registered in n8n`),
			);
		if (declared.extends) expect(registered.extends).toEqual(declared.extends);
		const iconFiles = iconPaths(declared.icon);
		if (iconFiles.length > 0)
			await expectIconsServed(registered.iconUrl, iconFiles.length, declared.name!);
	});

	it('registers no node types under the package name beyond those declared', () => {
		// n8n adds a `<name>Tool` variant (for AI agents) of every node marked usableAsTool.
		const expected = declaredNodes.flatMap((entry) =>
			entry.name
				? [
						`${manifest.name}.${entry.name}`,
						...(entry.usableAsTool ? [`${manifest.name}.${entry.name}Tool`] : []),
					]
				: [],
		);
		const registered = [
			...new Set(
				nodeTypes.map((type) => type.name).filter((name) => name.startsWith(`${manifest.name}.`)),
			),
		];
		expect(registered.sort()).toEqual([...new Set(expected)].sort());
	});

	/** The editor fetches icons from `iconUrl` relative to the instance; each must answer with an SVG. */
	async function expectIconsServed(
		iconUrl: Icon,
		expectedCount: number,
		owner: string,
	): Promise<void> {
		const urls = iconPaths(iconUrl);
		if (urls.length !== expectedCount)
			throw new Error(
				withLog(`${owner}: n8n resolved ${urls.length} icon URLs, expected ${expectedCount}`),
			);
		for (const url of urls) {
			expect(url).toMatch(new RegExp(`^icons/${manifest.name}/`));
			const response = await n8n.fetch('GET', `/${url}`, { auth: 'none' });
			const body = await response.text();
			if (!response.ok) throw new Error(`${owner}: icon ${url} answered ${response.status}`);
			expect(body).toContain('<svg');
		}
	}
});
