// Turns one exchange (what the client sent, what it got back) into a cassette interaction: bodies decoded
// (gzip file_stream bodies included), headers filtered, the client-facing origin replaced by the placeholder,
// and everything redacted here — the only way into a cassette — so no secret is ever held for writing.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { encodeBody, mapBodyStrings } from './body.ts';
import { BASE_URL_PLACEHOLDER, emptyCassette, type Cassette, type Interaction } from './format.ts';
import { Redactor } from './redact.ts';

/** Our package.json: two levels up from the sources (harness/cassette), three from the build (dist/harness/cassette). */
function ownVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'tracked-flows') return pkg.version;
    } catch {
      // not at this level: try the next one
    }
  }
  return '0.0.0';
}
export const RECORDER = `tracked-flows/${ownVersion()}`;

/** Request headers that describe the connection, not the request, or change on every run. */
const DROPPED_REQUEST_HEADERS = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'te', 'upgrade', 'expect', 'accept-encoding', 'content-encoding', 'date', 'proxy-connection', 'x-request-id', 'traceparent']);
/** Response headers worth keeping; the rest (date, server, request ids, lengths) is transport noise. */
const KEPT_RESPONSE_HEADERS = new Set(['content-type', 'etag', 'location', 'retry-after', 'www-authenticate', 'set-cookie']);

export interface Exchange {
  method: string;
  /** The URL the client used (its origin is the one it was pointed at). */
  url: URL;
  requestHeaders: Headers;
  requestBody: Uint8Array;
  status: number;
  responseHeaders: Headers;
  /** Decoded (not gzip) response bytes, exactly as the client received them. */
  responseBody: Uint8Array;
}

export interface RecorderOptions {
  upstream: string;
  /** User patterns (`--redact REGEX`). */
  redact?: (RegExp | string)[];
  /** Literal secrets known up front (e.g. WANDB_API_KEY of the recording environment). */
  secrets?: string[];
}

export class Recorder {
  readonly redactor: Redactor;
  private readonly cassette: Cassette;

  constructor(options: RecorderOptions, base?: Cassette) {
    this.redactor = new Redactor({ patterns: options.redact, secrets: options.secrets });
    this.cassette = base ? { ...base, interactions: [...base.interactions] } : emptyCassette({ recorder: RECORDER, upstream: options.upstream });
  }

  get size(): number {
    return this.cassette.interactions.length;
  }

  add(x: Exchange): Interaction {
    const r = this.redactor;
    r.learn(x.requestHeaders);
    const origin = x.url.origin;
    const placeholder = (s: string) => s.split(origin).join(BASE_URL_PLACEHOLDER);
    let requestBytes = x.requestBody;
    if (x.requestHeaders.get('content-encoding') === 'gzip' && requestBytes.byteLength > 0) {
      try {
        requestBytes = gunzipSync(requestBytes);
      } catch {
        // not really gzip: keep the bytes as sent
      }
    }
    const interaction: Interaction = {
      request: {
        method: x.method.toUpperCase(),
        path: r.path(x.url.pathname),
        query: r.query([...x.url.searchParams]),
        headers: headers(x.requestHeaders, (k) => !DROPPED_REQUEST_HEADERS.has(k), (k, v) => r.header(k, placeholder(v))),
        body: r.body(mapBodyStrings(encodeBody(requestBytes), placeholder)),
      },
      response: {
        status: x.status,
        headers: headers(x.responseHeaders, (k) => KEPT_RESPONSE_HEADERS.has(k), (k, v) => r.header(k, placeholder(v))),
        body: r.body(mapBodyStrings(encodeBody(x.responseBody), placeholder)),
      },
    };
    this.cassette.interactions.push(interaction);
    return interaction;
  }

  toCassette(): Cassette {
    return { ...this.cassette, interactions: [...this.cassette.interactions] };
  }
}

function headers(h: Headers, keep: (name: string) => boolean, value: (name: string, v: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of h) if (keep(k)) out[k] = value(k, v);
  return out;
}
