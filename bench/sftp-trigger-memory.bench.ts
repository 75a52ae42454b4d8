/**
 * Peak memory of the Stampli SFTP Trigger's core reading large exports from a real OpenSSH sshd:
 * a 1,000,000-line CSV, a 200 MB CSV and a 200 MB XML, emitted in batches of 5,000 invoices (the
 * default), every run succeeding at once. Baseline: a streaming hash of the same file (the least any
 * reader must do). Target: peak RSS growth of the trigger ≤ 200 MB whatever the file size.
 * `BENCH_TRIGGER_FILES=csv1m,csv200,xml200` picks cases; `BENCH_TRIGGER_SCALE=0.1` shrinks them.
 */
import { chownSync, createWriteStream, mkdirSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { sleep } from 'n8n-workflow';
import { startSshd, type SshdFixture } from '../test/fixtures/sshd';
import { connectSftp, type SftpSession } from '../nodes/shared/sftp';
import {
	RunTracker,
	emptyLedger,
	makeStampliReader,
	pollOnce,
	type FileOutcome,
} from '../nodes/shared/inbox';
import { hashOnly } from '../nodes/shared/inbox/batches';
import { measure, printTable, target } from './lib/measure';

const SCALE = Number(process.env.BENCH_TRIGGER_SCALE ?? 1);
const CASES = (process.env.BENCH_TRIGGER_FILES ?? 'csv1m,csv200,xml200').split(',');
const TARGET_MB = 200;

const HEADER =
	'InvoiceId,InvoiceNumber,DocumentType,VendorId,VendorName,InvoiceDate,Currency,Total,TaxTotal,LineNumber,LineDescription,Quantity,UnitPrice,LineAmount,GLAccount,Department';

/** Writes a file of one-line invoices line by line (never held whole); `pad` lengthens the descriptions. */
async function writeCsv(path: string, invoices: number, pad: number): Promise<void> {
	const out = createWriteStream(path);
	out.write(HEADER + '\r\n');
	const filler = 'x'.repeat(pad);
	for (let i = 1; i <= invoices; i++) {
		const line = `M-${i},INV-${i},bill,V-${i % 500},Vendor ${i % 500},2026-11-02,USD,12.50,0.00,1,Item ${filler},1,12.50,12.50,6100,Ops\r\n`;
		if (!out.write(line)) await once(out, 'drain');
	}
	out.end();
	await once(out, 'close');
}

async function writeXml(path: string, invoices: number, pad: number): Promise<void> {
	const out = createWriteStream(path);
	out.write('<?xml version="1.0" encoding="UTF-8"?>\n<InvoiceExport>\n');
	const filler = 'x'.repeat(pad);
	for (let i = 1; i <= invoices; i++) {
		const element =
			`<Invoice><InvoiceId>M-${i}</InvoiceId><InvoiceNumber>INV-${i}</InvoiceNumber><DocumentType>bill</DocumentType>` +
			`<Vendor><Id>V-${i % 500}</Id><Name>Vendor ${i % 500}</Name></Vendor><InvoiceDate>2026-11-02</InvoiceDate>` +
			`<Currency>USD</Currency><Total>12.50</Total><TaxTotal>0.00</TaxTotal><Lines><Line><LineNumber>1</LineNumber>` +
			`<Description>Item ${filler}</Description><Quantity>1</Quantity><UnitPrice>12.50</UnitPrice><Amount>12.50</Amount>` +
			`<GLAccount>6100</GLAccount></Line></Lines></Invoice>\n`;
		if (!out.write(element)) await once(out, 'drain');
	}
	out.write('</InvoiceExport>\n');
	out.end();
	await once(out, 'close');
}

interface Case {
	name: string;
	file: string;
	write: (path: string) => Promise<void>;
}

const cases: Case[] = [
	{
		name: 'csv1m',
		file: 'invoices-1m-lines.csv',
		write: async (p) => await writeCsv(p, Math.round(1_000_000 * SCALE), 0),
	},
	{
		name: 'csv200',
		file: 'invoices-200mb.csv',
		write: async (p) => await writeCsv(p, Math.round(1_000_000 * SCALE), 100),
	},
	{
		name: 'xml200',
		file: 'invoices-200mb.xml',
		write: async (p) => await writeXml(p, Math.round(480_000 * SCALE), 0),
	},
];

async function runCase(sshd: SshdFixture, session: SftpSession, c: Case) {
	const dir = `${sshd.outboundDir}/${c.name}`;
	const local = sshd.localPath(dir);
	mkdirSync(local, { recursive: true });
	const owner = statSync(sshd.localPath(sshd.outboundDir));
	chownSync(local, owner.uid, owner.gid);
	await c.write(`${local}/${c.file}`);
	const bytes = statSync(`${local}/${c.file}`).size;

	const baseline = await measure(
		'baseline: streaming hash',
		async () => await hashOnly(session, `${dir}/${c.file}`, 1024 * 1024 * 1024),
	);
	const tracker = new RunTracker();
	let executions = 0;
	let records = 0;
	let largest = 0;
	const trigger = await measure(
		'trigger: read, batches of 5,000',
		async () =>
			await pollOnce(session, emptyLedger(), {
				dir,
				settleMs: 0,
				maxFiles: 1,
				maxFileBytes: 1024 * 1024 * 1024,
				reader: makeStampliReader({
					kind: 'invoices',
					format: 'auto',
					maxBytes: 1024 * 1024 * 1024,
				}),
				afterProcessing: { action: 'leave' },
				runs: { tracker, scope: 'bench', sleep, waitMs: 60_000 },
				onFile: (outcome: FileOutcome) => {
					executions++;
					const n = outcome.parsed?.records.length ?? 0;
					records += n;
					largest = Math.max(largest, n);
					return { run: Promise.resolve({ state: 'succeeded' as const }) };
				},
			}),
	);
	return { c, bytes, baseline, trigger, executions, records, largest };
}

async function main(): Promise<void> {
	const sshd = await startSshd();
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
		const rows = [];
		const results = [];
		for (const c of cases.filter((x) => CASES.includes(x.name))) {
			const r = await runCase(sshd, session, c);
			results.push(r);
			for (const m of [r.baseline.m, r.trigger.m])
				rows.push({
					file: c.file,
					MB: r.bytes / 1024 / 1024,
					run: m.label,
					wallS: m.wallMs / 1000,
					cpuS: m.cpuMs / 1000,
					peakRssGrowthMb: m.peakRssGrowthMb,
				});
			console.log(
				`${c.file}: ${r.executions} executions, ${r.records} records, largest batch ${r.largest}, summary ${JSON.stringify({ emitted: r.trigger.result.emitted, awaiting: r.trigger.result.awaitingRun })}`,
			);
		}
		printTable(rows);
		for (const r of results)
			target(
				`${r.c.file}: trigger peak RSS growth ≤ ${TARGET_MB} MB (${r.trigger.m.peakRssGrowthMb.toFixed(0)} MB; baseline ${r.baseline.m.peakRssGrowthMb.toFixed(0)} MB)`,
				r.trigger.m.peakRssGrowthMb <= TARGET_MB,
			);
	} finally {
		await session.close();
		await sshd.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
