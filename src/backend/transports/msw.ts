// In-process transport: msw intercepts the client's fetch and hands the Request to the same handle() that
// the HTTP server uses, so a test through msw exercises exactly what a real SDK would hit.

import { http } from 'msw';
import { setupServer } from 'msw/node';
import type { MockBackend } from '../backend.ts';
import { TRUNCATE_HEADER, truncation } from '../faults.ts';

export function mswHandlers(backend: MockBackend, baseUrl: string) {
  const base = baseUrl.replace(/\/+$/, '');
  // A reset fault is Response.error(), which msw already turns into a failed fetch.
  return [http.all(`${base}/*`, async ({ request }) => cutIfTruncated(await backend.handle(request)))];
}

/** A truncation fault in-process: the status and headers arrive, the body stream breaks after `keep` bytes. */
async function cutIfTruncated(response: Response): Promise<Response> {
  const keep = truncation(response);
  if (keep === null) return response;
  const bytes = new Uint8Array(await response.arrayBuffer()).slice(0, keep);
  const headers = new Headers(response.headers);
  headers.delete(TRUNCATE_HEADER);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (bytes.length > 0) controller.enqueue(bytes);
      controller.error(new TypeError('terminated: the connection closed before the whole body arrived'));
    },
  });
  return new Response(body, { status: response.status, headers });
}

export interface MswTransport { server: ReturnType<typeof setupServer>; baseUrl: string; close(): void }

/** Starts intercepting `baseUrl` for this process. Unhandled requests elsewhere are errors, not leaks. */
export function startMswTransport(backend: MockBackend, baseUrl = 'http://wandb.mock'): MswTransport {
  const server = setupServer(...mswHandlers(backend, baseUrl));
  server.listen({ onUnhandledRequest: 'error' });
  return { server, baseUrl, close: () => server.close() };
}
