/**
 * Resource locators for ERP ids: "From List" (a searchable list the editor fills through a
 * list-search method) or "By ID". Saved workflows from before the pickers hold the bare id (a
 * string or number); `locatorValue` reads both shapes, so they keep working unchanged.
 */
import type { INodeProperties } from 'n8n-workflow';

export interface LocatorSpec {
	displayName: string;
	name: string;
	/** The list-search method filling "From List". */
	searchListMethod: string;
	description?: string;
	/** Placeholder of the "By ID" field. */
	idPlaceholder?: string;
	/** What a valid id looks like in "By ID" (whole value); checked in the editor. */
	idPattern?: { regex: string; errorMessage: string };
	/** Whether the list is searched as the person types (server-side filter). */
	searchable?: boolean;
}

/** An empty locator, starting in "From List" mode. */
export const EMPTY_LOCATOR = { __rl: true, mode: 'list', value: '' } as const;

/** A resource-locator parameter with "From List" and "By ID" modes. */
export function resourceLocator(spec: LocatorSpec): INodeProperties {
	return {
		displayName: spec.displayName,
		name: spec.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		...(spec.description ? { description: spec.description } : {}),
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select ${spec.displayName}...`,
				typeOptions: {
					searchListMethod: spec.searchListMethod,
					searchable: spec.searchable ?? true,
					searchFilterRequired: false,
				},
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: spec.idPlaceholder ?? 'e.g. 42',
				...(spec.idPattern
					? { validation: [{ type: 'regex', properties: { ...spec.idPattern } }] }
					: {}),
			},
		],
	};
}

/**
 * The id a parameter holds, whatever its shape: a resource locator (`{ __rl, mode, value }`), or a
 * bare string or number from a workflow saved before the pickers. Empty when nothing is chosen.
 */
export function locatorValue(raw: unknown): string {
	const value =
		raw !== null && typeof raw === 'object' && 'value' in raw
			? (raw as { value: unknown }).value
			: raw;
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
	return typeof value === 'string' ? value.trim() : '';
}

/** A positive record id from a locator or bare value; undefined when empty or 0 (the ERP's default). */
export function locatorRecordId(raw: unknown): number | undefined {
	const id = Number(locatorValue(raw));
	return Number.isInteger(id) && id > 0 ? id : undefined;
}
