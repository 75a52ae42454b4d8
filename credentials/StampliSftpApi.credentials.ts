import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * Stampli exchanges files over SFTP only. The credential pins the server's host key; testing is done
 * by the Stampli SFTP Trigger / Stampli Files nodes (`testedBy`), because an SFTP connection cannot be
 * tested with an HTTP request.
 */
export class StampliSftpApi implements ICredentialType {
	name = 'stampliSftpApi';

	displayName = 'Stampli SFTP';

	icon: Icon = { light: 'file:stampliSftp.svg', dark: 'file:stampliSftp.dark.svg' };

	// The camel-case rule is for n8n's own repository (its docs slugs); a community package links a full URL.
	documentationUrl =
		'https://github.com/n8n-nodes-stampli/n8n-nodes-stampli#stampli-sftp-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'sftp.stampli.com',
			description: 'The SFTP server Stampli gave you',
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 22,
			required: true,
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Leave empty when you sign in with a private key only',
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			description:
				'OpenSSH or PEM private key, including the BEGIN and END lines. Leave empty for password sign-in.',
		},
		{
			displayName: 'Passphrase',
			name: 'passphrase',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Passphrase of the private key, if it has one',
		},
		{
			displayName: 'Inbound Directory',
			name: 'inboundDir',
			type: 'string',
			default: '/inbound',
			description:
				'Where feed files for Stampli are uploaded (vendors, purchase orders, GL accounts)',
		},
		{
			displayName: 'Outbound Directory',
			name: 'outboundDir',
			type: 'string',
			default: '/outbound',
			description:
				"Where Stampli puts its exports (approved invoices, payments, vendors): the trigger's default directory",
		},
		{
			displayName: 'Host Key Fingerprint (SHA256)',
			name: 'hostKeySha256',
			// A fingerprint is public (servers publish it); masking it would only make it harder to compare.
			// eslint-disable-next-line n8n-nodes-base/cred-class-field-type-options-password-missing
			type: 'string',
			default: '',
			placeholder: 'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8',
			description:
				'The server\'s host-key fingerprint as printed by "ssh-keygen -lf <key>.pub". The connection is refused if the server presents another key. Leave empty once and the credential test tells you the fingerprint the server presented — confirm it with Stampli before saving it.',
		},
		{
			displayName: 'Skip Host Key Verification (Insecure)',
			name: 'skipHostKeyVerification',
			type: 'boolean',
			default: false,
			description:
				'Whether to connect without verifying the server. INSECURE: anyone who can intercept the connection can impersonate the server and read your invoices and payments. Use only for a first test, never in production.',
		},
	];
}
