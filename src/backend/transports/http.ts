// The node:http transport: `tracked-flows serve` and `--transport http`. It converts bytes to a Request,
// calls the same handle() as msw, and writes the Response back. Body limits are enforced while streaming,
// so an oversized upload is refused without being buffered.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MockBackend } from '../backend.ts';

export interface HttpTransport { server: Server; url: string; close(): Promise<void> }

export async function startHttpTransport(backend: MockBackend, options: { host?: string; port?: number } = {}): Promise<HttpTransport> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    serve(backend, req, res).catch((err: unknown) => {
      // handle() never throws; this guards the transport's own plumbing (e.g. a socket torn down mid-write).
      if (!res.headersSent) writeJson(res, 500, { error: `Failed to answer: ${(err as Error)?.message ?? String(err)}.` });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    url: `http://${shownHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function serve(backend: MockBackend, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const limit = backend.options.maxBodyBytes;
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) return refuseTooLarge(req, res, declared, limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return refuseTooLarge(req, res, size, limit);
    chunks.push(chunk);
  }
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    for (const value of Array.isArray(v) ? v : [v]) headers.append(k, value);
  }
  const method = req.method ?? 'GET';
  const body = method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks);
  const request = new Request(new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`), { method, headers, body });
  const response = await backend.handle(request);
  const out = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, { ...Object.fromEntries(response.headers), 'content-length': String(out.length) });
  res.end(out);
}

function refuseTooLarge(req: IncomingMessage, res: ServerResponse, size: number, limit: number): void {
  writeJson(res, 413, {
    error: `Failed to accept request: the body has at least ${size} bytes, over the limit of ${limit}. Split the upload or raise the limit.`,
    code: 'TOO_LARGE',
  }, true);
  // Stop reading what is left of the body; the connection closes after the answer.
  req.resume();
}

function writeJson(res: ServerResponse, status: number, value: unknown, close = false): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(body.length), ...(close ? { connection: 'close' } : {}) });
  res.end(body);
}
