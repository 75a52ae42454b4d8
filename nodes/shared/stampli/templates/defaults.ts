/**
 * The default templates: one registry for both directions — Stampli exports read by the trigger
 * (invoices, payments, vendors) and feed files written for Stampli (vendors, purchase orders, GL
 * accounts). Each template carries both its CSV columns and its XML element paths.
 * Documented column by column in docs/stampli-templates.md; change a default only with a new version.
 */
import type { CsvSettings, Template, TemplateField, TemplateKind, XmlSettings } from './types';
import { field } from './field';
import { dimensionFeeds, quickBooksFeedTemplates } from './quickbooksFeeds';

const CSV: CsvSettings = {
	delimiter: ',',
	quote: '"',
	encoding: 'utf8',
	dateFormat: 'YYYY-MM-DD',
	decimalSeparator: '.',
};

function xml(rootElement: string, recordElement: string, lineElement?: string): XmlSettings {
	const settings: XmlSettings = {
		rootElement,
		recordElement,
		encoding: 'utf8',
		dateFormat: 'YYYY-MM-DD',
		decimalSeparator: '.',
	};
	if (lineElement) settings.lineElement = lineElement;
	return settings;
}

const addressFields = (
	prefix: string,
	columnPrefix: string,
	xmlPrefix: string,
): TemplateField[] => [
	field(`${prefix}address.line1`, `${columnPrefix}AddressLine1`, `${xmlPrefix}Address/Line1`),
	field(`${prefix}address.line2`, `${columnPrefix}AddressLine2`, `${xmlPrefix}Address/Line2`),
	field(`${prefix}address.city`, `${columnPrefix}City`, `${xmlPrefix}Address/City`),
	field(`${prefix}address.region`, `${columnPrefix}Region`, `${xmlPrefix}Address/Region`),
	field(
		`${prefix}address.postalCode`,
		`${columnPrefix}PostalCode`,
		`${xmlPrefix}Address/PostalCode`,
	),
	field(`${prefix}address.country`, `${columnPrefix}Country`, `${xmlPrefix}Address/Country`),
];

const invoiceExport: Template = {
	name: 'invoice-export',
	version: 1,
	kind: 'invoices',
	description:
		'Approved invoices exported by Stampli: one CSV row per invoice line (header fields repeated), or one <Invoice> element with nested <Line> elements.',
	recordKey: 'stampliInvoiceId',
	fields: [
		field('stampliInvoiceId', 'InvoiceId', 'InvoiceId', 'string', true),
		field('invoiceNumber', 'InvoiceNumber', 'InvoiceNumber', 'string', true),
		field('documentType', 'DocumentType', 'DocumentType', 'string', true),
		field('vendor.stampliVendorId', 'VendorId', 'Vendor/Id', 'string', true),
		field('vendor.name', 'VendorName', 'Vendor/Name', 'string', true),
		field('vendor.taxId', 'VendorTaxId', 'Vendor/TaxId'),
		field('vendor.erpVendorId', 'VendorErpId', 'Vendor/ErpId'),
		...addressFields('vendor.', 'Vendor', 'Vendor/'),
		field('invoiceDate', 'InvoiceDate', 'InvoiceDate', 'date', true),
		field('dueDate', 'DueDate', 'DueDate', 'date'),
		field('currency', 'Currency', 'Currency', 'string', true),
		field('total', 'Total', 'Total', 'decimal', true),
		field('taxTotal', 'TaxTotal', 'TaxTotal', 'decimal'),
		field('poNumber', 'PONumber', 'PONumber'),
		field('approvedAt', 'ApprovedAt', 'ApprovedAt', 'instant'),
		field('lines[].lineNumber', 'LineNumber', 'LineNumber', 'integer'),
		field('lines[].description', 'LineDescription', 'Description'),
		field('lines[].quantity', 'Quantity', 'Quantity', 'decimal'),
		field('lines[].unitPrice', 'UnitPrice', 'UnitPrice', 'decimal'),
		field('lines[].amount', 'LineAmount', 'Amount', 'decimal', true),
		field('lines[].glAccount', 'GLAccount', 'GLAccount', 'string', true),
		field('lines[].dimensions.department', 'Department', 'Dimensions/Department'),
		field('lines[].dimensions.class', 'Class', 'Dimensions/Class'),
		field('lines[].dimensions.location', 'Location', 'Dimensions/Location'),
		field('lines[].dimensions.project', 'Project', 'Dimensions/Project'),
		field('lines[].poLine', 'POLine', 'POLine'),
		field('lines[].taxCode', 'TaxCode', 'TaxCode'),
	],
	constants: [],
	csv: CSV,
	xml: xml('InvoiceExport', 'Invoice', 'Lines/Line'),
};

