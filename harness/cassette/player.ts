// The replay side: answers requests from a cassette. Pure `handle(Request) -> Response` (so it can sit behind
// node:http or msw), indexed by the normalised key (a map from key to the queue of recorded interactions), so
// matching costs one key computation and one map lookup, whatever the cassette's size.
//
// A cassette is replayed to another honest session of the same program (DESIGN §4.3):
// - matching by meaning: the key leaves out what varies between sessions (volatile.ts); file_stream is checked
//   row by row against each run's recorded stream (stream.ts), and CreateRunFiles file by file (run-files.ts),
//   whatever the batching;
// - runs are paired by meaning, not by arrival (run-pairing.ts, run-matcher.ts): a request that speaks for a run
//   is answered from the recorded runs that live run may still be, and narrows them;
// - answers follow the live session: identities the two sessions name differently (run ids, client ids) are
//   paired (identities.ts) and recorded answers are rewritten with the live ones — the SDK adopts the answered
//   run name and PUTs to the answered URLs, which then lead back to their recorded interactions;
// - content (artifact digests, md5s, file bytes) that differs is listed in `contentDifferences`, not fatal,
//   unless `strictContent`;
// - a miss is answered 400 with GraphQL-style `errors`: a status no SDK retries, so the client fails at once
//   instead of retrying for minutes (a 500 was retried for 90 s per wandb.init). Checked in the sources (reference
//   §6): wandb-core core/internal/clients/retry_policy.go (RetryMostFailures and UpsertBucketRetryPolicy: 400 is
//   not retried; 409 is, for UpsertBucket) at b6e2950588; wandb 0.18.7 (8c5b31a1) wandb/util.py no_retry_auth
//   (400/409 not retried) and no_retry_4xx (which raises errors[0].message), file_stream.py request_with_retry
//   (400/403/404/409 not retried) and internal_api.py upload_file (409 retried, 400 not).
//
// Equal requests are answered in recorded order (per run for a run's requests). When a key's queue is used up,
// its last answer is given again:
// how often the SDK probes the server, sends heartbeats or retries is volatile (reference §7), and answering a
// repeated request the way it was answered before is what the server did.

import { gunzipSync } from 'node:zlib';
import { protocol, serializeLog } from '../../src/index.ts';
import { bodyBytes, liveBody, mapBodyStrings } from './body.ts';
import { CassetteError } from './errors.ts';
import { BASE_URL_PLACEHOLDER, type Body, type Cassette, type Interaction } from './format.ts';
import { recordMissing } from './record-missing.ts';
import { Identities } from './identities.ts';
import { inspectCassette } from './inspect.ts';
import { describeCandidates, nearest, type Candidate } from './nearest.ts';
import { Keyer, type KeyOptions, type RequestKey } from './normalise.ts';
import type { Recorder } from './recorder.ts';
import { ContentCheck, type ContentDifference } from './content.ts';
import { RunFilesBook } from './run-files.ts';
import { RunMatcher } from './run-matcher.ts';
import { StreamBook } from './stream.ts';
import type { Upstream } from './upstream.ts';

export type ReplayMode = 'lockdown' | 'record-missing';
export const REPLAY_MODES: readonly ReplayMode[] = ['lockdown', 'record-missing'];

/** The status a miss is answered with: not retried by any wandb SDK (reference §6). */
export const MISS_STATUS = 400;
export const LOG_PATH = '/_harness/log';

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
/** The live run an answer is for, and the recorded run it comes from. */
interface RunContext { recorded: string; live: string }

export class Player {
  readonly misses: Miss[] = [];
  readonly contentDifferences: ContentDifference[] = [];
  readonly identities = new Identities();
  matched = 0;
  appended = 0;
  private readonly interactions: Interaction[];
  private readonly keys: RequestKey[];
  private readonly index = new Map<string, Slot>();
  private readonly recordedKeyer: Keyer;
  private readonly live: Keyer;
  private readonly mode: ReplayMode;
  private readonly streams: StreamBook;
  private readonly runFiles: RunFilesBook;
  private readonly content: ContentCheck;
  private readonly served = new Set<number>();
  private readonly runs: RunMatcher;

