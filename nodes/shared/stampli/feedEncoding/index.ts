export * from './encoder';
export * from './stream';
export * from './neutralise';
export * from './xmlEscape';
export * from './fileName';
export * from './manifest';
