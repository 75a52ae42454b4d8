export * from './client';
export * from './errors';
export * from './limiter';
export * from './query';
export * from './vendors';
export * from './bills';
