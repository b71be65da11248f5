// In-process transport: msw intercepts the client's fetch and hands the Request to the same handle() that
// the HTTP server uses, so a test through msw exercises exactly what a real SDK would hit.

import { http } from 'msw';
import { setupServer } from 'msw/node';
import type { MockBackend } from '../backend.ts';

export function mswHandlers(backend: MockBackend, baseUrl: string) {
  const base = baseUrl.replace(/\/+$/, '');
  return [http.all(`${base}/*`, ({ request }) => backend.handle(request))];
}

export interface MswTransport { server: ReturnType<typeof setupServer>; baseUrl: string; close(): void }

/** Starts intercepting `baseUrl` for this process. Unhandled requests elsewhere are errors, not leaks. */
export function startMswTransport(backend: MockBackend, baseUrl = 'http://wandb.mock'): MswTransport {
  const server = setupServer(...mswHandlers(backend, baseUrl));
  server.listen({ onUnhandledRequest: 'error' });
  return { server, baseUrl, close: () => server.close() };
}
