/**
 * Turns the raw texts a reader collected for one record (header values + per-line values) into a
 * canonical record (§3), with every problem reported as file + rows + field + reason. The template
 * is compiled once per file into a plan (converters, labels, constants), so the per-row work is a
 * few closure calls and no lookups by name.
 */
import {
	REQUIRED_PATHS,
	compileDateFormat,
	getDefaultTemplate,
	parseInstant,
	readBoolean,
	readDecimal,
	TemplateError,
} from './templates';
import type { FieldType, Template } from './templates';
import type { RecordError } from './errors';
import { finishRecord } from './rules';

export type FileFormat = 'csv' | 'xml';

/** A converter returns the canonical value, or a ValueProblem with the reason (no throwing on the hot path). */
export class ValueProblem {
	constructor(readonly reason: string) {}
}

export interface FieldPlan {
	path: string;
	/** Path segments inside the record (header fields) or inside the line (line fields). */
	segments: string[];
	line: boolean;
	type: FieldType;
	required: boolean;
	/** The column name (CSV) or element path (XML) named in errors. */
	label: string;
	/** CSV column / XML element path to read; undefined when only a constant supplies the value. */
	column?: string;
	xml?: string;
	convert(text: string): unknown;
	/** Converted constant value: when set it wins over the file. */
	constant?: unknown;
}

export interface Plan {
	template: Template;
	templateId: string;
	format: FileFormat;
	file: string;
	header: FieldPlan[];
	lines: FieldPlan[];
	key: FieldPlan;
	byPath: Map<string, FieldPlan>;
	/** A label for a canonical path, also when the template does not map it. */
	labelOf(path: string): string;
}

/** What a reader collected for one record. Index i of `header` / `cells` belongs to plan.header[i] / plan.lines[i]. */
export interface RawRecord {
	key: string;
	rows: number[];
	header: Array<string | undefined>;
	lines: Array<{ row: number; cells: Array<string | undefined> }>;
	/** Problems the reader already found (conflicting header values, wrong cell counts, repeated elements). */
	problems: RecordError[];
}

const INTEGER = /^[+-]?\d{1,15}$/;

function converterFor(
	type: FieldType,
	template: Template,
	format: FileFormat,
): (text: string) => unknown {
	const settings = format === 'csv' ? template.csv : template.xml;
	switch (type) {
		case 'string':
			return (text) => text;
		case 'decimal': {
			const decimalSettings = {
				decimalSeparator: settings.decimalSeparator,
				groupSeparator: settings.groupSeparator || undefined,
			};
			return (text) => {
				try {
					return readDecimal(text, decimalSettings);
				} catch (error) {
					return new ValueProblem((error as Error).message);
				}
			};
		}
		case 'date': {
			const layout = compileDateFormat(settings.dateFormat);
			return (text) => {
				const parsed = layout.parse(text);
				if ('error' in parsed) return new ValueProblem(parsed.error);
				return parsed.iso;
			};
		}
		case 'instant':
			return (text) => {
				const parsed = parseInstant(text);
				if ('error' in parsed) return new ValueProblem(parsed.error);
				return parsed.iso;
			};
		case 'integer':
			return (text) => {
				if (!INTEGER.test(text)) return new ValueProblem(`"${text}" is not a whole number`);
				return Number(text);
			};
		case 'boolean':
			return (text) => {
				const value = readBoolean(text);
				if (value === undefined)
					return new ValueProblem(`"${text}" is not a yes/no value (true/false, yes/no, 1/0)`);
				return value;
			};
	}
}

function segmentsOf(path: string): { line: boolean; segments: string[] } {
	const line = path.startsWith('lines[].');
	return { line, segments: (line ? path.slice('lines[].'.length) : path).split('.') };
}

