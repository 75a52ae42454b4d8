/**
 * Stampli Files with an explicit path (Download and Parse, Move, Delete) against a real sshd: only
 * files inside the credential's directories (or ones the user adds) are touched; `..` and symlinks
 * that lead elsewhere are refused.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { StampliFiles } from '../../../nodes/StampliFiles/StampliFiles.node';
import { useSshd, type SshdFixture } from '../../fixtures/sshd';
import { executeContext } from '../../kit/n8nContext';
import { invoiceCsv, sftpCredential } from '../StampliSftpTrigger/pollContext';

jest.setTimeout(60_000);

const fakeExecuteFunctions = (f: SshdFixture, params: IDataObject): IExecuteFunctions =>
	executeContext({
		type: 'n8n-nodes-stampli.stampliFiles',
		name: 'Stampli Files',
		parameters: params,
		items: [{ json: {} }],
		credentials: { stampliSftpApi: sftpCredential(f) },
	});

describe('Stampli Files: explicit paths stay inside the configured directories', () => {
	const sshd = useSshd();
	const node = new StampliFiles();
	const run = async (f: SshdFixture, params: IDataObject) =>
		(await node.execute.call(fakeExecuteFunctions(f, params)))[0];

	it('reads a file inside the outbound directory', async () => {
		const f = sshd();
		f.writeFile(`${f.outboundDir}/ok/invoices-1.csv`, invoiceCsv('P-1', '3.00'));
		const items = await run(f, {
			operation: 'download',
			path: `${f.outboundDir}/ok/invoices-1.csv`,
		});
		expect(items.map((i) => i.json.stampliInvoiceId)).toEqual(['P-1']);
	});

	it('refuses a path that climbs out with .., and a symlink inside that points outside', async () => {
		const f = sshd();
		// A file outside both directories, in the user's tree (readable by the SFTP user).
		f.writeFile(`${f.root}/private/invoices-secret.csv`, invoiceCsv('SECRET', '1.00'));
		await expect(
			run(f, { operation: 'download', path: `${f.outboundDir}/../private/invoices-secret.csv` }),
		).rejects.toThrow(/not inside the allowed directories/);
		mkdirSync(f.localPath(`${f.outboundDir}/links`), { recursive: true });
		symlinkSync(
			f.localPath(`${f.root}/private/invoices-secret.csv`),
			f.localPath(`${f.outboundDir}/links/invoices-link.csv`),
		);
		await expect(
			run(f, { operation: 'download', path: `${f.outboundDir}/links/invoices-link.csv` }),
		).rejects.toThrow(/resolves to .*private\/invoices-secret\.csv/);
		// System files are not reachable either.
		symlinkSync('/etc/hostname', f.localPath(`${f.outboundDir}/links/invoices-host.csv`));
		await expect(
			run(f, { operation: 'download', path: `${f.outboundDir}/links/invoices-host.csv` }),
		).rejects.toThrow(/not inside the allowed directories/);
		// A directory the user adds is allowed.
		const items = await run(f, {
			operation: 'download',
			path: `${f.root}/private/invoices-secret.csv`,
			allowedDirs: `${f.root}/private`,
		});
		expect(items.map((i) => i.json.stampliInvoiceId)).toEqual(['SECRET']);
	});

	it('refuses to move or delete outside them', async () => {
		const f = sshd();
		f.writeFile(`${f.root}/keep/invoices-k.csv`, invoiceCsv('K', '1.00'));
		f.writeFile(`${f.outboundDir}/m/invoices-m.csv`, invoiceCsv('M', '1.00'));
		await expect(
			run(f, { operation: 'delete', path: `${f.root}/keep/invoices-k.csv` }),
		).rejects.toThrow(/not inside the allowed directories/);
		await expect(
			run(f, {
				operation: 'move',
				path: `${f.outboundDir}/m/invoices-m.csv`,
				toDir: `${f.root}/elsewhere`,
			}),
		).rejects.toThrow(/not inside the allowed directories/);
		expect(existsSync(f.localPath(`${f.root}/keep/invoices-k.csv`))).toBe(true);
		expect(existsSync(f.localPath(`${f.outboundDir}/m/invoices-m.csv`))).toBe(true);
		expect(existsSync(f.localPath(`${f.root}/elsewhere`))).toBe(false);
	});
});
