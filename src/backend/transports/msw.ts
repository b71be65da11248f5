// In-process transport: the client's requests go through msw's request-handler pipeline to the same handle()
// the HTTP server uses, so a test through msw exercises exactly the Request/Response exchange a real SDK has.
//
// Two ways in, one handler:
//   mswFetch(backend)           a fetch bound to msw's `getResponse` for this backend alone. Nothing global is
//                               patched, so any number of backends (scenarios) run side by side. The runner's
//                               `--transport msw` (its default is `direct`, which skips msw's pipeline).
//   startMswTransport(backend)  msw's setupServer, which patches globalThis.fetch (and http/XHR) so code that
//                               cannot be handed a fetch reaches the backend unchanged (tracked-flows/vitest's
//                               mockWandb). Loaded through msw-lazy.ts: importing msw costs ~0.2 s.
// Why the runner does not use the second: on Node 20 the interceptor itself costs ~0.24 ms per request (the
// request re-created, its response re-wrapped and cloned, lifecycle events), 0.31 ms against 0.06 ms for a
// bare Request/Response pair — 13 ms of a 43-request scenario before any work is done (README, benchmark).

import { getResponse, RequestHandler, type ResponseResolver } from 'msw';
import { setupServer } from 'msw/node';
import type { MockBackend } from '../backend.ts';
import { cutIfTruncated, asFetchOutcome, type InProcessFetch } from './in-process.ts';

/**
 * The backend as one msw request handler. It matches by URL prefix only: W&B sends no cookies and the backend
 * routes by itself, so msw's path patterns and cookie parsing (about a third of an `http.all` handler's cost)
 * would be work without a purpose.
 */
class BackendHandler extends RequestHandler<{ header: string }, Record<string, never>> {
  constructor(backend: MockBackend, private readonly prefix: string) {
    super({ info: { header: `tracked-flows backend ${prefix || '(any URL)'}` }, resolver: resolverFor(backend) });
  }

  override async parse(): Promise<Record<string, never>> {
    return {};
  }

  predicate({ request }: { request: Request }): boolean {
    return request.url.startsWith(this.prefix);
  }

  log(): void {
    // msw logs handled requests only in the browser; nothing to print in Node.
  }
}

function resolverFor(backend: MockBackend): ResponseResolver {
  return async ({ request }) => {
    // A macrotask turn per request. In-process, a whole suite is otherwise one unbroken microtask chain, and V8
    // keeps every WeakRef target alive until the microtask queue drains: undici's Request.clone() (msw clones
    // each request) makes one WeakRef'd AbortController per request, so memory and GC time grew with every
    // request (~300 KB per 3-step scenario, never freed). Draining here frees them; it costs ~1 µs.
    await new Promise<void>((resolve) => setImmediate(resolve));
    return cutIfTruncated(await backend.handle(request));
  };
}

/** Handlers for msw's setupServer/setupWorker: every request under `baseUrl` goes to the backend. */
export function mswHandlers(backend: MockBackend, baseUrl: string): RequestHandler[] {
  return [new BackendHandler(backend, `${baseUrl.replace(/\/+$/, '')}/`)];
}

/**
 * A fetch whose every request is answered by the backend through msw's handler pipeline, with fetch's own
 * failure semantics: a reset fault (`Response.error()`) rejects with a TypeError as a dropped connection does,
 * and a truncated answer's body stream breaks. Any URL is accepted: this fetch talks to one backend.
 */
export function mswFetch(backend: MockBackend): InProcessFetch {
  const handlers = [new BackendHandler(backend, '')];
  return async (input, init) => {
    const request = new Request(input, init);
    return asFetchOutcome(request, (await getResponse(handlers, request)) ?? Response.error());
  };
}

export interface MswTransport {
  server: ReturnType<typeof setupServer>;
  /** The first URL intercepted. */
  baseUrl: string;
  /** Answers every intercepted URL from another backend from now on (a fresh one, between tests). */
  use(backend: MockBackend): void;
  close(): void;
}

export interface MswTransportOptions {
  /** What happens to a request to any other URL: `error` (default: no leak to the network), `warn`, `bypass`. */
  onUnhandledRequest?: 'error' | 'warn' | 'bypass';
}

/**
 * Starts intercepting `baseUrl` (one or several) for this whole process (globalThis.fetch, http, XHR). A reset
 * fault is `Response.error()`, which msw's interceptor already turns into a failed fetch.
 */
export function startMswTransport(backend: MockBackend, baseUrl: string | readonly string[] = 'http://wandb.mock', options: MswTransportOptions = {}): MswTransport {
  const urls = typeof baseUrl === 'string' ? [baseUrl] : [...baseUrl];
  const handlersFor = (b: MockBackend) => urls.flatMap((url) => mswHandlers(b, url));
  const server = setupServer(...handlersFor(backend));
  server.listen({ onUnhandledRequest: options.onUnhandledRequest ?? 'error' });
  return { server, baseUrl: urls[0]!, use: (b) => server.resetHandlers(...handlersFor(b)), close: () => server.close() };
}
