// A parallel session for the replay properties (issue 27), and a second honest session of it played under any
// interleaving of its runs' request streams.
//
// Recording: OUR client, in-process, runs a flow with a static split, a foreach, a nested foreach and overlapping
// artifact names at --max-workers 8 (a seeded scheduler), recorded by the in-process recorder against a fresh
// backend. Each interaction is attributed to the run whose stream it belongs to: the run id it names (as the
// replay's keys see it), else a server-issued token (artifact id, upload URL) answered to that run, else the run
// of the next request that names one (a resolution query precedes the run's own use of it).
//
// Playing: each run's requests in their recorded order, the runs merged in a given order, as another session
// would send them: fresh run ids and client ids, and the server's tokens taken from the answers the replay gives
// (a client sends back what it was answered), exactly as the SDK adopts them.
import { createHash } from 'node:crypto';
import { MockBackend, flow, values, wandbLog } from '../../src/index.ts';
import { runScenario, type RunnableScenario } from '../../harness/runner/index.ts';
import { BASE_URL_PLACEHOLDER, Keyer, Player, recordInProcess, type Body, type Cassette, type Interaction } from '../../harness/cassette/index.ts';
import { bodyBytes, mapStrings } from '../../harness/cassette/body.ts';

const { py } = values;
const frame = (rows: number[][]) => py.dataframe(['x', 'y'], rows.map((r) => r.map((v) => py.float(v))));
const MODELS = ['rf', 'gb', 'lr'];

/** start -> (fan, side); fan -> foreach model -> train -> foreach fold -> fold; every sibling logs "part". */
function parallelFlow(): flow.FlowDefinition {
  const input = (s: flow.FlowSelf) => (s.input as { value: string | number }).value;
  return {
    name: 'ParallelFlow',
    decorators: [wandbLog({ datasets: true, others: true })],
    steps: [
      { name: 'start', body: (s) => s.setattr('X', frame([[1, 2]])), next: ['fan', 'side'] },
      { name: 'fan', body: (s) => s.setattr('models', py.list(MODELS.map((m) => py.str(m)))), next: { foreach: 'models', to: 'train' } },
      {
        name: 'train', next: { foreach: 'folds', to: 'fold' },
        body: (s) => {
          const m = String(input(s));
          s.setattr('model_name', py.str(m));
          s.setattr('part', frame([[MODELS.indexOf(m), 0.5]]));
          s.setattr('folds', py.list([py.int(1), py.int(2)]));
        },
      },
      {
        name: 'fold', next: 'join_folds',
        body: (s) => {
          const fold = Number(input(s));
          const m = (s.getattr('model_name') as { value: string }).value;
          s.setattr('part', frame([[MODELS.indexOf(m), fold]]));
          s.setattr('score', py.float(MODELS.indexOf(m) + fold / 10));
        },
      },
      { name: 'join_folds', join: true, next: 'join_models', body: (s) => s.setattr('folds_done', py.int(2)) },
      { name: 'join_models', join: true, next: 'join', body: (s) => s.setattr('models_done', py.int(3)) },
      { name: 'side', next: 'join', body: (s) => { s.getattr('X'); s.setattr('part', frame([[9, 9]])); s.setattr('score', py.float(0.25)); } },
      { name: 'join', join: true, next: 'end', body: (s) => s.setattr('done', py.bool(true)) },
      { name: 'end' },
    ],
  };
}

export interface Session {
  cassette: Cassette;
  /** Per run (in order of first appearance): its recorded run id and its interactions, in recorded order. */
  runs: { id: string; indices: number[] }[];
}

export async function recordSession(seed = 27): Promise<Session> {
  const rec = recordInProcess(new MockBackend({ defaultEntity: 'e', sleep: async () => {} }));
  const scenario: RunnableScenario = {
    id: `replay-interleavings-${seed}`, definition: parallelFlow(),
    runOptions: { runId: '1', parameters: {}, values: flow.pyValueProtocol, maxWorkers: 8, scheduler: flow.createSeededScheduler(seed) },
    integration: 'current', lineage: 'latest', wandb: { entity: 'e', project: 'p', mode: 'online' },
  };
  const result = await runScenario(scenario, { baseUrl: rec.baseUrl, fetch: rec.fetch });
  const failed = result.tasks.filter((t) => t.status !== 'ok');
  if (failed.length > 0) throw new Error(`Failed to record the session: ${failed.map((t) => `${t.step}/${t.task_id}: ${t.error}`).join('; ')}`);
  const all = rec.cassette();
  const cassette = { ...all, interactions: all.interactions.filter((x) => !x.request.path.startsWith('/_harness/')) };
  return { cassette, runs: attribute(cassette.interactions) };
}

