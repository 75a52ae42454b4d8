/**
 * Adapts the Stampli file reader (nodes/shared/stampli) to the inbox, applying the node's kind, format
 * and template overrides per file: as a streaming RecordReader (the trigger: memory bounded by the
 * reader's window and one batch, whatever the file size) or as a whole-file FileParser (Download and
 * Parse, and all-or-nothing files, which must be seen whole before any record is let through).
 * Plain module: both Stampli nodes call it.
 */
import {
	getDefaultTemplate,
	parseStampliFile,
	resolveTemplate,
	streamStampliFile,
	type StampliFileKind,
	type TemplateOverrides,
} from '../stampli';
import { readerFromParser, type FileEntry, type FileFacts, type RecordReader } from './batches';
import type { FileParser } from './types';

export type FileKindChoice = StampliFileKind | 'byName';
export type FormatChoice = 'auto' | 'csv' | 'xml';

export interface StampliParserOptions {
	kind: FileKindChoice;
	format: FormatChoice;
	overrides?: TemplateOverrides;
	sumTolerance?: string;
	allOrNothing?: boolean;
	maxBytes?: number;
}

/** Decides the kind of a file from its name: the words invoice, payment or vendor, as Stampli names its exports. */
export function kindFromName(name: string): StampliFileKind {
	const lower = name.toLowerCase();
	const hits = (['invoices', 'payments', 'vendors'] as const).filter((kind) =>
		lower.includes(kind.slice(0, -1)),
	);
	if (hits.length !== 1) {
		throw new Error(
			`Cannot tell from the file name ${JSON.stringify(name)} whether it holds invoices, payments or vendors ` +
				'(expected exactly one of the words "invoice", "payment", "vendor"); set File Kind explicitly.',
		);
	}
	return hits[0];
}

function formatOf(name: string, choice: FormatChoice): 'csv' | 'xml' {
	if (choice !== 'auto') return choice;
	return /\.xml$/i.test(name) ? 'xml' : 'csv';
}

function hasOverrides(overrides: TemplateOverrides | undefined): overrides is TemplateOverrides {
	return (
		!!overrides &&
		Object.values(overrides).some(
			(v) => v !== undefined && v !== '' && !(typeof v === 'object' && Object.keys(v).length === 0),
		)
	);
}

/** Kind, format and template of one file under the node's choices. */
function fileSettings(options: StampliParserOptions, name: string) {
	const kind = options.kind === 'byName' ? kindFromName(name) : options.kind;
	const format = formatOf(name, options.format);
	const template = hasOverrides(options.overrides)
		? resolveTemplate(getDefaultTemplate(kind, format), options.overrides)
		: undefined;
	return {
		kind,
		parse: {
			format,
			template,
			sumTolerance: options.sumTolerance,
			allOrNothing: options.allOrNothing,
			maxBytes: options.maxBytes,
		},
	};
}

export function makeStampliParser(options: StampliParserOptions): FileParser {
	return async ({ name, path, data }) => {
		const { kind, parse } = fileSettings(options, name);
		return await parseStampliFile({ name: path, data }, kind, parse);
	};
}

/**
 * The streaming reader: records and rejected records in file order as the bytes arrive. Records carry
 * an empty `source.sha256` until the file's end; the items get the file's hash (known before any
 * batch is emitted, from the first pass).
 */
export function makeStampliReader(options: StampliParserOptions): RecordReader {
	if (options.allOrNothing) return readerFromParser(makeStampliParser(options));
	return ({ name, path, data }) => {
		let facts: FileFacts | undefined;
		async function* entries(): AsyncGenerator<FileEntry<unknown>> {
			const { kind, parse } = fileSettings(options, name);
			for await (const event of streamStampliFile({ name: path, data }, kind, parse)) {
				if (event.type === 'record') yield { record: event.record };
				else if (event.type === 'rejected') {
					for (const error of event.errors) yield { problem: error };
				} else facts = { format: event.file.format, template: event.file.template };
			}
		}
		return {
			entries: entries(),
			facts: () => facts ?? { format: 'unknown', template: 'unknown' },
		};
	};
}
