// The replay side: answers requests from a cassette. Pure `handle(Request) -> Response` (so it can sit behind
// node:http or msw), indexed by the normalised key (a map from key to the queue of recorded interactions), so
// matching costs one key computation and one map lookup, whatever the cassette's size.
//
// Equal requests are answered in recorded order. When a key's queue is used up, its last answer is given again:
// how often the SDK probes the server, sends heartbeats or retries is volatile (reference §7), and answering a
// repeated request the way it was answered before is what the server did.

import { gunzipSync } from 'node:zlib';
import { bodyBytes, encodeBody, mapBodyStrings } from './body.ts';
import { CassetteError } from './errors.ts';
import { BASE_URL_PLACEHOLDER, type Body, type Cassette, type Interaction } from './format.ts';
import { forward } from './forward.ts';
import { describeCandidates, nearest, type Candidate } from './nearest.ts';
import { Keyer, type KeyOptions, type RequestKey } from './normalise.ts';
import type { Recorder } from './recorder.ts';
import type { Upstream } from './upstream.ts';

export type ReplayMode = 'lockdown' | 'record-missing';
export const REPLAY_MODES: readonly ReplayMode[] = ['lockdown', 'record-missing'];

export interface Miss {
  method: string;
  path: string;
  key: string;
  candidates: Candidate[];
  /** One line, for stderr. */
  message: string;
}

export interface PlayerOptions extends KeyOptions {
  mode?: ReplayMode;
  /** record-missing: where misses go, and the recorder they are appended to. */
  upstream?: Upstream;
  recorder?: Recorder;
  onMiss?: (miss: Miss) => void;
}

interface Slot { queue: number[]; next: number }

export class Player {
  readonly misses: Miss[] = [];
  matched = 0;
  appended = 0;
  private readonly interactions: Interaction[];
  private readonly keys: RequestKey[];
  private readonly index = new Map<string, Slot>();
  private readonly live: Keyer;
  private readonly mode: ReplayMode;

  constructor(cassette: Cassette, private readonly options: PlayerOptions = {}) {
    this.mode = options.mode ?? 'lockdown';
    if (this.mode === 'record-missing' && (!options.upstream || !options.recorder)) {
      throw new CassetteError('REPLAY_CONFIG', 'Failed to start replay "record-missing": it needs an upstream and a recorder. Pass both, or use lockdown.');
    }
    this.interactions = [...cassette.interactions];
    const recorded = new Keyer(options);
    this.keys = this.interactions.map((i) => recorded.key(i.request));
    this.keys.forEach((k, i) => this.slot(k.key).queue.push(i));
    this.live = new Keyer(options);
  }

  private slot(key: string): Slot {
    let s = this.index.get(key);
    if (!s) this.index.set(key, (s = { queue: [], next: 0 }));
    return s;
  }

  /** Finds the recorded interaction for a request (advancing its queue), or null. Exposed for benchmarks. */
  match(key: string): number | null {
    const s = this.index.get(key);
    if (!s || s.queue.length === 0) return null;
    const i = s.queue[Math.min(s.next, s.queue.length - 1)]!;
    s.next += 1;
    return i;
  }

  // Response bytes per interaction, with the placeholder already replaced by the origin they were built for.
  private readonly rendered = new Map<number, { origin: string; bytes: Uint8Array | null }>();

  private respond(index: number, origin: string): Response {
    const r = this.interactions[index]!.response;
    let cached = this.rendered.get(index);
    if (!cached || cached.origin !== origin) {
      const body = mapBodyStrings(r.body, (s) => s.split(BASE_URL_PLACEHOLDER).join(origin));
      cached = { origin, bytes: r.status === 204 || r.status === 304 || body === null ? null : bodyBytes(body) };
      this.rendered.set(index, cached);
    }
    return new Response(cached.bytes === null ? null : Buffer.from(cached.bytes), { status: r.status, headers: r.headers });
  }

  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    let bytes = new Uint8Array(await request.arrayBuffer());
    if (request.headers.get('content-encoding') === 'gzip' && bytes.byteLength > 0) {
      try {
        bytes = new Uint8Array(gunzipSync(bytes));
      } catch {
        // keep the bytes: the key will not match and the miss says so
      }
    }
    const body = liveBody(bytes, url.origin);
    const key = this.live.key({ method, path: url.pathname, query: [...url.searchParams], body });
    const hit = this.match(key.key);
    if (hit !== null) {
      this.matched += 1;
      return this.respond(hit, url.origin);
    }
    if (this.mode === 'record-missing') {
      const { response, exchange } = await forward(new Request(url, { method, headers: request.headers, body: method === 'GET' || method === 'HEAD' ? undefined : bytes }), this.options.upstream!);
      const added = this.options.recorder!.add(exchange);
      this.interactions.push(added);
      this.keys.push(key);
      this.slot(key.key).queue.push(this.interactions.length - 1);
      this.slot(key.key).next += 1;
      this.appended += 1;
      return response;
    }
    const candidates = nearest(key, this.keys);
    const message = `replay: no recorded interaction matches ${key.family} (${method} ${url.pathname}${url.search}); nearest: ${describeCandidates(candidates)}`;
    const miss: Miss = { method, path: url.pathname, key: key.key, candidates, message };
    this.misses.push(miss);
    this.options.onMiss?.(miss);
    return new Response(JSON.stringify({ error: `Failed to replay "${method} ${url.pathname}": no recorded interaction matches it. Re-record the cassette, or replay with --mode record-missing.`, code: 'CASSETTE_MISS', key: key.key, nearest: candidates }), {
      status: 500,
      headers: { 'content-type': 'application/json' },
    });
  }
}

/**
 * The live request's body, for its key only: parsed JSON (the style does not take part in keys) with the
 * server's own origin written as the placeholder, as recorded bodies have it; else text, else base64.
 */
function liveBody(bytes: Uint8Array, origin: string): Body | null {
  if (bytes.byteLength === 0) return null;
  if (bytes[0] === 0x7b || bytes[0] === 0x5b) {
    try {
      return { json: JSON.parse(utf8.decode(bytes).split(origin).join(BASE_URL_PLACEHOLDER)), style: 'compact' };
    } catch {
      // not UTF-8 JSON: fall through
    }
  }
  return mapBodyStrings(encodeBody(bytes), (s) => s.split(origin).join(BASE_URL_PLACEHOLDER));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