  constructor(cassette: Cassette, private readonly options: PlayerOptions = {}) {
    this.mode = options.mode ?? 'lockdown';
    if (this.mode === 'record-missing' && (!options.upstream || !options.recorder)) {
      throw new CassetteError('REPLAY_CONFIG', 'Failed to start replay "record-missing": it needs an upstream and a recorder. Pass both, or use lockdown.');
    }
    this.interactions = [...cassette.interactions];
    this.recordedKeyer = new Keyer(options);
    this.keys = this.interactions.map((i) => this.recordedKeyer.key(i.request));
    this.runs = new RunMatcher(this.keys, (live, recorded, bound) => this.identities.pairRun(recorded, live, bound));
    this.keys.forEach((k, i) => {
      // In lockdown, streams are checked by rows (stream.ts); record-missing appends them like any request.
      if (k.runs.length === 0 && (this.mode === 'record-missing' || !isStream(this.interactions[i]!.request.path))) this.slot(k.key).queue.push(i);
    });
    this.content = new ContentCheck(this.interactions, this.keys);
    this.streams = new StreamBook(this.interactions, options);
    this.runFiles = new RunFilesBook(this.interactions, this.keys, (i) => this.runs.runIdOf(i));
    this.live = new Keyer(options);
  }

  private slot(key: string): Slot {
    let s = this.index.get(key);
    if (!s) this.index.set(key, (s = { queue: [], next: 0 }));
    return s;
  }

  /**
   * Finds the recorded interaction for a request (advancing its queue), or null: by key alone for a request that
   * speaks for no run, else among the recorded runs the live run is paired with. Exposed for benchmarks.
   */
  match(key: string | RequestKey): number | null {
    if (typeof key !== 'string' && key.runs.length > 0) return this.runs.match(key.runs[0]!, key)?.index ?? null;
    const s = this.index.get(typeof key === 'string' ? key : key.key);
    if (!s || s.queue.length === 0) return null;
    const i = s.queue[Math.min(s.next, s.queue.length - 1)]!;
    s.next += 1;
    return i;
  }

  // Response bytes per interaction, for the origin, identities and live run they were rendered with.
  private readonly rendered = new Map<number, { origin: string; version: number; live: string | undefined; bytes: Uint8Array | null }>();

  private respond(index: number, origin: string, run?: RunContext): Response {
    const r = this.interactions[index]!.response;
    let cached = this.rendered.get(index);
    if (!cached || cached.origin !== origin || cached.version !== this.identities.version || cached.live !== run?.live) {
      cached = { origin, version: this.identities.version, live: run?.live, bytes: this.render(r.body, r.status, origin, run) };
      this.rendered.set(index, cached);
    }
    return new Response(cached.bytes === null ? null : Buffer.from(cached.bytes), { status: r.status, headers: r.headers });
  }

  /** A recorded answer body for this server's origin and the live identities. */
  private render(recorded: Body | null, status: number, origin: string, run?: RunContext): Uint8Array | null {
    let body = mapBodyStrings(recorded, (s) => s.split(BASE_URL_PLACEHOLDER).join(origin));
    if (body && 'json' in body) body = { json: this.identities.answer(body.json, run), style: body.style };
    return status === 204 || status === 304 || body === null ? null : bodyBytes(body);
  }

  /** The run context of an answer to live run `live` (its representative), if it speaks for one. */
  private context(live: string | undefined): RunContext | undefined {
    const rep = live === undefined ? undefined : this.runs.pairing.representative(live);
    return rep === undefined ? undefined : { recorded: this.runs.id(rep), live: live! };
  }

  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    if (method === 'GET' && url.pathname === LOG_PATH) return this.servedLog();
    let bytes = new Uint8Array(await request.arrayBuffer());
    if (request.headers.get('content-encoding') === 'gzip' && bytes.byteLength > 0) {
      try {
        bytes = new Uint8Array(gunzipSync(bytes));
      } catch {
        // keep the bytes: the key will not match and the miss says so
      }
    }
    const body = liveBody(bytes, url.origin);
    const stream = method === 'POST' ? protocol.FILE_STREAM_PATTERN.exec(url.pathname) : null;
    if (stream && this.mode === 'lockdown') return this.handleStream(method, url, stream, body);

