/**
 * XML reader: one record element per record, line elements nested. Safety first: a document with a
 * DOCTYPE or an ENTITY declaration is refused while its bytes stream in, before any parsing, and the
 * parser runs with entity processing off; only the five predefined entities and character
 * references are decoded (by us, in one bounded pass). No DTD, no external entity, no expansion.
 * The document is parsed once complete; its size is bounded by `maxBytes`.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { StampliFileError } from './errors';
import type { RecordError } from './errors';
import type { FieldPlan, Plan, RawRecord } from './assemble';
import type { ReadResult } from './csvReader';
import type { TextEncoding } from './templates';

const FORBIDDEN = /<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i;

async function collectRefusingDtd(chunks: AsyncIterable<Buffer>, file: string): Promise<Buffer> {
	const parts: Buffer[] = [];
	let tail = '';
	for await (const chunk of chunks) {
		// Latin-1 maps bytes 1:1, enough to spot ASCII markup in UTF-8 too; the tail catches a split marker.
		const window = tail + chunk.toString('latin1');
		const found = FORBIDDEN.exec(window);
		if (found) {
			throw new StampliFileError({
				file,
				reason: `the XML contains a <!${found[1].toUpperCase()}> declaration; DTDs and entity declarations are refused so no entity is ever expanded — export the file without a DOCTYPE`,
			});
		}
		tail = window.slice(-24);
		parts.push(chunk);
	}
	return Buffer.concat(parts);
}

function decodeXml(bytes: Buffer, fallback: TextEncoding, file: string): string {
	if (bytes[0] === 0xfe || bytes[0] === 0xff) throw new StampliFileError({ file, reason: 'UTF-16 XML is not supported; export as UTF-8 or ISO-8859-1' });
	const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
	const head = bytes.subarray(0, 200).toString('latin1');
	const declared = /^(?:\uFEFF|ï»¿)?\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1].toLowerCase();
	let encoding: TextEncoding = fallback;
	if (declared) {
		if (['utf-8', 'utf8', 'us-ascii', 'ascii'].includes(declared)) encoding = 'utf8';
		else if (['iso-8859-1', 'latin1', 'latin-1', 'iso8859-1', 'l1'].includes(declared)) encoding = 'latin1';
		else throw new StampliFileError({ file, reason: `unsupported XML encoding "${declared}"; use UTF-8 or ISO-8859-1` });
	}
	if (encoding === 'latin1') {
		if (hasBom) throw new StampliFileError({ file, reason: 'the file starts with a UTF-8 byte-order mark but declares or is configured as Latin-1' });
		return bytes.toString('latin1');
	}
	let text: string | undefined;
	try {
		text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
	} catch {
		text = undefined;
	}
	if (text === undefined) throw new StampliFileError({ file, reason: 'the file is not valid UTF-8; if it is Latin-1, declare encoding="ISO-8859-1" or select the Latin-1 encoding' });
	return text;
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ENTITY = /&(#x[0-9a-fA-F]+|#\d+|[A-Za-z_][\w.-]*);/g;

class XmlValueProblem {
	constructor(readonly reason: string) {}
}

/** Predefined entities and character references only; anything else is an undeclared entity. */
function decodeEntities(text: string): string | XmlValueProblem {
	if (!text.includes('&')) return text;
	let problem: XmlValueProblem | undefined;
	const decoded = text.replace(ENTITY, (whole, name: string) => {
		if (name[0] === '#') {
			const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
			if (code > 0 && code <= 0x10ffff) return String.fromCodePoint(code);
		} else if (PREDEFINED[name] !== undefined) return PREDEFINED[name];
		problem ??= new XmlValueProblem(`contains the undeclared entity ${whole}`);
		return whole;
	});
	return problem ?? decoded;
}

