/**
 * Byte-level checks on a file before any parser sees it: UTF-16/UTF-32 recognised and named (not
 * mistaken for Latin-1), UTF-8 validated chunk by chunk, and a cheap scan that tells the CSV reader
 * whether any control character can be in the text at all, so cells are only checked when one is.
 */
import { isUtf8 } from 'node:buffer';
import { StampliFileError } from './errors';
import type { TextEncoding } from './templates';

const UTF8_BOM = [0xef, 0xbb, 0xbf];
/** Bytes looked at to recognise UTF-16 without a byte-order mark. */
const SNIFF_BYTES = 512;

const startsWith = (head: Buffer, bytes: number[]) => bytes.every((b, i) => head[i] === b);

/** Names a UTF-16 or UTF-32 file from its first bytes (BOM, or the zero bytes of ASCII text), else undefined. */
export function describeWideEncoding(head: Buffer): string | undefined {
	if (startsWith(head, [0xff, 0xfe, 0, 0]))
		return 'UTF-32 little-endian (byte-order mark FF FE 00 00)';
	if (startsWith(head, [0, 0, 0xfe, 0xff]))
		return 'UTF-32 big-endian (byte-order mark 00 00 FE FF)';
	if (startsWith(head, [0xff, 0xfe])) return 'UTF-16 little-endian (byte-order mark FF FE)';
	if (startsWith(head, [0xfe, 0xff])) return 'UTF-16 big-endian (byte-order mark FE FF)';
	const pairs = Math.floor(Math.min(head.length, SNIFF_BYTES) / 2);
	if (pairs < 2) return undefined;
	let evenZeros = 0;
	let oddZeros = 0;
	for (let i = 0; i < pairs * 2; i += 2) {
		if (head[i] === 0) evenZeros++;
		if (head[i + 1] === 0) oddZeros++;
	}
	// ASCII text in UTF-16 has a zero in every other byte; text in a one-byte encoding almost never has any.
	if (oddZeros >= pairs * 0.4 && evenZeros <= pairs * 0.05)
		return 'UTF-16 little-endian (no byte-order mark)';
	if (evenZeros >= pairs * 0.4 && oddZeros <= pairs * 0.05)
		return 'UTF-16 big-endian (no byte-order mark)';
	return undefined;
}

export function wideEncodingError(file: string, encoding: string): StampliFileError {
	return new StampliFileError({
		file,
		reason: `the file is encoded as ${encoding}, which is not read here; export it as UTF-8 (or ISO-8859-1 with the Latin-1 encoding selected)`,
	});
}

/** Where an incomplete UTF-8 sequence at the end of `chunk` starts (chunk.length when it ends cleanly). */
function completeUtf8Length(chunk: Buffer): number {
	let at = chunk.length - 1;
	let continuation = 0;
	while (at >= 0 && continuation < 3 && (chunk[at] & 0xc0) === 0x80) {
		at--;
		continuation++;
	}
	if (at < 0) return chunk.length;
	const lead = chunk[at];
	const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
	return chunk.length - at < needed ? at : chunk.length;
}

/** 1 for bytes that are a control character on their own (C0 but tab/LF/CR, DEL), 2 for UTF-8's C1 lead byte 0xC2. */
const CONTROL_BYTES = new Uint8Array(256);
for (let b = 0; b < 32; b++) if (b !== 9 && b !== 10 && b !== 13) CONTROL_BYTES[b] = 1;
CONTROL_BYTES[0x7f] = 1;

/**
 * A scanner telling whether a chunk may hold a control character (C0 but tab/LF/CR, DEL, C1).
 * In Latin-1 the C1 controls are the bytes 0x80–0x9F; in UTF-8 they are 0xC2 0x80–0x9F, a pair
 * that a chunk boundary may cut.
 */
export function controlByteScanner(encoding: TextEncoding): (chunk: Buffer) => boolean {
	const latin1 = encoding === 'latin1';
	let afterC2 = false;
	return (chunk) => {
		let found = false;
		if (afterC2 && chunk.length > 0 && chunk[0] >= 0x80 && chunk[0] <= 0x9f) found = true;
		for (let i = 0; i < chunk.length && !found; i++) {
			const b = chunk[i];
			if (CONTROL_BYTES[b] === 1) found = true;
			else if (
				latin1 ? b >= 0x80 && b <= 0x9f : b === 0xc2 && chunk[i + 1] >= 0x80 && chunk[i + 1] <= 0x9f
			)
				found = true;
		}
		afterC2 = !latin1 && chunk.length > 0 && chunk[chunk.length - 1] === 0xc2;
		return found;
	};
}

/** Gathers the first SNIFF_BYTES (or the whole file when shorter) before anything is yielded. */
async function* withHead(
	chunks: AsyncIterable<Buffer>,
	onHead: (head: Buffer) => void,
): AsyncGenerator<Buffer> {
	const head: Buffer[] = [];
	let size = 0;
	let seen = false;
	for await (const chunk of chunks) {
		if (seen) {
			yield chunk;
			continue;
		}
		head.push(chunk);
		size += chunk.length;
		if (size < SNIFF_BYTES) continue;
		seen = true;
		const first = Buffer.concat(head);
		onHead(first);
		yield first;
	}
	if (!seen && size > 0) {
		const first = Buffer.concat(head);
		onHead(first);
		yield first;
	}
}

/**
 * Passes a CSV file's bytes through while checking the encoding: UTF-16/32 is named; UTF-8 is
 * validated (simdutf, chunk-boundary aware) so a Latin-1 file read as UTF-8 stops with a clear
 * error instead of producing mojibake; a UTF-8 BOM under a Latin-1 setting is refused. `onControl`
 * is called (before the chunk is yielded) when a chunk may hold a control character.
 */
export async function* checkCsvEncoding(
	chunks: AsyncIterable<Buffer>,
	encoding: TextEncoding,
	file: string,
	onControl: () => void,
): AsyncGenerator<Buffer> {
	const mayHoldControl = controlByteScanner(encoding);
	const checkHead = (head: Buffer): void => {
		const wide = describeWideEncoding(head);
		if (wide) throw wideEncodingError(file, wide);
		if (encoding === 'latin1' && startsWith(head, UTF8_BOM))
			throw new StampliFileError({
				file,
				reason:
					'the file starts with a UTF-8 byte-order mark but the Latin-1 encoding is selected; select UTF-8',
			});
	};
	let offset = 0;
	let carry: Buffer | undefined;
	for await (const chunk of withHead(chunks, checkHead)) {
		if (encoding !== 'latin1') {
			const bytes = carry ? Buffer.concat([carry, chunk]) : chunk;
			const complete = completeUtf8Length(bytes);
			if (!isUtf8(bytes.subarray(0, complete))) {
				throw new StampliFileError({
					file,
					reason: `the file is not valid UTF-8 (invalid bytes between offsets ${offset - (carry?.length ?? 0)} and ${offset + chunk.length}); if it is Latin-1 (ISO-8859-1), select the Latin-1 encoding`,
				});
			}
			carry = complete < bytes.length ? Buffer.from(bytes.subarray(complete)) : undefined;
		}
		if (mayHoldControl(chunk)) onControl();
		offset += chunk.length;
		yield chunk;
	}
	if (carry)
		throw new StampliFileError({
			file,
			reason: 'the file is not valid UTF-8 (it ends inside a multi-byte character)',
		});
}
