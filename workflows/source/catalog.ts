/**
 * What the templates are called and what they refer to: file names, the placeholder credentials the
 * nodes name, and the node names the tests and the demo look up. Templates carry no workflow id: n8n
 * gives each import a new one, so importing a newer template never replaces a copy the user edited.
 */

/** Template file names in workflows/, in the order the README lists them. */
export const TEMPLATE_FILES = {
	masterDataFeed: '1-odoo-master-data-feed.json',
	odooBills: '2-stampli-to-odoo-bills.json',
	odooPayments: '3-stampli-payments-to-odoo.json',
	quickBooksBills: '4-stampli-to-quickbooks.json',
	replayFailed: '5-replay-failed-files.json',
	errorCollector: '6-error-collector.json',
	quickBooksMasterDataFeed: '7-quickbooks-master-data-feed.json',
	recordAudit: '8-record-audit.json',
	monthEndReport: '9-month-end-report.json',
	findInvoice: '10-find-invoice.json',
} as const;

export type TemplateKey = keyof typeof TEMPLATE_FILES;

export const TEMPLATE_KEYS = Object.keys(TEMPLATE_FILES) as TemplateKey[];

/**
 * Credential ids referenced by the templates: placeholders until a user picks their own credential in
 * each node; importing credentials with these ids (the demo, the tests) binds them without edits.
 */
export const CREDENTIAL_IDS = {
	stampliSftpApi: 'stampliCredSftp1',
	stampliOdooApi: 'stampliCredOdoo1',
	stampliQuickBooksOAuth2Api: 'stampliCredQbo01',
	smtp: 'stampliCredSmtp1',
} as const;

export const CREDENTIAL_NAMES = {
	stampliSftpApi: 'Stampli SFTP',
	stampliOdooApi: 'Odoo (Stampli)',
	stampliQuickBooksOAuth2Api: 'QuickBooks Online (Stampli)',
	smtp: 'SMTP (Stampli reports)',
} as const;

export type CredentialType = keyof typeof CREDENTIAL_IDS;

/** Node names the tests and the demo look up; renaming one here renames it everywhere. */
export const NODE = {
	trigger: 'Stampli SFTP Trigger',
	vendorTrigger: 'Stampli Vendor Exports',
	glMapper: 'GL Mapper',
	odooBills: 'Odoo Account Move',
	odooPayments: 'Odoo Register Payments',
	qboBills: 'QuickBooks Bill',
	qboVendors: 'QuickBooks Vendors',
	merge: 'Merge Outcomes',
	reconcile: 'Stampli Reconcile',
	needsPerson: 'Needs a Person?',
	raise: 'Report to Error Workflow',
	errorTrigger: 'Error Trigger',
	collect: 'Collect Failure',
	notify: 'Notify a Person',
	schedule: 'Every Day at 02:00',
	runNow: 'Run Feed Now',
	vendors: 'Odoo Vendors',
	purchaseOrders: 'Odoo Purchase Orders',
	glAccounts: 'Odoo GL Accounts',
	vendorFeed: 'Vendor Feed',
	poFeed: 'Purchase Order Feed',
	glFeed: 'GL Account Feed',
	manual: 'When Clicking ‘Execute Workflow’',
	listFailed: 'List Failed Files',
	replay: 'Replay Failed Files',
} as const;

/** Where the invoice templates move files with invalid records, and where the replay template takes them from. */
export const FAILED_DIR = '/outbound/failed';
