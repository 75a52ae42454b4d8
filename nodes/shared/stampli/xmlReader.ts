/**
 * XML reader: one record element per record, line elements nested. The document is never held
 * whole: the bytes are decoded as they stream in, a splitter (xmlSplitter.ts) cuts out one record
 * element at a time, and only that record is checked and parsed. Safety first: a document with a
 * DOCTYPE or an ENTITY (or any DTD) declaration is refused wherever it appears, and the parser runs
 * with entity processing off; only the five predefined entities and character references are
 * decoded (by us, in one bounded pass). No DTD, no external entity, no expansion.
 *
 * A record that is not well-formed (a forbidden character, a bad attribute, nesting too deep, too
 * large) is rejected on its own, named by record element, line, column and element path; whatever
 * fast-xml-parser throws is caught here and reported the same way. The other records are read on.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
	controlCharacterReason,
	hasControlCharacter,
	stripControlCharacters,
} from './controlCharacters';
import { StampliFileError } from './errors';
import type { RecordError } from './errors';
import type { ReaderLimits } from './parseOptions';
import type { FieldPlan, Plan, RawRecord } from './plan';
import { RecordGrouper } from './recordGrouping';
import { decodeXml } from './xmlDecoding';
import { XmlRecordSplitter, XmlSplitError } from './xmlSplitter';
import type { XmlRecordRefusal, XmlRecordText } from './xmlSplitter';
import {
	cdataAsText,
	decodeEntities,
	elementPathAt,
	elementsAt,
	findForbiddenCharacter,
	positionIn,
	sniffKey,
	textAt,
	XmlValueProblem,
} from './xmlValues';

function parserFor(limits: ReaderLimits): XMLParser {
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
		// The splitter refuses deeper records first; this only keeps the library's own limit above ours.
		maxNestedTags: limits.maxDepth + 2,
		// No callback needs the path as a string: building it for every tag cost a fifth of the parse.
		jPath: false,
	});
}

/**
 * Values repeat across records (currency, dates, accounts, departments, vendors): short ones are
 * shared through a table of bounded size, so records held to the end of the file cost less.
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

/** Why a record element cannot be parsed: a located problem, or undefined when it is well-formed. */
interface Unreadable {
	offset: number;
	reason: string;
}

function checkWellFormed(text: string): Unreadable | undefined {
	const forbidden = findForbiddenCharacter(text);
	if (forbidden)
		return {
			offset: forbidden.offset,
			reason: `${forbidden.what} is not allowed in XML 1.0, so the record is not well-formed`,
		};
	const valid = XMLValidator.validate(text);
	if (valid === true) return undefined;
	let offset = 0;
	for (let line = 1; line < valid.err.line && offset >= 0; line++)
		offset = text.indexOf('\n', offset) + 1;
	return { offset: Math.max(0, offset) + valid.err.col - 1, reason: valid.err.msg };
}

/** Reads record elements into raw records; one instance per file. */
class XmlRecords {
	readonly grouper: RecordGrouper;
	private readonly parser: XMLParser;
	/** Only when every record is kept to the end of the file (collecting): then sharing repeated values saves memory. */
	private readonly shared?: (text: string) => string;
	private readonly headerPaths: string[][];
	private readonly linePaths: string[][];
	private readonly lineSegments: string[];
	private readonly keyIndex: number;

	constructor(
		private readonly plan: Plan,
		private readonly limits: ReaderLimits,
		release: (raw: RawRecord) => void,
	) {
		const { xml } = plan.template;
		this.parser = parserFor(limits);
		if (!Number.isFinite(limits.window)) this.shared = valueTable();
		this.lineSegments = xml.lineElement ? xml.lineElement.split('/') : [];
		const segmentsOf = (field: FieldPlan) => (field.xml ?? '').split('/');
		this.headerPaths = plan.header.map(segmentsOf);
		this.linePaths = plan.lines.map(segmentsOf);
		this.keyIndex = plan.header.indexOf(plan.key);
		this.grouper = new RecordGrouper(
			{ ...limits, file: plan.file, keyLabel: plan.key.label, unitNoun: 'record elements' },
			release,
		);
	}

