/**
 * Template validation and node-UI overrides. Everything a user can type (a renamed column, a JSON
 * template) goes through `validateTemplate`, so a mistake surfaces as a list of precise problems
 * when the workflow runs, not as a confusing parse error later.
 */
import { compileDateFormat } from './formats';
import { templatesOfKind } from './defaults';
import { CELL_KINDS, FIELD_TYPES, TEMPLATE_KINDS } from './types';
import type { Template, TemplateConstant, TemplateKind, TemplateOverrides } from './types';

export class TemplateError extends Error {
	constructor(
		readonly problems: string[],
		readonly templateName?: string,
	) {
		super(`Invalid template${templateName ? ` "${templateName}"` : ''}: ${problems.join('; ')}`);
		this.name = 'TemplateError';
	}
}

/** Canonical fields a record of each kind cannot do without (a field or a constant must supply them). */
export const REQUIRED_PATHS: Record<TemplateKind, string[]> = {
	invoices: [
		'stampliInvoiceId',
		'invoiceNumber',
		'documentType',
		'vendor.stampliVendorId',
		'vendor.name',
		'invoiceDate',
		'currency',
		'total',
		'lines[].amount',
		'lines[].glAccount',
	],
	payments: [
		'stampliPaymentId',
		'stampliInvoiceId',
		'invoiceNumber',
		'vendor.stampliVendorId',
		'vendor.name',
		'paymentDate',
		'amount',
		'currency',
	],
	vendors: ['vendorId', 'name'],
	vendorFeed: ['vendorId', 'name'],
	purchaseOrderFeed: ['poNumber', 'vendorId', 'lines[].amount'],
	glAccountFeed: ['code', 'name'],
	classFeed: ['dimensionId', 'name'],
	departmentFeed: ['dimensionId', 'name'],
};

/** Open-ended path families beyond the default template's fields (custom accounting dimensions). */
const OPEN_PREFIXES: Partial<Record<TemplateKind, string[]>> = {
	invoices: ['lines[].dimensions.'],
};

