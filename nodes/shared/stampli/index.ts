/**
 * Stampli files: invoice, payment and vendor exports (CSV or XML) read through a template into
 * canonical records. The trigger, the Stampli Files node and the feed writer code against this module.
 */
export * from './parseFile';
export { StampliFileError } from './errors';
export type { RecordError } from './errors';
export { normaliseDocumentType } from './recordValidation';
export * from './templates';
