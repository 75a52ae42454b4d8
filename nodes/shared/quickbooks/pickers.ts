/**
 * QuickBooks records a person picks an id from in the editor: accounts, classes and departments
 * (locations). One query page each, active records only, names matched with LIKE
 * (QuickBooks compares them case-insensitively), paged with STARTPOSITION.
 */
import {
	PICKER_PAGE_SIZE,
	pickerFilter,
	pickerOffset,
	pickerPage,
	type PickerPage,
	type PickerQuery,
} from '../erp';
import type { QboClient } from './client';
import { quote, select } from './query';

type Client = Pick<QboClient, 'query'>;

interface QboNamedRow {
	Id: string;
	Name?: string;
	FullyQualifiedName?: string;
	AcctNum?: string;
	AccountType?: string;
}

/** What can be picked; each is searched by its Name. */
export type QuickBooksPickable = 'Account' | 'Class' | 'Department';

/** QuickBooks' LIKE knows only `%` and has no escape for it: a `%` typed in the filter is a wildcard too. */
const likeLiteral = (filter: string) => quote(`%${filter}%`);

function label(entity: QuickBooksPickable, row: QboNamedRow): string {
	const name = row.FullyQualifiedName ?? row.Name ?? row.Id;
	if (entity !== 'Account') return name;
	const number = row.AcctNum ? `${row.AcctNum} ` : '';
	return `${number}${name}${row.AccountType ? ` (${row.AccountType})` : ''}`;
}

/** One page of active records of `entity` whose name contains the filter. */
export async function pickQuickBooks(
	client: Client,
	entity: QuickBooksPickable,
	query: PickerQuery,
): Promise<PickerPage> {
	const offset = pickerOffset(query);
	const size = query.pageSize ?? PICKER_PAGE_SIZE;
	const filter = pickerFilter(query);
	const statement = select(entity, {
		where: ['Active = true', ...(filter ? [`Name LIKE ${likeLiteral(filter)}`] : [])],
		orderBy: 'Name',
		startPosition: offset + 1,
		maxResults: size + 1,
	});
	const { items } = await client.query<QboNamedRow>(entity, statement);
	return pickerPage(
		items.map((row) => ({ name: label(entity, row), value: String(row.Id) })),
		offset,
		size,
	);
}
