import type { INodeProperties } from 'n8n-workflow';

/** Both operations create vendors, so both offer the way out of a name a customer or employee holds. */
export const duplicateNameSuffix: INodeProperties = {
	displayName: 'Duplicate Name Suffix',
	name: 'duplicateNameSuffix',
	type: 'string',
	default: '',
	placeholder: ' (Vendor)',
	description:
		'When a customer or employee already uses the vendor name, create the vendor as name + this suffix',
};
