import {
	fingerprintsEqual,
	hostKeyFingerprint,
	isTransientError,
	HostKeyMismatchError,
	normalizeFingerprint,
	SftpAuthError,
	sftpConfigFromCredential,
	withBackoff,
} from '../../../nodes/shared/sftp';

describe('fingerprints', () => {
	const fp = hostKeyFingerprint(Buffer.from('some host key blob'));
	it('prints like ssh-keygen: SHA256 prefix, base64 without padding', () => {
		expect(fp).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
	});
	it('compares prefix- and padding-insensitively', () => {
		expect(fingerprintsEqual(fp, fp.slice('SHA256:'.length) + '=')).toBe(true);
		expect(fingerprintsEqual(fp, `  sha256:${fp.slice(7)} `)).toBe(true);
		expect(fingerprintsEqual(fp, hostKeyFingerprint(Buffer.from('other')))).toBe(false);
	});
	it('rejects a value that is not a SHA256 fingerprint', () => {
		expect(() => normalizeFingerprint('MD5:aa:bb')).toThrow(/SHA256/);
		expect(normalizeFingerprint('  ')).toBeUndefined();
	});
});

describe('backoff', () => {
	it('retries transient errors with growing delays, then succeeds', async () => {
		const delays: number[] = [];
		let calls = 0;
		const result = await withBackoff(
			async () => {
				if (++calls < 3) throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
				return 'ok';
			},
			{ attempts: 5, initialDelayMs: 100, sleep: async (ms) => void delays.push(ms) },
		);
		expect(result).toBe('ok');
		expect(calls).toBe(3);
		expect(delays[0]).toBeGreaterThanOrEqual(50);
		expect(delays[0]).toBeLessThanOrEqual(100);
		expect(delays[1]).toBeGreaterThanOrEqual(100);
		expect(delays[1]).toBeLessThanOrEqual(200);
	});

	it('is bounded, and never retries auth or host-key failures', async () => {
		let calls = 0;
		const transient = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
		await expect(
			withBackoff(
				async () => {
					calls++;
					throw transient;
				},
				{ attempts: 3, sleep: async () => undefined },
			),
		).rejects.toBe(transient);
		expect(calls).toBe(3);
		for (const error of [
			new SftpAuthError('h', 'u'),
			new HostKeyMismatchError('h', 'SHA256:a', 'SHA256:b'),
		]) {
			calls = 0;
			await expect(
				withBackoff(
					async () => {
						calls++;
						throw error;
					},
					{ attempts: 3, sleep: async () => undefined },
				),
			).rejects.toBe(error);
			expect(calls).toBe(1);
		}
		expect(
			isTransientError(Object.assign(new Error('x'), { level: 'client-authentication' })),
		).toBe(false);
	});
});

describe('sftpConfigFromCredential', () => {
	it('maps the credential, defaulting the port and keeping secrets out of errors', () => {
		const config = sftpConfigFromCredential({
			host: 'sftp.stampli.com',
			username: 'acme',
			password: 's3cret!',
			inboundDir: '/in',
			outboundDir: '/out',
			hostKeySha256: 'A'.repeat(43),
		});
		expect(config).toMatchObject({
			host: 'sftp.stampli.com',
			port: 22,
			hostKeySha256: `SHA256:${'A'.repeat(43)}`,
			skipHostKeyVerification: false,
		});
		try {
			sftpConfigFromCredential({ host: 'h', username: 'u', password: 's3cret!', port: 'abc' });
			throw new Error('should have thrown');
		} catch (error) {
			expect((error as Error).message).toMatch(/invalid port/);
			expect((error as Error).message).not.toContain('s3cret!');
		}
		expect(() => sftpConfigFromCredential({ host: 'h', username: 'u' })).toThrow(
			/password or a private key/,
		);
	});

	it('makes a single attempt when no timer is injected (the core keeps none of its own)', async () => {
		let calls = 0;
		const transient = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
		await expect(
			withBackoff(
				async () => {
					calls++;
					throw transient;
				},
				{ attempts: 5 },
			),
		).rejects.toBe(transient);
		expect(calls).toBe(1);
	});
});
