/**
 * Stampli files: invoice, payment and vendor exports (CSV or XML) read through a template into
 * canonical records — whole (parseStampliFile) or as a stream of records (streamStampliFile, see
 * streamFile.ts) — and the feed files written for Stampli (feedEncoding/). The trigger, the
 * Stampli Files node and the feed writer code against this module.
 */
export * from './parseFile';
export { streamStampliFile, streamWithTemplate } from './streamFile';
export type {
	FileSummary,
	StampliFileEvent,
	StampliFileInput,
	StampliFileKind,
	StreamCounts,
} from './streamFile';
export { DEFAULT_MAX_BYTES, PARSE_DEFAULTS } from './parseOptions';
export type { ParseOptions, PlausibilityMode } from './parseOptions';
export { describeRows, StampliFileError } from './errors';
export type { RecordError } from './errors';
export { normaliseDocumentType } from './recordValidation';
export * from './templates';
