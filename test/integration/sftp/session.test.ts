/** SFTP session behaviour against a real OpenSSH sshd: host-key pinning, credential test, safe names, atomic upload. */
import { Readable } from 'node:stream';
import { readdirSync, readFileSync } from 'node:fs';
import { useSshd } from '../../fixtures/sshd';
import {
	connectSftp,
	HostKeyMismatchError,
	HostKeyNotPinnedError,
	SftpAuthError,
	testSftpConnection,
	UnsafeRemoteNameError,
	type SftpConfig,
} from '../../../nodes/shared/sftp';

jest.setTimeout(30_000);

describe('SFTP session against a real sshd', () => {
	const sshd = useSshd();
	const config = (over: Partial<SftpConfig> = {}): SftpConfig => {
		const f = sshd();
		return {
			host: f.host,
			port: f.port,
			username: f.username,
			password: f.password,
			hostKeySha256: f.hostKeySha256,
			inboundDir: f.inboundDir,
			outboundDir: f.outboundDir,
			...over,
		};
	};

	describe('testSftpConnection (the credential test)', () => {
		it('passes with the right fingerprint, by password and by key', async () => {
			const byPassword = await testSftpConnection(config());
			expect(byPassword).toMatchObject({ ok: true, serverFingerprint: sshd().hostKeySha256 });
			expect(byPassword.message).toContain('verified');
			const byKey = await testSftpConnection(
				config({ password: undefined, privateKey: sshd().privateKey }),
			);
			expect(byKey.ok).toBe(true);
		});

		it('refuses a wrong fingerprint, naming both fingerprints and no secret', async () => {
			const wrong = 'SHA256:' + 'B'.repeat(43);
			const result = await testSftpConnection(config({ hostKeySha256: wrong }));
			expect(result.ok).toBe(false);
			expect(result.message).toContain(wrong);
			expect(result.message).toContain(sshd().hostKeySha256);
			expect(result.message).not.toContain(sshd().password);
			await expect(
				connectSftp(config({ hostKeySha256: wrong }), { attempts: 3 }),
			).rejects.toBeInstanceOf(HostKeyMismatchError);
		});

		it('refuses to connect unpinned unless explicitly skipped, telling the presented fingerprint', async () => {
			await expect(connectSftp(config({ hostKeySha256: undefined }))).rejects.toThrow(
				HostKeyNotPinnedError,
			);
			const result = await testSftpConnection(config({ hostKeySha256: undefined }));
			expect(result.message).toContain(sshd().hostKeySha256);
			const skipped = await testSftpConnection(
				config({ hostKeySha256: undefined, skipHostKeyVerification: true }),
			);
			expect(skipped.ok).toBe(true);
			expect(skipped.message).toMatch(/NOT verified/);
		});

		it('refuses a wrong password without retrying and without echoing it', async () => {
			let retries = 0;
			await expect(
				connectSftp(config({ password: 'wrong-password-123' }), {
					attempts: 3,
					onRetry: () => retries++,
				}),
			).rejects.toBeInstanceOf(SftpAuthError);
			expect(retries).toBe(0);
			const result = await testSftpConnection(config({ password: 'wrong-password-123' }));
			expect(result.ok).toBe(false);
			expect(result.message).toMatch(/Authentication failed/);
			expect(result.message).not.toContain('wrong-password-123');
		});

		it('reports a missing directory by name', async () => {
			const result = await testSftpConnection(config({ outboundDir: '/no/such/dir' }));
			expect(result.ok).toBe(false);
			expect(result.message).toMatch(/outbound directory \/no\/such\/dir cannot be listed/);
		});
	});

	it('retries a refused connection with backoff, boundedly', async () => {
		const delays: number[] = [];
		await expect(
			connectSftp(config({ port: 1 }), {
				attempts: 3,
				initialDelayMs: 1,
				sleep: async (ms) => void delays.push(ms),
			}),
		).rejects.toMatchObject({ code: 'ECONNREFUSED' });
		expect(delays).toHaveLength(2);
	});

	it('refuses ../ and control-character names for uploads and archive moves', async () => {
		const f = sshd();
		const session = await connectSftp(config());
		try {
			await session.mkdirp(`${f.outboundDir}/names/archive`);
			await expect(
				session.uploadAtomic(`${f.outboundDir}/names`, '../../escape.csv', Buffer.from('x')),
			).rejects.toBeInstanceOf(UnsafeRemoteNameError);
			await expect(
				session.uploadAtomic(`${f.outboundDir}/names`, 'a\nb.csv', Buffer.from('x')),
			).rejects.toBeInstanceOf(UnsafeRemoteNameError);
			f.writeFile(`${f.outboundDir}/names/ok.csv`, 'x');
			await expect(
				session.move(
					`${f.outboundDir}/names/ok.csv`,
					`${f.outboundDir}/names/archive`,
					'../../../x',
				),
			).rejects.toBeInstanceOf(UnsafeRemoteNameError);
			expect(readdirSync(f.localPath(`${f.outboundDir}/names`)).sort()).toEqual([
				'archive',
				'ok.csv',
			]);
			expect(readdirSync(f.root).sort()).toEqual(['inbound', 'outbound']);
		} finally {
			await session.close();
		}
	});

	it('uploads atomically: replaces an existing file, and a failing stream leaves neither a partial final file nor a temp file', async () => {
		const f = sshd();
		const dir = `${f.inboundDir}/atomic`;
		const session = await connectSftp(config());
		try {
			await session.mkdirp(dir);
			const first = await session.uploadAtomic(dir, 'vendors.csv', Buffer.from('v1\n'));
			expect(first).toMatchObject({ path: `${dir}/vendors.csv`, bytes: 3 });
			await session.uploadAtomic(dir, 'vendors.csv', Buffer.from('version two\n'));
			expect(readFileSync(f.localPath(`${dir}/vendors.csv`), 'utf8')).toBe('version two\n');

			// A source that errors after 1 MiB: the old file must stay intact and no temp file may remain.
			let sent = 0;
			const failing = new Readable({
				read() {
					if (sent >= 1024 * 1024) {
						this.destroy(new Error('source broke mid-stream'));
						return;
					}
					sent += 64 * 1024;
					this.push(Buffer.alloc(64 * 1024, 65));
				},
			});
			await expect(session.uploadAtomic(dir, 'vendors.csv', failing)).rejects.toThrow(
				/source broke mid-stream/,
			);
			expect(readFileSync(f.localPath(`${dir}/vendors.csv`), 'utf8')).toBe('version two\n');
			expect(readdirSync(f.localPath(dir))).toEqual(['vendors.csv']);

			// A new name never appears before the upload completes.
			await expect(
				session.uploadAtomic(
					dir,
					'new.csv',
					new Readable({
						read() {
							this.destroy(new Error('dropped'));
						},
					}),
				),
			).rejects.toThrow(/dropped/);
			expect(readdirSync(f.localPath(dir))).toEqual(['vendors.csv']);
		} finally {
			await session.close();
		}
	});

	it('an upload killed with the connection leaves no file under the final name', async () => {
		const f = sshd();
		const dir = `${f.inboundDir}/killed`;
		const session = await connectSftp(config());
		await session.mkdirp(dir);
		let chunks = 0;
		const endless = new Readable({
			read() {
				// Kill the connection once data is flowing; bounded in any case.
				if (++chunks === 20) void session.close();
				this.push(chunks > 10_000 ? null : Buffer.alloc(32 * 1024, 66));
			},
		});
		await expect(session.uploadAtomic(dir, 'feed.csv', endless)).rejects.toThrow();
		expect(readdirSync(f.localPath(dir)).filter((n) => n === 'feed.csv')).toEqual([]);
	});
});
