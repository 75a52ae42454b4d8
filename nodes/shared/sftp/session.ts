// This module must not import n8n-workflow (package rule); the nodes wrap its errors in NodeApiError/NodeOperationError.
import { createHash, randomBytes } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import SftpClient from 'ssh2-sftp-client';
import type { SFTPWrapper, Stats } from 'ssh2';
import { withBackoff, type BackoffOptions } from './backoff';
import type { SftpConfig } from './config';
import { HostKeyMismatchError, HostKeyNotPinnedError, SftpAuthError, SftpError } from './errors';
import { fingerprintsEqual, hostKeyFingerprint, normalizeFingerprint } from './hostKey';
import { assertSafeName, globToRegExp, remoteBasename, safeRemoteJoin } from './names';

export interface RemoteFile {
	name: string;
	path: string;
	size: number;
	/** Modification time in ms (SFTP carries whole seconds). */
	mtimeMs: number;
}

export interface UploadResult {
	path: string;
	bytes: number;
	/** Hex SHA-256 of the bytes written. */
	sha256: string;
}

export type ConnectOptions = Pick<
	BackoffOptions,
	'attempts' | 'initialDelayMs' | 'maxDelayMs' | 'onRetry' | 'sleep'
>;

export interface SftpSession {
	readonly config: Readonly<Omit<SftpConfig, 'password' | 'privateKey' | 'passphrase'>>;
	/** The fingerprint the server presented, `SHA256:…`. */
	readonly serverFingerprint: string;
	/** SFTP requests issued so far (each one waits for a server reply); data transfers count per 32 KiB chunk. */
	readonly roundTrips: number;
	/** Regular files in `dir`, optionally filtered by a file-name glob. Sorted by mtime, then name. */
	list(dir: string, pattern?: string): Promise<RemoteFile[]>;
	/** Whole file; refuses files larger than `maxBytes` (default 256 MiB) before reading them. */
	read(path: string, maxBytes?: number): Promise<Buffer>;
	/**
	 * The file as a stream that hashes (SHA-256) and counts its bytes on the way through, with the size
	 * cap as a streaming guard (an EFBIG error when the file is, or grows, over `maxBytes`): one pass
	 * serves both the ledger's hash and the parser, and nothing holds the whole file.
	 */
	readStream(path: string, maxBytes?: number): Promise<HashedReadStream>;
	createReadStream(path: string): Readable;
	/** Up to `bytes` bytes from offset `start` (fewer at the end of the file): a cheap look at a file's head or tail. */
	readRange(path: string, start: number, bytes: number): Promise<Buffer>;
	/** The server's canonical absolute path (symlinks and `..` resolved); ENOENT when it does not exist. */
	realPath(path: string): Promise<string>;
	stat(path: string): Promise<RemoteFile | undefined>;
	/** Writes to `.name.<random>.tmp` in `dir`, then renames over `name` (POSIX rename): readers never see a partial file. */
	uploadAtomic(dir: string, name: string, source: Buffer | Readable): Promise<UploadResult>;
	/** Moves a file into `toDir`, keeping its name unless `newName` is given; replaces an existing file of that name. */
	move(from: string, toDir: string, newName?: string): Promise<string>;
	delete(path: string): Promise<void>;
	/** Sets access and modification time to now, so a poller sees the file as changed. */
	touch(path: string): Promise<void>;
	mkdirp(dir: string): Promise<void>;
	close(): Promise<void>;
}

/**
 * Bytes pass through unchanged while their SHA-256 and count accumulate; more than `maxBytes`
 * fails the stream with EFBIG. `sha256` is known once the stream has ended.
 */
export class HashedReadStream extends Transform {
	private readonly hash = createHash('sha256');
	private digest?: string;
	bytes = 0;
	/** The first read error (connection trouble, EFBIG), kept so a consumer can tell it from its own errors. */
	readError?: SftpError;

