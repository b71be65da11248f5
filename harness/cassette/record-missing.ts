// replay --mode record-missing: a request the cassette cannot answer goes to the upstream and is appended. It goes
// as the RECORDED session would have sent it: the live run read as the recorded run it is paired with (its path
// and every string of its body), client ids as the recorded ones, so the upstream sees one coherent session and
// the cassette stays one: replayed again in lockdown, its runs are whole. A run whose very first request misses
// is new to the recording: it keeps its own id and becomes a recorded run of its own.

import { mapStrings } from './body.ts';
import { BASE_URL_PLACEHOLDER, type Body, type Interaction } from './format.ts';
import { forward } from './forward.ts';
import type { Identities } from './identities.ts';
import type { Recorder } from './recorder.ts';
import type { RunMatcher } from './run-matcher.ts';
import type { Upstream } from './upstream.ts';

export interface MissingRequest {
  request: Request;
  method: string;
  url: URL;
  /** The live run it speaks for, if any. */
  live: string | undefined;
  /** Its body as parsed for the key (JSON with the origin as placeholder), and its decompressed bytes. */
  body: Body | null;
  bytes: Uint8Array;
}

export interface Recorded {
  /** The upstream's answer as the client would get it without identities rewritten (for a request of no run). */
  response: Response;
  interaction: Interaction;
  /** The recorded run the interaction belongs to (the live run is bound to it), if it speaks for one. */
  recordedRun: string | undefined;
}

export async function recordMissing(m: MissingRequest, runs: RunMatcher, identities: Identities, upstream: Upstream, recorder: Recorder): Promise<Recorded> {
  let recordedRun: string | undefined;
  if (m.live !== undefined) {
    const pairing = runs.pairing;
    const rep = pairing.representative(m.live);
    if (rep !== undefined && pairing.candidates(m.live).has(rep)) recordedRun = runs.id(pairing.narrow(m.live, [rep]));
    else pairing.adopt(m.live, runs.run((recordedRun = m.live)));
  }
  const headers = new Headers(m.request.headers);
  headers.delete('content-encoding'); // the bytes were decompressed for the key
  const body = m.body && 'json' in m.body
    ? Buffer.from(JSON.stringify(mapStrings(identities.recordedValue(m.body.json), (s) => s.split(BASE_URL_PLACEHOLDER).join(m.url.origin))))
    : Buffer.from(m.bytes);
  const target = new URL(`${identities.recordedPath(m.url.pathname)}${m.url.search}`, m.url.origin);
  const { response, exchange } = await forward(new Request(target, { method: m.method, headers, body: m.method === 'GET' || m.method === 'HEAD' ? undefined : body }), upstream);
  return { response, interaction: recorder.add(exchange), recordedRun };
}
