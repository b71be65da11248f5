// The node:http transport: `tracked-flows serve` and `--transport http`. It converts bytes to a Request,
// calls the same handle() as msw, and writes the Response back. Small bodies are buffered up to
// --max-body-bytes; file uploads (the backend says which) are handed on as streams, capped only by
// --max-upload-bytes; answers with a Content-Length are streamed out. An over-limit body is answered 413 and
// then drained for a bounded time (http-body.ts, linger), so the client reads the 413 instead of a reset.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { MockBackend } from '../backend.ts';
import { TRUNCATE_HEADER, truncation } from '../faults.ts';
import { bodyStream, DEFAULT_LINGER_MS, linger, lingerOnClose, readBody, sendBody, type BodyStream } from './http-body.ts';

// Methods the fetch Request cannot carry (it throws on them): answered here, before any Request is built.
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

export interface HttpTransport { server: Server; url: string; close(): Promise<void> }

/**
 * A request the embedding program answers itself before the backend sees it (e.g. a page at `/`); null passes
 * it on. It gets the same checked Request the backend would (body limits, path checks already applied).
 */
export type PreRoute = (request: Request) => Promise<Response | null>;

export interface HttpTransportOptions { host?: string; port?: number; route?: PreRoute; lingerMs?: number }

/** Body limits: buffered bodies up to maxBodyBytes; a request for which `upload` answers a number streams. */
export interface BodyLimits {
  maxBodyBytes: number;
  /** The cap of a streamed upload (Infinity: none), or null when this request's body is buffered. */
  upload?: (method: string, path: string) => number | null;
}

/** Anything that answers a Request: the backend's handle(), a recording proxy, a replay player. */
export type RequestHandler = (request: Request) => Promise<Response>;

export async function startHttpTransport(backend: MockBackend, options: HttpTransportOptions = {}): Promise<HttpTransport> {
  return serveRequests((request) => backend.handle(request), {
    ...options,
    maxBodyBytes: backend.options.maxBodyBytes,
    upload: (method, path) => backend.uploadLimit(method, path),
  });
}

/**
 * A node:http server around any Request handler, with the same checks for all of them: body limits while
 * streaming, methods fetch cannot carry, dot segments, bad Host headers, and the fault markers (reset,
 * truncation) a backend may answer with. Bound to 127.0.0.1 unless told otherwise.
 */
