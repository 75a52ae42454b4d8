/**
 * Feed encoding: canonical records → CSV (RFC 4180) or XML text, one record at a time, driven by a
 * template. The encoder holds no rows: callers pull text per record and stream it.
 * A record that cannot be written (a required field empty, an amount that is not a decimal, a date
 * that is not ISO) raises FeedRecordError naming the record and field; the stream skips it and
 * carries on, so one bad record never blocks the good ones.
 */
import { isDecimalString } from '../../records/decimal';
import { formatDate, formatDecimal, parseInstant } from '../templates/formats';
import type { FieldType, Template, TextEncoding } from '../templates/types';
import { withoutControlCharacters } from '../controlCharacters';
import { CELL_KINDS, defaultCellKind, neutraliseCell } from './neutralise';
import type { CellKind } from './neutralise';
import { escapeXmlAttribute, escapeXmlText, isSafeXmlName } from './xmlEscape';

export type FeedFormat = 'csv' | 'xml';

export interface FeedEncoderOptions {
	/** Prefix formula-looking text cells with `'`. Default: on for CSV, off for XML. */
	neutraliseFormulas?: boolean;
	/**
	 * How a column's text is neutralised, keyed by column name (CSV), element path (XML) or canonical
	 * path; wins over the template field's `neutralise` and the default by field (phone, email, ids).
	 */
	cellKinds?: Record<string, CellKind>;
	/** Indent XML (two spaces per level, LF line ends). Default true. */
	prettyXml?: boolean;
}

export class FeedRecordError extends Error {
	constructor(
		/** 0-based position of the record in the input. */
		readonly index: number,
		readonly field: string,
		readonly reason: string,
		readonly recordKey?: string,
	) {
		super(`record ${index + 1}${recordKey ? ` (${recordKey})` : ''}: field "${field}" ${reason}`);
		this.name = 'FeedRecordError';
	}
}

export class FeedTemplateError extends Error {
	constructor(template: string, reason: string) {
		super(`Template "${template}": ${reason}`);
		this.name = 'FeedTemplateError';
	}
}

type Getter = (source: unknown) => unknown;

/** A getter for a dotted path, or the reason the path cannot be used. */
function compileGetter(path: string): Getter | string {
	const keys = path.split('.');
	if (keys.some((k) => k === '' || k === '__proto__' || k === 'constructor' || k === 'prototype')) {
		return `invalid field path "${path}"`;
	}
	if (keys.length === 1) {
		const [k] = keys;
		return (source) =>
			source !== null && typeof source === 'object'
				? (source as Record<string, unknown>)[k]
				: undefined;
	}
	return (source) => {
		let value: unknown = source;
		for (const k of keys) {
			if (value === null || typeof value !== 'object') return undefined;
			value = (value as Record<string, unknown>)[k];
		}
		return value;
	};
}

/** One output value: its getter, how it is typed and whether it came from the template's line section. */
interface Binding {
	path: string;
	label: string;
	type: FieldType | 'constant';
	required: boolean;
	perLine: boolean;
	get: Getter;
	constant?: string;
	kind: CellKind;
}

const LINE_PREFIX = 'lines[].';

export interface CellContext {
	dateFormat: string;
	decimalSeparator: '.' | ',';
}

/**
 * Canonical value → cell text, or a reason it cannot be written. `undefined` / `null` / `''` → ''.
 * Numbers are only accepted for decimal/integer fields and only when they print as plain decimals.
 */
