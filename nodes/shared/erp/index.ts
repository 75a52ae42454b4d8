export * from './types';
export * from './outcome';
export * from './validate';
export * from './audit';
export * from './vendors';
export * from './accounts';
export * from './lists';
export * from './mappingTarget';