export async function serveRequests(handler: RequestHandler, options: HttpTransportOptions & BodyLimits): Promise<HttpTransport> {
  const host = options.host ?? '127.0.0.1';
  const lingerMs = options.lingerMs ?? DEFAULT_LINGER_MS;
  const server = createServer((req, res) => {
    lingerOnClose(req, lingerMs);
    serve(handler, options, req, res)
      .finally(() => linger(req, lingerMs))
      .catch((err: unknown) => {
      // The backend's handle() never throws; a proxy's upstream may fail, and the socket may be torn down mid-write.
      if (!res.headersSent) writeJson(res, 502, { error: `Failed to answer "${req.method} ${req.url}": ${(err as Error)?.message ?? String(err)}.` });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  // Without listeners node:http drops CONNECT and Upgrade requests silently; answer them like any bad request.
  server.on('connect', (_req, socket: Duplex) => refuseRaw(socket, 405, 'Method Not Allowed'));
  server.on('upgrade', (_req, socket: Duplex) => refuseRaw(socket, 400, 'Bad Request'));
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

async function serve(handler: RequestHandler, options: HttpTransportOptions & BodyLimits, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const streamLimit = options.upload?.(method, (req.url ?? '/').split('?')[0]!) ?? null;
  const limit = streamLimit ?? options.maxBodyBytes;
  const flag = streamLimit === null ? '--max-body-bytes' : '--max-upload-bytes';
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) return refuseTooLarge(res, declared, limit, flag);
  let buffered: Buffer | undefined;
  let streamed: BodyStream | undefined;
  if (streamLimit === null) {
    const read = await readBody(req, limit);
    if ('over' in read) return refuseTooLarge(res, read.over, limit, flag);
    buffered = read.body;
  } else {
    streamed = bodyStream(req);
  }
  try {
    await answer(handler, options.route, req, res, method, buffered, streamed?.stream);
  } finally {
    // Whatever the handler left unread is drained by linger(), not queued here.
    streamed?.detach();
  }
}

async function answer(handler: RequestHandler, route: PreRoute | undefined, req: IncomingMessage, res: ServerResponse, method: string, buffered: Buffer | undefined, streamed: ReadableStream<Uint8Array> | undefined): Promise<void> {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    for (const value of Array.isArray(v) ? v : [v]) headers.append(k, value);
  }
  if (FORBIDDEN_METHODS.has(method.toUpperCase())) {
    return writeJson(res, 405, { error: `Failed to accept "${method} ${req.url}": this server does not take ${method}. Use GET, POST or PUT.`, code: 'METHOD_NOT_ALLOWED' });
  }
  const target = req.url ?? '/';
  if (hasDotSegmentOrBackslash(target)) {
    return writeJson(res, 400, { error: `Failed to accept "${method} ${target}": the path has "." or ".." segments or backslashes, which URL parsing would silently resolve into another path. Send the path a server handed out, as is.`, code: 'BAD_PATH' });
  }
  const url = requestUrl(req);
  if (!url) return writeJson(res, 400, { error: `Failed to accept "${method} ${target}": the request target or Host header is not a valid URL. Send an origin-form path and a host[:port].`, code: 'BAD_REQUEST' });
  const bodyless = method === 'GET' || method === 'HEAD';
  const body = bodyless ? undefined : (streamed ?? buffered);
  const request = new Request(url, { method, headers, body, ...(streamed && !bodyless ? { duplex: 'half' } : {}) } as RequestInit);
  // A streamed upload is never cloned for the pre-route: a tee would buffer the whole file for a reader that never reads.
  const response = (route && !streamed ? await route(request.clone()) : null) ?? (await handler(request));
  // A reset fault: the connection dies without an answer.
  if (response.type === 'error') return void req.socket.destroy();
  const keep = truncation(response);
  const outHeaders = Object.fromEntries(response.headers);
  // The body is re-sent already decoded (a proxied upstream's fetch decompressed it).
  for (const h of [TRUNCATE_HEADER, 'content-encoding', 'transfer-encoding']) delete outHeaders[h];
  const length = response.headers.get('content-length');
  if (keep === null && (response.body === null || length !== null)) {
    // Bodyless (HEAD keeps the length it announced) or of a known length: streamed, never held whole.
    res.writeHead(response.status, { ...outHeaders, 'content-length': length ?? '0' });
    if (response.body === null || method === 'HEAD') return void res.end();
    return sendBody(response.body, res);
  }
  if (keep !== null && length !== null && response.body !== null) {
    // A truncation fault on a streamed answer: the promised length, the first `keep` bytes, then the connection dies.
    res.writeHead(response.status, { ...outHeaders, 'content-length': length });
    return sendBody(response.body, res, keep).then(() => void req.socket.destroy());
  }
  const out = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, { ...outHeaders, 'content-length': String(out.length) });
  if (keep === null) return void res.end(out);
  // A truncation fault: the promised length, part of the bytes, then the connection dies.
  res.write(out.subarray(0, keep), () => req.socket.destroy());
}

/**
 * WHATWG URL parsing turns `/a/../b`, `/a/%2e%2e/b` and `\` into another path before the backend sees it, so a
 * traversal in a file name would be silently rewritten instead of refused. fetch never sends these; only a
 * hand-made request does, and it gets a 400 here.
 */
function hasDotSegmentOrBackslash(target: string): boolean {
  const path = target.split('?')[0]!;
  return path.includes('\\') || path.split('/').some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment));
}

/** The request's URL, or null when its target or Host cannot make one (never a 500 for a client's mistake). */
function requestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', `http://${req.headers.host || 'localhost'}`);
  } catch {
    try {
      return new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return null;
    }
  }
}

function refuseRaw(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
}

/** Answered at once; the rest of the body is drained by linger() so the client can read this. */
function refuseTooLarge(res: ServerResponse, size: number, limit: number, flag: string): void {
  writeJson(res, 413, {
    error: `Failed to accept request: the body has at least ${size} bytes, over the limit of ${limit}. Split the upload or raise ${flag}.`,
    code: 'TOO_LARGE',
  });
}

function writeJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(body.length) });
  res.end(body);
}
