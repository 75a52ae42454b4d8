/** CSV or XML: by the caller's choice, else by the name's extension, else by the first byte. */
import type { FileFormat } from './plan';

const EXTENSION_FORMATS: Record<string, FileFormat> = {
	csv: 'csv',
	txt: 'csv',
	tsv: 'csv',
	xml: 'xml',
};

/** The last path segment's extension; the name is never touched on disk. */
export function formatByExtension(name: string): FileFormat | undefined {
	const base = name.split(/[\\/]/).pop() ?? '';
	const dot = base.lastIndexOf('.');
	return dot > 0 ? EXTENSION_FORMATS[base.slice(dot + 1).toLowerCase()] : undefined;
}

/** XML when the text starts with `<` (after a BOM and blanks, in UTF-8 or UTF-16), else CSV. */
export function sniffFormat(first: Buffer | undefined): FileFormat {
	const head = (first ?? Buffer.alloc(0))
		.subarray(0, 64)
		.toString('latin1')
		.replace(/\u0000/g, '')
		.replace(/^(\uFEFF|ï»¿|ÿþ|þÿ)/, '')
		.trimStart();
	return head.startsWith('<') ? 'xml' : 'csv';
}
