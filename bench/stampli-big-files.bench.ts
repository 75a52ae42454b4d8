/**
 * Big and hostile Stampli files through the streaming reader, each in a fresh Node process: peak
 * RSS (the process's own maximum, from getrusage), CPU time and MB/s, with PASS/MISS against a
 * 200 MB peak RSS per file. Files are generated into a temp directory (written as they are built,
 * never held whole) and removed at the end:
 *
 * - 1,000,000 one-line invoices (CSV); 200 MB CSV (5 lines per invoice); 200 MB XML;
 * - one XML record element holding 48 MiB of text (refused on its own by the default 16 MiB
 *   ceiling; also read with the ceiling raised, to show time and memory stay linear);
 * - one invoice with 130,000 lines (CSV).
 *
 * The consumer keeps records in batches of 5,000 (as the trigger will) and drops each full batch.
 * Baselines in the same run: reading the same file and hashing it (the floor any reader pays), and
 * for the 1M-line file the collecting API, parseStampliFile, which holds every record.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseStampliFile, streamStampliFile, type ParseOptions } from '../nodes/shared/stampli';
import { printTable, target } from './lib/measure';

const RSS_TARGET_MB = 200;
const BATCH = 5000;
const MB = 1024 * 1024;

type Mode = 'stream' | 'collect' | 'read';

interface BigFile {
	label: string;
	file: string;
	options?: ParseOptions;
	/** What the stream must report: records and rejected units. */
	expect: { records: number; rejected: number };
	/** Which runs this file gets (the target applies to `stream`). */
	modes: Mode[];
	/** False for a run outside the defaults (a raised ceiling): figures only, no memory target. */
	target?: false;
}

/** Writes generated text with backpressure, so generating a 200 MB file holds one chunk. */
async function writeFile(path: string, parts: Iterable<string>): Promise<number> {
	const out = createWriteStream(path);
	let pending = '';
	for (const part of parts) {
		pending += part;
		if (pending.length < 256 * 1024) continue;
		if (!out.write(pending)) await once(out, 'drain');
		pending = '';
	}
	out.end(pending);
	await once(out, 'close');
	return statSync(path).size;
}

