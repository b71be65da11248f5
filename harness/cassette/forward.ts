// Forwarding one request from the proxy to the upstream. Upload and download URLs in the upstream's JSON
// answers (uploadUrl, directUrl, ...) are rewritten to pass through the proxy, so the client's uploads are
// recorded too: URLs on the upstream become proxy URLs with the same path; URLs elsewhere (a presigned S3/GCS
// URL) become `/_upstream/<base64url origin>/<path>` on the proxy, which forwards them to that origin.

import type { Exchange } from './recorder.ts';
import type { Upstream } from './upstream.ts';

const FOREIGN = '/_upstream/';
const HOP_BY_HOP = ['host', 'connection', 'keep-alive', 'transfer-encoding', 'te', 'upgrade', 'proxy-connection', 'content-length', 'accept-encoding', 'expect'];
const URL_KEY = /url$/i;

export interface Forwarded {
  response: Response;
  exchange: Exchange;
}

/** Where a proxy path really goes. */
export function targetUrl(incoming: URL, upstream: Upstream): URL {
  if (incoming.pathname.startsWith(FOREIGN)) {
    const rest = incoming.pathname.slice(FOREIGN.length);
    const slash = rest.indexOf('/');
    const origin = Buffer.from(slash >= 0 ? rest.slice(0, slash) : rest, 'base64url').toString('utf8');
    return new URL(`${origin}${slash >= 0 ? rest.slice(slash) : '/'}${incoming.search}`);
  }
  const prefix = upstream.base.pathname.replace(/\/+$/, '');
  return new URL(`${upstream.base.origin}${prefix}${incoming.pathname}${incoming.search}`);
}

/** The proxy URL a client should use instead of `url`. */
export function proxiedUrl(url: string, upstream: Upstream, proxyOrigin: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return url;
  const base = upstream.base.href.replace(/\/+$/, '');
  if (url.startsWith(`${base}/`) || url === base) return `${proxyOrigin}${url.slice(base.length)}`;
  return `${proxyOrigin}${FOREIGN}${Buffer.from(parsed.origin).toString('base64url')}${parsed.pathname}${parsed.search}`;
}

function rewriteUrls(value: unknown, f: (url: string) => string, key?: string): unknown {
  if (typeof value === 'string') return key !== undefined && URL_KEY.test(key) && /^https?:\/\//.test(value) ? f(value) : value;
  if (Array.isArray(value)) return value.map((v) => rewriteUrls(v, f, key));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = rewriteUrls(v, f, k);
    return out;
  }
  return value;
}

export async function forward(request: Request, upstream: Upstream): Promise<Forwarded> {
  const incoming = new URL(request.url);
  const target = targetUrl(incoming, upstream);
  const requestBody = new Uint8Array(await request.arrayBuffer());
  const headers = new Headers(request.headers);
  for (const h of HOP_BY_HOP) headers.delete(h);
  const method = request.method.toUpperCase();
  const res = await upstream.send(new Request(target, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : requestBody }));

  let responseBody = new Uint8Array(await res.arrayBuffer());
  const responseHeaders = new Headers(res.headers);
  for (const h of ['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive']) responseHeaders.delete(h);
  if ((responseHeaders.get('content-type') ?? '').includes('json') && responseBody.byteLength > 0) {
    try {
      const json: unknown = JSON.parse(Buffer.from(responseBody).toString('utf8'));
      let changed = false;
      const rewritten = rewriteUrls(json, (u) => {
        changed = true;
        return proxiedUrl(u, upstream, incoming.origin);
      });
      // Untouched answers keep their exact bytes.
      if (changed) responseBody = new Uint8Array(Buffer.from(JSON.stringify(rewritten)));
    } catch {
      // not JSON despite the content type: relay it untouched
    }
  }
  const location = responseHeaders.get('location');
  if (location) responseHeaders.set('location', proxiedUrl(location, upstream, incoming.origin));

  const nullBody = res.status === 204 || res.status === 304 || method === 'HEAD';
  return {
    response: new Response(nullBody ? null : Buffer.from(responseBody), { status: res.status, headers: responseHeaders }),
    exchange: { method, url: incoming, requestHeaders: request.headers, requestBody, status: res.status, responseHeaders, responseBody },
  };
}
