/**
 * From the `stampliOdooApi` credential's fields to a client config, and the credential test:
 * version + authenticate + one read, through the same client the nodes use (n8n's generic HTTP
 * credential test cannot speak XML-RPC).
 */
import { createOdooClient, type OdooClientConfig, type OdooClientOptions } from './client';
import { OdooError } from './errors';
import { attempt } from './transport';

export function odooConfigFromCredential(data: Record<string, unknown>): OdooClientConfig {
	const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string).trim() : '');
	const protocol = text('protocol') || 'auto';
	if (!['auto', 'xmlrpc', 'json2', 'jsonrpc'].includes(protocol))
		throw new OdooError(`Unknown Odoo protocol "${protocol}"`);
	const company = data.companyId;
	const companyId =
		company === undefined || company === '' || company === null || Number(company) === 0
			? undefined
			: Number(company);
	if (companyId !== undefined && (!Number.isInteger(companyId) || companyId < 0))
		throw new OdooError(`Company ID must be a whole number (got "${String(company)}")`);
	return {
		url: text('url').replace(/\/+$/, ''),
		db: text('database'),
		login: text('login'),
		apiKey: typeof data.apiKey === 'string' ? data.apiKey : '',
		protocol: protocol as OdooClientConfig['protocol'],
		companyId,
	};
}

export interface OdooConnectionTestResult {
	ok: boolean;
	message: string;
}

/** Authenticates and reads the user's company; never throws, never echoes the key. */
export async function testOdooConnection(
	config: OdooClientConfig,
	options: OdooClientOptions = {},
): Promise<OdooConnectionTestResult> {
	const outcome = await attempt(async () => {
		const client = createOdooClient(
			{ ...config, timeoutMs: config.timeoutMs ?? 20_000 },
			{ ...options, noSharedCache: true },
		);
		const version = await client.version();
		const protocol = await client.protocol();
		const uid = await client.uid();
		const [user] = await client.read('res.users', [uid], ['name', 'company_id']);
		return `Connected to Odoo ${version.serverVersion} over ${protocol} as ${user?.name ?? `user ${uid}`}${user?.company_id ? ` (${user.company_id[1]})` : ''}`;
	});
	if (outcome.ok) return { ok: true, message: outcome.value };
	const error =
		outcome.error instanceof OdooError
			? outcome.error
			: new OdooError(String((outcome.error as Error)?.message ?? outcome.error));
	return { ok: false, message: error.message };
}
