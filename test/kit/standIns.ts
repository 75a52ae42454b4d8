/**
 * The stand-ins a template run talks to: an SFTP server holding Stampli's directories, the Odoo
 * emulator and the QuickBooks emulator, all on 127.0.0.1, plus the credentials n8n needs to reach
 * them. Used by `npm run demo` (in-process SFTP server) and the e2e tests (the real sshd fixture).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CREDENTIAL_IDS, CREDENTIAL_NAMES, NODE } from '../../workflows/source/catalog';
import { startOdooEmulator, type OdooEmulator } from '../emulators/odoo';
import { startQuickBooksEmulator, type QuickBooksEmulator } from '../emulators/quickbooks';
import { startSftpServer } from '../fixtures/sftp-server';
import { startSshd, type SshdFixture } from '../fixtures/sshd';
import { withPicks, type Templates } from './templates';

/** What the templates need of an SFTP server: the shape of the real sshd fixture. */
export interface SftpEndpoint {
	host: string;
	port: number;
	username: string;
	password: string;
	hostKeySha256: string;
	inboundDir: string;
	outboundDir: string;
	localPath(remotePath: string): string;
	writeFile(remotePath: string, data: string | Buffer, mtime?: Date): void;
	stop(): Promise<void>;
}

export const SAMPLE_DIR = path.resolve(__dirname, '..', 'fixtures', 'stampli');

/** Directories the templates use under Stampli's outbound directory. */
export const OUTBOUND_LAYOUT = ['archive', 'failed'] as const;

/** The in-process SFTP server (ssh2), serving a fresh temp tree with inbound/ and outbound/. */
export async function startInProcessSftp(): Promise<SftpEndpoint> {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stampli-demo-sftp-'));
	// Removed on exit too, when the caller is interrupted before it calls stop().
	const removeRoot = () => fs.rmSync(root, { recursive: true, force: true });
	process.once('exit', removeRoot);
	for (const dir of ['inbound', 'outbound', ...OUTBOUND_LAYOUT.map((sub) => `outbound/${sub}`)])
		fs.mkdirSync(path.join(root, dir), { recursive: true });
	const password = `demo-${Math.random().toString(36).slice(2, 12)}`;
	const server = await startSftpServer({ root, username: 'stampli', password });
	const localPath = (remotePath: string) =>
		path.join(root, ...path.posix.normalize(`/${remotePath}`).split('/').filter(Boolean));
	return {
		host: server.host,
		port: server.port,
		username: server.username,
		password,
		hostKeySha256: server.fingerprint,
		inboundDir: '/inbound',
		outboundDir: '/outbound',
		localPath,
		writeFile(remotePath, data, mtime) {
			const target = localPath(remotePath);
			fs.mkdirSync(path.dirname(target), { recursive: true });
			fs.writeFileSync(target, data);
			if (mtime) fs.utimesSync(target, mtime, mtime);
		},
		async stop() {
			await server.stop();
			removeRoot();
			process.removeListener('exit', removeRoot);
		},
	};
}

/**
 * The demo's one deliberate exception: a separate invoice export whose only invoice is coded to a GL
 * account no template rule maps, so it takes the exception path (Needs attention → reconciliation →
 * error workflow → failed directory → replay) while the regular samples all go through.
 */
export const EXCEPTION_SAMPLE = {
	sampleFile: 'invoice-export-unmapped-gl.csv',
	/** Its remote name is `invoices-<prefix><suffix>`, which the invoice triggers' pattern picks up. */
	suffix: '-unmapped-gl.csv',
	invoiceId: 'INV-1004',
	invoiceNumber: 'NW-4410',
	glCode: '7300',
} as const;

/**
 * Copies the sample Stampli exports into the outbound directory under names the templates' file
 * patterns pick up, with an mtime in the past so the trigger's settle time does not hold them back.
 * With invoices, the deliberate-exception export goes along unless `exception` is false. Returns the remote paths written.
 */
