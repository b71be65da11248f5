// Raw HTTP for the fuzzer: fetch normalises paths, refuses some methods and always sends a valid body, so
// hostile requests go through node:http's client (any path, method, header and byte) or a bare socket.
import { Agent, request } from 'node:http';
import { connect } from 'node:net';

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** Send the body with chunked encoding (no Content-Length), in this many pieces. */
  chunks?: number;
  /** Promise `declared` bytes, send only the body, then drop the connection (a truncated upload). */
  declared?: number;
}

/** The status, or 'dropped' when the connection ended without an answer. */
export type RawResult = { status: number; body: string } | 'dropped';

export function rawClient(baseUrl: string) {
  const { hostname, port } = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const send = (r: RawRequest): Promise<RawResult> =>
    new Promise((resolve) => {
      const headers: Record<string, string> = { ...(r.headers ?? {}) };
      if (r.declared !== undefined) headers['content-length'] = String(r.declared);
      else if (r.body && !r.chunks) headers['content-length'] = String(r.body.length);
      const req = request({ host: hostname, port: Number(port), method: r.method, path: r.path, headers, agent: r.declared === undefined ? agent : false }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
        res.on('error', () => resolve('dropped'));
      });
      req.on('error', () => resolve('dropped'));
      const body = r.body ?? new Uint8Array();
      if (r.declared !== undefined) {
        req.write(body, () => setTimeout(() => req.destroy(), 5));
        return;
      }
      if (r.chunks && body.length > 0) {
        const size = Math.ceil(body.length / r.chunks);
        for (let i = 0; i < body.length; i += size) req.write(body.subarray(i, i + size));
      } else if (body.length > 0) req.write(body);
      req.end();
    });
  return { send, close: () => agent.destroy() };
}

/** Writes raw bytes on a fresh socket and returns the first line the server answers (or '' on a silent close). */
export function rawSocket(baseUrl: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let got = '';
    socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
    socket.on('close', () => resolve(got.split('\r\n')[0] ?? ''));
    socket.on('error', () => resolve(got.split('\r\n')[0] ?? ''));
    socket.setTimeout(2000, () => socket.destroy());
  });
}
