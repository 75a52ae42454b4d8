import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * QuickBooks Online over OAuth 2.0 (authorization code). n8n runs the consent flow, stores the
 * tokens encrypted, refreshes the one-hour access token on 401 and persists each rotated refresh
 * token; the company (realm) id arrives as `realmId` on the OAuth callback and n8n keeps it in
 * `oauthTokenData.callbackQueryString.realmId`, which the QuickBooks Bill node reads.
 * Environment "Custom" points the API, authorization and token URLs at another server, such as
 * the package's QuickBooks emulator.
 */
export class StampliQuickBooksOAuth2Api implements ICredentialType {
	name = 'stampliQuickBooksOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'QuickBooks Online (Stampli) OAuth2 API';

	icon: Icon = { light: 'file:stampliQuickBooks.svg', dark: 'file:stampliQuickBooks.dark.svg' };

	// The camel-case rule is for n8n's own repository (its docs slugs); a community package links a full URL.
	documentationUrl =
		'https://github.com/n8n-nodes-stampli/n8n-nodes-stampli#quickbooks-online-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{
					name: 'Production',
					value: 'production',
					description: 'Live QuickBooks Online companies',
				},
				{ name: 'Sandbox', value: 'sandbox', description: 'Intuit developer sandbox companies' },
				{
					name: 'Custom',
					value: 'custom',
					description: 'Another server speaking the same API, e.g. a local emulator for tests',
				},
			],
			default: 'production',
			description: 'Use the keys of the matching environment from your Intuit developer app',
		},
		{
			displayName: 'API Base URL',
			name: 'customApiBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8790',
			description: 'Base URL in front of /v3/company/{realmId}/…',
			displayOptions: { show: { environment: ['custom'] } },
			required: true,
		},
		{
			displayName: 'Authorization URL',
			name: 'customAuthUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8790/connect/oauth2',
			displayOptions: { show: { environment: ['custom'] } },
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'customAccessTokenUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8790/oauth2/v1/tokens/bearer',
			displayOptions: { show: { environment: ['custom'] } },
			required: true,
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default:
				'={{ $self["environment"] === "custom" ? $self["customAuthUrl"] : "https://appcenter.intuit.com/connect/oauth2" }}',
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default:
				'={{ $self["environment"] === "custom" ? $self["customAccessTokenUrl"] : "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer" }}',
			required: true,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: 'com.intuit.quickbooks.accounting',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'header',
		},
	];
}
