import type { BackendState } from './state.ts';

/**
 * Server ids look like W&B's: base64 of "<Type>:v1:<n>" (the capture's test server answered
 * `QXJ0aWZhY3Q6djE6MQ==` = "Artifact:v1:1"). One counter for all types keeps them unique and deterministic.
 */
export function nextId(state: BackendState, type: string): string {
  state.counter += 1;
  return Buffer.from(`${type}:v1:${state.counter}`).toString('base64');
}