export function formatCell(
	value: unknown,
	type: FieldType,
	ctx: CellContext,
): string | { error: string } {
	if (value === undefined || value === null || value === '') return '';
	switch (type) {
		case 'decimal': {
			const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
			if (!isDecimalString(text))
				return { error: `must be a decimal string, got ${describe(value)}` };
			return formatDecimal(text, ctx.decimalSeparator);
		}
		case 'integer': {
			const text = typeof value === 'number' ? String(value) : value;
			if (typeof text !== 'string' || !/^-?\d+$/.test(text))
				return { error: `must be an integer, got ${describe(value)}` };
			return text;
		}
		case 'date': {
			if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value))
				return { error: `must be an ISO date YYYY-MM-DD, got ${describe(value)}` };
			return formatDate(value, ctx.dateFormat);
		}
		case 'instant': {
			if (typeof value !== 'string')
				return { error: `must be an ISO-8601 instant, got ${describe(value)}` };
			const parsed = parseInstant(value);
			return 'iso' in parsed ? parsed.iso : { error: parsed.error };
		}
		case 'boolean': {
			if (typeof value === 'boolean') return value ? 'true' : 'false';
			return { error: `must be true or false, got ${describe(value)}` };
		}
		case 'string':
		default:
			if (typeof value === 'string') return value;
			if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
				return String(value);
			return { error: `must be text, got ${describe(value)}` };
	}
}

function describe(value: unknown): string {
	if (typeof value === 'string')
		return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
	if (Array.isArray(value)) return 'a list';
	if (value !== null && typeof value === 'object') return 'an object';
	return String(value);
}

/** One record's values, per binding, as cell text. */
interface RowValues {
	header: string[];
	lines: string[][];
}

/**
 * A template compiled for writing. `encodeRecord` returns the text for one record (CSV rows or one
 * XML element) and the number of rows it produced; it throws FeedRecordError for a bad record.
 */
export interface FeedEncoder {
	readonly format: FeedFormat;
	readonly encoding: TextEncoding;
	/** File preamble: BOM handled by the byte layer; CSV header row or XML declaration + root start tag. */
	begin(): string;
	encodeRecord(record: unknown, index: number): { text: string; rows: number };
	end(): string;
	/** Control characters removed from text cells so far. */
	readonly removedControlCharacters: number;
}

/** Field and constant bindings of a template, in template order. */
function compileBindings(
	template: Template,
	templateId: string,
	format: FeedFormat,
	options: FeedEncoderOptions,
): Binding[] {
	const bindings: Binding[] = [];
	const kindOf = (path: string, label: string, field?: { neutralise?: CellKind }): CellKind =>
		options.cellKinds?.[label] ??
		options.cellKinds?.[path] ??
		field?.neutralise ??
		defaultCellKind(path);
	for (const field of template.fields) {
		const perLine = field.path.startsWith(LINE_PREFIX);
		const innerPath = perLine ? field.path.slice(LINE_PREFIX.length) : field.path;
		const get = compileGetter(innerPath);
		if (typeof get === 'string') throw new FeedTemplateError(templateId, get);
		const label = format === 'csv' ? field.column : field.xml;
		const kind = kindOf(innerPath, label, field);
		const required = field.required === true;
		bindings.push({ path: field.path, label, type: field.type, required, perLine, get, kind });
	}
	for (const constant of template.constants) {
		const label = format === 'csv' ? constant.column : (constant.xml ?? constant.column);
		if (!label) continue; // a reading-only constant (path without column)
		bindings.push({
			path: `constant ${label}`,
			label,
			type: 'constant',
			required: false,
			perLine: false,
			get: () => constant.value,
			constant: constant.value,
			kind: options.cellKinds?.[label] ?? 'text',
		});
	}
	if (bindings.length === 0) throw new FeedTemplateError(templateId, 'has no fields to write');
	for (const [key, kind] of Object.entries(options.cellKinds ?? {}))
		if (!CELL_KINDS.includes(kind))
			throw new FeedTemplateError(
				templateId,
				`cell kind of "${key}" must be one of ${CELL_KINDS.join(', ')} (got ${JSON.stringify(kind)})`,
			);
	return bindings;
}

/** Turns records into cell texts per binding: formatting, required checks, control characters, neutralisation. */
class RecordCells {
	removedControlCharacters = 0;
	private readonly header: Binding[];
	private readonly lines: Binding[];
	private readonly context: CellContext;
	private readonly neutralise: boolean;
	private readonly key: Getter;

