/** Replay: failed files go back into the watched directory, so the trigger emits them again. */
import { assertSafeName } from '../sftp/names';
import type { SftpSession } from '../sftp/session';

/**
 * Moves files (all matching in `fromDir`, or the named ones) back into the watched directory and
 * touches them, so the trigger sees them as changed and emits each again as its own execution.
 * Works without access to the trigger's ledger (which lives in another workflow's static data).
 */
export async function replayFiles(
	session: SftpSession,
	options: { fromDir: string; toDir: string; pattern?: string; names?: string[] },
): Promise<Array<{ name: string; from: string; to: string }>> {
	const listing = await session.list(options.fromDir, options.pattern);
	const wanted = options.names?.length
		? new Set(options.names.map((n) => assertSafeName(n)))
		: undefined;
	if (wanted) {
		const missing = [...wanted].filter((n) => !listing.some((f) => f.name === n));
		if (missing.length) throw new Error(`Not found in ${options.fromDir}: ${missing.join(', ')}`);
	}
	await session.mkdirp(options.toDir);
	const moved: Array<{ name: string; from: string; to: string }> = [];
	for (const file of listing) {
		if (wanted && !wanted.has(file.name)) continue;
		assertSafeName(file.name);
		const to = await session.move(file.path, options.toDir);
		await session.touch(to);
		moved.push({ name: file.name, from: file.path, to });
	}
	return moved;
}
