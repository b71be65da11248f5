// `inspect`: the log model of a recorded session, obtained by feeding its requests through a fresh MockBackend
// (DESIGN §4.3) — the same derivation a scenario's log goes through, so the two can be compared.
//
// A fresh backend hands out its own ids and upload URLs. They are learned by walking each recorded answer beside
// the fresh answer to the same request: where a string differs (an artifact id, a storage id, an upload URL),
// later requests get the fresh value instead of the recorded one — what the SDK does with the server's answers.
// Requests the recorded server failed transiently (5xx, 429: faults the SDK retried) are skipped: they changed
// nothing there. Refused ones (4xx) are sent again: the fresh backend should refuse them too, and lists what it
// does not understand under `unsupported`.

import { createHash } from 'node:crypto';
import { MockBackend, type LogModel } from '../../src/index.ts';
import { bodyBytes, mapBodyStrings, mapStrings } from './body.ts';
import { mapSegments } from './identities.ts';
import { BASE_URL_PLACEHOLDER, type Body, type Cassette, type RecordedRequest } from './format.ts';

const ORIGIN = 'http://inspect.invalid';

export interface InspectResult {
  log: LogModel;
  /** Requests the fresh backend accepted where the recorded server refused them, or the other way round. */
  problems: string[];
}

/** `path?query` with the query sorted, so a URL from an answer and the request made to it compare equal. */
function urlKey(path: string, query: Iterable<[string, string]>): string {
  const q = [...query].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).sort().join('&');
  return q ? `${path}?${q}` : path;
}

function urlKeyOf(url: string): string | null {
  const rest = url.startsWith(BASE_URL_PLACEHOLDER) ? url.slice(BASE_URL_PLACEHOLDER.length) : /^https?:\/\//.test(url) ? url : null;
  if (rest === null) return null;
  try {
    const u = new URL(rest, ORIGIN);
    return urlKey(u.pathname, u.searchParams);
  } catch {
    return null;
  }
}

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('base64');

export async function inspectCassette(cassette: Cassette, backend = new MockBackend()): Promise<InspectResult> {
  const ids = new Map<string, string>();
  const urls = new Map<string, string>();
  const problems: string[] = [];
  const interactions = cassette.interactions;
  const substitute = (b: Body | null) => mapBodyStrings(b, (s) => ids.get(s) ?? s);
  const putMd5 = new Map<number, string>();

  const learn = (recorded: unknown, fresh: unknown): void => {
    if (typeof recorded === 'string' && typeof fresh === 'string') {
      if (recorded === fresh) return;
      const key = urlKeyOf(recorded);
      if (key !== null && /^https?:\/\//.test(fresh)) {
        const u = new URL(fresh);
        urls.set(key, `${u.pathname}${u.search}`);
      } else ids.set(recorded, fresh);
    } else if (Array.isArray(recorded) && Array.isArray(fresh)) {
      for (let k = 0; k < Math.min(recorded.length, fresh.length); k++) learn(recorded[k], fresh[k]);
    } else if (recorded && fresh && typeof recorded === 'object' && typeof fresh === 'object') {
      for (const [k, v] of Object.entries(recorded)) if (k in fresh) learn(v, (fresh as Record<string, unknown>)[k]);
    }
  };

  // A manifest's md5 is announced (CreateArtifactManifest) before it is uploaded; when ids inside it change,
  // the announced digest must follow, so look ahead for the upload whose recorded bytes it announced.
  const manifestDigest = (from: number, digest: string): string => {
    for (let j = from + 1; j < interactions.length; j++) {
      const q = interactions[j]!.request;
      if (q.method !== 'PUT' || !q.body) continue;
      if (!putMd5.has(j)) putMd5.set(j, md5(bodyBytes(q.body)));
      if (putMd5.get(j) === digest) return md5(bodyBytes(substitute(q.body)));
    }
    return digest;
  };

  for (const [i, { request, response }] of interactions.entries()) {
    if (response.status >= 500 || response.status === 429 || request.path.startsWith('/_harness/')) continue;
    const target = urls.get(urlKey(request.path, request.query)) ?? substitutePath(request, ids);
    let body = substitute(request.body);
    if (body && 'json' in body && request.path.endsWith('/graphql')) body = fixManifestDigest(body, i, manifestDigest);
    const method = request.method;
    const fresh = await backend.handle(
      new Request(`${ORIGIN}${target}`, {
        method,
        headers: request.headers['content-type'] ? { 'content-type': request.headers['content-type'] } : {},
        body: method === 'GET' || method === 'HEAD' || body === null ? undefined : Buffer.from(bodyBytes(body)),
      }),
    );
    const text = await fresh.text();
    const recordedOk = response.status < 400;
    if (fresh.ok !== recordedOk) {
      problems.push(`#${i} ${method} ${request.path}: recorded ${response.status}, the backend answered ${fresh.status}: ${text.slice(0, 200)}`);
      continue;
    }
    if (fresh.ok && response.body && 'json' in response.body) {
      try {
        learn(response.body.json, JSON.parse(text));
      } catch {
        // a non-JSON fresh answer teaches nothing
      }
    }
  }
  return { log: backend.log(), problems };
}

function substitutePath(req: RecordedRequest, ids: Map<string, string>): string {
  return urlKey(mapSegments(req.path, ids), req.query.map(([k, v]) => [k, ids.get(v) ?? v] as [string, string]));
}

function fixManifestDigest(body: Extract<Body, { json: unknown }>, index: number, digestFor: (from: number, digest: string) => string): Body {
  const vars = (body.json as { variables?: Record<string, unknown> } | null)?.variables;
  if (!vars || !vars.includeUpload || typeof vars.digest !== 'string') return body;
  const digest = digestFor(index, vars.digest);
  if (digest === vars.digest) return body;
  return { json: mapStrings(body.json, (s, key) => (key === 'digest' && s === vars.digest ? digest : s)), style: body.style };
}
