/**
 * Pickers: one page of ERP records a person chooses an id from (accounts, taxes, journals…), for the
 * editor's searchable lists. Each ERP folder answers these in its own vocabulary; a page is small
 * and the next page is asked for with the token of the previous one.
 */

export interface PickerQuery {
	/** What the person typed; matched against the record's code and name. */
	filter?: string;
	/** The token a previous page returned; absent for the first page. */
	paginationToken?: string;
	/** Records per page (default PICKER_PAGE_SIZE). */
	pageSize?: number;
}

export interface PickerEntry {
	/** What the list shows, e.g. "600000 Expenses". */
	name: string;
	/** The id the parameter stores. */
	value: string;
	/** A link to the record in the ERP's own interface, when the ERP has one. */
	url?: string;
}

export interface PickerPage {
	results: PickerEntry[];
	/** Present when more records may follow. */
	paginationToken?: string;
}

export const PICKER_PAGE_SIZE = 100;

/** The offset a page starts at, from the previous page's token; a token that is no offset starts over. */
export function pickerOffset(query: PickerQuery): number {
	const offset = Number(query.paginationToken);
	return Number.isInteger(offset) && offset > 0 ? offset : 0;
}

/** The page from rows fetched at `offset` with one row more than the page size (that row only says "more"). */
export function pickerPage(rows: PickerEntry[], offset: number, pageSize: number): PickerPage {
	if (rows.length <= pageSize) return { results: rows };
	return { results: rows.slice(0, pageSize), paginationToken: String(offset + pageSize) };
}

/** The filter as typed, trimmed; empty means "everything". */
export function pickerFilter(query: PickerQuery): string {
	return (query.filter ?? '').trim();
}