export function compilePlan(template: Template, format: FileFormat, file: string): Plan {
	const required = new Set(REQUIRED_PATHS[template.kind]);
	const defaultTypes = new Map(
		getDefaultTemplate(template.kind).fields.map((f) => [f.path, f.type]),
	);
	const lineElement = template.xml.lineElement ?? '';
	const byPath = new Map<string, FieldPlan>();
	for (const field of template.fields) {
		const { line, segments } = segmentsOf(field.path);
		byPath.set(field.path, {
			path: field.path,
			segments,
			line,
			type: field.type,
			required: field.required === true || required.has(field.path),
			label: format === 'csv' ? field.column : line ? `${lineElement}/${field.xml}` : field.xml,
			column: field.column,
			xml: field.xml,
			convert: converterFor(field.type, template, format),
		});
	}
	for (const constant of template.constants) {
		if (!constant.path) continue;
		let plan = byPath.get(constant.path);
		if (!plan) {
			const { line, segments } = segmentsOf(constant.path);
			const type = defaultTypes.get(constant.path) ?? 'string';
			plan = {
				path: constant.path,
				segments,
				line,
				type,
				required: false,
				label: `constant ${constant.path}`,
				convert: converterFor(type, template, format),
			};
			byPath.set(constant.path, plan);
		}
		const value = plan.convert(constant.value.trim());
		if (value instanceof ValueProblem)
			throw new TemplateError(
				[`constants: "${constant.path}" = ${JSON.stringify(constant.value)}: ${value.reason}`],
				template.name,
			);
		plan.constant = value;
	}
	const plans = [...byPath.values()];
	const key = byPath.get(template.recordKey);
	if (!key)
		throw new TemplateError([`recordKey "${template.recordKey}" is not a field`], template.name);
	return {
		template,
		templateId: `${template.name}@${template.version}`,
		format,
		file,
		header: plans.filter((p) => !p.line),
		lines: plans.filter((p) => p.line),
		key,
		byPath,
		labelOf: (path) => byPath.get(path)?.label ?? path,
	};
}

function setPath(target: Record<string, any>, segments: string[], value: unknown): void {
	if (segments.length === 1) {
		target[segments[0]] = value;
		return;
	}
	let node = target;
	for (let i = 0; i < segments.length - 1; i++) node = node[segments[i]] ??= {};
	node[segments[segments.length - 1]] = value;
}

export interface Built {
	record?: Record<string, any>;
	errors: RecordError[];
	warnings: RecordError[];
}

export interface BuildOptions {
	sumTolerance: string;
}

/**
 * Converts every value, records every problem, then applies the kind's rules (rules.ts).
 * A record with any error is not returned: its errors are.
 */
export function buildRecord(plan: Plan, raw: RawRecord, options: BuildOptions): Built {
	const errors: RecordError[] = raw.problems.slice();
	const warnings: RecordError[] = [];
	const file = plan.file;
	const recordId = raw.key;
	const fail = (rows: number[], field: FieldPlan, reason: string) =>
		errors.push({
			file,
			rows,
			field: field.label,
			reason: `${field.label} (${field.path}): ${reason}`,
			recordId,
		});
	// A field the reader already reported (e.g. a repeated element) is not reported again as missing.
	const reported = raw.problems.length ? new Set(raw.problems.map((p) => p.field)) : undefined;
	const valueOf = (field: FieldPlan, text: string | undefined, rows: number[]): unknown => {
		if (field.constant !== undefined) return field.constant;
		if (text === undefined || text === '') {
			if (field.required && !reported?.has(field.label)) fail(rows, field, 'a value is required');
			return undefined;
		}
		// Strings need no conversion: skip the call on the most common type.
		if (field.type === 'string') return text;
		const value = field.convert(text);
		if (!(value instanceof ValueProblem)) return value;
		fail(rows, field, value.reason);
		return undefined;
	};

	const record: Record<string, any> = {};
	const headerFields = plan.header;
	for (let i = 0; i < headerFields.length; i++) {
		const value = valueOf(headerFields[i], raw.header[i], raw.rows);
		if (value !== undefined) setPath(record, headerFields[i].segments, value);
	}
	// One element per record in XML, one row per record in CSV without lines: a repeated key is a duplicate.
	if (raw.rows.length > 1 && (plan.format === 'xml' || plan.lines.length === 0)) {
		const where = plan.format === 'xml' ? 'record elements' : 'rows';
		errors.push({
			file,
			rows: raw.rows,
			field: plan.key.label,
			reason: `${plan.key.label} "${recordId}" appears ${raw.rows.length} times (${where} ${raw.rows.join(', ')}); each record must appear once`,
			recordId,
		});
	}
	const lineFields = plan.lines;
	if (lineFields.length) {
		const lines = new Array<Record<string, any>>(raw.lines.length);
		for (let l = 0; l < raw.lines.length; l++) {
			const { cells, row } = raw.lines[l];
			const rows = [row];
			const target: Record<string, any> = {};
			for (let i = 0; i < lineFields.length; i++) {
				const value = valueOf(lineFields[i], cells[i], rows);
				if (value !== undefined) setPath(target, lineFields[i].segments, value);
			}
			lines[l] = target;
		}
		record.lines = lines;
	}
	finishRecord(plan, raw, record, errors, warnings, options);
	if (errors.length) return { errors, warnings };
	record.source = {
		file,
		sha256: '',
		format: plan.format,
		template: plan.templateId,
		rows: raw.rows,
	};
	return { record, errors, warnings };
}
