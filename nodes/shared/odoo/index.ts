/** Odoo: client, transports, typed faults, version-aware fields, bill and payment upserts. */
export * from './errors';
export * from './values';
export { createOdooClient, iterateSearchRead, clearOdooClientCaches } from './client';
export type { OdooClient, OdooClientConfig, OdooClientOptions, OdooServerVersion, SearchReadOptions } from './client';
export type { OdooProtocol } from './transport';
export * from './fields';
