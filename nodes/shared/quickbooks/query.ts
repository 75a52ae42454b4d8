/**
 * QuickBooks Online query language helpers. Literals are single-quoted; inside them a quote is
 * written `\'` and a backslash `\\` (Intuit's data-queries guide). Pages are addressed with
 * STARTPOSITION (1-based) and MAXRESULTS (≤ 1000).
 */

export const MAX_QUERY_RESULTS = 1000;

/** Escapes a value for use inside a single-quoted query literal. */
export function escapeQueryValue(value: string): string {
	return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

/** A quoted literal: `'O\'Brien'`. */
export function quote(value: string): string {
	return `'${escapeQueryValue(value)}'`;
}

/** `Field IN ('a', 'b')`, or `Field = 'a'` for one value. Throws on an empty list. */
export function inClause(field: string, values: readonly string[]): string {
	assertField(field);
	const unique = [...new Set(values)];
	if (unique.length === 0) throw new Error(`inClause: no values for ${field}`);
	if (unique.length === 1) return `${field} = ${quote(unique[0])}`;
	return `${field} IN (${unique.map(quote).join(', ')})`;
}

export function eq(field: string, value: string): string {
	assertField(field);
	return `${field} = ${quote(value)}`;
}

function assertField(name: string): void {
	if (!/^[A-Za-z][A-Za-z0-9.]*$/.test(name))
		throw new Error(`Invalid QuickBooks field name: ${name}`);
}

export interface SelectOptions {
	where?: string[];
	orderBy?: string;
	startPosition?: number;
	maxResults?: number;
}

/** Builds `SELECT * FROM Entity WHERE … ORDERBY … STARTPOSITION n MAXRESULTS m`. */
export function select(entity: string, options: SelectOptions = {}): string {
	assertField(entity);
	let q = `SELECT * FROM ${entity}`;
	if (options.where?.length) q += ` WHERE ${options.where.join(' AND ')}`;
	if (options.orderBy) q += ` ORDERBY ${options.orderBy}`;
	if (options.startPosition !== undefined) {
		if (!Number.isInteger(options.startPosition) || options.startPosition < 1)
			throw new Error('STARTPOSITION must be an integer ≥ 1');
		q += ` STARTPOSITION ${options.startPosition}`;
	}
	if (options.maxResults !== undefined) {
		if (
			!Number.isInteger(options.maxResults) ||
			options.maxResults < 1 ||
			options.maxResults > MAX_QUERY_RESULTS
		) {
			throw new Error(`MAXRESULTS must be an integer between 1 and ${MAX_QUERY_RESULTS}`);
		}
		q += ` MAXRESULTS ${options.maxResults}`;
	}
	return q;
}

/**
 * Splits values into groups whose IN clause stays under a query length budget, so one huge
 * batch of DocNumbers does not exceed the URL/query size QuickBooks accepts.
 */
export function chunkForIn(
	values: readonly string[],
	maxValues = 100,
	maxChars = 3000,
): string[][] {
	const chunks: string[][] = [];
	let current: string[] = [];
	let chars = 0;
	for (const v of new Set(values)) {
		const size = quote(v).length + 2;
		if (current.length && (current.length >= maxValues || chars + size > maxChars)) {
			chunks.push(current);
			current = [];
			chars = 0;
		}
		current.push(v);
		chars += size;
	}
	if (current.length) chunks.push(current);
	return chunks;
}
