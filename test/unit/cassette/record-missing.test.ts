// replay --mode record-missing: a miss goes to the upstream, its answer is served and appended (redacted),
// and the same request is then answered from the cassette.
import { describe, expect, it } from 'vitest';
import { MockBackend, flow } from '../../../src/index.ts';
import { backendUpstream, Player, Recorder, recordInProcess, serializeCassette, type Cassette } from '../../../harness/cassette/index.ts';
import { runScenario, toRunnable, type RunnableScenario } from '../../../harness/runner/index.ts';
import { loadScenarioFile } from '../../../harness/scenario/index.ts';
import { main } from '../../../harness/cli/main.ts';
import { corpusDocument } from '../../helpers/graphql-corpus.ts';

const KEY = `local-${'m'.repeat(40)}`;
const auth = { authorization: `Basic ${Buffer.from(`api:${KEY}`).toString('base64')}` };
const viewer = () => new Request('http://replay.invalid/graphql', { method: 'POST', headers: auth, body: JSON.stringify({ query: 'query Viewer { viewer { id entity } }', variables: {} }) });
const upsert = () => new Request('http://replay.invalid/graphql', { method: 'POST', headers: auth, body: JSON.stringify({ query: corpusDocument('wandb-core', 'UpsertBucket'), variables: { entity: 'e', project: 'p', name: 'r1' } }) });

