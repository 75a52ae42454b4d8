import { posix } from 'node:path';
import { UnsafeRemoteNameError } from './errors';

/** Characters that make a name dangerous or ambiguous: C0 controls, DEL and C1 controls. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Throws unless `name` is a plain file name: no path separators, no `.`/`..`, no NUL or control characters. */
export function assertSafeName(name: string): string {
	if (typeof name !== 'string' || name.length === 0)
		throw new UnsafeRemoteNameError(String(name), 'empty name');
	if (name.length > 255)
		throw new UnsafeRemoteNameError(name.slice(0, 64) + '…', 'longer than 255 characters');
	if (name.includes('/') || name.includes('\\'))
		throw new UnsafeRemoteNameError(name, 'contains a path separator');
	if (name === '.' || name === '..')
		throw new UnsafeRemoteNameError(name, 'is a relative directory reference');
	if (CONTROL.test(name))
		throw new UnsafeRemoteNameError(name, 'contains NUL or control characters');
	return name;
}

/** Joins a directory and a remote file name that is data, never a path: `..`, `/`, NUL and controls are refused. */
export function safeRemoteJoin(dir: string, name: string): string {
	assertSafeName(name);
	if (CONTROL.test(dir))
		throw new UnsafeRemoteNameError(dir, 'directory contains control characters');
	return posix.join(dir || '.', name);
}

export function remoteBasename(path: string): string {
	return posix.basename(path);
}

/**
 * A glob over file names (not paths): `*` any run, `?` one character, `[abc]` a class, `{a,b}` alternatives.
 * Case-insensitive, since Stampli exports are named by people as well as programs. Empty → match all.
 */
export function globToRegExp(glob: string | undefined): RegExp {
	const source = (glob ?? '').trim();
	if (!source || source === '*') return /^/;
	let out = '';
	let inClass = false;
	let braceDepth = 0;
	for (const ch of source) {
		if (inClass) {
			out += ch === ']' ? ((inClass = false), ']') : ch === '\\' ? '\\\\' : ch;
			continue;
		}
		switch (ch) {
			case '*':
				out += '[^/]*';
				break;
			case '?':
				out += '[^/]';
				break;
			case '[':
				inClass = true;
				out += '[';
				break;
			case '{':
				braceDepth++;
				out += '(?:';
				break;
			case '}':
				if (braceDepth > 0) {
					braceDepth--;
					out += ')';
				} else out += '\\}';
				break;
			case ',':
				out += braceDepth > 0 ? '|' : ',';
				break;
			default:
				out += ch.replace(/[.+^$()|\\]/g, '\\$&');
		}
	}
	if (inClass || braceDepth > 0)
		throw new Error(`Invalid file-name pattern ${JSON.stringify(glob)}: unbalanced [ or {`);
	return new RegExp(`^${out}$`, 'i');
}