export function seedSampleExports(
	sftp: SftpEndpoint,
	options: {
		kinds?: Array<'invoice' | 'payment' | 'vendor'>;
		formats?: Array<'csv' | 'xml'>;
		prefix?: string;
		exception?: boolean;
	} = {},
): string[] {
	const kinds = options.kinds ?? ['invoice', 'payment', 'vendor'];
	const formats = options.formats ?? ['csv'];
	const prefix = options.prefix ?? '2026-03-20';
	const past = new Date(Date.now() - 10 * 60_000);
	const written: string[] = [];
	for (const kind of kinds) {
		for (const format of formats) {
			const remote = `${sftp.outboundDir}/${kind}s-${prefix}.${format}`;
			sftp.writeFile(
				remote,
				fs.readFileSync(path.join(SAMPLE_DIR, `${kind}-export.${format}`)),
				past,
			);
			written.push(remote);
		}
	}
	if (kinds.includes('invoice') && (options.exception ?? true)) {
		const remote = `${sftp.outboundDir}/invoices-${prefix}${EXCEPTION_SAMPLE.suffix}`;
		sftp.writeFile(
			remote,
			fs.readFileSync(path.join(SAMPLE_DIR, EXCEPTION_SAMPLE.sampleFile)),
			past,
		);
		written.push(remote);
	}
	return written;
}

/** Vendors of the sample exports, as they would exist in Odoo (matched by `ref` = Stampli vendor id, or VAT). */
export const SAMPLE_ODOO_VENDORS = [
	{
		name: 'Acme Office Supply, Inc.',
		ref: 'V-100',
		vat: '12-3456789',
		supplier_rank: 1,
		is_company: true,
	},
	{ name: 'Northwind Traders', ref: 'V-200', supplier_rank: 1, is_company: true },
	{
		name: 'Globex Consulting',
		ref: 'V-300',
		vat: 'DE123456789',
		supplier_rank: 1,
		is_company: true,
	},
];

/** Id of the 10% purchase tax the demo adds to the Odoo emulator (after its two seeded 15% taxes). */
export const SAMPLE_ODOO_PURCHASE_TAX_ID = 3;

/** Accounts of the sample exports' GL codes, as a QuickBooks company would have them. */
export const SAMPLE_QBO_ACCOUNTS = [
	{ Id: '41', Name: 'Office Supplies', AcctNum: '6100', AccountType: 'Expense' },
	{ Id: '42', Name: 'Furniture & Equipment', AcctNum: '6200', AccountType: 'Expense' },
	{ Id: '43', Name: 'Consulting Fees', AcctNum: '6500', AccountType: 'Expense' },
	{ Id: '44', Name: 'Uncategorized Expense', AcctNum: '6999', AccountType: 'Expense' },
	{ Id: '45', Name: 'Purchase Tax Paid', AcctNum: '2200', AccountType: 'Other Current Liability' },
];
/** Class and department ids the QuickBooks template's example rules use. */
export const SAMPLE_QBO_CLASSES = [
	{ Id: '5', Name: 'Retail' },
	{ Id: '6', Name: 'Wholesale' },
];
export const SAMPLE_QBO_DEPARTMENTS = [
	{ Id: '7', Name: 'Ops' },
	{ Id: '8', Name: 'Admin' },
	{ Id: '9', Name: 'IT' },
];

/**
 * The templates with what a user picks at setup from the stand-ins' lists: the purchase tax of the
 * Odoo rules, the QuickBooks class, department and tax account.
 */
export function pickStandInIds(templates: Templates): Templates {
	const tax = String(SAMPLE_ODOO_PURCHASE_TAX_ID);
	return {
		...templates,
		odooBills: withPicks(templates.odooBills, NODE.glMapper, { taxes: tax }),
		quickBooksBills: withPicks(
			withPicks(templates.quickBooksBills, NODE.glMapper, {
				qboClass: SAMPLE_QBO_CLASSES[0].Id,
				qboDepartment: SAMPLE_QBO_DEPARTMENTS[0].Id,
			}),
			NODE.qboBills,
			{ taxAccountId: SAMPLE_QBO_ACCOUNTS.find((a) => a.AcctNum === '2200')!.Id },
		),
	};
}

export interface ErpStandIns {
	odoo: OdooEmulator;
	quickbooks: QuickBooksEmulator;
	stop(): Promise<void>;
}