const money = (cents: number) =>
	`${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

function* oneLineInvoices(count: number): Generator<string> {
	yield 'InvoiceId,InvoiceNumber,DocumentType,VendorId,VendorName,InvoiceDate,Currency,Total,LineAmount,GLAccount\n';
	for (let i = 0; i < count; i++)
		yield `I-${i},N-${i},bill,V-${i % 500},Vendor ${i % 500},2026-03-02,USD,${money(1000 + (i % 9000))},${money(1000 + (i % 9000))},6100\n`;
}

const CSV_HEADER =
	'InvoiceId,InvoiceNumber,DocumentType,VendorId,VendorName,VendorTaxId,InvoiceDate,DueDate,Currency,Total,TaxTotal,PONumber,ApprovedAt,LineNumber,LineDescription,Quantity,UnitPrice,LineAmount,GLAccount,Department,Class,Location,Project\r\n';

function csvInvoice(i: number, lines: number, first = 1, total = lines): string {
	const head = `INV-${i},A-${i},Invoice,V-${i % 500},"Vendor ${i % 500}, Inc.",12-${1000000 + (i % 500)},2026-03-${String((i % 28) + 1).padStart(2, '0')},2026-04-01,USD,${money(total * 1234)},0,PO-${i},2026-03-02T10:00:00Z`;
	let text = '';
	for (let l = first; l < first + lines; l++)
		text += `${head},${l},"Item ${l} for invoice ${i}",1,12.34,12.34,${6000 + (l % 9) * 100},Dept${l % 7},Class${i % 3},HQ,P-${i % 40}\r\n`;
	return text;
}

function* csvOfSize(bytes: number, count: { invoices: number }): Generator<string> {
	yield CSV_HEADER;
	let written = CSV_HEADER.length;
	for (let i = 0; written < bytes; i++) {
		const text = csvInvoice(i, 5);
		written += text.length;
		count.invoices++;
		yield text;
	}
}

function xmlInvoice(i: number, lines = 5, notes = ''): string {
	let body = '';
	for (let l = 1; l <= lines; l++)
		body += `      <Line><LineNumber>${l}</LineNumber><Description>Item ${l} for invoice ${i}</Description><Quantity>1</Quantity><UnitPrice>12.34</UnitPrice><Amount>12.34</Amount><GLAccount>6100</GLAccount><Dimensions><Department>Dept${l}</Department><Location>HQ</Location></Dimensions></Line>\n`;
	return (
		`  <Invoice>\n    <InvoiceId>INV-${i}</InvoiceId><InvoiceNumber>A-${i}</InvoiceNumber><DocumentType>Invoice</DocumentType>\n` +
		`    <Vendor><Id>V-${i % 500}</Id><Name>Vendor ${i % 500}, Inc.</Name></Vendor><InvoiceDate>2026-03-02</InvoiceDate><Currency>USD</Currency><Total>${money(lines * 1234)}</Total>${notes}\n` +
		`    <Lines>\n${body}    </Lines>\n  </Invoice>\n`
	);
}

function* xmlOfSize(bytes: number, count: { invoices: number }): Generator<string> {
	yield '<?xml version="1.0" encoding="UTF-8"?>\n<InvoiceExport>\n';
	let written = 60;
	for (let i = 0; written < bytes; i++) {
		const text = xmlInvoice(i);
		written += text.length;
		count.invoices++;
		yield text;
	}
	yield '</InvoiceExport>\n';
}

function* xmlWithHugeElement(textBytes: number): Generator<string> {
	yield '<?xml version="1.0" encoding="UTF-8"?>\n<InvoiceExport>\n';
	yield xmlInvoice(1);
	// Invoice 2 holds the text in <Notes>, written piece by piece.
	const [before, after] = xmlInvoice(2, 1, '<Notes>@@</Notes>').split('@@');
	yield before;
	const piece = 'lorem ipsum dolor sit amet '.repeat(4096);
	for (let written = 0; written < textBytes; written += piece.length) yield piece;
	yield after;
	yield xmlInvoice(3);
	yield '</InvoiceExport>\n';
}

function* oneInvoiceManyLines(lines: number): Generator<string> {
	yield CSV_HEADER;
	for (let first = 1; first <= lines; first += 1000)
		yield csvInvoice(7, Math.min(1000, lines - first + 1), first, lines);
	yield csvInvoice(8, 2);
}

async function generate(dir: string): Promise<BigFile[]> {
	const files: BigFile[] = [];
	const path = (name: string) => join(dir, name);
	await writeFile(path('1m-lines.csv'), oneLineInvoices(1_000_000));
	files.push({
		label: '1,000,000 one-line invoices (CSV)',
		file: path('1m-lines.csv'),
		expect: { records: 1_000_000, rejected: 0 },
		modes: ['read', 'stream', 'collect'],
	});
	const csvCount = { invoices: 0 };
	await writeFile(path('200mb.csv'), csvOfSize(200 * MB, csvCount));
	files.push({
		label: '200 MB CSV, 5 lines per invoice',
		file: path('200mb.csv'),
		expect: { records: csvCount.invoices, rejected: 0 },
		modes: ['read', 'stream'],
	});
	const xmlCount = { invoices: 0 };
	await writeFile(path('200mb.xml'), xmlOfSize(200 * MB, xmlCount));
	files.push({
		label: '200 MB XML, 5 lines per invoice',
		file: path('200mb.xml'),
		expect: { records: xmlCount.invoices, rejected: 0 },
		modes: ['read', 'stream'],
	});
	await writeFile(path('huge-element.xml'), xmlWithHugeElement(48 * MB));
	files.push({
		label: 'one 48 MiB XML element (default 16 MiB ceiling: refused alone)',
		file: path('huge-element.xml'),
		expect: { records: 2, rejected: 1 },
		modes: ['read', 'stream'],
	});
	files.push({
		label: 'one 48 MiB XML element, ceiling raised to 64 MiB (parsed)',
		file: path('huge-element.xml'),
		options: { maxElementBytes: 64 * MB },
		expect: { records: 3, rejected: 0 },
		modes: ['stream'],
		// What raising the ceiling costs: fast-xml-parser holds the element's text many times over.
		target: false,
	});
	await writeFile(path('130k-lines.csv'), oneInvoiceManyLines(130_000));
	files.push({
		label: 'one invoice with 130,000 lines (CSV)',
		file: path('130k-lines.csv'),
		expect: { records: 2, rejected: 0 },
		modes: ['read', 'stream'],
	});
	return files;
}

interface ChildFigures {
	records: number;
	rejected: number;
	firstError?: string;
	cpuMs: number;
	wallMs: number;
	peakRssMb: number;
	startRssMb: number;
}

/** One run in this (fresh) process, printing its figures as JSON on the last line. */
async function child(mode: Mode, path: string, optionsJson: string): Promise<void> {
	const options = JSON.parse(optionsJson) as ParseOptions;
	const startRssMb = process.memoryUsage.rss() / MB;
	const cpu = process.cpuUsage();
	const start = process.hrtime.bigint();
	let records = 0;
	let rejected = 0;
	let firstError: string | undefined;
	const data = createReadStream(path, { highWaterMark: 64 * 1024 });
	if (mode === 'read') {
		const hash = createHash('sha256');
		for await (const chunk of data) hash.update(chunk as Buffer);
		hash.digest('hex');
	} else if (mode === 'collect') {
		const parsed = await parseStampliFile({ name: path, data }, 'invoices', options);
		records = parsed.records.length;
		rejected = parsed.errors.length;
	} else {
		let batch: unknown[] = [];
		for await (const event of streamStampliFile({ name: path, data }, 'invoices', options)) {
			if (event.type === 'record') {
				records++;
				batch.push(event.record);
				if (batch.length === BATCH) batch = [];
			} else if (event.type === 'rejected') {
				rejected++;
				firstError ??= event.errors[0]?.reason.slice(0, 160);
			}
		}
	}
	const used = process.cpuUsage(cpu);
	const figures: ChildFigures = {
		records,
		rejected,
		firstError,
		cpuMs: (used.user + used.system) / 1000,
		wallMs: Number(process.hrtime.bigint() - start) / 1e6,
		peakRssMb: process.resourceUsage().maxRSS / 1024,
		startRssMb,
	};
	console.log(JSON.stringify(figures));
}

const CHILD = '--big-file-child';

/**
 * The children run this file compiled into one plain JavaScript bundle, as the package runs in
 * n8n: no TypeScript loader in the process (it alone adds about 80 MB of RSS and wraps every
 * closure), so peak RSS and CPU are the reader's.
 */
async function bundleChild(dir: string): Promise<string> {
	const outfile = join(dir, 'big-file-child.js');
	// esbuild as tsx (a dev dependency) ships it, so no dependency is added for the bench.
	const { build } = createRequire(require.resolve('tsx'))('esbuild') as typeof import('esbuild');
	await build({
		entryPoints: [__filename],
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		outfile,
		logLevel: 'error',
	});
	return outfile;
}

function runChild(bundle: string, mode: Mode, file: BigFile): ChildFigures {
	const result = spawnSync(
		process.execPath,
		[bundle, CHILD, mode, file.file, JSON.stringify(file.options ?? {})],
		{ encoding: 'utf8', maxBuffer: 16 * MB },
	);
	if (result.status !== 0)
		throw new Error(`${mode} ${file.label} failed: ${result.stderr.slice(-2000)}`);
	return JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as ChildFigures;
}

const RUN_NAMES: Record<Mode, string> = {
	stream: 'streamStampliFile',
	collect: 'parseStampliFile (baseline: holds all)',
	read: 'read + SHA-256 (baseline)',
};

type Verdict = 'correct' | 'clear error' | 'defect';

/** As for the small corpus: the expected records (and clear rejections), or a defect. */
function verdictOf(file: BigFile, figures: ChildFigures): Verdict {
	const { records, rejected } = file.expect;
	if (figures.records !== records || figures.rejected !== rejected) return 'defect';
	return rejected ? 'clear error' : 'correct';
}

async function main(): Promise<void> {
	const dir = mkdtempSync(join(tmpdir(), 'stampli-big-files-'));
	try {
		const bundle = await bundleChild(dir);
		const files = await generate(dir);
		const rows: Array<Record<string, string | number>> = [];
		const targets: Array<[string, boolean]> = [];
		const verdicts: Verdict[] = [];
		for (const file of files) {
			const mb = statSync(file.file).size / MB;
			for (const mode of file.modes) {
				const figures = runChild(bundle, mode, file);
				const verdict = mode === 'stream' ? verdictOf(file, figures) : '';
				// One line per run as it ends, so a long run shows its progress.
				console.log(
					`${file.label} · ${RUN_NAMES[mode]}: ${figures.records} records, ${figures.rejected} rejected, cpu ${(figures.cpuMs / 1000).toFixed(1)} s, peak RSS ${figures.peakRssMb.toFixed(0)} MB ${verdict}`,
				);
				rows.push({
					file: file.label,
					run: RUN_NAMES[mode],
					MB: mb,
					records: figures.records,
					rejected: figures.rejected,
					verdict,
					'cpu s': figures.cpuMs / 1000,
					'wall s': figures.wallMs / 1000,
					'MB/s (cpu)': mb / (figures.cpuMs / 1000),
					'peak RSS MB': figures.peakRssMb,
				});
				if (mode !== 'stream') continue;
				verdicts.push(verdict as Verdict);
				if (figures.firstError) console.log(`${file.label}: rejected — ${figures.firstError}`);
				const rss = `${file.label}: peak RSS ${figures.peakRssMb.toFixed(0)} MB ≤ ${RSS_TARGET_MB} MB`;
				if (file.target === false)
					console.log(`(no target: ${rss.replace(' ≤', ', beyond the defaults; target')})`);
				else targets.push([rss, figures.peakRssMb <= RSS_TARGET_MB]);
			}
		}
		printTable(rows);
		const count = (v: Verdict) => verdicts.filter((x) => x === v).length;
		printTable([
			{
				files: verdicts.length,
				correct: count('correct'),
				'clear error': count('clear error'),
				defect: count('defect'),
			},
		]);
		targets.push([`no defect among the big files (${count('defect')})`, count('defect') === 0]);
		for (const [description, ok] of targets) target(description, ok);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

(process.argv[2] === CHILD
	? child(process.argv[3] as Mode, process.argv[4], process.argv[5])
	: main()
).catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