	/** One record element's text → a raw record (or a rejection), handed to the grouper. */
	read(record: XmlRecordText): void {
		const text = record.text.includes('<![CDATA[') ? cdataAsText(record.text) : record.text;
		let element: unknown;
		try {
			const unreadable = checkWellFormed(text);
			if (unreadable) return this.rejectUnreadable(record, text, unreadable);
			const tree = this.parser.parse(text) as Record<string, unknown>;
			element = tree[this.plan.template.xml.recordElement];
		} catch (error) {
			// Whatever the library throws stays this record's problem, named like any other.
			const reason = `the XML parser failed: ${(error as Error)?.message ?? String(error)}`;
			return this.rejectUnreadable(record, text, { offset: 0, reason });
		}
		this.collect(record.index, element);
		this.grouper.advance(record.index);
	}

	/** A record element the splitter refused (too large, nested too deep). */
	refused(refusal: XmlRecordRefusal): void {
		const recordId = sniffKey(refusal.head, this.plan.key.xml);
		this.reject(
			refusal.index,
			undefined,
			`${this.where(refusal.index, refusal)}: ${refusal.reason}`,
			recordId,
		);
	}

	private where(index: number, at: { line: number; column: number }): string {
		return `record element ${index} (line ${at.line}, column ${at.column})`;
	}

	private rejectUnreadable(record: XmlRecordText, text: string, problem: Unreadable): void {
		const at = positionIn(text, problem.offset, record.line, record.column);
		const path = elementPathAt(text, problem.offset);
		const field = path ? this.labelFor(path) : undefined;
		const reason = `not well-formed XML at line ${at.line}, column ${at.column} (${this.where(record.index, record)}${path ? `, element ${path}` : ''}): ${problem.reason}`;
		this.reject(record.index, field, reason, sniffKey(text, this.plan.key.xml));
	}

	/** The template's label for an element path (line fields are labelled with the line element in front). */
	private labelFor(path: string): string {
		const field = this.plan.header.concat(this.plan.lines).find((f) => f.label === path);
		return field?.label ?? path;
	}

	private reject(
		index: number,
		field: string | undefined,
		reason: string,
		recordId?: string,
	): void {
		const problem: RecordError = { file: this.plan.file, rows: [index], reason };
		if (field !== undefined) problem.field = field;
		if (recordId !== undefined) problem.recordId = recordId;
		this.grouper.reject(index, problem);
		this.grouper.advance(index);
	}

	private collect(index: number, element: unknown): void {
		const { plan } = this;
		const problems: RecordError[] = [];
		const warnings: RecordError[] = [];
		const read = (field: FieldPlan, node: unknown, segments: string[], recordId?: string) =>
			this.value(field, node, segments, { index, recordId, problems, warnings });
		const key = read(plan.key, element, this.headerPaths[this.keyIndex]) ?? '';
		if (!key) {
			const reason =
				problems[0]?.reason ??
				`record element ${index} has no ${plan.key.label}, so it belongs to no record`;
			return this.reject(index, plan.key.label, reason);
		}
		const raw = this.grouper.place(key, index);
		const { fresh } = this.grouper;
		// A repeated key is reported by the record builder as a duplicate; neither element is trusted.
		if (!fresh) return;
		for (const p of problems) p.recordId = key;
		raw.header = plan.header.map((field, j) => read(field, element, this.headerPaths[j], key));
		const lines = elementsAt(element, this.lineSegments);
		if (lines.length > this.limits.maxRecordLines) {
			problems.push({
				file: plan.file,
				rows: [index],
				reason: `the record has ${lines.length} lines, more than ${this.limits.maxRecordLines} (maxRecordLines)`,
				recordId: key,
			});
			raw.rejected = true;
		} else
			raw.lines = lines.map((node) => ({
				row: index,
				cells: plan.lines.map((field, j) => read(field, node, this.linePaths[j], key)),
			}));
		raw.problems = problems;
		if (warnings.length) raw.warnings = warnings;
		this.grouper.weigh(raw, raw.lines.length);
	}

