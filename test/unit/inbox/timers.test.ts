/**
 * n8n's package scanner refuses Node's timer globals in community-node code: the SFTP and inbox core
 * take their timer from the node (n8n's `sleep`) instead.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const folders = [
	'nodes/shared/sftp',
	'nodes/shared/inbox',
	'nodes/StampliSftpTrigger',
	'nodes/StampliFiles',
];

function tsFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return tsFiles(path);
		return name.endsWith('.ts') ? [path] : [];
	});
}

describe('no timer globals in the SFTP trigger code', () => {
	const files = folders.flatMap((folder) => tsFiles(join(root, folder)));

	it.each(files.map((f) => [relative(root, f)]))('%s', (file) => {
		const code = readFileSync(join(root, file), 'utf8')
			.replace(/\/\*[\s\S]*?\*\//g, '')
			.replace(/\/\/.*$/gm, '');
		expect(
			code.match(/\b(setTimeout|setInterval|setImmediate|clearTimeout|clearInterval)\b/g),
		).toBeNull();
	});
});