const paymentExport: Template = {
	name: 'payment-export',
	version: 1,
	kind: 'payments',
	description:
		'Payments recorded in Stampli against approved invoices: one CSV row or one <Payment> element per payment.',
	recordKey: 'stampliPaymentId',
	fields: [
		field('stampliPaymentId', 'PaymentId', 'PaymentId', 'string', true),
		field('stampliInvoiceId', 'InvoiceId', 'InvoiceId', 'string', true),
		field('invoiceNumber', 'InvoiceNumber', 'InvoiceNumber', 'string', true),
		field('vendor.stampliVendorId', 'VendorId', 'Vendor/Id', 'string', true),
		field('vendor.name', 'VendorName', 'Vendor/Name', 'string', true),
		field('vendor.taxId', 'VendorTaxId', 'Vendor/TaxId'),
		field('vendor.erpVendorId', 'VendorErpId', 'Vendor/ErpId'),
		field('paymentDate', 'PaymentDate', 'PaymentDate', 'date', true),
		field('amount', 'Amount', 'Amount', 'decimal', true),
		field('currency', 'Currency', 'Currency', 'string', true),
		field('method', 'PaymentMethod', 'Method'),
		field('reference', 'Reference', 'Reference'),
	],
	constants: [],
	csv: CSV,
	xml: xml('PaymentExport', 'Payment'),
};

const vendorExport: Template = {
	name: 'vendor-export',
	version: 1,
	kind: 'vendors',
	description:
		'Vendor master records exported by Stampli (for QuickBooks vendor sync): one CSV row or one <Vendor> element per vendor.',
	recordKey: 'vendorId',
	fields: [
		field('vendorId', 'VendorId', 'Id', 'string', true),
		field('stampliVendorId', 'VendorId', 'Id'),
		field('name', 'VendorName', 'Name', 'string', true),
		field('taxId', 'TaxId', 'TaxId'),
		field('email', 'Email', 'Email'),
		field('phone', 'Phone', 'Phone'),
		...addressFields('', '', ''),
		field('currency', 'Currency', 'Currency'),
		field('paymentTerms', 'PaymentTerms', 'PaymentTerms'),
		field('active', 'Active', 'Active', 'boolean'),
	],
	constants: [],
	csv: CSV,
	xml: xml('VendorExport', 'Vendor'),
};

const vendorFeed: Template = {
	name: 'vendor-feed',
	version: 1,
	kind: 'vendorFeed',
	description: "Vendor master data written from the ERP into Stampli's inbound directory.",
	recordKey: 'vendorId',
	fields: [
		field('vendorId', 'VendorId', 'Id', 'string', true),
		field('name', 'VendorName', 'Name', 'string', true),
		field('taxId', 'TaxId', 'TaxId'),
		field('email', 'Email', 'Email'),
		field('phone', 'Phone', 'Phone'),
		...addressFields('', '', ''),
		field('currency', 'Currency', 'Currency'),
		field('paymentTerms', 'PaymentTerms', 'PaymentTerms'),
		field('active', 'Active', 'Active', 'boolean', true),
	],
	constants: [],
	csv: CSV,
	xml: xml('VendorFeed', 'Vendor'),
};

