// A node:http server around a `(Request) => Promise<Response>` handler, for the recording proxy and the replay
// server. Bound to 127.0.0.1 unless told otherwise; bodies are bounded so a runaway client cannot exhaust memory.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalServer { url: string; server: Server; close(): Promise<void> }
export type Handler = (request: Request) => Promise<Response>;

const MAX_BODY = 256 * 1024 * 1024;

export async function startLocalServer(handler: Handler, options: { host?: string; port?: number } = {}): Promise<LocalServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    relay(handler, req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      const body = JSON.stringify({ error: `Failed to answer "${req.method} ${req.url}": ${(err as Error)?.message ?? String(err)}.` });
      res.writeHead(502, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function relay(handler: Handler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error(`the body is over ${MAX_BODY} bytes`);
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
  const response = await handler(request);
  const out = Buffer.from(await response.arrayBuffer());
  const outHeaders: Record<string, string> = {};
  response.headers.forEach((v, k) => {
    if (k !== 'content-length' && k !== 'content-encoding' && k !== 'transfer-encoding') outHeaders[k] = v;
  });
  res.writeHead(response.status, { ...outHeaders, 'content-length': String(out.length) });
  res.end(out);
}
