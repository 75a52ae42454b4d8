/** Master data from QuickBooks Online for the Stampli feeds: full (paged) or changed since (change data capture). */
export * from './types';
export * from './mapping';
export * from './reader';
export * from './targets';
