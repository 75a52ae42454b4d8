/**
 * Adapts the Stampli file parser (nodes/shared/stampli) to pollOnce's FileParser, applying the node's
 * kind, format and template overrides per file. Plain module: both Stampli nodes call it.
 */
import {
	getDefaultTemplate,
	parseStampliFile,
	resolveTemplate,
	type StampliFileKind,
	type TemplateOverrides,
} from '../stampli';
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

export function makeStampliParser(options: StampliParserOptions): FileParser {
	return async ({ name, path, data }) => {
		const kind = options.kind === 'byName' ? kindFromName(name) : options.kind;
		const format = formatOf(name, options.format);
		const template = hasOverrides(options.overrides)
			? resolveTemplate(getDefaultTemplate(kind, format), options.overrides)
			: undefined;
		const parsed = await parseStampliFile({ name: path, data }, kind, {
			format,
			template,
			sumTolerance: options.sumTolerance,
			allOrNothing: options.allOrNothing,
			maxBytes: options.maxBytes,
		});
		return parsed;
	};
}