	/** A field's text: entities decoded, control characters handled per policy, problems noted. */
	private value(
		field: FieldPlan,
		node: unknown,
		segments: string[],
		into: { index: number; recordId?: string; problems: RecordError[]; warnings: RecordError[] },
	): string | undefined {
		if (field.xml === undefined) return undefined;
		const raw = textAt(node, segments);
		let value = typeof raw === 'string' ? decodeEntities(raw) : raw;
		const note = (list: RecordError[], reason: string) =>
			list.push({
				file: this.plan.file,
				rows: [into.index],
				field: field.label,
				reason: `${field.label} (${field.path}): ${reason}`,
				recordId: into.recordId,
			});
		if (value instanceof XmlValueProblem) {
			note(into.problems, value.reason);
			return undefined;
		}
		if (value !== undefined && hasControlCharacter(value)) {
			const policy = this.plan.template.controlCharacters ?? 'reject';
			note(
				policy === 'strip' ? into.warnings : into.problems,
				controlCharacterReason(value, policy),
			);
			if (policy === 'strip') value = stripControlCharacters(value);
		}
		return value === undefined || !this.shared ? value : this.shared(value);
	}
}

function refusal(keyword: string, file: string): StampliFileError {
	return new StampliFileError({
		file,
		reason: `the XML contains a <!${keyword}> declaration; DTDs and entity declarations are refused so no entity is ever expanded — export the file without a DOCTYPE`,
	});
}

/** The splitter's findings outside any single record, as the file's error. */
function splitFailure(error: XmlSplitError, plan: Plan): StampliFileError {
	const { file } = plan;
	const problem = error.problem;
	if (problem.kind === 'forbidden') return refusal(problem.keyword, file);
	if (problem.kind === 'root') {
		const rootName = plan.template.xml.rootElement;
		return new StampliFileError({
			file,
			field: rootName,
			reason: `expected the root element <${rootName}>, found <${problem.found ?? 'nothing'}>`,
		});
	}
	const inRecord = problem.record !== undefined ? ` (record element ${problem.record})` : '';
	return new StampliFileError({
		file,
		row: problem.record,
		reason: `not well-formed XML at line ${problem.line}, column ${problem.column}${inRecord}: ${problem.message}`,
	});
}

/**
 * Reads the file's records as they complete, in batches (one per input chunk), in the order of
 * their record elements. Throws StampliFileError for a file-level problem.
 */
export async function* readXml(
	chunks: AsyncIterable<Buffer>,
	plan: Plan,
	limits: ReaderLimits,
): AsyncGenerator<RawRecord[]> {
	let ready: RawRecord[] = [];
	const records = new XmlRecords(plan, limits, (raw) => ready.push(raw));
	const { rootElement, recordElement, encoding } = plan.template.xml;
	const splitter = new XmlRecordSplitter(
		rootElement,
		recordElement,
		(record) => records.read(record),
		(refused) => records.refused(refused),
		{ maxElementChars: limits.maxElementBytes, maxDepth: limits.maxDepth },
	);
	try {
		for await (const text of decodeXml(chunks, encoding, plan.file)) {
			splitter.feed(text);
			if (ready.length) {
				const batch = ready;
				ready = [];
				yield batch;
			}
		}
		splitter.end();
	} catch (error) {
		if (error instanceof XmlSplitError) throw splitFailure(error, plan);
		throw error;
	}
	records.grouper.finish();
	if (ready.length) yield ready;
}
