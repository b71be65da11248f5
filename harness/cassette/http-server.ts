// The recording proxy and the replay server on a real port: the backend's node:http plumbing (body limits,
// path and method checks) around their own Request handlers. Bound to 127.0.0.1 unless told otherwise.

import type { Server } from 'node:http';
import { serveRequests } from '../../src/index.ts';

export interface LocalServer { url: string; server: Server; close(): Promise<void> }
export type Handler = (request: Request) => Promise<Response>;

/** Bodies are bounded so a runaway client cannot exhaust memory (uploads pass through a proxy whole). */
const MAX_BODY = 256 * 1024 * 1024;

export async function startLocalServer(handler: Handler, options: { host?: string; port?: number } = {}): Promise<LocalServer> {
  return serveRequests(handler, { host: options.host ?? '127.0.0.1', port: options.port ?? 0, maxBodyBytes: MAX_BODY });
}
