/**
 * Checksum file beside a feed: `<name>.sha256` in `sha256sum` format (`<hex>  <name>\n`), so the
 * receiver can run `sha256sum -c`. It is uploaded after the data file, so its presence means the
 * data file is complete.
 */
import { assertPlainFileName } from './fileName';

export function manifestFileName(feedFileName: string): string {
	return `${feedFileName}.sha256`;
}

export function manifestContent(feedFileName: string, sha256: string): Buffer {
	assertPlainFileName(feedFileName);
	if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`"${sha256}" is not a hex SHA-256`);
	return Buffer.from(`${sha256}  ${feedFileName}\n`, 'utf8');
}