	constructor(
		private readonly template: Template,
		templateId: string,
		format: FeedFormat,
		bindings: Binding[],
		options: FeedEncoderOptions,
	) {
		this.header = bindings.filter((b) => !b.perLine);
		this.lines = bindings.filter((b) => b.perLine);
		const settings = format === 'csv' ? template.csv : template.xml;
		this.context = { dateFormat: settings.dateFormat, decimalSeparator: settings.decimalSeparator };
		this.neutralise = options.neutraliseFormulas ?? format === 'csv';
		const key = compileGetter(template.recordKey);
		if (typeof key === 'string') throw new FeedTemplateError(templateId, key);
		this.key = key;
	}

	get headerBindings(): Binding[] {
		return this.header;
	}

	get lineBindings(): Binding[] {
		return this.lines;
	}

	values(record: unknown, index: number): RowValues {
		if (record === null || typeof record !== 'object' || Array.isArray(record))
			throw new FeedRecordError(index, '(record)', `must be an object, got ${describe(record)}`);
		const key = this.key(record);
		const recordKey =
			key === undefined || key === null ? undefined : `${this.template.recordKey} ${String(key)}`;
		const header = this.header.map((b) => this.cell(b, record, index, recordKey));
		const lines: string[][] = [];
		if (this.lines.length === 0) return { header, lines };
		const rawLines = (record as { lines?: unknown }).lines;
		if (rawLines !== undefined && rawLines !== null && !Array.isArray(rawLines))
			throw new FeedRecordError(
				index,
				'lines',
				`must be a list, got ${describe(rawLines)}`,
				recordKey,
			);
		for (const line of rawLines ?? [])
			lines.push(this.lines.map((b) => this.cell(b, line, index, recordKey)));
		return { header, lines };
	}

	private cell(
		binding: Binding,
		source: unknown,
		index: number,
		recordKey: string | undefined,
	): string {
		if (binding.constant !== undefined) return this.text(binding.constant, binding.kind);
		const text = formatCell(binding.get(source), binding.type as FieldType, this.context);
		if (typeof text !== 'string')
			throw new FeedRecordError(index, binding.path, text.error, recordKey);
		if (text === '' && binding.required)
			throw new FeedRecordError(index, binding.path, 'is required but empty', recordKey);
		// Only text can be read as a formula; decimal/integer/date cells are written as the values they are.
		return binding.type === 'string' ? this.text(text, binding.kind) : text;
	}

	private text(value: string, kind: CellKind): string {
		const { text, removed } = withoutControlCharacters(value);
		this.removedControlCharacters += removed;
		return this.neutralise ? neutraliseCell(text, kind) : text;
	}
}

type EncoderParts = Omit<FeedEncoder, 'removedControlCharacters'>;

export function compileFeedEncoder(
	template: Template,
	format: FeedFormat,
	options: FeedEncoderOptions = {},
): FeedEncoder {
	const templateId = `${template.name}@${template.version}`;
	const bindings = compileBindings(template, templateId, format, options);
	const cells = new RecordCells(template, templateId, format, bindings, options);
	const values = (record: unknown, index: number) => cells.values(record, index);
	const encoder =
		format === 'csv'
			? compileCsv(template, templateId, cells.headerBindings, cells.lineBindings, values)
			: compileXml(
					template,
					templateId,
					cells.headerBindings,
					cells.lineBindings,
					values,
					options.prettyXml ?? true,
				);
	return Object.defineProperty(encoder, 'removedControlCharacters', {
		get: () => cells.removedControlCharacters,
	}) as FeedEncoder;
}

