/**
 * Turns the raw texts a reader collected for one record (header values + per-line values) into a
 * canonical record, with every problem reported as file + rows + field + reason.
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

/**
 * Converts every value, records every problem, then applies the kind's rules (recordValidation.ts).
 * A record with any error is not returned: its errors are.
 */
export function buildRecord(plan: Plan, raw: RawRecord, options: BuildOptions): Built {
	const errors: RecordError[] = raw.problems.slice();
	const warnings: RecordError[] = raw.warnings ? raw.warnings.slice() : [];
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
			reason: `${plan.key.label} "${recordId}" appears ${raw.rows.length} times (${where} ${describeRows(raw.rows)}); each record must appear once`,
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
