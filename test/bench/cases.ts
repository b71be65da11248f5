// The measurements. Each returns plain rows; run.ts prints and saves them. Cases that report peak memory run
// in a fresh child process per size (child.ts), because a process's peak RSS never goes back down.

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { MockBackend, flow, startMswTransport } from '../../src/index.ts';
import { SuitePool, runScenario, runSuite, toRunnable, type RunnableScenario, type Transport } from '../../harness/runner/index.ts';
import { loadScenarioPaths } from '../../harness/scenario/index.ts';
import { Keyer, Player, type Cassette, type Interaction } from '../../harness/cassette/index.ts';
import { attach } from '../../harness/runner/index.ts';
import { runDirect } from './direct.ts';
import { replayParallel } from './replay-parallel.ts';
import { smallFlow } from './flows.ts';
import { child } from './spawn.ts';
import { mapSummary, summarize, timeRuns, type Summary } from './stats.ts';
import { useEngine } from '../../src/backend/graphql/compiled.ts';

export interface Row {
  group: string;
  name: string;
  unit: string;
  value: Summary;
  /** The DESIGN §6 target, as text, and whether the median meets it (null: no target). */
  target?: string;
  ok?: boolean | null;
  note?: string;
}

export const quick = process.env.BENCH_QUICK === '1';
const n = (full: number, small: number) => (quick ? small : full);

/** The library's `docs-flow-and-steps`: start -> mid -> end, datasets and models logged (the 3-step flow). */
export function threeStepScenario(): RunnableScenario {
  const { scenarios } = loadScenarioPaths(['scenarios/docs/flow-and-steps.yaml']);
  const s = scenarios.find((x) => x.id === 'docs-flow-and-steps');
  if (!s) throw new Error('Failed to load "scenarios/docs/flow-and-steps.yaml": scenario docs-flow-and-steps is missing. The 3-step benchmark uses it.');
  return toRunnable(s);
}

// The README's figures from the last full run before GraphQL was executed against a schema (issue 15), to print
// beside today's: the schema must cost at most 1.5x per request and keep the 3-step flow under 10 ms.
const BEFORE_SCHEMA = { handle: 0.065, threeStepMsw: 7.9 };