function attribute(interactions: readonly Interaction[]): Session['runs'] {
  const keyer = new Keyer();
  const owner: (string | undefined)[] = [];
  const tokens = new Map<string, string>();
  interactions.forEach((x, i) => {
    let run = keyer.key(x.request).runs[0] ?? x.request.path.split('/').find((seg) => keyer.runNumber(seg) !== undefined);
    for (const s of [x.request.path, ...stringsOf(x.request.body)]) if (run === undefined && tokens.has(s)) run = tokens.get(s);
    owner[i] = run;
    // Tokens: whole ids and whole upload paths the server answered this run.
    if (run !== undefined) for (const s of stringsOf(x.response.body)) for (const t of [s, urlPath(s)]) if (t.length >= 8 && !tokens.has(t)) tokens.set(t, run);
  });
  // What names no run belongs to the run of the next request that does (else the last one that did).
  for (let i = owner.length - 1, next: string | undefined; i >= 0; i--) owner[i] = next = owner[i] ?? next;
  for (let i = 0, prev: string | undefined; i < owner.length; i++) owner[i] = prev = owner[i] ?? prev;
  const runs = new Map<string, number[]>();
  owner.forEach((run, i) => {
    if (!runs.has(run!)) runs.set(run!, []);
    runs.get(run!)!.push(i);
  });
  return [...runs].map(([id, indices]) => ({ id, indices }));
}

function stringsOf(body: Body | null): string[] {
  const out: string[] = [];
  if (body && 'json' in body) mapStrings(body.json, (s) => (out.push(s), s));
  return out;
}

const urlPath = (s: string) => (s.startsWith(BASE_URL_PLACEHOLDER) ? s.slice(BASE_URL_PLACEHOLDER.length).split('?')[0]! : s.startsWith('/') ? s.split('?')[0]! : '');

/** One changed value: in run `run` (index into Session.runs), its `nth` request whose body contains `from`. */
export interface Change { run: number; from: string; to: string }

export interface Played {
  player: Player;
  /** Answers the client could not use (status >= 400 or GraphQL errors), as `run #k: what`. */
  problems: string[];
  /** Per run: the live id it was given. */
  liveIds: string[];
  /** CreateArtifact / CommitArtifact answers that differ from the run's own recorded ones. */
  foreignAnswers: string[];
}

const BASE = 'http://replay.invalid';

/** Plays the session to a fresh Player, the runs' requests merged in `order` (run indices), optionally with a change. */
export async function play(session: Session, order: readonly number[], change?: Change): Promise<Played> {
  const player = new Player(session.cassette);
  const liveIds = session.runs.map((r, k) => createHash('sha1').update(`${r.id}/${k}/${order.join(',')}`).digest('hex').slice(0, 8));
  const maps = session.runs.map((r, k) => new Map<string, string>([[r.id, liveIds[k]!]]));
  const next = session.runs.map(() => 0);
  const problems: string[] = [];
  const foreignAnswers: string[] = [];
  for (const k of order) {
    const index = session.runs[k]!.indices[next[k]!++]!;
    const x = session.cassette.interactions[index]!;
    const map = maps[k]!;
    const live = (s: string): string => map.get(s) ?? (s.startsWith(BASE_URL_PLACEHOLDER) || s.startsWith('/') ? mapPath(s, map) : s);
    let body = x.request.body && 'json' in x.request.body ? { json: freshClientIds(mapStrings(x.request.body.json, live), map), style: x.request.body.style } : x.request.body;
    if (change && change.run === k && body && 'json' in body && JSON.stringify(body.json).includes(change.from)) {
      body = { json: JSON.parse(JSON.stringify(body.json).split(change.from).join(change.to)), style: body.style };
      change = undefined; // one value, once
    }
    const query = x.request.query.length ? `?${new URLSearchParams(x.request.query)}` : '';
    const bytes = bodyBytes(body);
    const res = await player.handle(new Request(`${BASE}${mapPath(x.request.path, map)}${query}`, { method: x.request.method, body: ['GET', 'HEAD'].includes(x.request.method) ? undefined : Buffer.from(bytes) }));
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (an upload's answer)
    }
    if (res.status >= 400 || (json as { errors?: unknown })?.errors) problems.push(`run #${k} ${x.request.method} ${x.request.path}: ${res.status} ${text.slice(0, 300)}`);
    const recorded = x.response.body && 'json' in x.response.body ? x.response.body.json : null;
    if (recorded !== null && json !== null) {
      learnTokens(recorded, json, map);
      const op = x.request.body && 'json' in x.request.body ? (x.request.body.json as { operationName?: string }).operationName : undefined;
      if ((op === 'CreateArtifact' || op === 'CommitArtifact') && JSON.stringify(mapStrings(recorded, live)) !== JSON.stringify(json)) foreignAnswers.push(`run #${k} ${op}: got ${text.slice(0, 200)}`);
    }
  }
  return { player, problems, liveIds, foreignAnswers };
}

