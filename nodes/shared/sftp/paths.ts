/** Remote paths given by a user or an item (not names listed by the server): keep them inside the allowed directories. */
import { posix } from 'node:path';
import { SftpError } from './errors';
import type { SftpSession } from './session';

const inside = (path: string, dir: string) =>
	path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);

/**
 * Resolves `path` on the server (symlinks and `..` included) and returns the resolved path, or
 * refuses it unless it lies inside one of `dirs` (themselves resolved the same way). A symlink inside
 * an allowed directory that points outside it is refused too.
 */
export async function assertInsideDirs(
	session: SftpSession,
	path: string,
	dirs: string[],
	options: { mayNotExist?: boolean } = {},
): Promise<string> {
	const wanted = dirs.map((d) => d.trim()).filter(Boolean);
	if (!path || /[\u0000-\u001f\u007f]/.test(path))
		throw new SftpError(`Refusing remote path ${JSON.stringify(path)}`, 'UNSAFE_NAME');
	// Lexically first: a path that leaves the directories by its own `..` never reaches the server.
	const home = [path, ...wanted].some((p) => !p.startsWith('/'))
		? await session.realPath('.')
		: '/';
	const absolute = (p: string) => (p.startsWith('/') ? posix.normalize(p) : posix.join(home, p));
	const normal = absolute(path);
	const refuse = (resolved?: string) =>
		new SftpError(
			`Refusing ${path}: it is not inside the allowed directories (${wanted.join(', ')})` +
				(resolved && resolved !== normal ? `; it resolves to ${resolved}` : ''),
			'OUTSIDE_ALLOWED_DIRS',
		);
	if (!wanted.some((dir) => inside(normal, absolute(dir)))) throw refuse();
	let resolved: string;
	try {
		resolved = await session.realPath(path);
	} catch (error) {
		if ((error as SftpError).code !== 'ENOENT') throw error;
		if (options.mayNotExist) return normal;
		throw new SftpError(`No such file: ${path}`, 'ENOENT');
	}
	const roots: string[] = [];
	for (const dir of wanted) {
		try {
			roots.push(await session.realPath(dir));
		} catch {
			// A directory that does not exist allows nothing.
		}
	}
	if (roots.some((root) => inside(resolved, root))) return resolved;
	throw refuse(resolved);
}
