/**
 * The file operations that end a file's turn: commit (archive or delete once its run succeeded) and
 * rollback (set aside in the failed directory for the replay workflow).
 */
import type { SftpSession } from '../sftp/session';
import type { ListedFile } from './ledger';
import { message } from './read';
import type { AfterProcessing, FileOutcome } from './types';

/** Archives or deletes a processed file that is still there. */
export async function commitFile(
	session: SftpSession,
	path: string,
	afterProcessing: AfterProcessing,
): Promise<void> {
	if (afterProcessing.action === 'leave' || !(await session.stat(path))) return;
	if (afterProcessing.action === 'move') {
		await session.mkdirp(afterProcessing.dir);
		await session.move(path, afterProcessing.dir);
	} else {
		await session.delete(path);
	}
}

/** Moves a file to the failed directory; undefined when there is none or the file is gone. */
export async function rollbackFile(
	session: SftpSession,
	path: string,
	failedDir: string | undefined,
): Promise<string | undefined> {
	if (!failedDir || !(await session.stat(path))) return undefined;
	await session.mkdirp(failedDir);
	return await session.move(path, failedDir);
}

/** After-processing of a file whose run is not followed: archive/delete when processed, failed dir otherwise. */
export async function afterEmit<R>(
	session: SftpSession,
	file: ListedFile,
	outcome: FileOutcome<R>,
	options: { afterProcessing: AfterProcessing; failedDir?: string },
): Promise<{ file: string; reason: string } | undefined> {
	try {
		if (outcome.status !== 'processed') {
			// Only a file that was read (hashed) is set aside; an unsafe name or an oversized file stays put.
			if (options.failedDir && outcome.sha256) {
				await session.mkdirp(options.failedDir);
				await session.move(file.path, options.failedDir);
			}
			return undefined;
		}
		if (options.afterProcessing.action === 'move') {
			await session.mkdirp(options.afterProcessing.dir);
			await session.move(file.path, options.afterProcessing.dir);
		} else if (options.afterProcessing.action === 'delete') {
			await session.delete(file.path);
		}
		return undefined;
	} catch (error) {
		return { file: file.path, reason: message(error) };
	}
}
