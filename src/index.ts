// The public API of tracked-flows. The harness (and users) import from here only.
export * from './backend/index.ts';
export * as protocol from './protocol/index.ts';
export * from './wandb/index.ts';
