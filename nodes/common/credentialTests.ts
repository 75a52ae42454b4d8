/**
 * Credential tests shared by every node that uses the credential (`testedBy`). SFTP and Odoo
 * XML-RPC cannot be expressed as n8n's declarative HTTP credential test, so each runs through
 * the package's own client: the SFTP one pins the host key and lists both directories, the
 * Odoo one reads the version, authenticates and reads the user.
 */
import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';
import { odooConfigFromCredential, testOdooConnection, type OdooHttpSend } from '../shared/odoo';
import { sftpConfigFromCredential, testSftpConnection } from '../shared/sftp';
import { ignoresSslIssues } from './odoo';

async function asTestResult(
	run: () => Promise<{ ok: boolean; message: string }>,
): Promise<INodeCredentialTestResult> {
	try {
		const result = await run();
		return { status: result.ok ? 'OK' : 'Error', message: result.message };
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
}

export async function stampliSftpConnectionTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	return await asTestResult(() =>
		testSftpConnection(
			sftpConfigFromCredential((credential.data ?? {}) as Record<string, unknown>),
		),
	);
}

/**
 * Odoo requests through the credential-test context's request helper (n8n's proxy settings, the
 * credential's TLS option). Called outside n8n without one (the package's own tests), the client's
 * fetch is used.
 */
function credentialTestSend(
	ctx: ICredentialTestFunctions | undefined,
	skipSslCertificateValidation: boolean,
): OdooHttpSend | undefined {
	const request = ctx?.helpers?.request;
	if (!request) return undefined;
	return async (req) => {
		const response = (await request({
			method: req.method,
			uri: req.url,
			headers: req.headers,
			body: req.body,
			timeout: req.timeoutMs,
			resolveWithFullResponse: true,
			simple: false,
			followRedirect: false,
			rejectUnauthorized: !skipSslCertificateValidation,
		})) as { statusCode: number; headers?: Record<string, unknown>; body?: unknown };
		const contentType = response.headers?.['content-type'];
		return {
			status: response.statusCode,
			contentType: typeof contentType === 'string' ? contentType : '',
			body: typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? ''),
		};
	};
}

export async function stampliOdooConnectionTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const send = credentialTestSend(this, ignoresSslIssues(data));
	return await asTestResult(() =>
		testOdooConnection(odooConfigFromCredential(data as Record<string, unknown>), { send }),
	);
}