function compileCsv(
	template: Template,
	templateId: string,
	headerBindings: Binding[],
	lineBindings: Binding[],
	values: (record: unknown, index: number) => RowValues,
): EncoderParts {
	const { delimiter, quote } = template.csv;
	if (!delimiter || /[\r\n]/.test(delimiter))
		throw new FeedTemplateError(
			templateId,
			`CSV delimiter ${JSON.stringify(delimiter)} must be non-empty, without CR/LF`,
		);
	if (!quote || quote.length !== 1 || delimiter.includes(quote) || /[\r\n]/.test(quote))
		throw new FeedTemplateError(
			templateId,
			`CSV quote ${JSON.stringify(quote)} must be one character, different from the delimiter`,
		);
	const doubledQuote = quote + quote;
	const quoteAll = new RegExp(escapeRegex(quote), 'g');
	const needsQuotes = (text: string) =>
		text.includes(delimiter) || text.includes(quote) || text.includes('\n') || text.includes('\r');
	const field = (text: string) =>
		needsQuotes(text) ? quote + text.replace(quoteAll, doubledQuote) + quote : text;

	// Two template fields may share a column (reading aliases); the file gets the column once, from
	// the first of them with a value.
	const columns: string[] = [];
	const slots = new Map<string, number>();
	const headerSlots = headerBindings.map((b) => slotFor(b.label));
	const lineSlots = lineBindings.map((b) => slotFor(b.label));
	function slotFor(label: string): number {
		let slot = slots.get(label);
		if (slot === undefined) {
			slot = columns.length;
			slots.set(label, slot);
			columns.push(label);
		}
		return slot;
	}
	const width = columns.length;
	const place = (row: string[], slotsOf: number[], cells: string[]) => {
		for (let i = 0; i < cells.length; i++) if (row[slotsOf[i]] === '') row[slotsOf[i]] = cells[i];
	};
	const line = (row: string[]) => row.map(field).join(delimiter) + '\r\n';

	return {
		format: 'csv',
		encoding: template.csv.encoding,
		begin: () => line(columns),
		encodeRecord(record, index) {
			const { header, lines } = values(record, index);
			const base = new Array<string>(width).fill('');
			place(base, headerSlots, header);
			if (lines.length === 0) return { text: line(base), rows: 1 };
			let text = '';
			for (const cells of lines) {
				const row = base.slice();
				place(row, lineSlots, cells);
				text += line(row);
			}
			return { text, rows: lines.length };
		},
		end: () => '',
	};
}

