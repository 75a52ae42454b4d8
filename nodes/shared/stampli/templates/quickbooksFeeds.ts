/**
 * Feed templates for master data read from QuickBooks Online: classes and departments (the
 * dimensions Stampli codes lines to, as default templates of their own feeds), and QuickBooks
 * variants of the vendor, GL account and purchase-order feeds that carry what QuickBooks adds:
 * the Stampli vendor id a vendor was created from, an account's QuickBooks type, sub-type and
 * fully-qualified name (`Parent:Child`), and deleted purchase orders. Documented with samples in
 * docs/quickbooks-feeds.md.
 */
import type { FieldType, Template, TemplateField } from './types';

function field(
	path: string,
	column: string,
	xml: string,
	type: FieldType = 'string',
	required = false,
): TemplateField {
	return required ? { path, column, xml, type, required } : { path, column, xml, type };
}

function settings(rootElement: string, recordElement: string, lineElement?: string) {
	const common = { encoding: 'utf8', dateFormat: 'YYYY-MM-DD', decimalSeparator: '.' } as const;
	return {
		csv: { delimiter: ',', quote: '"', ...common },
		xml: { rootElement, recordElement, ...common, ...(lineElement ? { lineElement } : {}) },
	};
}

const dimensionFields = [
	field('dimensionId', 'Id', 'Id', 'string', true),
	field('name', 'Name', 'Name', 'string', true),
	field('fullyQualifiedName', 'FullName', 'FullName', 'string', true),
	field('parentId', 'ParentId', 'ParentId'),
	field('active', 'Active', 'Active', 'boolean', true),
];

export const classFeed: Template = {
	name: 'class-feed',
	version: 1,
	kind: 'classFeed',
	description:
		'Classes (an accounting dimension) written from the ERP so Stampli users code lines to valid classes; sub-classes carry their full name (Parent:Child).',
	recordKey: 'dimensionId',
	fields: dimensionFields,
	constants: [],
	...settings('ClassFeed', 'Class'),
};

export const departmentFeed: Template = {
	name: 'department-feed',
	version: 1,
	kind: 'departmentFeed',
	description:
		'Departments (QuickBooks locations) written from the ERP so Stampli users code lines to valid departments.',
	recordKey: 'dimensionId',
	fields: dimensionFields,
	constants: [],
	...settings('DepartmentFeed', 'Department'),
};

const qboVendorFeed: Template = {
	name: 'qbo-vendor-feed',
	version: 1,
	kind: 'vendorFeed',
	description:
		'QuickBooks vendors for Stampli, with the Stampli vendor id of vendors Stampli created (so Stampli recognises them).',
	recordKey: 'vendorId',
	fields: [
		field('vendorId', 'VendorId', 'Id', 'string', true),
		field('stampliVendorId', 'StampliVendorId', 'StampliVendorId'),
		field('name', 'VendorName', 'Name', 'string', true),
		field('taxId', 'TaxId', 'TaxId'),
		field('email', 'Email', 'Email'),
		field('phone', 'Phone', 'Phone'),
		field('address.line1', 'AddressLine1', 'Address/Line1'),
		field('address.line2', 'AddressLine2', 'Address/Line2'),
		field('address.city', 'City', 'Address/City'),
		field('address.region', 'Region', 'Address/Region'),
		field('address.postalCode', 'PostalCode', 'Address/PostalCode'),
		field('address.country', 'Country', 'Address/Country'),
		field('currency', 'Currency', 'Currency'),
		field('paymentTerms', 'PaymentTerms', 'PaymentTerms'),
		field('active', 'Active', 'Active', 'boolean', true),
	],
	constants: [],
	...settings('VendorFeed', 'Vendor'),
};

const qboGlAccountFeed: Template = {
	name: 'qbo-gl-account-feed',
	version: 1,
	kind: 'glAccountFeed',
	description:
		'The QuickBooks chart of accounts for Stampli: the account number (or, without one, the full name) as code, the QuickBooks type and sub-type, and the full name of sub-accounts.',
	recordKey: 'accountId',
	fields: [
		field('accountId', 'AccountId', 'Id', 'string', true),
		field('code', 'Code', 'Code', 'string', true),
		field('name', 'Name', 'Name', 'string', true),
		field('fullyQualifiedName', 'FullName', 'FullName', 'string', true),
		field('type', 'Type', 'Type', 'string', true),
		field('quickbooksType', 'QuickBooksType', 'QuickBooksType'),
		field('quickbooksSubType', 'QuickBooksSubType', 'QuickBooksSubType'),
		field('parentId', 'ParentId', 'ParentId'),
		field('currency', 'Currency', 'Currency'),
		field('active', 'Active', 'Active', 'boolean', true),
	],
	constants: [],
	...settings('GlAccountFeed', 'Account'),
};

/** As the default purchase-order feed, but a deleted PO (only its id left) is written as Status `Deleted`. */
const qboPurchaseOrderFeed: Template = {
	name: 'qbo-purchase-order-feed',
	version: 1,
	kind: 'purchaseOrderFeed',
	description:
		'QuickBooks purchase orders for Stampli PO matching: open ones, and in incremental runs closed and deleted ones (Status Closed or Deleted) so Stampli stops matching them.',
	recordKey: 'poId',
	fields: [
		field('poId', 'POId', 'Id', 'string', true),
		field('poNumber', 'PONumber', 'PONumber', 'string', true),
		field('vendorId', 'VendorId', 'Vendor/Id'),
		field('vendorName', 'VendorName', 'Vendor/Name'),
		field('orderDate', 'OrderDate', 'OrderDate', 'date'),
		field('currency', 'Currency', 'Currency'),
		field('total', 'Total', 'Total', 'decimal'),
		field('status', 'Status', 'Status', 'string', true),
		field('lines[].lineId', 'LineId', 'LineId', 'string', true),
		field('lines[].lineNumber', 'LineNumber', 'LineNumber', 'integer', true),
		field('lines[].description', 'LineDescription', 'Description'),
		field('lines[].productCode', 'ProductCode', 'ProductCode'),
		field('lines[].quantity', 'Quantity', 'Quantity', 'decimal', true),
		field('lines[].unitPrice', 'UnitPrice', 'UnitPrice', 'decimal', true),
		field('lines[].amount', 'LineAmount', 'Amount', 'decimal', true),
		field('lines[].glAccount', 'GLAccountId', 'GLAccountId'),
	],
	constants: [],
	...settings('PurchaseOrderFeed', 'PurchaseOrder', 'Lines/Line'),
};

/** The QuickBooks variants, beside each kind's default template. */
export const QUICKBOOKS_FEED_TEMPLATES: readonly Template[] = [
	qboVendorFeed,
	qboGlAccountFeed,
	qboPurchaseOrderFeed,
];
