// The identities two sessions of one program name differently (run ids, artifact client ids), paired as the
// live session proceeds: recorded <-> live, both ways. Answers are rewritten recorded -> live, because the SDK
// adopts what the server answers (the run name from UpsertBucket, upload URLs it then PUTs to); requests to URLs
// the replay handed out are read live -> recorded, so they find their recorded interaction.
//
// Run ids follow the run pairing (run-pairing.ts): a live run reads as the recorded run that answers it now (its
// representative, which may change while the pairing narrows), and a recorded run is written as the live run it
// is bound to. Until then several live runs may be answered from one recorded run, so an answer names the live
// run it is for (`answer(value, run)`), whatever the maps say.

import { mapStrings } from './body.ts';
import { BASE_URL_PLACEHOLDER } from './format.ts';

/** Keys whose values are identities the client makes up (volatile.ts: client-ids). */
const LEARNED_KEYS = new Set(['clientID', 'sequenceClientID']);

export class Identities {
  private readonly live = new Map<string, string>();
  private readonly recorded = new Map<string, string>();
  /** Bumped on every new pair, so rendered answers can be cached until it changes. */
  version = 0;

  learn(recorded: string, live: string): void {
    if (!recorded || !live || recorded === live || this.live.get(recorded) === live) return;
    this.live.set(recorded, live);
    this.recorded.set(live, recorded);
    this.version += 1;
  }

  /** Pairs the identity-bearing fields of a matched request: recorded variables beside the live ones. */
  learnFrom(recorded: unknown, live: unknown, key?: string): void {
    if (typeof recorded === 'string' && typeof live === 'string') {
      if (key !== undefined && LEARNED_KEYS.has(key)) this.learn(recorded, live);
    } else if (Array.isArray(recorded) && Array.isArray(live)) {
      recorded.forEach((r, i) => this.learnFrom(r, live[i], key));
    } else if (recorded && live && typeof recorded === 'object' && typeof live === 'object') {
      for (const [k, v] of Object.entries(recorded)) this.learnFrom(v, (live as Record<string, unknown>)[k], k);
    }
  }

  /** Live run `live` is answered from recorded run `recorded` now; `bound`: for good (the recorded run is taken). */
  pairRun(recorded: string, live: string, bound: boolean): void {
    const before = this.recorded.get(live);
    if (before === recorded && (!bound || this.live.get(recorded) === live)) return;
    if (before !== undefined && before !== recorded && this.live.get(before) === live) this.live.delete(before);
    this.recorded.set(live, recorded);
    if (bound || !this.live.has(recorded)) this.live.set(recorded, live);
    this.version += 1;
  }

  toLive(s: string): string {
    return this.live.get(s) ?? s;
  }

  toRecorded(s: string): string {
    return this.recorded.get(s) ?? s;
  }

  get size(): number {
    return this.live.size;
  }

  /** A recorded answer with the live identities: whole strings, and path segments of URLs; `run`: the run it answers. */
  answer(value: unknown, run?: { recorded: string; live: string }): unknown {
    if (this.live.size === 0 && !run) return value;
    const to = run ? (s: string) => (s === run.recorded ? run.live : this.live.get(s)) : (s: string) => this.live.get(s);
    return mapStrings(value, (s) => (isUrl(s) ? mapSegments(s, to) : (to(s) ?? s)));
  }

  /** A live request (path, or any string in its body) with the recorded identities. */
  recordedPath(path: string): string {
    return this.recorded.size === 0 ? path : mapSegments(path, (s) => this.recorded.get(s));
  }

  /** A live request body with the recorded identities (record-missing sends the upstream the recorded session's). */
  recordedValue(value: unknown): unknown {
    if (this.recorded.size === 0) return value;
    return mapStrings(value, (s) => (isUrl(s) ? this.recordedPath(s) : this.toRecorded(s)));
  }
}

const isUrl = (s: string) => s.startsWith(BASE_URL_PLACEHOLDER) || s.startsWith('/') || /^https?:\/\//.test(s);

/** `url` with each path segment (percent-decoded) that `map` knows replaced; the query is left alone. */
export function mapSegments(url: string, map: Map<string, string> | ((segment: string) => string | undefined)): string {
  const lookup = typeof map === 'function' ? map : (s: string) => map.get(s);
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const mapped = path
    .split('/')
    .map((seg) => {
      let decoded: string;
      try {
        decoded = decodeURIComponent(seg);
      } catch {
        return seg;
      }
      const to = lookup(decoded);
      return to === undefined ? seg : encodeURIComponent(to);
    })
    .join('/');
  return q < 0 ? mapped : mapped + url.slice(q);
}