function escapeRegex(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** An element of the per-record XML shape: attributes and text come from bindings (by index). */
interface XmlShape {
	name: string;
	attributes: Array<{ name: string; slot: number }>;
	text?: number;
	children: XmlShape[];
}

function newShape(name: string): XmlShape {
	return { name, attributes: [], children: [] };
}

function addToShape(root: XmlShape, path: string, slot: number, templateId: string): void {
	const segments = path.split('/').filter((s) => s !== '');
	if (segments.length === 0)
		throw new FeedTemplateError(templateId, `empty XML path for value ${slot + 1}`);
	let node = root;
	for (let i = 0; i < segments.length; i++) {
		const segment = segments[i];
		const last = i === segments.length - 1;
		if (segment.startsWith('@')) {
			const name = segment.slice(1);
			if (!last)
				throw new FeedTemplateError(
					templateId,
					`XML path "${path}": an attribute must be the last segment`,
				);
			if (!isSafeXmlName(name))
				throw new FeedTemplateError(
					templateId,
					`XML path "${path}": "${name}" is not a valid attribute name`,
				);
			if (node.attributes.some((a) => a.name === name)) return; // first binding wins, as for CSV columns
			node.attributes.push({ name, slot });
			return;
		}
		if (!isSafeXmlName(segment))
			throw new FeedTemplateError(
				templateId,
				`XML path "${path}": "${segment}" is not a valid element name`,
			);
		let child = node.children.find((c) => c.name === segment);
		if (!child) {
			child = newShape(segment);
			node.children.push(child);
		}
		node = child;
		if (last && node.text === undefined) node.text = slot;
	}
}

/** The shape of one line element and the elements around it (`Lines/Line` → container `Lines`). */
function lineShapeOf(
	lineElement: string | undefined,
	lineBindings: Binding[],
	templateId: string,
): { lineShape?: XmlShape; lineContainer: string[] } {
	if (lineBindings.length === 0) return { lineContainer: [] };
	const segments = (lineElement ?? 'Lines/Line').split('/').filter((s) => s !== '');
	for (const s of segments)
		if (!isSafeXmlName(s))
			throw new FeedTemplateError(
				templateId,
				`line element "${lineElement}": "${s}" is not a valid element name`,
			);
	const lineShape = newShape(segments[segments.length - 1] ?? 'Line');
	lineBindings.forEach((b, slot) => addToShape(lineShape, b.label, slot, templateId));
	return { lineShape, lineContainer: segments.slice(0, -1) };
}

function compileXml(
	template: Template,
	templateId: string,
	headerBindings: Binding[],
	lineBindings: Binding[],
	values: (record: unknown, index: number) => RowValues,
	pretty: boolean,
): EncoderParts {
	const { rootElement, recordElement, lineElement, encoding } = template.xml;
	for (const name of [rootElement, recordElement]) {
		if (!isSafeXmlName(name))
			throw new FeedTemplateError(templateId, `"${name}" is not a valid XML element name`);
	}
	const recordShape = newShape(recordElement);
	headerBindings.forEach((b, slot) => addToShape(recordShape, b.label, slot, templateId));
	const { lineShape, lineContainer } = lineShapeOf(lineElement, lineBindings, templateId);
	const nl = pretty ? '\n' : '';
	const indent = (depth: number) => (pretty ? '  '.repeat(depth) : '');
	// Latin-1 output keeps every character: what Latin-1 cannot hold becomes a character reference.
	const text =
		encoding === 'latin1' ? (v: string) => toLatin1References(escapeXmlText(v)) : escapeXmlText;
	const attribute =
		encoding === 'latin1'
			? (v: string) => toLatin1References(escapeXmlAttribute(v))
			: escapeXmlAttribute;

	/** Renders a shape; elements with no value anywhere below them are left out (always kept: `keep`). */
	function render(
		shape: XmlShape,
		cells: string[],
		depth: number,
		keep: boolean,
		inner?: string,
	): string {
		let attrs = '';
		for (const a of shape.attributes)
			if (cells[a.slot] !== '') attrs += ` ${a.name}="${attribute(cells[a.slot])}"`;
		let body = '';
		for (const child of shape.children) body += render(child, cells, depth + 1, false);
		if (inner) body += inner;
		const own = shape.text === undefined ? '' : cells[shape.text];
		if (!keep && attrs === '' && body === '' && own === '') return '';
		if (body === '')
			return `${indent(depth)}<${shape.name}${attrs}>${text(own)}</${shape.name}>${nl}`;
		// Mixed content (text beside child elements) is not something a template can ask for sensibly; the text goes first.
		return `${indent(depth)}<${shape.name}${attrs}>${own ? text(own) : ''}${nl}${body}${indent(depth)}</${shape.name}>${nl}`;
	}

	const declaredEncoding = encoding === 'latin1' ? 'ISO-8859-1' : 'UTF-8';
	return {
		format: 'xml',
		encoding,
		begin: () => `<?xml version="1.0" encoding="${declaredEncoding}"?>${nl}<${rootElement}>${nl}`,
		encodeRecord(record, index) {
			const { header, lines } = values(record, index);
			let inner = '';
			if (lineShape && lines.length > 0) {
				const depth = 2 + lineContainer.length;
				let lineText = '';
				for (const cells of lines) lineText += render(lineShape, cells, depth, true);
				for (let i = lineContainer.length - 1; i >= 0; i--) {
					const d = 2 + i;
					lineText = `${indent(d)}<${lineContainer[i]}>${nl}${lineText}${indent(d)}</${lineContainer[i]}>${nl}`;
				}
				inner = lineText;
			}
			return { text: render(recordShape, header, 1, true, inner), rows: 1 };
		},
		end: () => `</${rootElement}>${nl}`,
	};
}

function toLatin1References(text: string): string {
	return text.replace(/[^\u0000-\u00FF]/gu, (c) => `&#${c.codePointAt(0)};`);
}
