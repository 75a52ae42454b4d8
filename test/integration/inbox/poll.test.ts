/**
 * The trigger's core (pollOnce + ledger + the real Stampli parser) against a real OpenSSH sshd.
 * Time is driven by an injected clock and file mtimes, never by waiting.
 */
import { useSshd } from '../../fixtures/sshd';
import { sftpConfigOf } from '../StampliSftpTrigger/pollContext';
import { connectSftp, type SftpSession } from '../../../nodes/shared/sftp';
import {
	describeEntry,
	emptyLedger,
	makeStampliParser,
	makeStampliReader,
	pollOnce,
	fetchNewest,
	type FileOutcome,
	type PollOptions,
} from '../../../nodes/shared/inbox';
import type { Invoice } from '../../../nodes/shared/records/types';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { equals } from '../../../nodes/shared/records/decimal';

jest.setTimeout(30_000);

const HEADER =
	'InvoiceId,InvoiceNumber,DocumentType,VendorId,VendorName,InvoiceDate,Currency,Total,TaxTotal,LineNumber,LineDescription,Quantity,UnitPrice,LineAmount,GLAccount,Department';
const invoiceCsv = (id: string, lines: Array<[string, string]>, total: string, tax = '0.00') =>
	[
		HEADER,
		...lines.map(
			([amount, gl], i) =>
				`${id},INV-${id},bill,V-1,"Acme, Inc.",2026-11-02,USD,${total},${tax},${i + 1},Item ${i + 1},1,${amount},${amount},${gl},Ops`,
		),
	].join('\r\n') + '\r\n';