	constructor(
		readonly path: string,
		private readonly maxBytes: number,
	) {
		super();
	}

	override _transform(
		chunk: Buffer,
		_encoding: BufferEncoding,
		callback: (error?: Error | null, data?: Buffer) => void,
	): void {
		this.bytes += chunk.length;
		if (this.bytes > this.maxBytes) {
			this.readError ??= new SftpError(
				`File ${this.path} grew over the limit of ${this.maxBytes} bytes while being read`,
				'EFBIG',
			);
			callback(this.readError);
			return;
		}
		this.hash.update(chunk);
		callback(null, chunk);
	}

	override _flush(callback: (error?: Error | null) => void): void {
		this.digest = this.hash.digest('hex');
		callback();
	}

	/** Hex SHA-256 of the whole file; undefined until every byte went through. */
	get sha256(): string | undefined {
		return this.digest;
	}
}

const CHUNK = 32 * 1024;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

function promisify<T>(
	fn: (cb: (err: Error | undefined | null, value?: T) => void) => void,
): Promise<T> {
	return new Promise<T>((resolve, reject) =>
		fn((err, value) => (err ? reject(err) : resolve(value as T))),
	);
}

/** Adds the remote path to an SFTP status error so the user knows which file failed. */
function withPath(error: unknown, op: string, path: string): SftpError {
	const e = error as { message?: string; code?: unknown };
	const code =
		typeof e?.code === 'number'
			? ({ 2: 'ENOENT', 3: 'EACCES', 4: 'EFAILURE' } as Record<number, string>)[e.code]
			: String(e?.code ?? '');
	const wrapped = new SftpError(
		`SFTP ${op} ${path} failed: ${e?.message ?? String(error)}`,
		code || undefined,
	);
	(wrapped as { cause?: unknown }).cause = error;
	return wrapped;
}

class Session implements SftpSession {
	private trips = 0;
	private readonly openStreams = new Set<{ destroy(error?: Error): void }>();
	/** Rejecters of in-flight uploads: ssh2 cannot finish destroying a stream once the channel is gone. */
	private readonly onDrop = new Set<(error: Error) => void>();
	private closed = false;

	constructor(
		private readonly client: SftpClient,
		private readonly sftp: SFTPWrapper,
		readonly config: SftpSession['config'],
		readonly serverFingerprint: string,
	) {
		// Without these, a dropped connection surfaces as an unhandled 'error' event and pending streams hang.
		sftp.on('error', () => undefined);
		sftp.on('close', () => {
			this.closed = true;
			const error = new SftpError(`SFTP connection to ${config.host} closed`, 'ECONNRESET');
			for (const reject of this.onDrop) reject(error);
			this.onDrop.clear();
			for (const stream of this.openStreams) stream.destroy(error);
			this.openStreams.clear();
		});
	}

	get roundTrips(): number {
		return this.trips;
	}

	private async call<T>(
		op: string,
		path: string,
		fn: (cb: (err: Error | undefined | null, value?: T) => void) => void,
	): Promise<T> {
		// ssh2 never calls back on a closed channel: fail fast instead of hanging.
		if (this.closed)
			throw new SftpError(
				`SFTP ${op} ${path} failed: connection to ${this.config.host} is closed`,
				'ECONNRESET',
			);
		this.trips++;
		try {
			return await promisify(fn);
		} catch (error) {
			throw withPath(error, op, path);
		}
	}

