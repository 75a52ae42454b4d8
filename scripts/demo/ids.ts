/**
 * Fixed ids the templates use, so a re-import overwrites instead of duplicating, and so imported
 * credentials bind to the templates' nodes without editing them (n8n keeps credential ids on import).
 * Users who create their own credentials simply pick them in each node instead.
 */
export const WORKFLOW_IDS = {
	masterDataFeed: 'stampliTplFeed01',
	odooBills: 'stampliTplOdooBl',
	odooPayments: 'stampliTplOdooPy',
	quickBooksBills: 'stampliTplQboBil',
	replayFailed: 'stampliTplReplay',
	errorCollector: 'stampliTplErrors',
} as const;

export type TemplateKey = keyof typeof WORKFLOW_IDS;

/** Template file names in workflows/, in the order the README lists them. */
export const TEMPLATE_FILES: Record<TemplateKey, string> = {
	masterDataFeed: '1-odoo-master-data-feed.json',
	odooBills: '2-stampli-to-odoo-bills.json',
	odooPayments: '3-stampli-payments-to-odoo.json',
	quickBooksBills: '4-stampli-to-quickbooks.json',
	replayFailed: '5-replay-failed-files.json',
	errorCollector: '6-error-collector.json',
};

/** Credential ids referenced by the templates (placeholders until a user picks their own). */
export const CREDENTIAL_IDS = {
	stampliSftpApi: 'stampliCredSftp1',
	stampliOdooApi: 'stampliCredOdoo1',
	stampliQuickBooksOAuth2Api: 'stampliCredQbo01',
} as const;

export const CREDENTIAL_NAMES = {
	stampliSftpApi: 'Stampli SFTP',
	stampliOdooApi: 'Odoo (Stampli)',
	stampliQuickBooksOAuth2Api: 'QuickBooks Online (Stampli)',
} as const;

export type CredentialType = keyof typeof CREDENTIAL_IDS;
