// Three projects so each layer can run alone: unit (no I/O), integration (real sshd,
// emulators over loopback HTTP), e2e (a real n8n). `npm test` runs all three. Each project has
// the timeout its layer needs (test/kit/timeouts/); a test that needs more says so itself.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.jest.json' }] };
const base = { testEnvironment: 'node', transform, moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
	projects: [
		{
			...base,
			displayName: 'unit',
			testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
			setupFilesAfterEnv: ['<rootDir>/test/kit/timeouts/unit.ts'],
		},
		{
			...base,
			displayName: 'integration',
			testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
			setupFilesAfterEnv: ['<rootDir>/test/kit/timeouts/integration.ts'],
		},
		{
			...base,
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
			setupFilesAfterEnv: ['<rootDir>/test/kit/timeouts/e2e.ts'],
		},
	],
};