// 1. One 3-step scenario end to end, and where its time goes.
export async function endToEnd(): Promise<Row[]> {
  const s = threeStepScenario();
  const runs = n(60, 10);
  // Steady state: V8 optimises the hot paths (ours, msw's, undici's) over the first ~100 runs; a suite runs far
  // more, so the per-scenario figure is taken after that. The first runs of a fresh process are reported too.
  const warm = n(100, 5);
  const msw = await timeRuns(() => runScenario(s, { transport: 'msw' }), runs, warm);
  const http = await timeRuns(() => runScenario(s, { transport: 'http' }), n(30, 5), n(20, 3));
  const directTransport = await timeRuns(() => runScenario(s, { transport: 'direct' }), runs, warm);
  const direct = await timeRuns(() => runDirect(s), runs, warm);
  const runtimeOnly = await timeRuns(() => flow.runFlow(s.definition, { clock: () => 0, ...s.runOptions }), runs, warm);
  const cold = coldRuns();
  const { requests } = await runDirect(s);

  // One request, four ways: backend.handle on a Request we build, through msw's handler pipeline (the runner's
  // fetch), through msw's setupServer interception of global fetch, and over a socket. The request is
  // ServerFeaturesQuery, which the client sends for every run.
  const backend = new MockBackend({ defaultEntity: 'e' });
  const body = JSON.stringify({ query: 'query ServerFeaturesQuery { serverInfo { features { name isEnabled } } }', variables: {}, operationName: 'ServerFeaturesQuery' });
  const init = { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Basic eDp5' }, body };
  const mswEndpoint = await attach(backend, 'msw');
  const httpEndpoint = await attach(backend, 'http');
  const global = await startMswTransport(backend, 'http://global.tracked-flows.test');
  const perReq = async (send: () => Promise<Response>) => {
    const k = n(500, 50);
    const t = await timeRuns(async () => { for (let i = 0; i < k; i++) await (await send()).arrayBuffer(); }, n(7, 3), 1);
    return mapSummary(t, (ms) => ms / k);
  };
  const reqDirect = await perReq(() => backend.handle(new Request('http://direct.invalid/graphql', init)));
  // The same on graphql-js alone (no compiled documents: src/backend/graphql/compiled.ts), for comparison.
  useEngine('graphql-js');
  const reqInterpreted = await perReq(() => backend.handle(new Request('http://direct.invalid/graphql', init)));
  useEngine('tiered');
  const reqMsw = await perReq(() => mswEndpoint.fetch!(`${mswEndpoint.baseUrl}/graphql`, init));
  const reqGlobal = await perReq(() => fetch(`${global.baseUrl}/graphql`, init));
  global.close();
  const reqHttp = await perReq(() => fetch(`${httpEndpoint.baseUrl}/graphql`, init));
  await mswEndpoint.close();
  await httpEndpoint.close();

  const g = '1. 3-step flow (docs-flow-and-steps)';
  return [
    { group: g, name: 'full pipeline, default path (--transport direct), steady state', unit: 'ms', value: directTransport, target: '< 10 ms', ok: directTransport.median < 10, note: `${requests} requests; after ${warm} unmeasured runs` },
    { group: g, name: 'same, first 10 runs of a fresh process (direct)', unit: 'ms', value: cold.direct, note: `first run ${cold.direct.first.toFixed(1)} ms (module init, JIT cold); --transport msw: first run ${cold.msw.first.toFixed(1)} ms, median ${cold.msw.median.toFixed(1)} ms` },
    { group: g, name: 'full pipeline, --transport msw (msw request handlers)', unit: 'ms', value: msw, target: '< 10 ms', ok: msw.median < 10, note: `${BEFORE_SCHEMA.threeStepMsw} ms before GraphQL ran on a schema` },
    { group: g, name: 'full pipeline, --transport http', unit: 'ms', value: http },
    { group: g, name: 'same, client fetch -> backend.handle (no msw)', unit: 'ms', value: direct },
    { group: g, name: 'flow runtime alone (no W&B hook)', unit: 'ms', value: runtimeOnly },
    {
      group: g, name: 'one request: backend.handle(Request)', unit: 'ms/req', value: reqDirect,
      target: `<= ${(BEFORE_SCHEMA.handle * 1.5).toFixed(3)} ms (1.5x before the schema)`, ok: reqDirect.median <= BEFORE_SCHEMA.handle * 1.5,
      note: `${BEFORE_SCHEMA.handle} ms before GraphQL ran on a schema (operation-name router); ${reqInterpreted.median.toFixed(3)} ms on graphql-js alone (no compiled documents)`,
    },
    { group: g, name: 'one request: through msw handlers (--transport msw)', unit: 'ms/req', value: reqMsw, note: `msw's handler pipeline adds ${(reqMsw.median - reqDirect.median).toFixed(3)} ms/req` },
    { group: g, name: 'one request: msw setupServer (global fetch)', unit: 'ms/req', value: reqGlobal, note: `the interceptor adds ${(reqGlobal.median - reqDirect.median).toFixed(3)} ms/req` },
    { group: g, name: 'one request: fetch over node:http', unit: 'ms/req', value: reqHttp },
  ];
}

/** The 3-step scenario's first 10 runs in a fresh process, per transport, 3 processes each. */
function coldRuns(): Record<'msw' | 'direct', Summary & { first: number }> {
  const of = (transport: string) => {
    const runs = Array.from({ length: n(3, 1) }, () => child(['cold', transport]).times!);
    return { ...summarize(runs.flat()), first: summarize(runs.map((t) => t[0]!)).median };
  };
  return { msw: of('msw'), direct: of('direct') };
}

// 2. Suite throughput on the shipped library.
export async function suite(): Promise<Row[]> {
  const { scenarios, diagnostics } = loadScenarioPaths(['scenarios']);
  const runnable = scenarios.map(toRunnable);
  const g = `2. suite: the library (${runnable.length} scenarios${diagnostics.length ? `, ${diagnostics.length} load diagnostics skipped` : ''})`;
  const rows: Row[] = [];
  const configs: [Transport, number][] = [['msw', 1], ['msw', 4], ['direct', 1], ['direct', 4], ['http', 1], ['http', 4]];
  for (const [transport, concurrency] of configs) {
    const t = await timeRuns(() => runSuite(runnable, { transport, concurrency }), n(5, 2), 1);
    const rate = mapSummary(t, (ms) => runnable.length / (ms / 1000));
    const inProcess = transport !== 'http';
    rows.push({
      group: g, name: `${transport}, concurrency ${concurrency}`, unit: 'scenarios/s', value: rate,
      ...(inProcess ? { target: '>= 200/s', ok: rate.median >= 200 } : {}),
    });
  }
  // Worker threads: a pool kept across suites (start-up reported apart), so the rate is the steady one.
  for (const transport of ['msw', 'direct'] as const) {
    const t0 = performance.now();
    const pool = new SuitePool(2, transport);
    await pool.runAll(runnable);
    const startMs = performance.now() - t0;
    const t = await timeRuns(() => pool.runAll(runnable), n(5, 2), 1);
    await pool.close();
    const rate = mapSummary(t, (ms) => runnable.length / (ms / 1000));
    rows.push({
      group: g, name: `${transport}, 2 worker threads (--workers 2)`, unit: 'scenarios/s', value: rate, target: '>= 200/s', ok: rate.median >= 200,
      note: `pool start + first suite ${startMs.toFixed(0)} ms (each worker loads its own modules and scenario files)`,
    });
  }
  const direct = await timeRuns(async () => { for (const s of runnable) await runDirect(s); }, n(5, 2), 1);
  rows.push({ group: g, name: 'no msw (client -> backend.handle), concurrency 1', unit: 'scenarios/s', value: mapSummary(direct, (ms) => runnable.length / (ms / 1000)), note: 'flow + client + backend only: no result building' });
  return rows;
}

// 5. Replay matching on a generated cassette (the shape of the Player's own test, larger bodies).
export async function replay(): Promise<Row[]> {
  const N = 20_000;
  const interaction = (i: number): Interaction => ({
    request: {
      method: 'POST', path: '/graphql', query: [], headers: {},
      body: { json: { query: 'mutation CreateRunFiles($x: String) { x }', operationName: i % 3 ? 'CreateRunFiles' : 'UpsertBucket', variables: { entity: 'e', project: `p${i % 50}`, files: [`f${i}.txt`, 'config.yaml'], clientID: `c${i}` } }, style: 'compact' },
    },
    response: { status: 200, headers: { 'content-type': 'application/json' }, body: { json: { data: { i } }, style: 'compact' } },
  });
  const interactions = Array.from({ length: N }, (_, i) => interaction(i));
  const cassette: Cassette = { format: 'tracked-flows/cassette@1', meta: { recorder: 'bench', upstream: 'generated' }, interactions };
  const requests = [...interactions].reverse().map((x) => x.request);
  const g = '5. replay: 20,000-interaction cassette';
  let build: Summary | null = null;
  const match = await timeRuns(() => {
    const t0 = performance.now();
    const player = new Player(cassette);
    build = summarize([performance.now() - t0]);
    const keyer = new Keyer();
    let hits = 0;
    for (const r of requests) if (player.match(keyer.key(r).key) !== null) hits += 1;
    if (hits !== N) throw new Error(`Failed to benchmark replay: ${hits} of ${N} matched. The generated cassette should match itself.`);
  }, n(5, 2), 1);
  // Index build is inside the measured time above: report matching alone as well.
  const rate = mapSummary(match, (ms) => N / (ms / 1000));
  const bodies = requests.slice(0, n(5000, 500)).map((r) => JSON.stringify(r.body && 'json' in r.body ? r.body.json : {}));
  const player = new Player(cassette);
  const handle = await timeRuns(async () => {
    for (const b of bodies) await player.handle(new Request('http://replay.invalid/graphql', { method: 'POST', body: b }));
  }, 3, 1);
  return [
    { group: g, name: 'index build + key + match, per interaction', unit: 'interactions/s', value: rate, target: '>= 20k/s', ok: rate.median >= 20_000, note: `index build alone ${(build as Summary | null)?.median.toFixed(0) ?? '?'} ms` },
    { group: g, name: 'through handle(Request) (body read, key, Response)', unit: 'requests/s', value: mapSummary(handle, (ms) => bodies.length / (ms / 1000)) },
    ...(await replayParallel(n(5, 2))),
  ];
}

// 6. Cost per generated flow: fast-check generation + the runner (the property suite was not there to time).
export async function propertyCost(): Promise<Row[]> {
  const flows = fc.sample(smallFlow, { numRuns: n(100, 10), seed: 42 });
  const g = '6. property: one random small flow';
  const gen = await timeRuns(() => fc.sample(smallFlow, { numRuns: 100, seed: 7 }), 5, 1);
  let k = 0;
  const run = await timeRuns(async () => { await runScenario(flows[k++ % flows.length]!); }, flows.length, 5);
  return [
    { group: g, name: 'generate (fast-check), per flow', unit: 'ms', value: mapSummary(gen, (ms) => ms / 100) },
    { group: g, name: 'run through the runner (msw), per flow', unit: 'ms', value: run, note: '2-5 linear steps, 0-3 ints/lists each' },
  ];
}

/** Raw md5 over bytes already in memory: the CPU ceiling for hashing on this machine. */
export function md5InMemoryMiBps(): Summary {
  const buf = Buffer.alloc(64 << 20, 7);
  const t = summarize(Array.from({ length: 5 }, () => {
    const t0 = performance.now();
    createHash('md5').update(buf).digest();
    return performance.now() - t0;
  }));
  return mapSummary(t, (ms) => 64 / (ms / 1000));
}
