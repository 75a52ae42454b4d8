// The default timeout of the unit project's tests (jest applies testTimeout only globally).
jest.setTimeout(10_000);
