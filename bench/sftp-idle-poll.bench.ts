/**
 * One idle poll of the Stampli SFTP Trigger over 10,000 already-processed files on a real OpenSSH sshd:
 * CPU time, SFTP round trips and ledger size, beside a bare list() of the same directory (baseline).
 * Targets (issue 3): < 1 s CPU for the idle poll, ledger < 2 MB.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync, chownSync, statSync } from 'node:fs';
import { startSshd } from '../test/kit';
import { connectSftp } from '../nodes/shared/sftp';
import { emptyLedger, markEmitted, pollOnce } from '../nodes/shared/inbox';
import { measure, printTable, target } from './lib/measure';

const FILES = 10_000;

async function main(): Promise<void> {
	const sshd = await startSshd();
	try {
		const dir = `${sshd.outboundDir}/bench`;
		const local = sshd.localPath(dir);
		mkdirSync(local);
		const owner = statSync(sshd.localPath(sshd.outboundDir));
		chownSync(local, owner.uid, owner.gid);
		const ledger = emptyLedger();
		for (let i = 0; i < FILES; i++) {
			const name = `stampli-invoices-2026-11-20T10-00-00-${String(i).padStart(5, '0')}.csv`;
			const body = `InvoiceId,Total\nS-${i},1.00\n`;
			writeFileSync(`${local}/${name}`, body);
			const st = statSync(`${local}/${name}`);
			markEmitted(
				ledger,
				{ name, path: `${dir}/${name}`, size: st.size, mtimeMs: st.mtimeMs },
				createHash('sha256').update(body).digest('hex'),
			);
		}
		const session = await connectSftp({
			host: sshd.host,
			port: sshd.port,
			username: sshd.username,
			password: sshd.password,
			hostKeySha256: sshd.hostKeySha256,
			inboundDir: sshd.inboundDir,
			outboundDir: sshd.outboundDir,
		});
		try {
			// Warm-up (JIT, server dentry cache), then measure each once.
			await session.list(dir, '*.csv');
			let trips = session.roundTrips;
			const baseline = await measure(
				'bare list() of the directory',
				async () => await session.list(dir, '*.csv'),
			);
			const baselineTrips = session.roundTrips - trips;
			trips = session.roundTrips;
			let emitted = 0;
			const idle = await measure(
				'idle poll (list + ledger plan)',
				async () =>
					await pollOnce(session, ledger, {
						dir,
						pattern: '*.csv',
						settleMs: 60_000,
						maxFiles: 50,
						afterProcessing: { action: 'leave' },
						onFile: () => void emitted++,
					}),
			);
			const pollTrips = session.roundTrips - trips;
			const ledgerBytes = Buffer.byteLength(JSON.stringify(ledger));
			printTable([
				{
					run: baseline.m.label,
					files: baseline.result.length,
					cpuMs: baseline.m.cpuMs,
					wallMs: baseline.m.wallMs,
					roundTrips: baselineTrips,
					ledgerKB: '-',
				},
				{
					run: idle.m.label,
					files: idle.result.listed,
					cpuMs: idle.m.cpuMs,
					wallMs: idle.m.wallMs,
					roundTrips: pollTrips,
					ledgerKB: ledgerBytes / 1024,
				},
			]);
			console.log(
				`idle poll: emitted ${emitted}, skipped ${idle.result.skipped}, pruned ${idle.result.pruned}; overhead over bare list: ${(idle.m.cpuMs - baseline.m.cpuMs).toFixed(1)} ms CPU`,
			);
			target(
				`idle poll over ${FILES} processed files < 1000 ms CPU (${idle.m.cpuMs.toFixed(0)} ms)`,
				idle.m.cpuMs < 1000,
			);
			target(
				`ledger for ${FILES} files < 2 MB (${(ledgerBytes / 1024 / 1024).toFixed(2)} MB)`,
				ledgerBytes < 2 * 1024 * 1024,
			);
			target(
				'idle poll emits nothing and reads no file',
				emitted === 0 && pollTrips === baselineTrips,
			);
		} finally {
			await session.close();
		}
	} finally {
		await sshd.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
