/**
 * The file's bytes as a stream of chunks, hashed and size-checked on the way through, so the
 * SHA-256 costs no second pass and an oversized file is refused before it is all read.
 */
import { createHash } from 'node:crypto';
import { StampliFileError } from './errors';

const BUFFER_SLICE = 64 * 1024;

/** A stream that hashes its own bytes on the way (e.g. the SFTP read stream): its digest is reused, not recomputed. */
interface PrehashedStream {
	readonly sha256: string | undefined;
}

const isPrehashed = (
	data: Buffer | NodeJS.ReadableStream,
): data is NodeJS.ReadableStream & PrehashedStream => !Buffer.isBuffer(data) && 'sha256' in data;

const inputErrors = new WeakSet<object>();

/** True for an error thrown by the input stream itself (not by reading the file's content). */
export function isInputError(error: unknown): boolean {
	return error !== null && typeof error === 'object' && inputErrors.has(error);
}

export class ByteSource {
	private readonly hash = createHash('sha256');
	/** Set when the input already hashes its bytes; then this source does not hash them again. */
	private readonly upstream?: PrehashedStream;
	bytes = 0;
	private digest?: string;

	constructor(
		private readonly file: string,
		private readonly data: Buffer | NodeJS.ReadableStream,
		private readonly maxBytes: number,
	) {
		if (isPrehashed(data)) this.upstream = data;
	}

	/** Hex SHA-256 of every byte read; only complete once the chunks are exhausted. */
	get sha256(): string {
		if (this.upstream) {
			const digest = this.upstream.sha256;
			if (digest === undefined)
				throw new Error(`${this.file}: the stream's SHA-256 was asked for before the stream ended`);
			return digest;
		}
		this.digest ??= this.hash.digest('hex');
		return this.digest;
	}

	async *chunks(): AsyncGenerator<Buffer> {
		if (Buffer.isBuffer(this.data)) {
			// A Buffer is fed in slices so the parsers see the same chunked input as from SFTP.
			for (let offset = 0; offset < this.data.length; offset += BUFFER_SLICE)
				yield this.take(this.data.subarray(offset, offset + BUFFER_SLICE));
			if (this.data.length === 0) this.take(this.data);
			return;
		}
		const iterator = (this.data as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
		let done = false;
		try {
			for (;;) {
				let next: IteratorResult<Buffer | string>;
				try {
					next = await iterator.next();
				} catch (error) {
					done = true;
					// The input failed (a dropped connection), not the file: callers must not report it as a bad file.
					if (error !== null && typeof error === 'object') inputErrors.add(error);
					throw error;
				}
				if (next.done) {
					done = true;
					return;
				}
				const chunk = next.value;
				yield this.take(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
			}
		} finally {
			if (!done) await iterator.return?.();
		}
	}

	private take(chunk: Buffer): Buffer {
		this.bytes += chunk.length;
		if (this.bytes > this.maxBytes) {
			throw new StampliFileError({
				file: this.file,
				reason: `file is larger than the ${this.maxBytes}-byte limit (maxBytes); refusing to read further`,
			});
		}
		if (!this.upstream) this.hash.update(chunk);
		return chunk;
	}
}

/** Replays a first chunk (read to sniff the format) in front of the rest. */
export async function* prepend(
	first: Buffer | undefined,
	rest: AsyncIterator<Buffer>,
): AsyncGenerator<Buffer> {
	if (first) yield first;
	for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}