const asArray = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The text at an element path, or a problem (repeated element, element with children where text was expected). */
function textAt(node: unknown, segments: string[]): string | undefined | XmlValueProblem {
	let current: unknown = node;
	for (const segment of segments) {
		if (current === undefined || current === null || typeof current !== 'object') return undefined;
		let next = (current as Record<string, unknown>)[segment];
		if (Array.isArray(next)) {
			if (next.length > 1) return new XmlValueProblem(`<${segment}> appears ${next.length} times where one value is expected`);
			next = next[0];
		}
		current = next;
	}
	if (current === undefined || current === null) return undefined;
	if (typeof current === 'object') {
		const text = (current as Record<string, unknown>)['#text'];
		const children = Object.keys(current).filter((k) => k !== '#text' && !k.startsWith('@'));
		if (children.length) return new XmlValueProblem(`expected text but found child elements <${children.join('>, <')}>`);
		return text === undefined ? '' : String(text).trim();
	}
	return String(current).trim();
}

function elementsAt(node: unknown, segments: string[]): unknown[] {
	let current: unknown[] = [node];
	for (const segment of segments) {
		current = current.flatMap((n) => (n && typeof n === 'object' ? asArray((n as Record<string, unknown>)[segment]) : []));
	}
	return current;
}

export async function readXml(chunks: AsyncIterable<Buffer>, plan: Plan): Promise<ReadResult> {
	const { template, file } = plan;
	const bytes = await collectRefusingDtd(chunks, file);
	if (bytes.length === 0) throw new StampliFileError({ file, reason: 'the file is empty' });
	const text = decodeXml(bytes, template.xml.encoding, file);
	const valid = XMLValidator.validate(text);
	if (valid !== true) {
		throw new StampliFileError({ file, reason: `not well-formed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}` });
	}
	const parser = new XMLParser({
		ignoreAttributes: false,
		attributeNamePrefix: '@',
		textNodeName: '#text',
		parseTagValue: false,
		parseAttributeValue: false,
		processEntities: false,
		htmlEntities: false,
		trimValues: true,
		ignoreDeclaration: true,
		ignorePiTags: true,
	});
	const document = parser.parse(text) as Record<string, unknown>;
	const rootName = template.xml.rootElement;
	if (!(rootName in document)) {
		const found = Object.keys(document).filter((k) => !k.startsWith('?') && !k.startsWith('#'));
		throw new StampliFileError({ file, field: rootName, reason: `expected the root element <${rootName}>, found <${found.join('>, <') || 'nothing'}>` });
	}
	const root = document[rootName];
	const elements = root && typeof root === 'object' ? asArray((root as Record<string, unknown>)[template.xml.recordElement]) : [];
	const lineSegments = template.xml.lineElement ? template.xml.lineElement.split('/') : [];
	const segmentsOf = (field: FieldPlan) => (field.xml ?? '').split('/');
	const headerPaths = plan.header.map(segmentsOf);
	const linePaths = plan.lines.map(segmentsOf);
	const keyIndex = plan.header.indexOf(plan.key);

	const groups = new Map<string, RawRecord>();
	const errors: RecordError[] = [];
	elements.forEach((element, i) => {
		const row = i + 1;
		const problems: RecordError[] = [];
		const read = (field: FieldPlan, node: unknown, segments: string[], recordId?: string): string | undefined => {
			if (field.xml === undefined) return undefined;
			const raw = textAt(node, segments);
			const value = typeof raw === 'string' ? decodeEntities(raw) : raw;
			if (value instanceof XmlValueProblem) {
				problems.push({ file, rows: [row], field: field.label, reason: `${field.label} (${field.path}): ${value.reason}`, recordId });
				return undefined;
			}
			return value;
		};
		const key = read(plan.key, element, headerPaths[keyIndex]) ?? '';
		if (!key) {
			errors.push({ file, rows: [row], field: plan.key.label, reason: problems[0]?.reason ?? `record element ${row} has no ${plan.key.label}, so it belongs to no record` });
			return;
		}
		problems.forEach((p) => (p.recordId = key));
		const existing = groups.get(key);
		if (existing) {
			// Reported by buildRecord as a duplicate; neither element is trusted.
			existing.rows.push(row);
			return;
		}
		const header = plan.header.map((field, j) => read(field, element, headerPaths[j], key));
		const lines = elementsAt(element, lineSegments).map((line) => ({ row, cells: plan.lines.map((field, j) => read(field, line, linePaths[j], key)) }));
		groups.set(key, { key, rows: [row], header, lines, problems });
	});
	return { records: [...groups.values()], errors };
}
