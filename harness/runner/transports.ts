// Where a scenario's backend lives. msw (default): one interceptor for the whole process, routing by host,
// so scenarios can run concurrently, each with its own fresh backend. http: a real node:http server per
// scenario — the same handle(), over a socket. direct: the client's fetch hands each Request straight to
// handle() — the same Request and Response objects, without msw's interception (about 3/4 of an in-process
// scenario's time, see the README's benchmark), for large suites.

import { http as mswHttp } from 'msw';
import { setupServer } from 'msw/node';
import { MockBackend, startHttpTransport } from '../../src/index.ts';
import type { Transport } from './types.ts';

export interface Endpoint {
  baseUrl: string;
  /** The fetch the client must use (direct transport); otherwise the global one (msw intercepts it). */
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  close(): Promise<void>;
}

const backends = new Map<string, MockBackend>();
let server: ReturnType<typeof setupServer> | null = null;
let counter = 0;

function mswServer(): ReturnType<typeof setupServer> {
  if (!server) {
    server = setupServer(
      mswHttp.all(/^http:\/\/[a-z0-9-]+\.tracked-flows\.test\//, async ({ request }) => {
        // A macrotask turn per request. In-process, a whole suite is otherwise one unbroken microtask chain,
        // and V8 keeps every WeakRef target alive until the microtask queue drains: undici's Request.clone()
        // (msw clones each request) makes one WeakRef'd AbortController per request, so memory and GC time
        // grew with every request run (~300 KB per 3-step scenario, never freed). Draining here frees them.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const backend = backends.get(new URL(request.url).host);
        return backend ? backend.handle(request) : new Response('no scenario backend at this host', { status: 502 });
      }),
    );
    server.listen({ onUnhandledRequest: 'bypass' });
  }
  return server;
}

export async function attach(backend: MockBackend, transport: Transport): Promise<Endpoint> {
  if (transport === 'http') {
    const t = await startHttpTransport(backend, { port: 0 });
    return { baseUrl: t.url, close: () => t.close() };
  }
  if (transport === 'direct') {
    return { baseUrl: 'http://direct.tracked-flows.test', fetch: (input, init) => backend.handle(new Request(input, init)), close: async () => {} };
  }
  mswServer();
  const host = `s${++counter}.tracked-flows.test`;
  backends.set(host, backend);
  return { baseUrl: `http://${host}`, close: async () => void backends.delete(host) };
}

/** Stops the process-wide interceptor (tests call this in afterAll; the CLI at exit). */
export function closeMsw(): void {
  server?.close();
  server = null;
}