const PATH_SYNTAX = /^(lines\[\]\.)?[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/;
const XML_NAME = /^[A-Za-z_][\w.-]*$/;
const XML_SEGMENT = /^@?[A-Za-z_][\w.-]*$/;

const isXmlPath = (path: unknown, allowAttribute = true): boolean =>
	typeof path === 'string' &&
	path
		.split('/')
		.every((s, i, all) =>
			(allowAttribute && i === all.length - 1 ? XML_SEGMENT : XML_NAME).test(s),
		);

function knownPaths(kind: TemplateKind): Set<string> {
	return new Set(templatesOfKind(kind).flatMap((t) => t.fields.map((f) => f.path)));
}

function isKnownPath(kind: TemplateKind, path: string): boolean {
	return (
		knownPaths(kind).has(path) ||
		(OPEN_PREFIXES[kind] ?? []).some((p) => path.startsWith(p) && path.length > p.length)
	);
}

function checkSettings(where: 'csv' | 'xml', settings: any, problems: string[]): void {
	if (!settings || typeof settings !== 'object') {
		problems.push(`${where}: must be an object`);
		return;
	}
	if (!['utf8', 'utf8bom', 'latin1'].includes(settings.encoding))
		problems.push(
			`${where}.encoding: must be utf8, utf8bom or latin1 (got ${JSON.stringify(settings.encoding)})`,
		);
	try {
		compileDateFormat(String(settings.dateFormat));
	} catch (error) {
		problems.push(`${where}.dateFormat: ${(error as Error).message}`);
	}
	if (settings.decimalSeparator !== '.' && settings.decimalSeparator !== ',')
		problems.push(
			`${where}.decimalSeparator: must be "." or "," (got ${JSON.stringify(settings.decimalSeparator)})`,
		);
	if (settings.groupSeparator !== undefined && settings.groupSeparator !== '') {
		if (typeof settings.groupSeparator !== 'string' || settings.groupSeparator.length !== 1)
			problems.push(`${where}.groupSeparator: must be one character`);
		else if (settings.groupSeparator === settings.decimalSeparator)
			problems.push(`${where}.groupSeparator: must differ from the decimal separator`);
		else if (/[\d+-]/.test(settings.groupSeparator))
			problems.push(`${where}.groupSeparator: must not be a digit or sign`);
	}
	if (where === 'csv') {
		const { delimiter, quote } = settings;
		if (
			typeof delimiter !== 'string' ||
			delimiter.length < 1 ||
			delimiter.length > 4 ||
			/[\r\n]/.test(delimiter)
		) {
			problems.push(
				`csv.delimiter: must be 1 to 4 characters and no line break (got ${JSON.stringify(delimiter)})`,
			);
		}
		if (typeof quote !== 'string' || quote.length !== 1 || /[\r\n]/.test(quote))
			problems.push(`csv.quote: must be one character (got ${JSON.stringify(quote)})`);
		else if (quote === delimiter) problems.push('csv.quote: must differ from the delimiter');
	} else {
		if (!XML_NAME.test(String(settings.rootElement)))
			problems.push(
				`xml.rootElement: not an XML element name (got ${JSON.stringify(settings.rootElement)})`,
			);
		if (!XML_NAME.test(String(settings.recordElement)))
			problems.push(
				`xml.recordElement: not an XML element name (got ${JSON.stringify(settings.recordElement)})`,
			);
		if (settings.lineElement !== undefined && !isXmlPath(settings.lineElement, false)) {
			problems.push(
				`xml.lineElement: not an element path like "Lines/Line" (got ${JSON.stringify(settings.lineElement)})`,
			);
		}
	}
}

/** Checks one field of a template; returns its path when it can be used. */
function checkField(
	f: any,
	i: number,
	kind: TemplateKind | undefined,
	seen: Set<string>,
	problems: string[],
): void {
	const where = `fields[${i}]${f && typeof f.path === 'string' ? ` (${f.path})` : ''}`;
	if (!f || typeof f !== 'object') {
		problems.push(`${where}: must be an object`);
		return;
	}
	if (typeof f.path !== 'string' || !PATH_SYNTAX.test(f.path))
		problems.push(`${where}.path: must look like "vendor.name" or "lines[].amount"`);
	else if (kind && !isKnownPath(kind, f.path))
		problems.push(`${where}.path: "${f.path}" is not a field of ${kind} records`);
	else if (seen.has(f.path)) problems.push(`${where}.path: "${f.path}" is mapped twice`);
	seen.add(f.path);
	if (typeof f.column !== 'string' || f.column.trim() === '' || /[\r\n]/.test(f.column))
		problems.push(`${where}.column: must be a non-empty single-line string`);
	if (!isXmlPath(f.xml))
		problems.push(
			`${where}.xml: must be an element path like "Vendor/Name" or "@id" (got ${JSON.stringify(f.xml)})`,
		);
	if (!FIELD_TYPES.includes(f.type))
		problems.push(
			`${where}.type: must be one of ${FIELD_TYPES.join(', ')} (got ${JSON.stringify(f.type)})`,
		);
	if (f.required !== undefined && typeof f.required !== 'boolean')
		problems.push(`${where}.required: must be true or false`);
	if (f.neutralise !== undefined && !CELL_KINDS.includes(f.neutralise))
		problems.push(
			`${where}.neutralise: must be one of ${CELL_KINDS.join(', ')} (got ${JSON.stringify(f.neutralise)})`,
		);
}

function checkConstant(
	c: any,
	i: number,
	kind: TemplateKind | undefined,
	paths: Set<string>,
	problems: string[],
): void {
	const where = `constants[${i}]`;
	if (!c || typeof c !== 'object') {
		problems.push(`${where}: must be an object`);
		return;
	}
	if (typeof c.value !== 'string') problems.push(`${where}.value: must be a string`);
	if (c.path === undefined && c.column === undefined)
		problems.push(`${where}: needs a canonical "path" (reading) or a "column" (writing)`);
	if (c.path !== undefined) {
		if (typeof c.path !== 'string' || !PATH_SYNTAX.test(c.path))
			problems.push(`${where}.path: must look like "currency" or "lines[].dimensions.department"`);
		else if (kind && !isKnownPath(kind, c.path))
			problems.push(`${where}.path: "${c.path}" is not a field of ${kind} records`);
		else paths.add(c.path);
	}
	if (c.column !== undefined && (typeof c.column !== 'string' || c.column.trim() === ''))
		problems.push(`${where}.column: must be a non-empty string`);
	if (c.xml !== undefined && !isXmlPath(c.xml))
		problems.push(`${where}.xml: must be an element path`);
}

/** Name, version and kind; the kind when it is a known one. */
function checkIdentity(t: any, problems: string[]): TemplateKind | undefined {
	if (typeof t.name !== 'string' || !/^[A-Za-z0-9][\w.-]*$/.test(t.name))
		problems.push(`name: must be letters, digits, ".", "_" or "-" (got ${JSON.stringify(t.name)})`);
	if (!Number.isInteger(t.version) || t.version < 1)
		problems.push(`version: must be a positive integer (got ${JSON.stringify(t.version)})`);
	if (TEMPLATE_KINDS.includes(t.kind)) return t.kind as TemplateKind;
	problems.push(
		`kind: must be one of ${TEMPLATE_KINDS.join(', ')} (got ${JSON.stringify(t.kind)})`,
	);
	return undefined;
}

/** The record key, required paths, control-character policy and the line element. */
function checkWhole(
	t: any,
	kind: TemplateKind | undefined,
	mapped: Set<string>,
	problems: string[],
): void {
	if (kind)
		for (const path of REQUIRED_PATHS[kind])
			if (!mapped.has(path))
				problems.push(
					`fields: "${path}" is required for ${kind} and has neither a field nor a constant`,
				);
	const fieldPaths = new Set((Array.isArray(t.fields) ? t.fields : []).map((f: any) => f?.path));
	if (typeof t.recordKey !== 'string' || !fieldPaths.has(t.recordKey))
		problems.push(
			`recordKey: must be the path of one of the fields (got ${JSON.stringify(t.recordKey)})`,
		);
	else if (t.recordKey.startsWith('lines[]'))
		problems.push('recordKey: must be a record-level field, not a line field');
	if (t.controlCharacters !== undefined && !['reject', 'strip'].includes(t.controlCharacters))
		problems.push(
			`controlCharacters: must be reject or strip (got ${JSON.stringify(t.controlCharacters)})`,
		);
	const hasLines = [...fieldPaths].some((p) => typeof p === 'string' && p.startsWith('lines[].'));
	if (hasLines && t.xml && !t.xml.lineElement)
		problems.push('xml.lineElement: required because the template has line fields (lines[].…)');
}

/** Throws TemplateError listing every problem; returns the template typed when it is valid. */
export function validateTemplate(candidate: unknown): Template {
	const problems: string[] = [];
	const t = candidate as any;
	if (!t || typeof t !== 'object' || Array.isArray(t))
		throw new TemplateError(['a template must be a JSON object']);
	const kind = checkIdentity(t, problems);
	const fields: any[] = Array.isArray(t.fields) ? t.fields : [];
	if (!Array.isArray(t.fields) || fields.length === 0)
		problems.push('fields: must be a non-empty array');
	const mapped = new Set<string>();
	fields.forEach((f, i) => checkField(f, i, kind, mapped, problems));
	const constants: any[] =
		t.constants === undefined ? [] : Array.isArray(t.constants) ? t.constants : [];
	if (t.constants !== undefined && !Array.isArray(t.constants))
		problems.push('constants: must be an array');
	constants.forEach((c, i) => checkConstant(c, i, kind, mapped, problems));
	checkWhole(t, kind, mapped, problems);
	checkSettings('csv', t.csv, problems);
	checkSettings('xml', t.xml, problems);
	if (problems.length)
		throw new TemplateError(problems, typeof t.name === 'string' ? t.name : undefined);
	return t as Template;
}

const isSet = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

function parseTemplateJson(input: Template | string, base: Template): unknown {
	let parsed: any = input;
	let syntaxError: string | undefined;
	if (typeof input === 'string') {
		try {
			parsed = JSON.parse(input);
		} catch (error) {
			syntaxError = (error as Error).message;
		}
	}
	if (syntaxError !== undefined)
		throw new TemplateError([`template JSON does not parse: ${syntaxError}`]);
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
		throw new TemplateError(['a template must be a JSON object']);
	// Settings a user left out come from the base, so a JSON template can list only its fields.
	return {
		...parsed,
		constants: parsed.constants ?? [],
		csv: { ...base.csv, ...(parsed.csv ?? {}) },
		xml: { ...base.xml, ...(parsed.xml ?? {}) },
	};
}

function renameBy(
	template: Template,
	key: string,
	apply: (index: number) => void,
	what: string,
): void {
	let indexes = template.fields.map((f, i) => (f.path === key ? i : -1)).filter((i) => i >= 0);
	if (indexes.length === 0)
		indexes = template.fields
			.map((f, i) => ((what === 'column' ? f.column : f.xml) === key ? i : -1))
			.filter((i) => i >= 0);
	if (indexes.length === 0) {
		throw new TemplateError(
			[
				`${what} override "${key}": no field has that canonical path or ${what === 'column' ? 'column name' : 'element path'}`,
			],
			template.name,
		);
	}
	indexes.forEach(apply);
}

/**
 * Applies node-UI overrides to a base template and validates the result. Empty strings count as
 * "not set" (n8n parameters default to ''). Throws TemplateError with every problem found.
 */
export function resolveTemplate(base: Template, overrides: TemplateOverrides = {}): Template {
	const start = isSet(overrides.template)
		? parseTemplateJson(overrides.template as Template | string, base)
		: base;
	const template = validateTemplate(JSON.parse(JSON.stringify(start)));
	for (const [key, column] of Object.entries(overrides.columns ?? {})) {
		if (!isSet(column)) continue;
		renameBy(template, key, (i) => (template.fields[i].column = column.trim()), 'column');
	}
	for (const [key, element] of Object.entries(overrides.elements ?? {})) {
		if (!isSet(element)) continue;
		renameBy(template, key, (i) => (template.fields[i].xml = element.trim()), 'element');
	}
	for (const constant of overrides.constants ?? []) {
		const same = (c: TemplateConstant) =>
			constant.path ? c.path === constant.path : !c.path && c.column === constant.column;
		template.constants = template.constants.filter((c) => !same(c)).concat([{ ...constant }]);
	}
	if (isSet(overrides.delimiter)) template.csv.delimiter = overrides.delimiter as string;
	if (isSet(overrides.quote)) template.csv.quote = overrides.quote as string;
	for (const settings of [template.csv, template.xml]) {
		if (isSet(overrides.encoding)) settings.encoding = overrides.encoding!;
		if (isSet(overrides.dateFormat)) settings.dateFormat = overrides.dateFormat!;
		if (isSet(overrides.decimalSeparator)) settings.decimalSeparator = overrides.decimalSeparator!;
		if (isSet(overrides.groupSeparator)) settings.groupSeparator = overrides.groupSeparator;
	}
	if (isSet(overrides.controlCharacters)) template.controlCharacters = overrides.controlCharacters;
	if (isSet(overrides.name)) template.name = overrides.name!;
	if (isSet(overrides.version)) template.version = overrides.version!;
	return validateTemplate(template);
}