	async list(dir: string, pattern?: string): Promise<RemoteFile[]> {
		const match = globToRegExp(pattern);
		const handle = await this.call<Buffer>('opendir', dir, (cb) => this.sftp.opendir(dir, cb));
		const files: RemoteFile[] = [];
		try {
			// Bounded: a directory read ends at EOF; the cap only guards against a misbehaving server.
			for (let page = 0; page < 1_000_000; page++) {
				if (this.closed)
					throw new SftpError(
						`SFTP readdir ${dir} failed: connection to ${this.config.host} is closed`,
						'ECONNRESET',
					);
				this.trips++;
				const entries = await new Promise<Array<{ filename: string; attrs: Stats }> | undefined>(
					(resolve, reject) =>
						this.sftp.readdir(handle, (err: (Error & { code?: number }) | undefined, list) =>
							err
								? err.code === 1
									? resolve(undefined)
									: reject(withPath(err, 'readdir', dir))
								: resolve(list as never),
						),
				);
				if (!entries) break;
				for (const entry of entries) {
					if (((entry.attrs.mode ?? 0) & S_IFMT) !== S_IFREG) continue;
					if (!match.test(entry.filename)) continue;
					files.push({
						name: entry.filename,
						path: dir.endsWith('/') ? dir + entry.filename : `${dir}/${entry.filename}`,
						size: Number(entry.attrs.size ?? 0),
						mtimeMs: Number(entry.attrs.mtime ?? 0) * 1000,
					});
				}
			}
		} finally {
			await this.call('close', dir, (cb) => this.sftp.close(handle, cb)).catch(() => undefined);
		}
		return files.sort(
			(a, b) => a.mtimeMs - b.mtimeMs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
		);
	}

	async stat(path: string): Promise<RemoteFile | undefined> {
		try {
			const attrs = await this.call<Stats>('stat', path, (cb) => this.sftp.stat(path, cb));
			return {
				name: remoteBasename(path),
				path,
				size: Number(attrs.size ?? 0),
				mtimeMs: Number(attrs.mtime ?? 0) * 1000,
			};
		} catch (error) {
			if ((error as SftpError).code === 'ENOENT') return undefined;
			throw error;
		}
	}

	async read(path: string, maxBytes = 256 * 1024 * 1024): Promise<Buffer> {
		const info = await this.stat(path);
		if (!info) throw new SftpError(`SFTP read ${path} failed: no such file`, 'ENOENT');
		if (info.size > maxBytes) {
			throw new SftpError(
				`File ${path} is ${info.size} bytes, over the limit of ${maxBytes} bytes`,
				'EFBIG',
			);
		}
		const chunks: Buffer[] = [];
		let total = 0;
		const stream = this.createReadStream(path);
		for await (const chunk of stream) {
			total += (chunk as Buffer).length;
			// The file may grow between stat and read; never hold more than the limit.
			if (total > maxBytes) {
				stream.destroy();
				throw new SftpError(
					`File ${path} grew over the limit of ${maxBytes} bytes while being read`,
					'EFBIG',
				);
			}
			chunks.push(chunk as Buffer);
		}
		return Buffer.concat(chunks, total);
	}

	async readStream(path: string, maxBytes = 256 * 1024 * 1024): Promise<HashedReadStream> {
		const info = await this.stat(path);
		if (!info) throw new SftpError(`SFTP read ${path} failed: no such file`, 'ENOENT');
		if (info.size > maxBytes) {
			throw new SftpError(
				`File ${path} is ${info.size} bytes, over the limit of ${maxBytes} bytes`,
				'EFBIG',
			);
		}
		const hashed = new HashedReadStream(path, maxBytes);
		const source = this.createReadStream(path);
		source.once('error', (error) => {
			hashed.readError ??= withPath(error, 'read', path);
			hashed.destroy(hashed.readError);
		});
		// A consumer that stops early (a parse error) destroys the hashed stream; the remote read stops too.
		hashed.once('close', () => source.destroy());
		source.pipe(hashed);
		return hashed;
	}

	async readRange(path: string, start: number, bytes: number): Promise<Buffer> {
		const from = Math.max(0, Math.floor(start));
		const length = Math.max(0, Math.floor(bytes));
		if (length === 0) return Buffer.alloc(0);
		this.trips += 3;
		const stream = this.sftp.createReadStream(path, { start: from, end: from + length - 1 });
		this.openStreams.add(stream);
		// The remote handle is closed after the last byte; a failure of that close must not go unhandled.
		stream.on('error', () => undefined);
		const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
		const chunks: Buffer[] = [];
		try {
			for await (const chunk of stream) chunks.push(chunk as Buffer);
			await closed;
		} catch (error) {
			throw withPath(error, 'read', path);
		} finally {
			this.openStreams.delete(stream);
		}
		return Buffer.concat(chunks);
	}