describe('record-missing', () => {
  it('forwards a miss upstream, appends it redacted, and answers it from the cassette afterwards', async () => {
    const rec = recordInProcess(new MockBackend());
    await rec.fetch(viewer());
    const base = rec.cassette();
    expect(base.interactions).toHaveLength(1);

    const upstreamBackend = new MockBackend({ apiKey: KEY });
    const recorder = new Recorder({ upstream: base.meta.upstream }, base);
    const player = new Player(base, { mode: 'record-missing', upstream: backendUpstream(upstreamBackend), recorder });
    expect((await player.handle(viewer())).status).toBe(200); // recorded
    const first = await player.handle(upsert()); // missing: forwarded
    expect(first.status).toBe(200);
    expect(((await first.json()) as any).data.upsertBucket.bucket.name).toBe('r1');
    expect(upstreamBackend.log().runs.map((r) => r.id)).toEqual(['r1']);
    expect((await player.handle(upsert())).status).toBe(200); // now answered from the appended interaction
    expect(upstreamBackend.log().runs).toHaveLength(1);
    expect(player.appended).toBe(1);
    expect(player.misses).toEqual([]);

    const grown = recorder.toCassette();
    expect(grown.interactions).toHaveLength(2);
    expect(grown.interactions[1]!.request.headers.authorization).toBe('[REDACTED]');
    expect(serializeCassette(grown)).not.toContain(KEY);
  });

  it('completes a partial recording with the recorded identities: the session then replays in lockdown with 0 misses', async () => {
    // A foreach at --max-workers 4 (siblings in a seeded order), sessions A, B, C with their own run ids and orders.
    const loaded = loadScenarioFile(new URL('../../../scenarios/graphs/foreach.yaml', import.meta.url).pathname);
    if (loaded.scenarios.length !== 1) throw new Error('scenarios/graphs/foreach.yaml did not load');
    const base = toRunnable(loaded.scenarios[0]!);
    const session = (id: string, seed: number): RunnableScenario => ({ ...base, id, runOptions: { ...base.runOptions, maxWorkers: 4, scheduler: flow.createSeededScheduler(seed) } });
    const against = (send: (r: Request) => Promise<Response>) => ({ baseUrl: 'http://replay.invalid', fetch: (input: string | URL | Request, init?: RequestInit) => send(new Request(input, init)) });
    const streamRun = (path: string) => path.match(/^\/files\/[^/]+\/[^/]+\/(\w+)\/file_stream$/)?.[1];
    const runIds = (c: Cassette) => new Set(c.interactions.flatMap((x) => streamRun(x.request.path) ?? []));

    const upstream = new MockBackend({ defaultEntity: 'e', sleep: async () => {} });
    const rec = recordInProcess(upstream);
    await runScenario(session('session-A', 1), { baseUrl: rec.baseUrl, fetch: rec.fetch });
    const full = rec.cassette().interactions.filter((x) => !x.request.path.startsWith('/_harness/'));
    // The session as if it had stopped before its runs finished: every run's finish (its run files, the uploads
    // and the closing stream) missing, and the last runs altogether.
    const finish = (x: Cassette['interactions'][number]) => x.request.path.startsWith('/storage/run/') || JSON.stringify(x.request.body).includes('CreateRunFiles') || JSON.stringify(x.request.body).includes('"complete":true');
    const lastRuns = [...runIds({ ...rec.cassette(), interactions: full })].slice(-2);
    const partial: Cassette = { ...rec.cassette(), interactions: full.filter((x) => !finish(x) && !lastRuns.some((id) => JSON.stringify(x.request).includes(id))) };
    expect(runIds(partial).size).toBe(4);

    const recorder = new Recorder({ upstream: 'same backend' }, partial);
    const completing = new Player(partial, { mode: 'record-missing', upstream: backendUpstream(upstream), recorder });
    const bIds = new Set<string>();
    const b = await runScenario(session('session-B', 2), against(async (r) => {
      const name = /"name":"(\w{8})"/.exec(await r.clone().text())?.[1];
      if (name && r.url.endsWith('/graphql')) bIds.add(name);
      return completing.handle(r);
    }));
    expect(b.tasks.filter((t) => t.status !== 'ok')).toEqual([]);
    expect(completing.appended).toBeGreaterThan(0);
    const completed = recorder.toCassette();
    // The appended requests name the recorded runs (B's own run ids only for runs the recording never had).
    expect([...runIds(completed)].filter((id) => bIds.has(id)).length).toBe(2); // the two runs A's recording lacks
    expect(runIds(completed).size).toBe(6);

    const lockdown = new Player(completed);
    const c = await runScenario(session('session-C', 3), against((r) => lockdown.handle(r)));
    expect(lockdown.misses.map((m) => m.message)).toEqual([]);
    expect(c.tasks.every((t) => t.status === 'ok')).toBe(true);
    expect(lockdown.matched).toBeGreaterThan(completed.interactions.length / 2);
  });

  it('needs an upstream and a recorder', () => {
    expect(() => new Player({ format: 'tracked-flows/cassette@1', meta: { recorder: 'r', upstream: 'u' }, interactions: [] }, { mode: 'record-missing' })).toThrow(/needs an upstream and a recorder/);
  });
});

describe('command-line usage errors exit 2', () => {
  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out, err };
  };
  it('rejects an unknown replay mode, a bad port, a bad pattern and a missing command', async () => {
    expect(await run(['replay', 'x.json', '--mode', 'strict'])).toEqual({ code: 2, out: [], err: ['Failed to replay "x.json": --mode must be one of lockdown, record-missing, got "strict".'] });
    expect((await run(['replay', 'x.json', '--port', 'http'])).err).toEqual(['Failed to replay: --port must be an integer 0-65535, got "http".']);
    expect((await run(['record', '--out', 'c.json', '--redact', '(', '--', 'true'])).code).toBe(2);
    expect(await run(['record', '--out', 'c.json'])).toEqual({ code: 2, out: [], err: ['Failed to record: no command was given. Usage: tracked-flows record --out FILE -- COMMAND..'] });
    expect((await run(['record', '--', 'true'])).code).toBe(2); // --out is required
  });
  it('names a missing cassette', async () => {
    expect(await run(['inspect', '/nonexistent/c.json'])).toEqual({ code: 2, out: [], err: ['/nonexistent/c.json: cannot read the cassette (ENOENT).'] });
  });
});
