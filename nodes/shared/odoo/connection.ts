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
	const seconds = Number(data.timeoutSeconds);
	const timeoutMs =
		Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : undefined;
	return {
		url: text('url').replace(/\/+$/, ''),
		db: text('database'),
		login: text('login'),
		apiKey: typeof data.apiKey === 'string' ? data.apiKey : '',
		protocol: protocol as OdooClientConfig['protocol'],
		companyId,
		...(timeoutMs !== undefined ? { timeoutMs } : {}),
	};
}

export interface OdooConnectionTestResult {
	ok: boolean;
	message: string;
}

/**
 * Authenticates, reads the user and checks that the credential's company is one the user may use
 * (otherwise every write would fail with "Access to unauthorized or invalid companies"). Never
 * throws, never echoes the key.
 */
export async function testOdooConnection(
	config: OdooClientConfig,
	options: OdooClientOptions = {},
): Promise<OdooConnectionTestResult> {
	const outcome = await attempt(async () => {
		// Without the company in the context: a company the user may not use must not hide the user.
		const client = createOdooClient(
			{ ...config, companyId: undefined, timeoutMs: Math.min(config.timeoutMs ?? 20_000, 30_000) },
			{ ...options, noSharedCache: true },
		);
		const version = await client.version();
		const protocol = await client.protocol();
		const uid = await client.uid();
		const [user] = await client.read('res.users', [uid], ['name', 'company_id', 'company_ids']);
		const allowed: number[] = Array.isArray(user?.company_ids) ? user.company_ids : [];
		if (config.companyId !== undefined && !allowed.includes(config.companyId)) {
			const companies = await client.read('res.company', allowed, ['name']);
			const list = companies.map((c) => `${c.id} ${c.name}`).join(', ') || 'none';
			throw new OdooError(
				`Company ${config.companyId} is not one of the companies the Odoo user "${config.login}" may use (${list}): set Company ID to one of them, or leave it empty for the user's default company`,
			);
		}
		const company =
			config.companyId === undefined
				? user?.company_id?.[1]
				: (await client.read('res.company', [config.companyId], ['name']))[0]?.name;
		return `Connected to Odoo ${version.serverVersion} over ${protocol} as ${user?.name ?? `user ${uid}`}${company ? ` (${company})` : ''}`;
	});
	if (outcome.ok) return { ok: true, message: outcome.value };
	const error =
		outcome.error instanceof OdooError
			? outcome.error
			: new OdooError(String((outcome.error as Error)?.message ?? outcome.error));
	return { ok: false, message: error.message };
}
