export * from './constants.ts';
export type * from './wire.ts';
