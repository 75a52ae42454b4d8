// Projects, so each layer can run alone: unit (no I/O beyond reading files), integration (real sshd,
// emulators over loopback HTTP), odoo (the Odoo scenario suite on the emulator and on real Odoo 17
// and 19, which its global setup starts once per run), e2e (a real n8n 2.41.1), e2e-n8n1 (the smaller
// job on n8n 1.123.81: registration, every template imports, one representative flow), faults (the
// fault matrix: templates in a real n8n against real sshd, Odoo 17 and the QuickBooks emulator under
// injected faults; `npm run faults -- --repeats N` for the long run). `npm test` runs them all.
// Each project has its own default timeout; a test that needs longer says so itself.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.jest.json' }] };
const base = {
	testEnvironment: 'node',
	transform,
	moduleFileExtensions: ['ts', 'js', 'json'],
	setupFilesAfterEnv: ['<rootDir>/test/kit/jestTimeout.ts'],
};
// Default timeout of each project's tests (test/kit/jestTimeout.ts applies it).
const timeout = (ms) => ({ TEST_TIMEOUT_MS: ms });

module.exports = {
	projects: [
		{
			...base,
			displayName: 'unit',
			testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/workflows/**/*.test.ts'],
			globals: timeout(15_000),
		},
		{
			...base,
			displayName: 'integration',
			testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
			globals: timeout(60_000),
		},
		{
			...base,
			displayName: 'odoo',
			testMatch: ['<rootDir>/test/scenarios/odoo/**/*.test.ts'],
			globalSetup: '<rootDir>/test/scenarios/odoo/globalSetup.ts',
			globalTeardown: '<rootDir>/test/scenarios/odoo/globalTeardown.ts',
			// Each scenario sets its own (300 s on real servers, see harness.ts).
			globals: timeout(300_000),
		},
		{
			...base,
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
			globals: { ...timeout(240_000), N8N_LINE: '2.x' },
		},
		{
			...base,
			displayName: 'e2e-n8n1',
			testMatch: [
				'<rootDir>/test/e2e/registration.test.ts',
				'<rootDir>/test/e2e/templatesOnEveryLine.test.ts',
			],
			globals: { ...timeout(240_000), N8N_LINE: '1.x' },
		},
		{
			...base,
			displayName: 'faults',
			testMatch: ['<rootDir>/test/faults/**/*.test.ts'],
			// Each case sets its own (10 min per repeat).
			globals: { ...timeout(600_000), N8N_LINE: '2.x' },
		},
	],
};
