// msw on demand. Loading msw (and its interceptors) costs ~0.2 s of a process's start, and only the msw
// transport and the interception of global fetch need it: the public API hands out these wrappers, and msw.ts
// (the only importer of msw) is loaded the first time one of them is used.

import type { MockBackend } from '../backend.ts';
import type { InProcessFetch } from './in-process.ts';
import type { MswTransport, MswTransportOptions } from './msw.ts';

type MswModule = typeof import('./msw.ts');
let loading: Promise<MswModule> | undefined;
const loadMsw = (): Promise<MswModule> => (loading ??= import('./msw.ts'));

/** msw.ts's `mswFetch`, with msw loaded on the first request. */
export function mswFetch(backend: MockBackend): InProcessFetch {
  let inner: InProcessFetch | undefined;
  return async (input, init) => {
    inner ??= (await loadMsw()).mswFetch(backend);
    return inner(input, init);
  };
}

/** msw.ts's `mswHandlers` (for a caller's own setupServer/setupWorker). */
export async function mswHandlers(backend: MockBackend, baseUrl: string): Promise<import('msw').RequestHandler[]> {
  return (await loadMsw()).mswHandlers(backend, baseUrl);
}

/** msw.ts's `startMswTransport`: intercepts `baseUrl` (one or several) for the whole process once msw is loaded. */
export async function startMswTransport(backend: MockBackend, baseUrl?: string | readonly string[], options?: MswTransportOptions): Promise<MswTransport> {
  return (await loadMsw()).startMswTransport(backend, baseUrl, options);
}

export type { MswTransport, MswTransportOptions };