	async realPath(path: string): Promise<string> {
		return await this.call<string>('realpath', path, (cb) => this.sftp.realpath(path, cb));
	}

	createReadStream(path: string): Readable {
		// open + close, plus one request per chunk as data flows.
		this.trips += 2;
		const stream = this.sftp.createReadStream(path, { highWaterMark: CHUNK });
		this.openStreams.add(stream);
		stream.on('data', () => this.trips++);
		stream.once('close', () => this.openStreams.delete(stream));
		// Kept for the stream's life: a second error (e.g. closing the remote handle) must never go unhandled.
		stream.on('error', () => this.openStreams.delete(stream));
		return stream;
	}

	async uploadAtomic(dir: string, name: string, source: Buffer | Readable): Promise<UploadResult> {
		const finalPath = safeRemoteJoin(dir, name);
		// The temp name derives from the (already validated) final name plus randomness, never from other remote data.
		const tempPath = safeRemoteJoin(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
		const hash = createHash('sha256');
		let bytes = 0;
		const meter = new Transform({
			transform: (chunk: Buffer, _enc, cb) => {
				hash.update(chunk);
				bytes += chunk.length;
				this.trips++;
				cb(null, chunk);
			},
		});
		this.trips += 2;
		const sink = this.sftp.createWriteStream(tempPath, { flags: 'w', mode: 0o644 });
		this.openStreams.add(sink);
		const closed = new Promise<void>((resolve, reject) => {
			sink.once('close', () => resolve());
			sink.once('error', reject);
		});
		// Observed through pipeline() on failure; never an unhandled rejection.
		closed.catch(() => undefined);
		const input = Buffer.isBuffer(source) ? Readable.from([source]) : source;
		let rejectOnDrop: (error: Error) => void = () => undefined;
		const dropped = new Promise<never>((_, reject) => (rejectOnDrop = reject));
		dropped.catch(() => undefined);
		this.onDrop.add(rejectOnDrop);
		try {
			await Promise.race([pipeline(input, meter, sink), dropped]);
			// ssh2 emits 'finish' before the remote handle is closed; rename only after the close is acknowledged.
			if (!(sink as unknown as { isClosed?: boolean }).isClosed) await closed;
			await this.rename(tempPath, finalPath);
		} catch (error) {
			input.destroy();
			sink.destroy();
			// Best effort: when the connection itself dropped, a dot-named temp file may remain; never the final name.
			await this.call('remove', tempPath, (cb) => this.sftp.unlink(tempPath, cb)).catch(
				() => undefined,
			);
			throw error instanceof SftpError ? error : withPath(error, 'upload', finalPath);
		} finally {
			this.openStreams.delete(sink);
			this.onDrop.delete(rejectOnDrop);
		}
		return { path: finalPath, bytes, sha256: hash.digest('hex') };
	}

	/** POSIX rename (replaces the target atomically) when the server offers it, as OpenSSH does. */
	private async rename(from: string, to: string): Promise<void> {
		const extensions =
			(this.sftp as unknown as { _extensions?: Record<string, string> })._extensions ?? {};
		if (extensions['posix-rename@openssh.com']) {
			await this.call('rename', `${from} → ${to}`, (cb) =>
				this.sftp.ext_openssh_rename(from, to, cb),
			);
			return;
		}
		// Plain SFTP rename refuses an existing target: remove it first (not atomic, but the best the server allows).
		await this.call('remove', to, (cb) => this.sftp.unlink(to, cb)).catch(() => undefined);
		await this.call('rename', `${from} → ${to}`, (cb) => this.sftp.rename(from, to, cb));
	}

	async move(from: string, toDir: string, newName?: string): Promise<string> {
		const target = safeRemoteJoin(toDir, newName ?? assertSafeName(remoteBasename(from)));
		await this.rename(from, target);
		return target;
	}

	async delete(path: string): Promise<void> {
		await this.call('delete', path, (cb) => this.sftp.unlink(path, cb));
	}

	async touch(path: string): Promise<void> {
		const now = new Date();
		await this.call('touch', path, (cb) => this.sftp.utimes(path, now, now, cb));
	}

	async mkdirp(dir: string): Promise<void> {
		const parts = dir.split('/').filter(Boolean);
		let current = dir.startsWith('/') ? '' : '.';
		for (const part of parts) {
			if (part === '..')
				throw new SftpError(`Refusing directory path with "..": ${dir}`, 'UNSAFE_NAME');
			current = current === '' ? `/${part}` : `${current}/${part}`;
			const path = current;
			const attrs = await this.call<Stats>('stat', path, (cb) => this.sftp.stat(path, cb)).catch(
				(error: SftpError) => {
					if (error.code === 'ENOENT') return undefined;
					throw error;
				},
			);
			if (attrs && ((attrs.mode ?? 0) & S_IFMT) !== S_IFDIR)
				throw new SftpError(`${path} exists and is not a directory`, 'ENOTDIR');
			if (!attrs) await this.call('mkdir', path, (cb) => this.sftp.mkdir(path, cb));
		}
	}

	async close(): Promise<void> {
		await this.client.end().catch(() => undefined);
	}
}

/**
 * Opens an SFTP session with the server's host key checked against the pinned SHA256 fingerprint.
 * Transient network failures are retried with bounded exponential backoff; authentication and
 * host-key failures are not (retrying cannot fix them and could lock the account).
 */
export async function connectSftp(
	config: SftpConfig,
	options: ConnectOptions = {},
): Promise<SftpSession> {
	const pinned = config.skipHostKeyVerification
		? undefined
		: normalizeFingerprint(config.hostKeySha256);
	return await withBackoff(async () => {
		let presented = '';
		let refusal: Error | undefined;
		// No console chatter from the library's global listeners: errors reach us through connect()'s promise.
		const noop = () => undefined;
		const client = new SftpClient('stampli', { error: noop, end: noop, close: noop });
		try {
			const sftp = (await client.connect({
				host: config.host,
				port: config.port,
				username: config.username,
				password: config.password,
				privateKey: config.privateKey,
				passphrase: config.passphrase,
				readyTimeout: config.readyTimeoutMs ?? 20_000,
				keepaliveInterval: 10_000,
				hostVerifier: (key: Buffer) => {
					presented = hostKeyFingerprint(key);
					if (config.skipHostKeyVerification) return true;
					if (!pinned) {
						refusal = new HostKeyNotPinnedError(config.host, presented);
						return false;
					}
					if (!fingerprintsEqual(pinned, presented)) {
						refusal = new HostKeyMismatchError(config.host, pinned, presented);
						return false;
					}
					return true;
				},
			} as SftpClient.ConnectOptions)) as unknown as SFTPWrapper;
			// Request/response traffic: Nagle + delayed ACK would add ~40 ms to every SFTP round trip.
			(client as unknown as { client: { setNoDelay(on: boolean): void } }).client.setNoDelay(true);
			const { password: _p, privateKey: _k, passphrase: _s, ...publicConfig } = config;
			return new Session(client, sftp, publicConfig, presented);
		} catch (error) {
			await client.end().catch(() => undefined);
			if (refusal) throw refusal;
			const e = error as { level?: string; message?: string };
			if (
				e?.level === 'client-authentication' ||
				/All configured authentication methods failed/i.test(e?.message ?? '')
			) {
				throw new SftpAuthError(`${config.host}:${config.port}`, config.username);
			}
			throw error;
		}
	}, options);
}
