// Lint: n8n's community-node rules (both the current @n8n plugin and the long-standing
// eslint-plugin-n8n-nodes-base rule sets) on nodes, credentials and package.json, and
// typescript-eslint's recommended rules on all TypeScript.
import tseslint from 'typescript-eslint';
import n8nCommunity from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import jsonParser from 'jsonc-eslint-parser';

const legacy = n8nNodesBase.configs;

export default tseslint.config(
	{
		ignores: [
			'dist/**',
			'node_modules/**',
			'coverage/**',
			'**/*.js',
			'**/*.mjs',
			'test/**/*.json',
			'workflows/*.json',
		],
	},
	...tseslint.configs.recommended,
	{
		files: ['**/*.ts'],
		rules: {
			// Catch clauses and JSON-RPC payloads are `unknown`-shaped by nature; narrowing is done where used.
			'@typescript-eslint/no-explicit-any': 'off',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
			],
		},
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
		...n8nCommunity.configs.recommendedWithoutN8nCloudSupport,
		rules: {
			...n8nCommunity.configs.recommendedWithoutN8nCloudSupport.rules,
			// Fires on any package with runtime dependencies; this package needs ssh2/csv-parse/fast-xml-parser and is not meant for n8n Cloud.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
	{
		files: ['nodes/shared/**/*.ts'],
		rules: {
			// Plain modules without n8n (package rule) throw typed errors; the node files wrap them in NodeApiError/NodeOperationError.
			'@n8n/community-nodes/require-node-api-error': 'off',
		},
	},
	{
		files: ['package.json'],
		languageOptions: { parser: jsonParser },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: legacy.community.rules,
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...legacy.credentials.rules,
			// Expects a slug into n8n's own docs site; a community credential links to its README with a full URL.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.node.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...legacy.nodes.rules,
			// These legacy rules predate NodeConnectionTypes, which the current @n8n rule set requires instead of 'main' literals.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
);