    // The client builds file_stream paths from its own run id; other URLs are the ones the replay handed out.
    const path = stream ? url.pathname : this.identities.recordedPath(url.pathname);
    const key = this.live.key({ method, path, query: [...url.searchParams], body });
    const liveRun = key.runs[0];
    const hit = this.match(key);
    if (hit !== null) {
      this.learn(hit, key, body);
      const content = this.content.compare(hit, key, path, bytes);
      if (content && this.options.strictContent) return this.miss(method, url, key, [{ index: hit, family: this.runs.label(hit), differences: content.differences }]);
      if (content) this.contentDifferences.push(content);
      this.matched += 1;
      if (liveRun === undefined) this.served.add(hit); // a run's are counted by its pairing (runs.served())
      return this.respond(hit, url.origin, this.context(liveRun));
    }
    if (this.mode === 'record-missing') return this.recordMissing(request, method, url, key, body, bytes);
    const regrouped = this.regroupRunFiles(key, body);
    if (regrouped) {
      this.learn(regrouped.indices[0]!, key, body);
      this.matched += 1;
      for (const i of regrouped.indices) this.served.add(i);
      const bytes = this.render(regrouped.body, regrouped.status, url.origin, this.context(liveRun));
      return new Response(bytes === null ? null : Buffer.from(bytes), { status: regrouped.status, headers: regrouped.headers });
    }
    return this.miss(method, url, key, this.nearest(key));
  }

  /** CreateRunFiles in other batches than recorded (run-files.ts), from a recorded run the live run may be. */
  private regroupRunFiles(key: RequestKey, body: Body | null): ReturnType<RunFilesBook['answer']> {
    const live = key.runs[0];
    if (live === undefined || key.op !== 'CreateRunFiles') return null;
    const answers = new Map([...this.runs.pairing.candidates(live)].map((r) => [r, this.runFiles.answer(key, body, this.interactions, this.runs.id(r))] as const).filter((a) => a[1] !== null));
    if (answers.size === 0) return null;
    return answers.get(this.runs.pairing.narrow(live, [...answers.keys()]))!;
  }

  /** The recorded requests nearest to a missed one: among the runs its live run may still be, if it speaks for one. */
  private nearest(key: RequestKey): Candidate[] {
    const live = key.runs[0];
    const set = live === undefined ? null : this.runs.pairing.candidates(live);
    let found = set && set.size > 0 ? nearest(key, this.keys, 3, (i) => set.has(this.runs.recordedRunOf(i))) : [];
    if (found.length === 0 || found[0]!.family !== key.family) found = nearest(key, this.keys);
    return found.map((c) => ({ ...c, family: this.runs.label(c.index), differences: c.differences.length > 0 || this.keys[c.index]!.family !== key.family ? c.differences : this.runs.unavailable(c.index) }));
  }

  /** record-missing (record-missing.ts): the miss goes upstream, is appended and indexed, and answered. */
  private async recordMissing(request: Request, method: string, url: URL, key: RequestKey, body: Body | null, bytes: Uint8Array): Promise<Response> {
    const live = key.runs[0];
    const { response, interaction, recordedRun } = await recordMissing({ request, method, url, live, body, bytes }, this.runs, this.identities, this.options.upstream!, this.options.recorder!);
    const index = this.interactions.push(interaction) - 1;
    this.keys.push(key);
    this.appended += 1;
    if (recordedRun === undefined) {
      this.slot(key.key).queue.push(index);
      this.slot(key.key).next += 1;
      return response;
    }
    this.runs.add(index, recordedRun);
    this.runs.count(live!, key);
    return this.respond(index, url.origin, { recorded: recordedRun, live: live! });
  }

  private handleStream(method: string, url: URL, m: RegExpExecArray, body: Body | null): Response {
    const [entity, project, liveRun] = [decodeSafe(m[1]!), decodeSafe(m[2]!), decodeSafe(m[3]!)];
    const target = `${method} ${url.pathname}`;
    const key: RequestKey = { key: target, family: target, norm: null, op: null, content: new Map(), runs: [liveRun] };
    const pairing = this.runs.pairing;
    // With run ids kept (maskRunIds false) a stream is its own recorded run's, by id.
    const set = [...pairing.candidates(liveRun)].filter((r) => this.options.maskRunIds !== false || this.runs.id(r) === liveRun);
    // A live run whose every candidate was taken by other live runs is still compared, to say what it is nearest to.
    const verdict = this.streams.check(entity, project, liveRun, (set.length > 0 ? set.map((r) => this.runs.id(r)) : this.runs.runs), body);
    if (!verdict.ok) return this.miss(method, url, key, [{ index: verdict.nearest, family: this.runs.label(verdict.nearest), differences: verdict.differences }]);
    if (set.length === 0) {
      const index = this.streams.answer(entity, project, verdict.agreeing[0]!);
      return this.miss(method, url, key, [{ index, family: this.runs.label(index), differences: [`run: agrees with recorded ${verdict.agreeing.map((r) => `<run-${this.runs.run(r) + 1}>`).join(', ')}, each paired with another live run`] }]);
    }
    const rep = pairing.narrow(liveRun, verdict.agreeing.map((r) => this.runs.run(r)));
    this.matched += 1;
    return this.respond(this.streams.answer(entity, project, this.runs.id(rep)), url.origin, { recorded: this.runs.id(rep), live: liveRun });
  }

  /** Pairs the client-made identities of a matched request (artifact client ids) by their fields. */
  private learn(hit: number, key: RequestKey, body: Body | null): void {
    const recordedBody = this.interactions[hit]!.request.body;
    if (key.op && body && 'json' in body && recordedBody && 'json' in recordedBody && key.key.includes('<masked>')) {
      this.identities.learnFrom((recordedBody.json as { variables?: unknown })?.variables, (body.json as { variables?: unknown })?.variables);
    }
  }

  private miss(method: string, url: URL, key: RequestKey, candidates: Candidate[]): Response {
    const message = `replay: no recorded interaction matches ${key.family} (${method} ${url.pathname}${url.search}); nearest: ${describeCandidates(candidates)}`;
    const miss: Miss = { method, path: url.pathname, key: key.key, candidates, message };
    this.misses.push(miss);
    this.options.onMiss?.(miss);
    const error = `Failed to replay "${key.family}": no recorded interaction matches it (${describeCandidates(candidates)}). Re-record the cassette, or replay with --mode record-missing.`;
    return new Response(JSON.stringify({ errors: [{ message: error }], error, code: 'CASSETTE_MISS', request: key.family, key: key.key, nearest: candidates }), {
      status: MISS_STATUS,
      headers: { 'content-type': 'application/json' },
    });
  }

  /** Recorded interactions nobody asked for (yet), as `#index family`: a session that stopped early leaves some. */
  unused(): string[] {
    const streamServed = new Set([...this.streamsServed(), ...this.runs.served()]);
    return this.interactions.flatMap((x, i) => (!this.served.has(i) && !streamServed.has(i) && !x.request.path.startsWith('/_harness/') && x.response.status < 500 && x.response.status !== 429 ? [`#${i} ${this.keys[i]!.family}`] : []));
  }

  private streamsServed(): number[] {
    return this.streams.served((live) => {
      const rep = this.runs.pairing.representative(live);
      return rep === undefined ? undefined : this.runs.id(rep);
    });
  }

  /**
   * The log of what the live session was served: the recorded interactions it matched (its stream rows
   * included), fed through a fresh backend as `inspect` does. Equal to the cassette's own log exactly when the
   * live session said everything the recorded one said.
   */
  private async servedLog(): Promise<Response> {
    const indices = [...new Set([...this.served, ...this.runs.served(), ...this.streamsServed()])].sort((a, b) => a - b);
    const { log } = await inspectCassette({ format: 'tracked-flows/cassette@1', meta: { recorder: 'replay', upstream: 'replay' }, interactions: indices.map((i) => this.interactions[i]!) });
    return new Response(serializeLog(log), { status: 200, headers: { 'content-type': 'application/json' } });
  }
}

const isStream = (path: string) => protocol.FILE_STREAM_PATTERN.test(path);

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
