export * from './types';
export * as decimal from './decimal';
