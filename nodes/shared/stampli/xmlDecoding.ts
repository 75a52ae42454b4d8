/**
 * An XML file's bytes as text, piece by piece. The encoding is decided from the first bytes (BOM,
 * XML declaration, else the template); UTF-16/UTF-32 is named and refused; UTF-8 is decoded
 * strictly (a BOM is dropped), with characters split across chunks carried over by the decoder.
 */
import { StampliFileError } from './errors';
import type { TextEncoding } from './templates';
import { describeWideEncoding, wideEncodingError } from './textEncoding';

/** Bytes looked at for a BOM and the XML declaration's encoding. */
const HEAD_BYTES = 200;

const UTF8_NAMES = ['utf-8', 'utf8', 'us-ascii', 'ascii'];
const LATIN1_NAMES = ['iso-8859-1', 'latin1', 'latin-1', 'iso8859-1', 'l1'];

function pickEncoding(head: Buffer, fallback: TextEncoding, file: string): 'utf8' | 'latin1' {
	const wide = describeWideEncoding(head);
	if (wide) throw wideEncodingError(file, wide);
	const hasBom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
	const text = head.subarray(0, HEAD_BYTES).toString('latin1');
	const declared = /^(?:\uFEFF|ï»¿)?\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']/i
		.exec(text)?.[1]
		.toLowerCase();
	let encoding: TextEncoding = fallback;
	if (declared) {
		if (UTF8_NAMES.includes(declared)) encoding = 'utf8';
		else if (LATIN1_NAMES.includes(declared)) encoding = 'latin1';
		else
			throw new StampliFileError({
				file,
				reason: `unsupported XML encoding "${declared}"; use UTF-8 or ISO-8859-1`,
			});
	}
	if (encoding !== 'latin1') return 'utf8';
	if (hasBom)
		throw new StampliFileError({
			file,
			reason:
				'the file starts with a UTF-8 byte-order mark but declares or is configured as Latin-1',
		});
	return 'latin1';
}

function decoderFor(encoding: 'utf8' | 'latin1', file: string): (chunk?: Buffer) => string {
	if (encoding === 'latin1') return (chunk) => (chunk ? chunk.toString('latin1') : '');
	const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
	return (chunk) => {
		try {
			return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
		} catch {
			throw new StampliFileError({
				file,
				reason:
					'the file is not valid UTF-8; if it is Latin-1, declare encoding="ISO-8859-1" or select the Latin-1 encoding',
			});
		}
	};
}

export async function* decodeXml(
	chunks: AsyncIterable<Buffer>,
	fallback: TextEncoding,
	file: string,
): AsyncGenerator<string> {
	const head: Buffer[] = [];
	let headBytes = 0;
	let decode: ((chunk?: Buffer) => string) | undefined;
	const start = (): string => {
		const first = Buffer.concat(head);
		head.length = 0;
		if (first.length === 0) throw new StampliFileError({ file, reason: 'the file is empty' });
		decode = decoderFor(pickEncoding(first, fallback, file), file);
		return decode(first);
	};
	for await (const chunk of chunks) {
		if (decode) {
			yield decode(chunk);
			continue;
		}
		head.push(chunk);
		headBytes += chunk.length;
		if (headBytes >= HEAD_BYTES) yield start();
	}
	if (!decode) yield start();
	yield decode!();
}
