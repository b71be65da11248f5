// What a fault looks like to a fetch caller when the backend is in the same process. handle() answers a reset
// as `Response.error()` and a truncation as the whole answer marked with TRUNCATE_HEADER (faults.ts); over a
// socket node:http turns those into a dropped connection and a cut body. In-process, these helpers do the same
// to the Response the caller gets, so the client sees identical failures on every transport.

import type { MockBackend } from '../backend.ts';
import { TRUNCATE_HEADER, truncation } from '../faults.ts';

/** The status and headers arrive, then the body stream breaks after the marked number of bytes. */
export async function cutIfTruncated(response: Response): Promise<Response> {
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

/** fetch rejects on a network error (undici: TypeError "fetch failed"); it never resolves with one. */
export function asFetchOutcome(request: Request, response: Response): Response {
  if (response.type === 'error') throw new TypeError('fetch failed', { cause: new Error(`${request.method} ${request.url}: the connection was reset`) });
  return response;
}

/** The fetch an in-process transport gives the client (msw's handler pipeline, or handle() directly). */
export type InProcessFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** A fetch that hands each Request straight to handle(): no msw, no socket, the same failures. */
export function directFetch(backend: MockBackend): InProcessFetch {
  return async (input, init) => {
    const request = new Request(input, init);
    return asFetchOutcome(request, await cutIfTruncated(await backend.handle(request)));
  };
}
