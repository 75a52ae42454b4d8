import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * Odoo over XML-RPC (Odoo ≤ 18) or JSON-2 (Odoo 19+), signed in with an API key. Tested by the
 * Odoo Account Move node (`testedBy`): an XML-RPC authenticate cannot be expressed as n8n's
 * generic HTTP request test.
 */
export class StampliOdooApi implements ICredentialType {
	name = 'stampliOdooApi';

	displayName = 'Stampli Odoo API';

	icon: Icon = { light: 'file:stampliOdoo.svg', dark: 'file:stampliOdoo.dark.svg' };

	// The camel-case rule is for n8n's own repository (its docs slugs); a community package links a full URL.
	documentationUrl = 'https://github.com/n8n-nodes-stampli/n8n-nodes-stampli#odoo-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://mycompany.odoo.com',
			description: 'Address of the Odoo server, without a path',
		},
		{
			displayName: 'Database',
			name: 'database',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'mycompany',
			description:
				'Name of the Odoo database (shown on the database selector, or in Settings > Technical)',
		},
		{
			displayName: 'Login',
			name: 'login',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'ap-bot@mycompany.com',
			description:
				'Login (usually the email) of the Odoo user the integration acts as; a dedicated bot user is best',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				"Created in Odoo under the user's Preferences > Account Security > New API Key. Never logged or shown in errors.",
		},
		{
			displayName: 'Protocol',
			name: 'protocol',
			type: 'options',
			options: [
				{
					name: 'Auto (by Server Version)',
					value: 'auto',
					description: 'JSON-2 on Odoo 19 and newer, XML-RPC before',
				},
				{ name: 'XML-RPC', value: 'xmlrpc', description: 'Odoo 16, 17, 18 (deprecated in 19)' },
				{ name: 'JSON-2', value: 'json2', description: 'Odoo 19 and newer' },
				{
					name: 'JSON-RPC',
					value: 'jsonrpc',
					description: 'The /jsonrpc endpoint, for servers that block XML-RPC',
				},
			],
			default: 'auto',
		},
		{
			displayName: 'Company ID',
			name: 'companyId',
			type: 'number',
			default: 0,
			description:
				"Odoo company to work in, for multi-company databases. 0 = the user's default company. Find the ID in the address bar when you open the company under Settings → Users & Companies → Companies: Odoo 17 shows …#id=3&model=res.company…, Odoo 19 …/odoo/companies/3.",
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 5, maxValue: 3600 },
			default: 120,
			description:
				"How long to wait for one answer from Odoo. Writes are cut into requests of about 10 s of Odoo's time, so this only needs to cover a slow moment; after it the run reports that Odoo may still be working, and the next run adopts whatever Odoo committed.",
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSSLIssues',
			type: 'boolean',
			default: false,
			description:
				'Whether to connect even if the server’s TLS certificate cannot be verified (a self-signed staging server)',
		},
	];
}
