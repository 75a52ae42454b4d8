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
import { odooConfigFromCredential, testOdooConnection } from './shared/odoo';
import { sftpConfigFromCredential, testSftpConnection } from './shared/sftp';

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

export async function stampliOdooConnectionTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	return await asTestResult(() =>
		testOdooConnection(
			odooConfigFromCredential((credential.data ?? {}) as Record<string, unknown>),
		),
	);
}