const purchaseOrderFeed: Template = {
	name: 'purchase-order-feed',
	version: 1,
	kind: 'purchaseOrderFeed',
	description:
		'Open purchase orders written from the ERP for Stampli PO matching: one CSV row per PO line (header fields repeated), or one <PurchaseOrder> with nested <Line> elements.',
	recordKey: 'poNumber',
	fields: [
		field('poId', 'POId', 'Id', 'string', true),
		field('poNumber', 'PONumber', 'PONumber', 'string', true),
		field('vendorId', 'VendorId', 'Vendor/Id', 'string', true),
		field('vendorName', 'VendorName', 'Vendor/Name', 'string', true),
		field('orderDate', 'OrderDate', 'OrderDate', 'date', true),
		field('currency', 'Currency', 'Currency', 'string', true),
		field('total', 'Total', 'Total', 'decimal', true),
		field('status', 'Status', 'Status', 'string', true),
		field('lines[].lineId', 'LineId', 'LineId', 'string', true),
		field('lines[].lineNumber', 'LineNumber', 'LineNumber', 'integer', true),
		field('lines[].description', 'LineDescription', 'Description'),
		field('lines[].productCode', 'ProductCode', 'ProductCode'),
		field('lines[].quantity', 'Quantity', 'Quantity', 'decimal', true),
		field('lines[].quantityReceived', 'QuantityReceived', 'QuantityReceived', 'decimal'),
		field('lines[].quantityBilled', 'QuantityBilled', 'QuantityBilled', 'decimal'),
		field('lines[].unitPrice', 'UnitPrice', 'UnitPrice', 'decimal', true),
		field('lines[].amount', 'LineAmount', 'Amount', 'decimal', true),
		field('lines[].glAccount', 'GLAccount', 'GLAccount'),
	],
	constants: [],
	csv: CSV,
	xml: xml('PurchaseOrderFeed', 'PurchaseOrder', 'Lines/Line'),
};

const glAccountFeed: Template = {
	name: 'gl-account-feed',
	version: 1,
	kind: 'glAccountFeed',
	description:
		'Chart of accounts written from the ERP so Stampli users code lines to valid GL accounts.',
	recordKey: 'code',
	fields: [
		field('accountId', 'AccountId', 'Id', 'string', true),
		field('code', 'Code', 'Code', 'string', true),
		field('name', 'Name', 'Name', 'string', true),
		field('type', 'Type', 'Type', 'string', true),
		field('active', 'Active', 'Active', 'boolean', true),
	],
	constants: [],
	csv: CSV,
	xml: xml('GlAccountFeed', 'Account'),
};

const DEFAULTS: Record<TemplateKind, Template> = {
	invoices: invoiceExport,
	payments: paymentExport,
	vendors: vendorExport,
	vendorFeed,
	purchaseOrderFeed,
	glAccountFeed,
	...dimensionFeeds(vendorFeed),
};

/** Every registered template: each kind's default, then the ERP-specific variants. */
const ALL: readonly Template[] = [...Object.values(DEFAULTS), ...quickBooksFeedTemplates(DEFAULTS)];

/** The registered templates of a kind (copies), its default first. */
export function templatesOfKind(kind: TemplateKind): Template[] {
	return ALL.filter((t) => t.kind === kind).map(clone);
}

function clone(template: Template): Template {
	return JSON.parse(JSON.stringify(template)) as Template;
}

/**
 * The default template of a kind. One template serves both CSV and XML (it carries columns and
 * element paths); `format` is accepted so callers state intent and a future format-specific default
 * can be introduced without changing call sites. Returns a fresh copy the caller may modify.
 */
export function getDefaultTemplate(kind: TemplateKind, format: 'csv' | 'xml' = 'csv'): Template {
	const template = DEFAULTS[kind];
	if (!template) throw new Error(`unknown template kind "${kind}"`);
	if (format !== 'csv' && format !== 'xml')
		throw new Error(`unknown file format "${format as string}"`);
	return clone(template);
}

export interface TemplateListing {
	id: string;
	name: string;
	version: number;
	kind: TemplateKind;
	formats: Array<'csv' | 'xml'>;
	description: string;
}

export function listTemplates(): TemplateListing[] {
	return ALL.map((t) => ({
		id: `${t.name}@${t.version}`,
		name: t.name,
		version: t.version,
		kind: t.kind,
		formats: ['csv', 'xml'],
		description: t.description ?? '',
	}));
}

/** Looks a default template up by `name@version` (or `name` for the latest version). */
export function getTemplateById(id: string): Template | undefined {
	const [name, version] = id.split('@');
	const found = ALL.find(
		(t) => t.name === name && (version === undefined || String(t.version) === version),
	);
	return found ? clone(found) : undefined;
}