describe('Stampli SFTP trigger core against a real sshd', () => {
	const sshd = useSshd();
	let session: SftpSession;
	let now = Date.UTC(2026, 10, 20, 12, 0, 0);
	const old = () => new Date(now - 10 * 60_000);

	beforeAll(async () => {
		const f = sshd();
		session = await connectSftp(sftpConfigOf(f));
	});
	afterAll(async () => {
		await session?.close();
	});

	async function poll(
		ledger: ReturnType<typeof emptyLedger>,
		dir: string,
		extra: Partial<PollOptions> = {},
		via: SftpSession = session,
	) {
		const outcomes: FileOutcome[] = [];
		const summary = await pollOnce(via, ledger, {
			dir,
			pattern: '*.{csv,xml}',
			settleMs: 60_000,
			maxFiles: 10,
			parse: makeStampliParser({ kind: 'invoices', format: 'auto' }),
			afterProcessing: { action: 'leave' },
			onFile: (o) => void outcomes.push(o),
			clock: () => now,
			...extra,
		});
		return { outcomes, summary };
	}

	it('turns dropped files into canonical invoices, one outcome per file, and never re-emits them unchanged', async () => {
		const f = sshd();
		const dir = `${f.outboundDir}/run1`;
		f.writeFile(
			`${dir}/invoices-001.csv`,
			invoiceCsv(
				'S-1',
				[
					['100.00', '6100'],
					['50.25', '6200'],
				],
				'160.25',
				'10.00',
			),
			old(),
		);
		f.writeFile(`${dir}/invoices-002.csv`, invoiceCsv('S-2', [['10.00', '6100']], '10.00'), old());
		f.writeFile(`${dir}/notes.txt`, 'not matched', old());
		const ledger = emptyLedger();

		const first = await poll(ledger, dir);
		expect(first.outcomes.map((o) => o.file.name)).toEqual([
			'invoices-001.csv',
			'invoices-002.csv',
		]);
		expect(first.outcomes.every((o) => o.status === 'processed')).toBe(true);
		const invoice = first.outcomes[0].parsed!.records[0] as Invoice;
		expect(invoice).toMatchObject({
			stampliInvoiceId: 'S-1',
			invoiceNumber: 'INV-S-1',
			documentType: 'bill',
			vendor: { stampliVendorId: 'V-1', name: 'Acme, Inc.' },
			invoiceDate: '2026-11-02',
			currency: 'USD',
			total: '160.25',
			source: {
				file: `${dir}/invoices-001.csv`,
				sha256: first.outcomes[0].sha256,
				format: 'csv',
				rows: [1, 2],
			},
		});
		expect(equals(invoice.taxTotal!, '10.00')).toBe(true);
		expect(
			invoice.lines.map((l) => [
				equals(l.amount, ['100.00', '50.25'][l.lineNumber - 1]),
				l.glAccount,
				l.dimensions.department,
			]),
		).toEqual([
			[true, '6100', 'Ops'],
			[true, '6200', 'Ops'],
		]);

		now += 15 * 60_000;
		const second = await poll(ledger, dir);
		expect(second.outcomes).toEqual([]);
		expect(second.summary.skipped).toBe(2);
		// An idle poll does not download anything: one directory read, no file reads.
		expect(second.summary.roundTrips).toBeLessThanOrEqual(4);
	});

	it('skips a file that is still growing until it settles', async () => {
		const f = sshd();
		const dir = `${f.outboundDir}/run2`;
		const ledger = emptyLedger();
		const part = invoiceCsv('S-3', [['5.00', '6100']], '5.00');
		f.writeFile(`${dir}/invoices-grow.csv`, part.slice(0, 40), new Date(now));
		expect((await poll(ledger, dir)).outcomes).toEqual([]);
		now += 30_000;
		f.writeFile(`${dir}/invoices-grow.csv`, part.slice(0, 120), new Date(now));
		const growing = await poll(ledger, dir);
		expect(growing.outcomes).toEqual([]);
		expect(growing.summary.waiting).toBe(1);
		now += 30_000;
		f.writeFile(`${dir}/invoices-grow.csv`, part, new Date(now));
		expect((await poll(ledger, dir)).outcomes).toEqual([]);
		now += 61_000;
		const settled = await poll(ledger, dir);
		expect(settled.outcomes.map((o) => [o.file.name, o.status, o.parsed?.records.length])).toEqual([
			['invoices-grow.csv', 'processed', 1],
		]);
	});

	it('reports a corrupt file with file and row while the good files of the same poll are emitted; a corrected re-upload is processed', async () => {
		const f = sshd();
		const dir = `${f.outboundDir}/run3`;
		const ledger = emptyLedger();
		f.writeFile(`${dir}/invoices-a.csv`, invoiceCsv('S-10', [['1.00', '6100']], '1.00'), old());
		// Row 2 (second invoice) has an unparsable amount; the first invoice of the file is fine.
		const bad =
			invoiceCsv('S-11', [['2.00', '6100']], '2.00') +
			'S-12,INV-S-12,bill,V-1,Acme,2026-11-02,USD,abc,0,1,x,1,3.00,3.00,6100,Ops\r\n';
		f.writeFile(`${dir}/invoices-b.csv`, bad, old());
		f.writeFile(`${dir}/invoices-c.csv`, invoiceCsv('S-13', [['4.00', '6100']], '4.00'), old());

		const first = await poll(ledger, dir);
		const byName = Object.fromEntries(first.outcomes.map((o) => [o.file.name, o]));
		expect(byName['invoices-a.csv'].status).toBe('processed');
		expect(byName['invoices-c.csv'].status).toBe('processed');
		const b = byName['invoices-b.csv'];
		expect(b.status).toBe('partial');
		expect((b.parsed!.records as Invoice[]).map((r) => r.stampliInvoiceId)).toEqual(['S-11']);
		expect(b.parsed!.errors[0]).toMatchObject({ file: `${dir}/invoices-b.csv`, rows: [2] });
		expect(b.parsed!.errors[0].field).toBe('Total');
		expect(ledger.files['invoices-b.csv']).toMatchObject({ st: 'f', a: 1 });

		now += 15 * 60_000;
		expect((await poll(ledger, dir)).outcomes).toEqual([]);

		// Corrected re-upload (atomic, as a person or Stampli would do it).
		now += 60_000;
		await session.uploadAtomic(dir, 'invoices-b.csv', Buffer.from(bad.replace(',abc,', ',3.00,')));
		now += 1_000;
		expect((await poll(ledger, dir)).summary.waiting).toBe(1);
		now += 61_000;
		const fixed = await poll(ledger, dir);
		expect(fixed.outcomes.map((o) => [o.file.name, o.status, o.retry])).toEqual([
			['invoices-b.csv', 'processed', true],
		]);
		expect((fixed.outcomes[0].parsed!.records as Invoice[]).map((r) => r.stampliInvoiceId)).toEqual(
			['S-11', 'S-12'],
		);
	});

	it('archives processed files, moves failed ones to the failed directory, and prunes the ledger', async () => {
		const f = sshd();
		const dir = `${f.outboundDir}/run4`;
		const ledger = emptyLedger();
		f.writeFile(`${dir}/invoices-ok.csv`, invoiceCsv('S-20', [['1.00', '6100']], '1.00'), old());
		// Ends with the closing root tag (complete), but is not well-formed inside.
		f.writeFile(
			`${dir}/invoices-broken.xml`,
			'<InvoiceExport><Invoice><Oops></Invoice></InvoiceExport>\n',
			old(),
		);
		const result = await poll(ledger, dir, {
			afterProcessing: { action: 'move', dir: `${dir}/archive` },
			failedDir: `${dir}/failed`,
		});
		expect(result.outcomes.map((o) => [o.file.name, o.status])).toEqual(
			[
				['invoices-broken.xml', 'failed'],
				['invoices-ok.csv', 'processed'],
			].sort(),
		);
		const failed = result.outcomes.find((o) => o.status === 'failed')!;
		expect(failed.error!.file).toBe(`${dir}/invoices-broken.xml`);
		expect(result.summary.afterProcessingErrors).toEqual([]);
		expect(readdirSync(f.localPath(`${dir}/archive`))).toEqual(['invoices-ok.csv']);
		expect(readdirSync(f.localPath(`${dir}/failed`))).toEqual(['invoices-broken.xml']);
		now += 15 * 60_000;
		const failedDir = { failedDir: `${dir}/failed` };
		const next = await poll(ledger, dir, failedDir);
		// The archived file's entry goes; the failed one stays while the file is in the failed directory.
		expect(next.summary.pruned).toBe(1);
		expect(describeEntry('invoices-broken.xml', ledger.files['invoices-broken.xml'])).toMatchObject(
			{
				state: 'failed',
				attempts: 1,
				inFailedDir: true,
				reason: expect.stringContaining('invoices-broken.xml'),
			},
		);
		rmSync(f.localPath(`${dir}/failed/invoices-broken.xml`));
		expect((await poll(ledger, dir, failedDir)).summary.pruned).toBe(1);
		expect(Object.keys(ledger.files)).toEqual([]);
	});

	it('finishes on the next poll an archive or set-aside that a dead connection cut short', async () => {
		const f = sshd();
		const dir = `${f.outboundDir}/run-cut`;
		const ledger = emptyLedger();
		f.writeFile(`${dir}/invoices-ok.csv`, invoiceCsv('S-30', [['1.00', '6100']], '1.00'), old());
		f.writeFile(
			`${dir}/invoices-broken.xml`,
			'<InvoiceExport><Invoice><Oops></Invoice></InvoiceExport>\n',
			old(),
		);
		const settings: Partial<PollOptions> = {
			afterProcessing: { action: 'move', dir: `${dir}/archive` },
			failedDir: `${dir}/failed`,
		};
		// The connection dies at the move (sshd killed): the files were handled, their moves did not happen.
		const dying = Object.create(session) as SftpSession;
		dying.move = async () => {
			throw new Error('No response from server');
		};
		const cut = await poll(ledger, dir, settings, dying);
		expect(cut.outcomes.map((o) => [o.file.name, o.status]).sort()).toEqual([
			['invoices-broken.xml', 'failed'],
			['invoices-ok.csv', 'processed'],
		]);
		expect(cut.summary.afterProcessingErrors).toHaveLength(2);
		const dataFiles = () =>
			readdirSync(f.localPath(dir))
				.filter((name) => /\.(csv|xml)$/.test(name))
				.sort();
		expect(dataFiles()).toEqual(['invoices-broken.xml', 'invoices-ok.csv']);

		now += 60_000;
		const next = await poll(ledger, dir, settings);
		expect(next.outcomes).toEqual([]);
		expect(next.summary.afterProcessingErrors).toEqual([]);
		expect(readdirSync(f.localPath(`${dir}/archive`))).toEqual(['invoices-ok.csv']);
		expect(readdirSync(f.localPath(`${dir}/failed`))).toEqual(['invoices-broken.xml']);
		expect(
			readdirSync(f.localPath(dir)).filter((n) => n.endsWith('.csv') || n.endsWith('.xml')),
		).toEqual([]);
	});

	it('fetches the newest file for a test event without touching anything', async () => {
		const f = sshd();
		const dir = `${f.outboundDir}/run5`;
		f.writeFile(
			`${dir}/invoices-old.csv`,
			invoiceCsv('S-30', [['1.00', '6100']], '1.00'),
			new Date(now - 3_600_000),
		);
		f.writeFile(
			`${dir}/invoices-new.csv`,
			invoiceCsv('S-31', [['1.00', '6100']], '1.00'),
			new Date(now - 60_000),
		);
		const outcome = await fetchNewest(session, {
			dir,
			pattern: '*.csv',
			parse: makeStampliParser({ kind: 'byName', format: 'auto' }),
			batchSize: 100,
		});
		expect(outcome?.file.name).toBe('invoices-new.csv');
		expect((outcome!.parsed!.records[0] as Invoice).stampliInvoiceId).toBe('S-31');
		expect(existsSync(f.localPath(`${dir}/invoices-new.csv`))).toBe(true);
	});
	it('streams records with the reader the trigger uses: the same records and hash as the whole-file parser, and a refused file keeps its row', async () => {
		const f = sshd();
		const dir = `${f.outboundDir}/run-stream`;
		f.writeFile(
			`${dir}/invoices-ok.csv`,
			invoiceCsv(
				'S-40',
				[
					['4.00', '6100'],
					['6.00', '6200'],
				],
				'10.00',
			),
			old(),
		);
		const cut = invoiceCsv('S-41', [['1.00', '6100']], '1.00').replace(
			'S-41,INV-S-41,bill,V-1,"Acme, Inc."',
			'S-41,INV-S-41,bill,V-1,"Acme, Inc.,',
		);
		f.writeFile(`${dir}/invoices-cut.csv`, cut, old());
		const options = { kind: 'invoices' as const, format: 'auto' as const };
		const whole = await poll(emptyLedger(), dir, { parse: makeStampliParser(options) });
		const streamed = await poll(emptyLedger(), dir, {
			parse: undefined,
			reader: makeStampliReader(options),
		});
		const byName = (outcomes: FileOutcome[]) =>
			Object.fromEntries(outcomes.map((o) => [o.file.name, o]));
		const [a, b] = [byName(whole.outcomes), byName(streamed.outcomes)];
		expect(b['invoices-ok.csv'].status).toBe('processed');
		expect(b['invoices-ok.csv'].sha256).toBe(a['invoices-ok.csv'].sha256);
		const strip = (records: unknown[]) =>
			records.map((r) => {
				const { source, ...rest } = r as Invoice;
				return { ...rest, rows: source.rows };
			});
		expect(strip(b['invoices-ok.csv'].parsed!.records)).toEqual(
			strip(a['invoices-ok.csv'].parsed!.records),
		);
		// A whole-file refusal names its row, structured, and the path once.
		const refused = b['invoices-cut.csv'];
		expect(refused.status).toBe('failed');
		expect(refused.error).toMatchObject({ file: `${dir}/invoices-cut.csv`, rows: [1] });
		expect(refused.error!.reason.split(`${dir}/invoices-cut.csv`)).toHaveLength(2);
	});
});
