// Where a recording proxy (or `replay --mode record-missing`) sends what it does not answer itself: a real
// server by URL, or the embedded mock backend (an in-process MockBackend on the node:http transport).

import { MockBackend, startHttpTransport } from '../../src/index.ts';

export interface Upstream {
  /** Base URL requests are forwarded to (no trailing slash); `embedded` for the built-in backend. */
  label: string;
  base: URL;
  send(request: Request): Promise<Response>;
  close(): Promise<void>;
}

export function urlUpstream(url: string): Upstream {
  const base = new URL(url.replace(/\/+$/, ''));
  return { label: base.href.replace(/\/+$/, ''), base, send: (r) => fetch(r, { redirect: 'manual' }), close: async () => {} };
}

export async function embeddedUpstream(backend = new MockBackend()): Promise<Upstream & { backend: MockBackend }> {
  const transport = await startHttpTransport(backend, { host: '127.0.0.1', port: 0 });
  return { label: 'embedded', base: new URL(transport.url), backend, send: (r) => fetch(r, { redirect: 'manual' }), close: () => transport.close() };
}

/** An in-process backend without a socket, for the in-process recorder and `inspect`. */
export function backendUpstream(backend: MockBackend, origin = 'http://upstream.invalid'): Upstream {
  return { label: 'embedded', base: new URL(origin), send: (r) => backend.handle(r), close: async () => {} };
}
