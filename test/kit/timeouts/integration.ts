// The default timeout of the integration project's tests (jest applies testTimeout only globally).
jest.setTimeout(60_000);
