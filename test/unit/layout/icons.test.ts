/**
 * Every node and credential has its own light and dark icon: n8n shows them side by side in the node
 * panel and the credential list, where two items with one picture cannot be told apart.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');

/** `file:x.svg` references of each node and credential source file, resolved to paths. */
function iconReferences(): Array<{ owner: string; light: string; dark: string }> {
	const owners = [
		...readdirSync(join(ROOT, 'nodes'))
			.map((dir) => join('nodes', dir, `${dir}.node.ts`))
			.filter((file) => {
				try {
					readFileSync(join(ROOT, file));
					return true;
				} catch {
					return false;
				}
			}),
		...readdirSync(join(ROOT, 'credentials'))
			.filter((file) => file.endsWith('.credentials.ts'))
			.map((file) => join('credentials', file)),
	];
	return owners.map((owner) => {
		const text = readFileSync(join(ROOT, owner), 'utf8');
		const match = /icon[^{]*\{\s*light:\s*'file:([^']+)',\s*dark:\s*'file:([^']+)'/.exec(text);
		if (!match) throw new Error(`${owner}: no light/dark icon`);
		const dir = join(ROOT, owner, '..');
		return { owner, light: join(dir, match[1]), dark: join(dir, match[2]) };
	});
}

const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('icons', () => {
	const references = iconReferences();

	it('every node and credential names a light and a dark icon', () => {
		expect(references.length).toBeGreaterThanOrEqual(11);
		for (const { light, dark } of references) {
			expect(readFileSync(light, 'utf8')).toMatch(/^<svg[\s>]/);
			expect(readFileSync(dark, 'utf8')).toMatch(/^<svg[\s>]/);
			expect(digest(light)).not.toBe(digest(dark));
		}
	});

	it('no two nodes or credentials share a picture', () => {
		const byPicture = new Map<string, string[]>();
		for (const { owner, light, dark } of references)
			for (const file of [light, dark]) {
				const key = digest(file);
				byPicture.set(key, [...(byPicture.get(key) ?? []), owner]);
			}
		const shared = [...byPicture.values()].filter((owners) => owners.length > 1);
		expect(shared).toEqual([]);
	});
});