/** Artifact client ids are made up anew by every session: a fresh one per recorded one. */
function freshClientIds(v: unknown, map: Map<string, string>, key?: string): unknown {
  if (typeof v === 'string' && (key === 'clientID' || key === 'sequenceClientID')) {
    if (!map.has(v)) map.set(v, createHash('sha1').update(`live:${v}`).digest('hex').padEnd(v.length, 'x').slice(0, Math.max(8, v.length)));
    return map.get(v);
  }
  if (Array.isArray(v)) return v.map((x) => freshClientIds(x, map, key));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, freshClientIds(x, map, k)]));
  return v;
}

/** Server tokens of an answer: where the live answer differs from the recorded one, the client goes on with the live value. */
function learnTokens(recorded: unknown, live: unknown, map: Map<string, string>): void {
  if (typeof recorded === 'string' && typeof live === 'string') {
    if (recorded === live) return;
    const [a, b] = [urlPath(recorded.startsWith(BASE_URL_PLACEHOLDER) ? recorded : recorded.replace(/^https?:\/\/[^/]+/, '')), urlPath(live.replace(/^https?:\/\/[^/]+/, ''))];
    if (a && b) {
      const [sa, sb] = [a.split('/'), b.split('/')];
      sa.forEach((seg, i) => sb[i] !== undefined && sb[i] !== seg && !map.has(decodeURIComponent(seg)) && map.set(decodeURIComponent(seg), decodeURIComponent(sb[i]!)));
    } else if (!map.has(recorded)) map.set(recorded, live);
  } else if (Array.isArray(recorded) && Array.isArray(live)) {
    recorded.forEach((r, i) => learnTokens(r, live[i], map));
  } else if (recorded && live && typeof recorded === 'object' && typeof live === 'object') {
    for (const [k, v] of Object.entries(recorded)) learnTokens(v, (live as Record<string, unknown>)[k], map);
  }
}

function mapPath(path: string, map: Map<string, string>): string {
  const q = path.indexOf('?');
  const [p, rest] = q < 0 ? [path, ''] : [path.slice(0, q), path.slice(q)];
  return p.split('/').map((seg) => {
    const to = map.get(decodeURIComponent(seg));
    return to === undefined ? seg : encodeURIComponent(to);
  }).join('/') + rest;
}

/** A merge of the runs' streams: `picks[i]` chooses among the runs with requests left (each run's order kept). */
export function interleaving(session: Session, picks: readonly number[]): number[] {
  const left = session.runs.map((r) => r.indices.length);
  const order: number[] = [];
  for (let open = left.flatMap((n, k) => (n > 0 ? [k] : [])); open.length > 0; open = left.flatMap((n, k) => (n > 0 ? [k] : []))) {
    const k = open[(picks[order.length % Math.max(1, picks.length)] ?? 0) % open.length]!;
    order.push(k);
    left[k]! -= 1;
  }
  return order;
}
