// The W&B API, mocked for one test file: msw's setupServer intercepts global fetch (and http, XHR) to the W&B
// URLs and answers from a fresh embedded backend, so code that cannot be handed a fetch — the test's own code,
// W&B's JavaScript SDK — reaches the mock unchanged. The runner never needs this (it hands our client a fetch);
// this is msw's job: interception.

import { afterAll, beforeAll } from 'vitest';
import { MockBackend, startMswTransport, type BackendOptions, type FaultPlan, type LogModel, type MswTransport } from '../../src/index.ts';

export interface MockWandbOptions {
  /** The URLs intercepted; default the public W&B API and, when set, WANDB_BASE_URL. */
  baseUrls?: readonly string[];
  /** Options of each fresh backend (defaultEntity, apiKey to require one, ...). */
  backend?: Omit<BackendOptions, 'faults'>;
  /** Faults the backend injects from the start. */
  faults?: FaultPlan;
  /** A request to any other URL: `error` (default: nothing leaks to the network), `warn` or `bypass`. */
  onUnhandledRequest?: 'error' | 'warn' | 'bypass';
}

export interface WandbMock {
  /** The backend answering now (replaced by reset()). */
  readonly backend: MockBackend;
  /** The URLs intercepted. */
  readonly baseUrls: readonly string[];
  /** What was logged so far: runs, config, summary, history, artifacts, lineage. */
  log(): LogModel;
  /** A fresh, empty backend from now on (e.g. in beforeEach). */
  reset(): void;
  /** Replaces the fault plan (status codes, resets, truncations, delays). */
  faults(plan: FaultPlan): void;
}

export const WANDB_PUBLIC_API = 'https://api.wandb.ai';

/** Call at the top level of a test file: intercepting starts before its tests and stops after them. */
export function mockWandb(options: MockWandbOptions = {}): WandbMock {
  const baseUrls = options.baseUrls ?? [WANDB_PUBLIC_API, ...(process.env.WANDB_BASE_URL ? [process.env.WANDB_BASE_URL] : [])];
  const fresh = (faults?: FaultPlan) => new MockBackend({ ...options.backend, ...(faults ? { faults } : {}) });
  let backend = fresh(options.faults);
  let transport: MswTransport | undefined;
  beforeAll(async () => {
    transport = await startMswTransport(backend, [...new Set(baseUrls)], { onUnhandledRequest: options.onUnhandledRequest ?? 'error' });
  });
  afterAll(() => transport?.close());
  return {
    get backend() {
      return backend;
    },
    baseUrls,
    log: () => backend.log(),
    reset() {
      backend = fresh();
      transport?.use(backend);
    },
    faults(plan) {
      backend.faults.replace(plan);
    },
  };
}
