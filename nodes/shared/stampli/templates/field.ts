import type { FieldType, TemplateField } from './types';

/** A template field; `required` is written only when true, so templates read as they are documented. */
export function field(
	path: string,
	column: string,
	xml: string,
	type: FieldType = 'string',
	required = false,
): TemplateField {
	return required ? { path, column, xml, type, required } : { path, column, xml, type };
}
