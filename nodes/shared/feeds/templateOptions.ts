/**
 * Node-UI template settings → a resolved template: the default of the feed, then a whole template
 * (JSON) if given, then column / element renames, constants and CSV settings. Validation and its
 * messages come from the templates module (resolveTemplate).
 */
import { getDefaultTemplate } from '../stampli/templates/defaults';
import { resolveTemplate } from '../stampli/templates/resolve';
import type { Template, TemplateOverrides, TextEncoding } from '../stampli/templates/types';
import type { FeedKind } from './kinds';

export interface TemplateUiSettings {
	/** A whole template as JSON text (replaces the default). */
	templateJson?: string;
	/** Renames: canonical path (`name`, `lines[].amount`) or current column → new CSV column. */
	columns?: Array<{ field: string; column: string }>;
	/** Renames of XML element paths, same keys. */
	elements?: Array<{ field: string; element: string }>;
	constants?: Array<{ column: string; value: string }>;
	delimiter?: string;
	decimalSeparator?: '.' | ',';
	dateFormat?: string;
	encoding?: TextEncoding;
}

export function templateFromUi(kind: FeedKind, format: 'csv' | 'xml', ui: TemplateUiSettings = {}): Template {
	const overrides: TemplateOverrides = {};
	if (ui.templateJson && ui.templateJson.trim() !== '') overrides.template = ui.templateJson;
	const columns = (ui.columns ?? []).filter((c) => c.field && c.column);
	if (columns.length > 0) overrides.columns = Object.fromEntries(columns.map((c) => [c.field.trim(), c.column]));
	const elements = (ui.elements ?? []).filter((e) => e.field && e.element);
	if (elements.length > 0) overrides.elements = Object.fromEntries(elements.map((e) => [e.field.trim(), e.element.trim()]));
	const constants = (ui.constants ?? []).filter((c) => c.column);
	if (constants.length > 0) overrides.constants = constants.map((c) => ({ column: c.column, value: c.value ?? '' }));
	if (ui.delimiter) overrides.delimiter = ui.delimiter === '\\t' ? '\t' : ui.delimiter;
	if (ui.decimalSeparator) overrides.decimalSeparator = ui.decimalSeparator;
	if (ui.dateFormat) overrides.dateFormat = ui.dateFormat;
	if (ui.encoding) overrides.encoding = ui.encoding;
	const template = resolveTemplate(getDefaultTemplate(kind, format), overrides);
	if (template.kind !== kind) throw new Error(`Template "${template.name}" is a ${template.kind} template; this feed needs a ${kind} template`);
	return template;
}
