// Per-project default test timeout (jest only honours testTimeout globally): each project in
// jest.config.js names its default in `globals.TEST_TIMEOUT_MS`; a test that needs longer says so.
const timeout = (globalThis as { TEST_TIMEOUT_MS?: unknown }).TEST_TIMEOUT_MS;
if (typeof timeout === 'number') jest.setTimeout(timeout);
