/** Live ERP directories for account resolution and vendor matching (plain modules, no n8n import). */
export { OdooAccountDirectory } from '../odooAccounts';
export {
	OdooVendorDirectory,
	nameCandidateWord,
	type OdooVendorDirectoryOptions,
} from './odooVendors';
export {
	QuickBooksAccountDirectory,
	QuickBooksVendorDirectory,
	type QuickBooksVendorDirectoryOptions,
} from './quickbooks';