export async function startErpStandIns(
	options: { quickbooksTokenTtlSec?: number } = {},
): Promise<ErpStandIns> {
	const odoo = await startOdooEmulator({ version: 17 });
	try {
		odoo.store.create('res.partner', SAMPLE_ODOO_VENDORS);
		// The sample exports are partly in EUR: a fresh database has EUR inactive, a company using it
		// activates it and keeps a rate (Odoo refuses to post in an inactive currency).
		const eur = odoo.store.xmlId('base', 'EUR')!.id as number;
		odoo.store.write('res.currency', [eur], { active: true });
		odoo.store.create('res.currency.rate', [
			{ name: '2026-01-01', rate: 0.92, currency_id: eur, company_id: 1 },
		]);
		// The sample's 6100 lines carry TAX10: a 10% purchase tax, referenced by the Odoo template's example rule.
		const [tax] = odoo.store.create('account.tax', [
			{ name: '10% (purchase)', amount: 10, amount_type: 'percent', type_tax_use: 'purchase' },
		]);
		if (tax !== SAMPLE_ODOO_PURCHASE_TAX_ID)
			throw new Error(
				`Odoo emulator gave the 10% purchase tax id ${tax}, the template expects ${SAMPLE_ODOO_PURCHASE_TAX_ID}`,
			);
		const quickbooks = await startQuickBooksEmulator({
			...(options.quickbooksTokenTtlSec
				? { accessTokenTtlSec: options.quickbooksTokenTtlSec }
				: {}),
			seed: {
				accounts: SAMPLE_QBO_ACCOUNTS,
				classes: SAMPLE_QBO_CLASSES,
				departments: SAMPLE_QBO_DEPARTMENTS,
			},
		});
		return {
			odoo,
			quickbooks,
			async stop() {
				await Promise.allSettled([odoo.stop(), quickbooks.stop()]);
			},
		};
	} catch (error) {
		await odoo.stop();
		throw error;
	}
}

export interface CredentialJson {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
	[key: string]: unknown;
}

/** Credentials for `n8n import:credentials`, with the ids the templates reference. */
export function standInCredentials(sftp: SftpEndpoint, erp: ErpStandIns): CredentialJson[] {
	const tokens = erp.quickbooks.issueTokens();
	return [
		{
			id: CREDENTIAL_IDS.stampliSftpApi,
			name: CREDENTIAL_NAMES.stampliSftpApi,
			type: 'stampliSftpApi',
			data: {
				host: sftp.host,
				port: sftp.port,
				username: sftp.username,
				password: sftp.password,
				inboundDir: sftp.inboundDir,
				outboundDir: sftp.outboundDir,
				hostKeySha256: sftp.hostKeySha256,
				skipHostKeyVerification: false,
			},
		},
		{
			id: CREDENTIAL_IDS.stampliOdooApi,
			name: CREDENTIAL_NAMES.stampliOdooApi,
			type: 'stampliOdooApi',
			data: {
				url: erp.odoo.url,
				database: erp.odoo.db,
				login: erp.odoo.login,
				apiKey: erp.odoo.apiKey,
				protocol: 'auto',
			},
		},
		{
			id: CREDENTIAL_IDS.stampliQuickBooksOAuth2Api,
			name: CREDENTIAL_NAMES.stampliQuickBooksOAuth2Api,
			type: 'stampliQuickBooksOAuth2Api',
			data: {
				environment: 'custom',
				customApiBaseUrl: erp.quickbooks.url,
				customAuthUrl: erp.quickbooks.authUrl,
				customAccessTokenUrl: erp.quickbooks.tokenUrl,
				grantType: 'authorizationCode',
				authUrl: erp.quickbooks.authUrl,
				accessTokenUrl: erp.quickbooks.tokenUrl,
				clientId: erp.quickbooks.clientId,
				clientSecret: erp.quickbooks.clientSecret,
				scope: 'com.intuit.quickbooks.accounting',
				authQueryParameters: '',
				authentication: 'header',
				// What n8n stores after a completed consent: the token pair and the callback's realmId.
				oauthTokenData: {
					token_type: 'bearer',
					access_token: tokens.access_token,
					refresh_token: tokens.refresh_token,
					expires_in: tokens.expires_in,
					x_refresh_token_expires_in: 8_726_400,
					callbackQueryString: { realmId: erp.quickbooks.realmId },
				},
			},
		},
		{
			// The report template's mail server; no test sends mail, so it points nowhere.
			id: CREDENTIAL_IDS.smtp,
			name: CREDENTIAL_NAMES.smtp,
			type: 'smtp',
			data: { user: '', password: '', host: '127.0.0.1', port: 25, secure: false },
		},
	];
}

/** What the e2e template runs talk to: the real OpenSSH sshd fixture and both ERP emulators. */
export interface TemplatePeers {
	sshd: SshdFixture;
	erp: ErpStandIns;
	/** Credentials for `n8n import:credentials`, with the ids the templates reference. */
	credentials: CredentialJson[];
	stop(): Promise<void>;
}

export async function startTemplatePeers(): Promise<TemplatePeers> {
	const [sshd, erp] = await Promise.all([startSshd(), startErpStandIns()]);
	return {
		sshd,
		erp,
		credentials: standInCredentials({ ...sshd, hostKeySha256: sshd.hostKeySha256 }, erp),
		async stop() {
			await Promise.allSettled([erp.stop(), sshd.stop()]);
		},
	};
}
