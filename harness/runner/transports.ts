// Where a scenario's backend lives, and how the client reaches it.
//   direct (default): the client's fetch hands each Request straight to handle(): the same requests, answers,
//                  faults and snapshots as msw, without msw's handler pipeline (its request clone and abort
//                  bookkeeping, ~0.18 ms per request: 21 ms against 6.6 ms for the 3-step flow) and without
//                  loading msw at all (~0.2 s of a CLI process's start).
//   msw:           the client's fetch goes through msw's request-handler pipeline (`mswFetch`) to the
//                  scenario's own backend. Nothing process-wide is patched, so scenarios run side by side.
//   http:          a real node:http server per scenario — the same handle(), over a socket.

import { MockBackend, directFetch, mswFetch, startHttpTransport, type InProcessFetch } from '../../src/index.ts';
import type { Transport } from './types.ts';

export interface Endpoint {
  baseUrl: string;
  /** The fetch the client must use; absent: the global one (the http transport, a real socket). */
  fetch?: InProcessFetch;
  close(): Promise<void>;
}

/** The in-process transports answer any URL; this one only names the backend in ids and messages. */
const IN_PROCESS_URL = 'http://wandb.tracked-flows.test';

export async function attach(backend: MockBackend, transport: Transport): Promise<Endpoint> {
  if (transport === 'http') {
    const t = await startHttpTransport(backend, { port: 0 });
    return { baseUrl: t.url, close: () => t.close() };
  }
  if (transport === 'direct') {
    return { baseUrl: IN_PROCESS_URL, fetch: directFetch(backend), close: async () => {} };
  }
  return { baseUrl: IN_PROCESS_URL, fetch: mswFetch(backend), close: async () => {} };
}
