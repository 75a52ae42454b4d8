/** Listed files for the ledger and read-lock tests, at a fixed time. */
import type { ListedFile } from '../../../nodes/shared/inbox';

export const T0 = Date.UTC(2026, 10, 20, 10, 0, 0);
export const SETTLE = 30_000;

export const file = (name: string, size: number, mtimeMs: number): ListedFile => ({
	name,
	path: `/out/${name}`,
	size,
	mtimeMs,
});
