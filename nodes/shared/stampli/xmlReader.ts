/**
 * XML reader: one record element per record, line elements nested. The document is never held
 * whole: the bytes are decoded as they stream in, a small splitter (xmlSplitter.ts) cuts out one
 * record element at a time, and only that record is validated and parsed, so memory holds one
 * record's text plus the records already collected. Safety first: a document with a DOCTYPE or an
 * ENTITY (or any DTD) declaration is refused wherever it appears, and the parser runs with entity
 * processing off; only the five predefined entities and character references are decoded (by us,
 * in one bounded pass). No DTD, no external entity, no expansion.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { StampliFileError } from './errors';
import type { RecordError } from './errors';
import type { FieldPlan, Plan, RawRecord } from './plan';
import type { ReadResult } from './csvReader';
import type { TextEncoding } from './templates';
import { XmlRecordSplitter, XmlSplitError } from './xmlSplitter';
import type { XmlRecordText } from './xmlSplitter';

/** Bytes looked at for a BOM and the XML declaration's encoding. */
const HEAD_BYTES = 200;

function pickEncoding(head: Buffer, fallback: TextEncoding, file: string): 'utf8' | 'latin1' {
	if (head[0] === 0xfe || head[0] === 0xff)
		throw new StampliFileError({
			file,
			reason: 'UTF-16 XML is not supported; export as UTF-8 or ISO-8859-1',
		});
	const hasBom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
	const text = head.subarray(0, HEAD_BYTES).toString('latin1');
	const declared = /^(?:\uFEFF|ï»¿)?\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']/i
		.exec(text)?.[1]
		.toLowerCase();
	let encoding: TextEncoding = fallback;
	if (declared) {
		if (['utf-8', 'utf8', 'us-ascii', 'ascii'].includes(declared)) encoding = 'utf8';
		else if (['iso-8859-1', 'latin1', 'latin-1', 'iso8859-1', 'l1'].includes(declared))
			encoding = 'latin1';
		else
			throw new StampliFileError({
				file,
				reason: `unsupported XML encoding "${declared}"; use UTF-8 or ISO-8859-1`,
			});
	}
	if (encoding === 'latin1') {
		if (hasBom)
			throw new StampliFileError({
				file,
				reason:
					'the file starts with a UTF-8 byte-order mark but declares or is configured as Latin-1',
			});
		return 'latin1';
	}
	return 'utf8';
}

/**
 * The file's text piece by piece. The encoding is decided from the first HEAD_BYTES (BOM, XML
 * declaration, else the template); UTF-8 is decoded strictly (a BOM is dropped), with characters
 * split across chunks carried over by the decoder.
 */
async function* decodeXml(
	chunks: AsyncIterable<Buffer>,
	fallback: TextEncoding,
	file: string,
): AsyncGenerator<string> {
	const head: Buffer[] = [];
	let headBytes = 0;
	let decode: ((chunk: Buffer | undefined) => string) | undefined;
	const start = (): void => {
		const first = Buffer.concat(head);
		if (first.length === 0) throw new StampliFileError({ file, reason: 'the file is empty' });
		if (pickEncoding(first, fallback, file) === 'latin1') {
			decode = (chunk) => (chunk ? chunk.toString('latin1') : '');
			return;
		}
		const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
		decode = (chunk) => {
			try {
				return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
			} catch {
				throw new StampliFileError({
					file,
					reason:
						'the file is not valid UTF-8; if it is Latin-1, declare encoding="ISO-8859-1" or select the Latin-1 encoding',
				});
			}
		};
	};
	for await (const chunk of chunks) {
		if (decode) {
			yield decode(chunk);
			continue;
		}
		head.push(chunk);
		headBytes += chunk.length;
		if (headBytes < HEAD_BYTES) continue;
		start();
		yield decode!(Buffer.concat(head));
		head.length = 0;
	}
	if (!decode) {
		start();
		yield decode!(Buffer.concat(head));
	}
	yield decode!(undefined);
}

function refusal(keyword: string, file: string): StampliFileError {
	return new StampliFileError({
		file,
		reason: `the XML contains a <!${keyword}> declaration; DTDs and entity declarations are refused so no entity is ever expanded — export the file without a DOCTYPE`,
	});
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
			const code =
				name[1] === 'x' || name[1] === 'X'
					? parseInt(name.slice(2), 16)
					: parseInt(name.slice(1), 10);
			if (code > 0 && code <= 0x10ffff) return String.fromCodePoint(code);
		} else if (PREDEFINED[name] !== undefined) return PREDEFINED[name];
		problem ??= new XmlValueProblem(`contains the undeclared entity ${whole}`);
		return whole;
	});
	return problem ?? decoded;
}

const asArray = (value: unknown): unknown[] =>
	value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The text at an element path, or a problem (repeated element, element with children where text was expected). */
