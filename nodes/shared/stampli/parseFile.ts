/**
 * The parse pipeline: bytes → format → reader → record builder → canonical records and errors.
 */
import type { Invoice, Payment, Vendor } from '../records/types';
import { readDecimal, getDefaultTemplate, TemplateError, validateTemplate } from './templates';
import type { Template, TemplateKind } from './templates';
import { ByteSource, prepend } from './byteSource';
import { compilePlan } from './plan';
import type { FileFormat } from './plan';
import { buildRecord } from './recordBuilder';
import { readCsv } from './csvReader';
import { readXml } from './xmlReader';
import { StampliFileError } from './errors';
import type { RecordError } from './errors';

export type StampliFileKind = 'invoices' | 'payments' | 'vendors';

export interface ParseOptions {
	/** `auto` (default) decides by extension (.csv/.txt/.tsv → CSV, .xml → XML), else by the first byte. */
	format?: 'csv' | 'xml' | 'auto';
	/** Defaults to the kind's default template (`invoice-export@1`, …). Must be of the same kind. */
	template?: Template;
	/** Allowed |sum(lines.amount) − (total − taxTotal)|, a decimal string; default '0'. */
	sumTolerance?: string;
	/** When any record is invalid, return no records at all (the errors say why). */
	allOrNothing?: boolean;
	/** Refuse files larger than this many bytes; default 256 MiB. */
	maxBytes?: number;
}

export interface ParsedFile<T> {
	file: { name: string; sha256: string; bytes: number; format: 'csv' | 'xml'; template: string };
	records: T[];
	errors: RecordError[];
	/** Non-blocking findings, e.g. quantity × unit price differing from the line amount by more than a cent. */
	warnings: RecordError[];
}

export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

const EXTENSION_FORMATS: Record<string, FileFormat> = {
	csv: 'csv',
	txt: 'csv',
	tsv: 'csv',
	xml: 'xml',
};

/** The last path segment's extension; the name is never touched on disk. */
function formatByExtension(name: string): FileFormat | undefined {
	const base = name.split(/[\\/]/).pop() ?? '';
	const dot = base.lastIndexOf('.');
	return dot > 0 ? EXTENSION_FORMATS[base.slice(dot + 1).toLowerCase()] : undefined;
}

function sniffFormat(first: Buffer | undefined): FileFormat {
	const head = (first ?? Buffer.alloc(0))
		.subarray(0, 64)
		.toString('latin1')
		.replace(/^(\uFEFF|ï»¿)/, '')
		.trimStart();
	return head.startsWith('<') ? 'xml' : 'csv';
}

function destroyQuietly(data: Buffer | NodeJS.ReadableStream): void {
	const stream = data as { destroy?: () => void };
	if (!Buffer.isBuffer(data) && typeof stream.destroy === 'function') stream.destroy();
}

/**
 * Reads one Stampli file into canonical records. Invalid records are reported in `errors` (file,
 * rows, field, reason) and left out; the valid ones are returned — unless `allOrNothing`.
 * Throws StampliFileError when the file as a whole cannot be read, TemplateError for a bad template.
 * `input.name` is data (a remote path): it is reported, never opened.
 */
export async function parseStampliFile(
	input: { name: string; data: Buffer | NodeJS.ReadableStream },
	kind: StampliFileKind,
	options: ParseOptions = {},
): Promise<ParsedFile<Invoice | Payment | Vendor>> {
	if (options.template && options.template.kind !== kind) {
		throw new TemplateError(
			[
				`template "${options.template.name}@${options.template.version}" is for ${options.template.kind}, not ${kind}`,
			],
			options.template.name,
		);
	}
	return (await parseWithTemplate(input, kind, options)) as unknown as ParsedFile<
		Invoice | Payment | Vendor
	>;
}

/**
 * The same reader for any template kind, feeds included (so a written feed file can be read back
 * and checked). Records are canonical-shaped objects of the template's kind.
 */
export async function parseWithTemplate(
	input: { name: string; data: Buffer | NodeJS.ReadableStream },
	kind: TemplateKind,
	options: ParseOptions = {},
): Promise<ParsedFile<Record<string, unknown>>> {
	const file = input.name;
	const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
	if (!(maxBytes > 0))
		throw new StampliFileError({
			file,
			reason: `maxBytes must be a positive number (got ${maxBytes})`,
		});
	let sumTolerance = '0';
	if (options.sumTolerance !== undefined && options.sumTolerance !== '') {
		const tolerance = options.sumTolerance;
		let parsed: string | undefined;
		try {
			parsed = readDecimal(tolerance, { decimalSeparator: '.' });
		} catch {
			parsed = undefined;
		}
		if (parsed === undefined || parsed.startsWith('-'))
			throw new StampliFileError({
				file,
				field: 'sumTolerance',
				reason: `sum tolerance must be a non-negative decimal like "0.01" (got ${JSON.stringify(tolerance)})`,
			});
		sumTolerance = parsed;
	}
	const template = options.template ? validateTemplate(options.template) : undefined;
	if (template && template.kind !== kind)
		throw new TemplateError(
			[`template "${template.name}@${template.version}" is for ${template.kind}, not ${kind}`],
			template.name,
		);

	const source = new ByteSource(file, input.data, maxBytes);
	try {
		const iterator = source.chunks()[Symbol.asyncIterator]();
		let format: FileFormat | undefined =
			options.format && options.format !== 'auto' ? options.format : formatByExtension(file);
		let first: Buffer | undefined;
		if (!format) {
			const next = await iterator.next();
			first = next.done ? undefined : next.value;
			format = sniffFormat(first);
		}
		const chunks = prepend(first, iterator);
		const resolved = template ?? getDefaultTemplate(kind, format);
		const plan = compilePlan(resolved, format, file);
		const read = format === 'csv' ? await readCsv(chunks, plan) : await readXml(chunks, plan);

		const sha256 = source.sha256;
		const records: Array<Record<string, unknown>> = [];
		const errors: RecordError[] = read.errors;
		const warnings: RecordError[] = [];
		for (const raw of read.records) {
			const built = buildRecord(plan, raw, { sumTolerance });
			warnings.push(...built.warnings);
			if (built.record) {
				built.record.source.sha256 = sha256;
				records.push(built.record);
			} else errors.push(...built.errors);
		}
		errors.sort((a, b) => (a.rows[0] ?? 0) - (b.rows[0] ?? 0));
		if (options.allOrNothing && errors.length && records.length) {
			errors.push({
				file,
				rows: [],
				reason: `all-or-nothing: ${records.length} valid record(s) withheld because ${errors.length} problem(s) were found in the file`,
			});
			records.length = 0;
		}
		return {
			file: { name: file, sha256, bytes: source.bytes, format, template: plan.templateId },
			records,
			errors,
			warnings,
		};
	} catch (error) {
		destroyQuietly(input.data);
		return Promise.reject(error);
	}
}
