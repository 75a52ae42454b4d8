// The default timeout of the e2e project's tests (jest applies testTimeout only globally).
jest.setTimeout(240_000);
