// The public API of tracked-flows. The harness (and users) import from here only.
export * from './backend/index.ts';
export * as protocol from './protocol/index.ts';
export * from './wandb/index.ts';
export * from './integration/index.ts';
// Flows and values both model Python (both have a PythonError, a seeded random, ...): namespaced to keep them apart.
export * as flow from './flow/index.ts';
export * as values from './values/index.ts';
