/**
 * A template compiled once per file into a plan: per field its converter, label and constant, so
 * the per-row work is a few closure calls and no lookups by name. Also the shapes the readers hand
 * over (RawRecord) and the record builder returns (Built).
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
import { quoted } from './errors';
import type { RecordError } from './errors';

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
	/** Findings of the reader that do not block the record (control characters stripped). */
	warnings?: RecordError[];
	/** The rows are rejected as they are, without building a record: `problems` say why. */
	rejected?: boolean;
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
				if (!INTEGER.test(text)) return new ValueProblem(`${quoted(text)} is not a whole number`);
				return Number(text);
			};
		case 'boolean':
			return (text) => {
				const value = readBoolean(text);
				if (value === undefined)
					return new ValueProblem(
						`${quoted(text)} is not a yes/no value (true/false, yes/no, 1/0)`,
					);
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

export interface Built {
	record?: Record<string, any>;
	errors: RecordError[];
	warnings: RecordError[];
}

/** `warn`: implausible values are warnings; `reject`: they make the record invalid. */
export type PlausibilityMode = 'warn' | 'reject';

export interface PlausibilityOptions {
	plausibility: PlausibilityMode;
	/** Inclusive ISO dates; date and instant fields outside are flagged. */
	dateRange: { from: string; to: string };
}

export interface BuildOptions extends PlausibilityOptions {
	sumTolerance: string;
}
