/**
 * Turns the raw texts a reader collected for one record (header values + per-line values) into a
 * canonical record, with every problem reported as file + rows + field + reason. Runs once per
 * record of files with millions of them: plain functions, no closures made per record.
 */
import { describeRows } from './errors';
import type { RecordError } from './errors';
import { ValueProblem } from './plan';
import type { Built, BuildOptions, FieldPlan, Plan, RawRecord } from './plan';
import { finishRecord } from './recordValidation';

function setPath(target: Record<string, any>, segments: string[], value: unknown): void {
	if (segments.length === 1) {
		target[segments[0]] = value;
		return;
	}
	let node = target;
	for (let i = 0; i < segments.length - 1; i++) node = node[segments[i]] ??= {};
	node[segments[segments.length - 1]] = value;
}

/** What converting one record's values needs: where problems go, and which fields were already reported. */
interface Conversion {
	file: string;
	recordId: string;
	errors: RecordError[];
	/** Fields the reader already reported (e.g. a repeated element) are not reported again as missing. */
	reported?: Set<string | undefined>;
}

function fail(c: Conversion, rows: number[], field: FieldPlan, reason: string): void {
	c.errors.push({
		file: c.file,
		rows,
		field: field.label,
		reason: `${field.label} (${field.path}): ${reason}`,
		recordId: c.recordId,
	});
}

function valueOf(
	c: Conversion,
	field: FieldPlan,
	text: string | undefined,
	rows: number[],
): unknown {
	if (field.constant !== undefined) return field.constant;
	if (text === undefined || text === '') {
		if (field.required && !c.reported?.has(field.label))
			fail(c, rows, field, 'a value is required');
		return undefined;
	}
	// Strings need no conversion: skip the call on the most common type.
	if (field.type === 'string') return text;
	const value = field.convert(text);
	if (!(value instanceof ValueProblem)) return value;
	fail(c, rows, field, value.reason);
	return undefined;
}

function convertInto(
	c: Conversion,
	target: Record<string, any>,
	fields: FieldPlan[],
	texts: Array<string | undefined>,
	rows: number[],
): void {
	for (let i = 0; i < fields.length; i++) {
		const value = valueOf(c, fields[i], texts[i], rows);
		if (value !== undefined) setPath(target, fields[i].segments, value);
	}
}

/** One element per record in XML, one row per record in CSV without lines: a repeated key is a duplicate. */
function checkDuplicate(plan: Plan, raw: RawRecord, errors: RecordError[]): void {
	if (raw.rows.length < 2 || (plan.format !== 'xml' && plan.lines.length > 0)) return;
	const where = plan.format === 'xml' ? 'record elements' : 'rows';
	errors.push({
		file: plan.file,
		rows: raw.rows,
		field: plan.key.label,
		reason: `${plan.key.label} "${raw.key}" appears ${raw.rows.length} times (${where} ${describeRows(raw.rows)}); each record must appear once`,
		recordId: raw.key,
	});
}

/**
 * Converts every value, records every problem, then applies the kind's rules (recordValidation.ts).
 * A record with any error is not returned: its errors are.
 */
export function buildRecord(plan: Plan, raw: RawRecord, options: BuildOptions): Built {
	const errors: RecordError[] = raw.problems.slice();
	const warnings: RecordError[] = raw.warnings ? raw.warnings.slice() : [];
	const c: Conversion = { file: plan.file, recordId: raw.key, errors };
	if (raw.problems.length) c.reported = new Set(raw.problems.map((p) => p.field));
	const record: Record<string, any> = {};
	convertInto(c, record, plan.header, raw.header, raw.rows);
	checkDuplicate(plan, raw, errors);
	if (plan.lines.length) {
		const lines = new Array<Record<string, any>>(raw.lines.length);
		for (let l = 0; l < raw.lines.length; l++) {
			const { cells, row } = raw.lines[l];
			const line: Record<string, any> = {};
			convertInto(c, line, plan.lines, cells, [row]);
			lines[l] = line;
		}
		record.lines = lines;
	}
	finishRecord(plan, raw, record, errors, warnings, options);
	if (errors.length) return { errors, warnings };
	record.source = {
		file: plan.file,
		sha256: '',
		format: plan.format,
		template: plan.templateId,
		rows: raw.rows,
	};
	return { record, errors, warnings };
}
