/**
 * Feed templates for master data read from QuickBooks Online, derived from the default feed
 * templates: classes and departments (the dimensions Stampli codes lines to, default templates of
 * feeds of their own), and QuickBooks variants of the vendor, GL account and purchase-order feeds
 * that add what QuickBooks has: the Stampli vendor id a vendor was created from, an account's
 * QuickBooks type, sub-type and fully-qualified name (`Parent:Child`), and deleted purchase orders.
 * Documented with samples in docs/quickbooks-feeds.md.
 */
import { field } from './field';
import type { Template, TemplateField } from './types';

type FeedDefaults = Pick<
	Record<Template['kind'], Template>,
	'vendorFeed' | 'glAccountFeed' | 'purchaseOrderFeed'
>;

/** `base`'s fields with `added` inserted after the field at `afterPath` (or at the end). */
function withFields(base: Template, afterPath: string, added: TemplateField[]): TemplateField[] {
	const at = base.fields.findIndex((f) => f.path === afterPath) + 1 || base.fields.length;
	return [...base.fields.slice(0, at), ...added, ...base.fields.slice(at)];
}

function variant(base: Template, name: string, description: string, fields: TemplateField[]) {
	return { ...base, name, version: 1, description, fields, constants: [] } as Template;
}

/** The class and department feeds, in the settings of the default vendor feed. */
export function dimensionFeeds(
	like: Template,
): Pick<Record<Template['kind'], Template>, 'classFeed' | 'departmentFeed'> {
	const fields = [
		field('dimensionId', 'Id', 'Id', 'string', true),
		field('name', 'Name', 'Name', 'string', true),
		field('fullyQualifiedName', 'FullName', 'FullName', 'string', true),
		field('parentId', 'ParentId', 'ParentId'),
		field('active', 'Active', 'Active', 'boolean', true),
	];
	const feed = (
		kind: 'classFeed' | 'departmentFeed',
		name: string,
		root: string,
		record: string,
		description: string,
	): Template => ({
		name,
		version: 1,
		kind,
		description,
		recordKey: 'dimensionId',
		fields,
		constants: [],
		csv: { ...like.csv },
		xml: { ...like.xml, rootElement: root, recordElement: record },
	});
	return {
		classFeed: feed(
			'classFeed',
			'class-feed',
			'ClassFeed',
			'Class',
			'Classes (an accounting dimension) written from the ERP so Stampli users code lines to valid classes; sub-classes carry their full name (Parent:Child).',
		),
		departmentFeed: feed(
			'departmentFeed',
			'department-feed',
			'DepartmentFeed',
			'Department',
			'Departments (QuickBooks locations) written from the ERP so Stampli users code lines to valid departments.',
		),
	};
}

/** The QuickBooks variants of the vendor, GL account and purchase-order feeds. */
export function quickBooksFeedTemplates(defaults: FeedDefaults): Template[] {
	const { vendorFeed, glAccountFeed, purchaseOrderFeed } = defaults;
	const vendors = variant(
		vendorFeed,
		'qbo-vendor-feed',
		'QuickBooks vendors for Stampli, with the Stampli vendor id of vendors Stampli created (so Stampli recognises them).',
		withFields(vendorFeed, 'vendorId', [
			field('stampliVendorId', 'StampliVendorId', 'StampliVendorId'),
		]),
	);
	const accounts = variant(
		glAccountFeed,
		'qbo-gl-account-feed',
		'The QuickBooks chart of accounts for Stampli: the account number (or, without one, the full name) as code, the QuickBooks type and sub-type, and the full name of sub-accounts.',
		withFields(glAccountFeed, 'name', [
			field('fullyQualifiedName', 'FullName', 'FullName', 'string', true),
		]),
	);
	accounts.recordKey = 'accountId';
	accounts.fields = withFields(accounts, 'type', [
		field('quickbooksType', 'QuickBooksType', 'QuickBooksType'),
		field('quickbooksSubType', 'QuickBooksSubType', 'QuickBooksSubType'),
		field('parentId', 'ParentId', 'ParentId'),
		field('currency', 'Currency', 'Currency'),
	]);
	// A deleted PO keeps only its id: what a deletion cannot carry is optional here.
	const optional = new Set(['vendorId', 'vendorName', 'orderDate', 'currency', 'total']);
	const orders = variant(
		purchaseOrderFeed,
		'qbo-purchase-order-feed',
		'QuickBooks purchase orders for Stampli PO matching: open ones, and in incremental runs closed and deleted ones (Status Closed or Deleted) so Stampli stops matching them.',
		purchaseOrderFeed.fields
			.filter((f) => f.path !== 'lines[].quantityReceived' && f.path !== 'lines[].quantityBilled')
			.map((f) => {
				if (f.path === 'lines[].glAccount')
					return { ...f, column: 'GLAccountId', xml: 'GLAccountId' };
				if (!optional.has(f.path)) return { ...f };
				const { required: _required, ...rest } = f;
				return rest;
			}),
	);
	orders.recordKey = 'poId';
	return [vendors, accounts, orders];
}
