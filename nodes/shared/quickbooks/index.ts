/** QuickBooks Online: client, errors, rate limiter, queries, directories, bill and vendor writers. */
export * from './client';
export * from './errors';
export * from './limiter';
export * from './redisLink';
export * from './query';
export * from './vendors';
export * from './vendorLink';
export * from './bills';
export * from './directories';
export * from './mappingTarget';
export * from './erp';
export * from './pickers';
