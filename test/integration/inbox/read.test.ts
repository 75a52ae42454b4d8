/**
 * The trigger reads a file in one streaming pass: the SHA-256 for the ledger
 * and the parser are fed from the same SFTP read stream, no copy of the file is kept, the size cap
 * guards the stream, and a parser that gives up early still leaves a complete hash in the ledger.
 * Real OpenSSH sshd on 127.0.0.1.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { useSshd } from '../../fixtures/sshd';
import { sftpConfigOf } from '../StampliSftpTrigger/pollContext';
import { connectSftp, type SftpSession } from '../../../nodes/shared/sftp';
import {
	emptyLedger,
	makeStampliParser,
	pollOnce,
	readAndParse,
	type FileOutcome,
	type FileParser,
	type PollOptions,
} from '../../../nodes/shared/inbox';
import type { Invoice } from '../../../nodes/shared/records/types';

jest.setTimeout(60_000);

const HEADER =
	'InvoiceId,InvoiceNumber,DocumentType,VendorId,VendorName,InvoiceDate,Currency,Total,TaxTotal,LineNumber,LineDescription,Quantity,UnitPrice,LineAmount,GLAccount';

/** `count` invoices of two lines each; a few hundred KB, many SFTP chunks. */
function bigInvoiceCsv(count: number): Buffer {
	const rows = [HEADER];
	for (let i = 0; i < count; i++) {
		rows.push(
			`S-${i},INV-${i},bill,V-${i % 50},"Vendor ${i % 50}, Inc.",2026-11-02,USD,30.50,0,1,"Item one, for ${i}",1,10.25,10.25,6100`,
		);
		rows.push(
			`S-${i},INV-${i},bill,V-${i % 50},"Vendor ${i % 50}, Inc.",2026-11-02,USD,30.50,0,2,Item two,1,20.25,20.25,6200`,
		);
	}
	return Buffer.from(rows.join('\r\n') + '\r\n', 'utf8');
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('Stampli SFTP trigger reads each file in one streaming pass', () => {
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

	/** The real Stampli parser, wrapped to record what kind of input it was handed. */
	function recordingParser(seen: Array<{ name: string; stream: boolean }>): FileParser {
		const real = makeStampliParser({ kind: 'invoices', format: 'auto' });
		return async (input) => {
			seen.push({ name: input.name, stream: input.data instanceof Readable });
			return await real(input);
		};
	}

	async function poll(dir: string, ledger = emptyLedger(), extra: Partial<PollOptions> = {}) {
		const outcomes: FileOutcome[] = [];
		const summary = await pollOnce(session, ledger, {
			dir,
			pattern: '*.{csv,xml}',
			settleMs: 60_000,
			maxFiles: 10,
			afterProcessing: { action: 'leave' },
			onFile: (o) => void outcomes.push(o),
			clock: () => now,
			...extra,
		});
		return { outcomes, summary, ledger };
	}

	it('hashes and parses a many-chunk file from the SFTP stream, keeping no copy of its bytes', async () => {
		const f = sshd();
		const dir = `${f.outboundDir}/stream1`;
		const content = bigInvoiceCsv(4000);
		expect(content.length).toBeGreaterThan(8 * 32 * 1024);
		f.writeFile(`${dir}/invoices-big.csv`, content, old());
		const seen: Array<{ name: string; stream: boolean }> = [];

		const { outcomes, summary, ledger } = await poll(dir, emptyLedger(), {
			parse: recordingParser(seen),
		});

		expect(seen).toEqual([{ name: 'invoices-big.csv', stream: true }]);
		expect(outcomes).toHaveLength(1);
		const [outcome] = outcomes;
		expect(outcome.status).toBe('processed');
		expect(outcome.data).toBeUndefined();
		expect(outcome.sha256).toBe(sha256(content));
		expect(outcome.bytes).toBe(content.length);
		expect(outcome.parsed!.file.sha256).toBe(sha256(content));
		expect(outcome.parsed!.records).toHaveLength(4000);
		expect((outcome.parsed!.records[3999] as Invoice).source).toMatchObject({
			sha256: sha256(content),
			rows: [7999, 8000],
		});
		expect(ledger.files['invoices-big.csv']).toMatchObject({
			st: 'p',
			h: sha256(content),
			s: content.length,
		});
		// The data moved in chunks: open + close + one request per 32 KiB chunk, not one whole-file read.
		expect(summary.roundTrips).toBeGreaterThanOrEqual(Math.floor(content.length / (32 * 1024)));
	});

	it('a parser that stops at the header still leaves the whole-file hash in the ledger and the file in the failed directory', async () => {
		const f = sshd();
		const dir = `${f.outboundDir}/stream2`;
		// The required InvoiceId column is missing: the parser rejects the file after its first chunk.
		const content = Buffer.concat([
			Buffer.from('Id,' + HEADER.split(',').slice(1).join(',') + '\r\n'),
			bigInvoiceCsv(3000).subarray(HEADER.length + 2),
		]);
		f.writeFile(`${dir}/invoices-noid.csv`, content, old());

		const { outcomes, ledger } = await poll(dir, emptyLedger(), {
			parse: makeStampliParser({ kind: 'invoices', format: 'auto' }),
			failedDir: `${dir}/failed`,
		});

		expect(outcomes.map((o) => o.status)).toEqual(['failed']);
		expect(outcomes[0].error!.reason).toMatch(/invoices-noid\.csv.*required column "InvoiceId"/s);
		expect(outcomes[0].sha256).toBe(sha256(content));
		expect(ledger.files['invoices-noid.csv']).toMatchObject({ st: 'f', a: 1, h: sha256(content) });
		expect(readdirSync(f.localPath(`${dir}/failed`))).toEqual(['invoices-noid.csv']);
	});

	it('a touched file with the content already processed is recognised by its streamed hash and not emitted again', async () => {
		const f = sshd();
		const dir = `${f.outboundDir}/stream3`;
		const content = bigInvoiceCsv(50);
		f.writeFile(`${dir}/invoices-same.csv`, content, old());
		const parse = makeStampliParser({ kind: 'invoices', format: 'auto' });
		const first = await poll(dir, emptyLedger(), { parse });
		expect(first.outcomes.map((o) => o.status)).toEqual(['processed']);
		f.writeFile(`${dir}/invoices-same.csv`, content, new Date(now - 5 * 60_000));
		// Changed mtime: first seen as changed (waiting to settle), then read, hashed and recognised.
		expect((await poll(dir, first.ledger, { parse })).summary.waiting).toBe(1);
		now += 61_000;
		const second = await poll(dir, first.ledger, { parse });
		expect(second.outcomes).toEqual([]);
		expect(second.summary.duplicates).toBe(1);
		expect(first.ledger.files['invoices-same.csv']).toMatchObject({ st: 'p', h: sha256(content) });
	});

	it('refuses a file over the size cap without reading it whole, in the trigger and in Download & Parse', async () => {
		const f = sshd();
		const dir = `${f.outboundDir}/stream4`;
		const content = bigInvoiceCsv(200);
		f.writeFile(`${dir}/invoices-huge.csv`, content, old());
		const parse = makeStampliParser({ kind: 'invoices', format: 'auto' });
		const { outcomes, ledger } = await poll(dir, emptyLedger(), { parse, maxFileBytes: 1000 });
		expect(outcomes.map((o) => [o.status, o.sha256])).toEqual([['failed', undefined]]);
		expect(outcomes[0].error!.reason).toMatch(/over the limit of 1000 bytes/);
		expect(ledger.files['invoices-huge.csv']).toMatchObject({ st: 'f', a: 1 });
		await expect(
			readAndParse(session, `${dir}/invoices-huge.csv`, {
				parse,
				maxFileBytes: 1000,
				allowedDirs: [f.outboundDir],
			}),
		).rejects.toMatchObject({ code: 'EFBIG' });
	});

	it('the streaming guard stops a read that passes the cap mid-stream', async () => {
		const f = sshd();
		const dir = `${f.outboundDir}/stream5`;
		const content = bigInvoiceCsv(500);
		f.writeFile(`${dir}/invoices-grows.csv`, content, old());
		// The stat-time check passes; the guard trips on the bytes themselves (as when the file grows while read).
		const stream = await session.readStream(`${dir}/invoices-grows.csv`, content.length);
		(stream as unknown as { maxBytes: number }).maxBytes = 40_000;
		let read = 0;
		await expect(
			(async () => {
				for await (const chunk of stream) read += (chunk as Buffer).length;
			})(),
		).rejects.toMatchObject({ code: 'EFBIG' });
		expect(read).toBeLessThanOrEqual(40_000);
		expect(stream.sha256).toBeUndefined();
	});
});
