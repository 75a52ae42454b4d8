/**
 * The plain OpenSSH `sftp` client in batch mode against the sshd fixture, with the fixture's client
 * key and the host key pinned in a private known_hosts (StrictHostKeyChecking=yes): the reference
 * client for "what does an ordinary SFTP user see", and the throughput baseline for the bench.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SshdFixture } from '../../fixtures/sshd';

export interface BatchResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

export interface OpenSshSftp {
	/** Runs sftp commands (one per line) in batch mode; a failing command fails the batch. */
	batch(commands: string[], timeoutMs?: number): Promise<BatchResult>;
	cleanup(): void;
}

export function openSshSftp(fixture: SshdFixture): OpenSshSftp {
	const dir = mkdtempSync(join(tmpdir(), 'stampli-openssh-'));
	const keyFile = join(dir, 'id_ed25519');
	writeFileSync(
		keyFile,
		fixture.privateKey.endsWith('\n') ? fixture.privateKey : `${fixture.privateKey}\n`,
		{ mode: 0o600 },
	);
	const knownHosts = join(dir, 'known_hosts');
	const scanned = execFileSync(
		'ssh-keyscan',
		['-p', String(fixture.port), '-t', 'ed25519', '127.0.0.1'],
		{ stdio: ['ignore', 'pipe', 'ignore'] },
	).toString();
	writeFileSync(knownHosts, scanned);
	// Pin: the scanned key must be the one the fixture generated, or we refuse to trust it.
	const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', knownHosts])
		.toString()
		.split(' ')[1];
	if (fingerprint !== fixture.hostKeySha256) {
		rmSync(dir, { recursive: true, force: true });
		throw new Error(
			`ssh-keyscan saw ${fingerprint}, the fixture's host key is ${fixture.hostKeySha256}`,
		);
	}
	const args = [
		'-b',
		'-',
		'-i',
		keyFile,
		'-P',
		String(fixture.port),
		'-o',
		'StrictHostKeyChecking=yes',
		'-o',
		`UserKnownHostsFile=${knownHosts}`,
		'-o',
		'GlobalKnownHostsFile=/dev/null',
		'-o',
		'BatchMode=yes',
		'-o',
		'IdentitiesOnly=yes',
		'-o',
		'PasswordAuthentication=no',
		`${fixture.username}@127.0.0.1`,
	];
	return {
		batch(commands, timeoutMs = 120_000) {
			return new Promise((resolve, reject) => {
				const child = spawn('sftp', args, { stdio: ['pipe', 'pipe', 'pipe'] });
				let stdout = '';
				let stderr = '';
				const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
				child.stdout.on(
					'data',
					(chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(-1_000_000)),
				);
				child.stderr.on(
					'data',
					(chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-100_000)),
				);
				child.on('error', (error) => {
					clearTimeout(timer);
					reject(error);
				});
				child.on('close', (code) => {
					clearTimeout(timer);
					resolve({ code, stdout, stderr });
				});
				child.stdin.end(commands.join('\n') + '\n');
			});
		},
		cleanup: () => rmSync(dir, { recursive: true, force: true }),
	};
}
