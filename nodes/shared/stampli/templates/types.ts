/**
 * Stampli file templates. Stampli has no public file specification: each customer
 * agrees a column layout at onboarding. A template is a named, versioned, format-independent mapping
 * between canonical record field paths and a CSV column name and an XML element path.
 */

export type TemplateKind =
	| 'invoices'
	| 'payments'
	| 'vendors'
	| 'vendorFeed'
	| 'purchaseOrderFeed'
	| 'glAccountFeed'
	| 'classFeed'
	| 'departmentFeed';

export const TEMPLATE_KINDS: readonly TemplateKind[] = [
	'invoices',
	'payments',
	'vendors',
	'vendorFeed',
	'purchaseOrderFeed',
	'glAccountFeed',
	'classFeed',
	'departmentFeed',
];

/**
 * How a cell's text becomes a canonical value: `decimal` → decimal string, `date` → `YYYY-MM-DD`,
 * `instant` → ISO-8601 UTC, `integer` → number, `boolean` → true/false, `string` → trimmed text.
 */
export type FieldType = 'string' | 'decimal' | 'date' | 'instant' | 'integer' | 'boolean';

export const FIELD_TYPES: readonly FieldType[] = [
	'string',
	'decimal',
	'date',
	'instant',
	'integer',
	'boolean',
];

export interface TemplateField {
	/**
	 * Canonical field path: `vendor.name`, `lines[].amount`, `lines[].dimensions.department`.
	 * `lines[]` marks a per-line field (one CSV row per line; one line element per line in XML).
	 */
	path: string;
	/** CSV header name. Two fields may share a column (e.g. vendorId and stampliVendorId). */
	column: string;
	/**
	 * XML element path relative to the record element (or to the line element for `lines[]` fields),
	 * segments separated by `/`; `@name` addresses an attribute, e.g. `Vendor/Name` or `Vendor/@id`.
	 */
	xml: string;
	type: FieldType;
	/** A required field must be present and non-empty; its CSV column must exist in the header. */
	required?: boolean;
	/**
	 * Writing CSV feeds: how this column's text is guarded against spreadsheet formulas (see
	 * feedEncoding/neutralise.ts). Default by field: phone, email, ids keep values of their shape.
	 */
	neutralise?: CellKind;
}

/** `text` neutralises formula-looking cells; `phone`, `email`, `id` keep values of that shape; `none` never touches them. */
export type CellKind = 'text' | 'phone' | 'email' | 'id' | 'none';

export const CELL_KINDS: readonly CellKind[] = ['text', 'phone', 'email', 'id', 'none'];

/** Date layouts: tokens YYYY, MM, DD (zero-padded), M, D (1–2 digits), literal separators. */
export type DateFormat = string;

export type TextEncoding = 'utf8' | 'utf8bom' | 'latin1';

export interface CsvSettings {
	delimiter: string;
	quote: string;
	/** `utf8` reads with or without BOM and writes none; `utf8bom` reads either and writes a BOM. */
	encoding: TextEncoding;
	dateFormat: DateFormat;
	decimalSeparator: '.' | ',';
	/** Thousands grouping character to strip when reading (never written). */
	groupSeparator?: string;
}

export interface XmlSettings {
	rootElement: string;
	recordElement: string;
	/** Path of the line elements relative to the record element, e.g. `Lines/Line`. */
	lineElement?: string;
	/** Used when the XML declaration names no encoding (and for writing). */
	encoding: TextEncoding;
	dateFormat: DateFormat;
	decimalSeparator: '.' | ',';
	groupSeparator?: string;
}

/**
 * A fixed value. Reading: when `path` is set, that canonical field takes `value` and its column need
 * not exist in the file. Writing (feeds): when `column` is set, the column is emitted with `value`.
 */
export interface TemplateConstant {
	path?: string;
	column?: string;
	/** XML element path for writers; defaults to the column name. */
	xml?: string;
	value: string;
}

/**
 * What a reader does with control characters in a value (NUL, the other C0 controls except tab,
 * line feed and carriage return, DEL, and the C1 range U+0080–U+009F): `reject` (default) makes
 * the record invalid, naming the field; `strip` removes them and reports a warning.
 */
export type ControlCharacterPolicy = 'reject' | 'strip';

export interface Template {
	/** e.g. `invoice-export`; referenced as `name@version` in every record's `source.template`. */
	name: string;
	version: number;
	kind: TemplateKind;
	description?: string;
	/** Canonical path identifying one record; CSV rows sharing it are grouped into one record with lines. */
	recordKey: string;
	fields: TemplateField[];
	constants: TemplateConstant[];
	csv: CsvSettings;
	xml: XmlSettings;
	/** Default `reject`. */
	controlCharacters?: ControlCharacterPolicy;
}

/** Node-UI overrides applied on top of a base template by `resolveTemplate`. */
export interface TemplateOverrides {
	/** A whole template (object or JSON text) replacing the base; validated with clear errors. */
	template?: Template | string;
	/** Column renames keyed by canonical path (`vendor.name`) or by the current column name (`VendorName`). */
	columns?: Record<string, string>;
	/** XML element path changes keyed by canonical path or by the current element path. */
	elements?: Record<string, string>;
	/** Constants added to (or replacing, by path / column) the template's constants. */
	constants?: TemplateConstant[];
	delimiter?: string;
	quote?: string;
	encoding?: TextEncoding;
	dateFormat?: DateFormat;
	decimalSeparator?: '.' | ',';
	groupSeparator?: string;
	controlCharacters?: ControlCharacterPolicy;
	/** Rename the result (e.g. `acme-invoices`) so `source.template` shows a customised template was used. */
	name?: string;
	version?: number;
}