function textAt(node: unknown, segments: string[]): string | undefined | XmlValueProblem {
	let current: unknown = node;
	for (const segment of segments) {
		if (current === undefined || current === null || typeof current !== 'object') return undefined;
		let next = (current as Record<string, unknown>)[segment];
		if (Array.isArray(next)) {
			if (next.length > 1)
				return new XmlValueProblem(
					`<${segment}> appears ${next.length} times where one value is expected`,
				);
			next = next[0];
		}
		current = next;
	}
	if (current === undefined || current === null) return undefined;
	if (typeof current === 'object') {
		const text = (current as Record<string, unknown>)['#text'];
		const children = Object.keys(current).filter((k) => k !== '#text' && !k.startsWith('@'));
		if (children.length)
			return new XmlValueProblem(
				`expected text but found child elements <${children.join('>, <')}>`,
			);
		return text === undefined ? '' : String(text).trim();
	}
	return String(current).trim();
}

function elementsAt(node: unknown, segments: string[]): unknown[] {
	let current: unknown[] = [node];
	for (const segment of segments) {
		current = current.flatMap((n) =>
			n && typeof n === 'object' ? asArray((n as Record<string, unknown>)[segment]) : [],
		);
	}
	return current;
}

function parserFor(): XMLParser {
	return new XMLParser({
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
}

/**
 * Collected records hold their values until the file is done; exports repeat most of them (currency,
 * dates, accounts, departments, vendors), so short values are shared, in a table of bounded size.
 */
function valueTable(): (text: string) => string {
	const table = new Map<string, string>();
	return (text) => {
		if (text.length > 40) return text;
		const known = table.get(text);
		if (known !== undefined) return known;
		if (table.size < 50_000) table.set(text, text);
		return text;
	};
}

export async function readXml(chunks: AsyncIterable<Buffer>, plan: Plan): Promise<ReadResult> {
	const { template, file } = plan;
	const parser = parserFor();
	const recordName = template.xml.recordElement;
	const lineSegments = template.xml.lineElement ? template.xml.lineElement.split('/') : [];
	const segmentsOf = (field: FieldPlan) => (field.xml ?? '').split('/');
	const headerPaths = plan.header.map(segmentsOf);
	const linePaths = plan.lines.map(segmentsOf);
	const keyIndex = plan.header.indexOf(plan.key);

	const groups = new Map<string, RawRecord>();
	const errors: RecordError[] = [];
	const shared = valueTable();

	const readRecord = ({ text, index: row, line, column }: XmlRecordText): void => {
		// The splitter checked the nesting; the validator checks the rest (names, attributes, references).
		const valid = XMLValidator.validate(text);
		if (valid !== true) {
			const at =
				valid.err.line === 1
					? { line, column: column + valid.err.col - 1 }
					: { line: line + valid.err.line - 1, column: valid.err.col };
			throw new StampliFileError({
				file,
				row,
				reason: `not well-formed XML at line ${at.line}, column ${at.column} (record element ${row}): ${valid.err.msg}`,
			});
		}
		const element = (parser.parse(text) as Record<string, unknown>)[recordName];
		const problems: RecordError[] = [];
		const read = (
			field: FieldPlan,
			node: unknown,
			segments: string[],
			recordId?: string,
		): string | undefined => {
			if (field.xml === undefined) return undefined;
			const raw = textAt(node, segments);
			const value = typeof raw === 'string' ? decodeEntities(raw) : raw;
			if (value instanceof XmlValueProblem) {
				problems.push({
					file,
					rows: [row],
					field: field.label,
					reason: `${field.label} (${field.path}): ${value.reason}`,
					recordId,
				});
				return undefined;
			}
			return value === undefined ? undefined : shared(value);
		};
		const key = read(plan.key, element, headerPaths[keyIndex]) ?? '';
		if (!key) {
			errors.push({
				file,
				rows: [row],
				field: plan.key.label,
				reason:
					problems[0]?.reason ??
					`record element ${row} has no ${plan.key.label}, so it belongs to no record`,
			});
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
		const lines = elementsAt(element, lineSegments).map((lineNode) => ({
			row,
			cells: plan.lines.map((field, j) => read(field, lineNode, linePaths[j], key)),
		}));
		groups.set(key, { key, rows: [row], header, lines, problems });
	};

	const splitter = new XmlRecordSplitter(template.xml.rootElement, recordName, readRecord);
	try {
		for await (const text of decodeXml(chunks, template.xml.encoding, file)) splitter.feed(text);
		splitter.end();
	} catch (error) {
		if (!(error instanceof XmlSplitError)) throw error;
		const problem = error.problem;
		if (problem.kind === 'forbidden') throw refusal(problem.keyword, file);
		if (problem.kind === 'root') {
			const rootName = template.xml.rootElement;
			throw new StampliFileError({
				file,
				field: rootName,
				reason: `expected the root element <${rootName}>, found <${problem.found ?? 'nothing'}>`,
			});
		}
		const inRecord = problem.record !== undefined ? ` (record element ${problem.record})` : '';
		throw new StampliFileError({
			file,
			row: problem.record,
			reason: `not well-formed XML at line ${problem.line}, column ${problem.column}${inRecord}: ${problem.message}`,
		});
	}
	return { records: [...groups.values()], errors };
}
