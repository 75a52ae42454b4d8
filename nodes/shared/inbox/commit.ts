/**
 * The file operations that end a file's turn: commit (archive or delete once every run it started
 * succeeded) and rollback (set aside in the failed directory for the replay workflow). Neither touches
 * a file unless it is byte for byte what was emitted: size, mtime and SHA-256 are checked right before
 * the move, and the moved file is checked again; a file that changed is a new version and stays.
 */
import type { SftpSession } from '../sftp/session';
import { hashOnly } from './batches';
import { seconds, type EmittedIdentity } from './ledger';
import { doneFileName, type ReadyWhen } from './readLock';
import type { AfterProcessing } from './types';

/** `changed`: not what was emitted (a new version, left in place); `gone`: nothing there to move. */
export type FileCheck = 'same' | 'changed' | 'gone';

export interface FileOpOptions {
	maxFileBytes?: number;
	/** With the done-file read lock, a commit takes the marker along (a rollback leaves it for the replay). */
	readyWhen?: ReadyWhen;
}

/** Is the file at `path` still exactly what was emitted? */
export async function checkIdentity(
	session: SftpSession,
	path: string,
	emitted: EmittedIdentity,
	maxFileBytes?: number,
): Promise<FileCheck> {
	const info = await session.stat(path);
	if (!info) return 'gone';
	if (info.size !== emitted.size || seconds(info.mtimeMs) !== emitted.mtime) return 'changed';
	const hashed = await hashOnly(session, path, maxFileBytes);
	return 'sha256' in hashed && hashed.sha256 === emitted.sha256 ? 'same' : 'changed';
}

/**
 * Moves a verified file into `toDir`, then checks the moved file: a writer that still held the file
 * open may have written on between the check and the move. Then the file goes back (when its name is
 * still free) and counts as changed.
 */
async function verifiedMove(
	session: SftpSession,
	path: string,
	emitted: EmittedIdentity,
	toDir: string,
	maxFileBytes?: number,
): Promise<{ check: FileCheck; movedTo?: string }> {
	const check = await checkIdentity(session, path, emitted, maxFileBytes);
	if (check !== 'same') return { check };
	await session.mkdirp(toDir);
	const movedTo = await session.move(path, toDir);
	const after = await session.stat(movedTo);
	if (after && after.size === emitted.size && seconds(after.mtimeMs) === emitted.mtime)
		return { check, movedTo };
	const slash = path.lastIndexOf('/');
	if (!(await session.stat(path)))
		await session.move(movedTo, slash > 0 ? path.slice(0, slash) : '.', path.slice(slash + 1));
	return { check: 'changed' };
}

/** Archives or deletes a processed file (nothing for "leave"). */
export async function commitFile(
	session: SftpSession,
	path: string,
	emitted: EmittedIdentity,
	afterProcessing: AfterProcessing,
	options: FileOpOptions = {},
): Promise<{ check: FileCheck; movedTo?: string }> {
	if (afterProcessing.action === 'leave') return { check: 'same' };
	let result: { check: FileCheck; movedTo?: string };
	if (afterProcessing.action === 'move') {
		result = await verifiedMove(session, path, emitted, afterProcessing.dir, options.maxFileBytes);
	} else {
		const check = await checkIdentity(session, path, emitted, options.maxFileBytes);
		if (check === 'same') await session.delete(path);
		result = { check };
	}
	if (result.check === 'same' && options.readyWhen?.kind === 'doneFile')
		await commitDoneFile(session, path, options.readyWhen.template, afterProcessing);
	return result;
}

async function commitDoneFile(
	session: SftpSession,
	path: string,
	template: string,
	afterProcessing: AfterProcessing,
): Promise<void> {
	const slash = path.lastIndexOf('/');
	const dir = slash >= 0 ? path.slice(0, slash) || '/' : '.';
	const marker = `${dir === '/' ? '' : dir}/${doneFileName(template, path.slice(slash + 1))}`;
	if (!(await session.stat(marker))) return;
	if (afterProcessing.action === 'move') await session.move(marker, afterProcessing.dir);
	else if (afterProcessing.action === 'delete') await session.delete(marker);
}

/** Moves a failed file to the failed directory; without one it stays where it is. */
export async function rollbackFile(
	session: SftpSession,
	path: string,
	emitted: EmittedIdentity | undefined,
	failedDir: string | undefined,
	options: FileOpOptions = {},
): Promise<{ check: FileCheck; movedTo?: string }> {
	// A file that could not be read (unsafe name, over the size cap) has no identity: it is never moved.
	if (!failedDir || !emitted) return { check: 'same' };
	return await verifiedMove(session, path, emitted, failedDir, options.maxFileBytes);
}
