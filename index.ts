// The package's public surface for programmatic use; n8n itself loads the files listed under `n8n` in package.json.
export * as records from './nodes/shared/records';
