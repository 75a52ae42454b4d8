/**
 * Options of the Stampli file readers, their defaults and their checks. The ceilings keep memory
 * bounded whatever the file: bytes read, records, characters of one record element (XML) or row
 * (CSV), lines of one record, nesting depth; each refusal names the file and, where it can, the record.
 */
import { readDecimal, TemplateError, validateTemplate } from './templates';
import type { Template, TemplateKind } from './templates';
import { StampliFileError } from './errors';
import type { PlausibilityMode } from './plan';

export type { PlausibilityMode } from './plan';

export interface ParseOptions {
	/** `auto` (default) decides by extension (.csv/.txt/.tsv → CSV, .xml → XML), else by the first byte. */
	format?: 'csv' | 'xml' | 'auto';
	/** Defaults to the kind's default template (`invoice-export@1`, …). Must be of the same kind. */
	template?: Template;
	/** Allowed |sum(lines.amount) − (total − taxTotal)|, a decimal string; default '0'. */
	sumTolerance?: string;
	/** When any record is invalid, return no records at all (parseStampliFile only; the errors say why). */
	allOrNothing?: boolean;
	/** Refuse files larger than this many bytes; default 256 MiB. */
	maxBytes?: number;
	/** Refuse files with more records than this; default 2,000,000. */
	maxRecords?: number;
	/** Largest XML record element or CSV row, in characters; default 16 MiB. A larger XML record is rejected on its own. */
	maxElementBytes?: number;
	/** Most lines one record may have; default 250,000. A record with more is rejected. */
	maxRecordLines?: number;
	/** Deepest element nesting below an XML record element; default 64. A deeper record is rejected. */
	maxDepth?: number;
	/**
	 * Streaming only: rows of other records that may follow a record's last row before it counts as
	 * complete and is handed on; default 2,000. parseStampliFile groups across the whole file.
	 */
	groupWindowRows?: number;
	/** Implausible values (see plausibility.ts) warn (default) or reject the record. */
	plausibility?: PlausibilityMode;
	/** Inclusive ISO dates outside which a date field is implausible; default 1900-01-01 … 2100-12-31. */
	dateRange?: { from?: string; to?: string };
	/**
	 * The file's SHA-256 when the caller already knows it (e.g. from an earlier pass): streamed records
	 * carry it in `source.sha256`, and the end of the stream checks the bytes read against it.
	 */
	sha256?: string;
}

export const PARSE_DEFAULTS = {
	maxBytes: 256 * 1024 * 1024,
	maxRecords: 2_000_000,
	maxElementBytes: 16 * 1024 * 1024,
	maxRecordLines: 250_000,
	maxDepth: 64,
	groupWindowRows: 2_000,
	dateRange: { from: '1900-01-01', to: '2100-12-31' },
} as const;

export const DEFAULT_MAX_BYTES = PARSE_DEFAULTS.maxBytes;

/** What a reader needs to bound its memory. */
export interface ReaderLimits {
	window: number;
	maxRecords: number;
	maxRecordLines: number;
	maxElementBytes: number;
	maxDepth: number;
}

/** The options resolved and checked, once per file. */
export interface ParseSettings {
	file: string;
	template?: Template;
	maxBytes: number;
	limits: ReaderLimits;
	sumTolerance: string;
	plausibility: PlausibilityMode;
	dateRange: { from: string; to: string };
	sha256?: string;
}

function positiveWhole(
	file: string,
	name: string,
	value: number | undefined,
	fallback: number,
): number {
	if (value === undefined) return fallback;
	if (!(Number.isInteger(value) && value > 0) && value !== Infinity)
		throw new StampliFileError({
			file,
			field: name,
			reason: `${name} must be a positive whole number (got ${value})`,
		});
	return value;
}

function checkTolerance(file: string, tolerance: string | undefined): string {
	if (tolerance === undefined || tolerance === '') return '0';
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
	return parsed;
}

function checkDateRange(
	file: string,
	range: ParseOptions['dateRange'],
): { from: string; to: string } {
	const from = range?.from || PARSE_DEFAULTS.dateRange.from;
	const to = range?.to || PARSE_DEFAULTS.dateRange.to;
	const iso = /^\d{4}-\d{2}-\d{2}$/;
	if (!iso.test(from) || !iso.test(to) || from > to)
		throw new StampliFileError({
			file,
			field: 'dateRange',
			reason: `dateRange must be two ISO dates, from ≤ to (got ${from} … ${to})`,
		});
	return { from, to };
}

function checkTemplate(kind: TemplateKind, template: Template | undefined): Template | undefined {
	if (!template) return undefined;
	if (template.kind !== kind)
		throw new TemplateError(
			[`template "${template.name}@${template.version}" is for ${template.kind}, not ${kind}`],
			template.name,
		);
	return validateTemplate(template);
}

/** Checks every option; throws StampliFileError (or TemplateError) naming the one that is wrong. */
export function resolveParseSettings(
	file: string,
	kind: TemplateKind,
	options: ParseOptions,
	streaming: boolean,
): ParseSettings {
	const d = PARSE_DEFAULTS;
	const window = options.groupWindowRows ?? (streaming ? d.groupWindowRows : Infinity);
	if (!(window >= 0))
		throw new StampliFileError({
			file,
			field: 'groupWindowRows',
			reason: `groupWindowRows must be 0 or more (got ${window})`,
		});
	if (options.plausibility !== undefined && !['warn', 'reject'].includes(options.plausibility))
		throw new StampliFileError({
			file,
			field: 'plausibility',
			reason: `plausibility must be warn or reject (got ${JSON.stringify(options.plausibility)})`,
		});
	if (options.sha256 !== undefined && !/^[0-9a-f]{64}$/.test(options.sha256))
		throw new StampliFileError({
			file,
			field: 'sha256',
			reason: 'sha256 must be 64 lowercase hex digits',
		});
	return {
		file,
		template: checkTemplate(kind, options.template),
		maxBytes: positiveWhole(file, 'maxBytes', options.maxBytes, d.maxBytes),
		limits: {
			window,
			maxRecords: positiveWhole(file, 'maxRecords', options.maxRecords, d.maxRecords),
			maxRecordLines: positiveWhole(
				file,
				'maxRecordLines',
				options.maxRecordLines,
				d.maxRecordLines,
			),
			maxElementBytes: positiveWhole(
				file,
				'maxElementBytes',
				options.maxElementBytes,
				d.maxElementBytes,
			),
			maxDepth: positiveWhole(file, 'maxDepth', options.maxDepth, d.maxDepth),
		},
		sumTolerance: checkTolerance(file, options.sumTolerance),
		plausibility: options.plausibility ?? 'warn',
		dateRange: checkDateRange(file, options.dateRange),
		sha256: options.sha256,
	};
}
