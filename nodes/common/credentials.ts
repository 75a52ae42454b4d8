/**
 * The package's credential type names, as the credential classes, package.json and the workflow
 * templates spell them. Code refers to them through these constants; node descriptions keep them
 * as literals, because n8n's linter and package scanner read descriptions without running them.
 */
export const CREDENTIALS = {
	sftp: 'stampliSftpApi',
	odoo: 'stampliOdooApi',
	quickBooks: 'stampliQuickBooksOAuth2Api',
} as const;
