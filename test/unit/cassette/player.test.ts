// Replay matching (DESIGN §4.3): method, path and a normalised body; volatile fields masked; equal requests in
// recorded order; a miss explained with the nearest candidates; indexed, >= 20k interactions/s.
import { beforeAll, describe, expect, it } from 'vitest';
import { MockBackend } from '../../../src/index.ts';
import { Keyer, loadCapture, Player, playCapture, recordInProcess, type Cassette, type Interaction, type Miss } from '../../../harness/cassette/index.ts';

const CAPTURE = new URL('../../fixtures/captures/wandb-0.18.7-sdk-session.jsonl', import.meta.url).pathname;
const BASE = 'http://replay.invalid';

const gqlRequest = (op: string, variables: Record<string, unknown>) => ({
  method: 'POST',
  path: '/graphql',
  query: [] as [string, string][],
  body: { json: { query: `mutation ${op}($x: String) { x }`, variables }, style: 'compact' as const },
});

function interaction(op: string, variables: Record<string, unknown>, answer: unknown): Interaction {
  return { request: { ...gqlRequest(op, variables), headers: {} }, response: { status: 200, headers: { 'content-type': 'application/json' }, body: { json: answer, style: 'compact' } } };
}

const post = (op: string, variables: Record<string, unknown>) =>
  new Request(`${BASE}/graphql`, { method: 'POST', body: JSON.stringify({ query: `mutation ${op}($x: String) { x }`, variables }) });

describe('matching keys', () => {
  it('ignores what changes between two sessions of the same program (reference §7)', () => {
    const config = (t: number) => JSON.stringify({ lr: { value: 0.1 }, _wandb: { value: { start_time: t, t: { 1: [t] } } } });
    const a = new Keyer().key(gqlRequest('UpsertBucket', { entity: 'e', project: 'p', name: 'c8ckosko', config: config(1795775622) }));
    const b = new Keyer().key(gqlRequest('UpsertBucket', { project: 'p', entity: 'e', name: 'zz9q1xyz', config: config(1800000000) }));
    expect(b.key).toBe(a.key);
    expect(a.key).toContain('UpsertBucket');
    expect(a.key).toContain('"name":"<run>"');
    expect([a.runs, b.runs]).toEqual([['c8ckosko'], ['zz9q1xyz']]);
    const art = (clientID: string, aliases: string[]) =>
      new Keyer().key(gqlRequest('CreateArtifact', { clientID, sequenceClientID: `s${clientID}`, historyStep: 3, aliases: aliases.map((alias) => ({ alias, artifactCollectionName: 'x' })) }));
    expect(art('abc', ['latest', 'best']).key).toBe(art('def', ['best', 'latest']).key);
  });

  it('keeps what matters: the project, the operation, the file_stream content', () => {
    const k = (vars: Record<string, unknown>, op = 'UpsertBucket') => new Keyer().key(gqlRequest(op, vars)).key;
    expect(k({ project: 'p' })).not.toBe(k({ project: 'q' }));
    expect(k({ project: 'p' })).not.toBe(k({ project: 'p' }, 'CreateRunFiles'));
    const stream = (line: string, ts: number) =>
      new Keyer().key({
        method: 'POST', path: '/files/e/p/r1/file_stream', query: [],
        body: { json: { files: { 'wandb-history.jsonl': { offset: 0, content: [JSON.stringify({ a: line, _timestamp: ts })] }, 'wandb-events.jsonl': { offset: 0, content: [`{"cpu": ${ts}}`] } } }, style: 'compact' },
      }).key;
    expect(stream('1', 1)).toBe(stream('1', 2));
    expect(stream('1', 1)).not.toBe(stream('2', 1));
    expect(stream('1', 1)).toContain('/files/e/p/<run>/file_stream');
  });

  it('sets digests aside as content unless strictContent', () => {
    const k = (strictContent: boolean, digest: string) => new Keyer({ strictContent }).key(gqlRequest('CreateArtifact', { digest }));
    expect(k(true, 'aa').key).not.toBe(k(true, 'bb').key);
    expect(k(false, 'aa').key).toBe(k(false, 'bb').key);
    expect([...k(false, 'aa').content]).toEqual([['digest', '"aa"']]);
  });
});

describe('Player', () => {
  let recorded: Cassette;
  beforeAll(async () => {
    const rec = recordInProcess(new MockBackend());
    await playCapture(loadCapture(CAPTURE), rec.baseUrl, (r) => rec.fetch(r));
    recorded = rec.cassette();
  });

  it('serves the recorded session to the capture playback with nothing else running', async () => {
    const player = new Player(recorded);
    const played = await playCapture(loadCapture(CAPTURE), BASE, (r) => player.handle(r));
    expect(played.filter((p) => p.problem)).toEqual([]);
    expect(player.matched).toBe(29);
    expect(player.misses).toEqual([]);
  });

  it('hands out the recorded upload URLs on its own origin', async () => {
    const player = new Player(recorded);
    const records = loadCapture(CAPTURE);
    for (const r of records.slice(0, 5)) await player.handle(new Request(`${BASE}${r.path}`, { method: r.method, body: JSON.stringify(r.json) }));
    const res = await player.handle(new Request(`${BASE}/graphql`, { method: 'POST', body: JSON.stringify(records[5]!.json) }));
    const body = (await res.json()) as any;
    expect(body.data.createRunFiles.files[0].uploadUrl).toBe(`${BASE}/storage/run/e/p/c8ckosko/wandb-metadata.json`);
  });

  it('answers equal requests in recorded order, then repeats the last answer', async () => {
    const player = new Player({ format: 'tracked-flows/cassette@1', meta: { recorder: 't', upstream: 'u' }, interactions: [
      interaction('Probe', {}, { data: { n: 1 } }),
      interaction('Probe', {}, { data: { n: 2 } }),
    ] });
    const n = async () => ((await (await player.handle(post('Probe', {}))).json()) as any).data.n;
    expect([await n(), await n(), await n()]).toEqual([1, 2, 2]);
  });

  it('answers a miss with a JSON 400 (no SDK retries it) and one line naming the request and the nearest recorded ones', async () => {
    const misses: Miss[] = [];
    const player = new Player(recorded, { onMiss: (m) => misses.push(m) });
    const res = await player.handle(post('UpsertBucket', { entity: 'e', project: 'other', name: 'r9' }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body.code).toBe('CASSETTE_MISS');
    expect(body.error).toMatch(/^Failed to replay "POST \/graphql UpsertBucket": no recorded interaction matches it \(#3 POST \/graphql UpsertBucket of <run-1> \(project: got "other", recorded "p"/);
    // wandb 0.18.7 util.no_retry_4xx raises UsageError(body["errors"][0]["message"]): the message reaches the user.
    expect(body.errors[0].message).toBe(body.error);
    expect(misses).toHaveLength(1);
    const line = misses[0]!.message;
    expect(line).not.toContain('\n');
    expect(line).toMatch(/^replay: no recorded interaction matches POST \/graphql UpsertBucket/);
    // The capture has two UpsertBuckets (interactions 3 and 19): they are the nearest, with the project named.
    expect(misses[0]!.candidates.slice(0, 2).map((c) => c.index)).toEqual([3, 19]);
    expect(line).toContain('#3 POST /graphql UpsertBucket of <run-1> (project: got "other", recorded "p"');
  });

  it('pairs runs by meaning: siblings answered as their own recorded runs whatever order they start in; a recorded run serves one live run', async () => {
    // Two recorded siblings of one step, identical at first, told apart by the files they ask for.
    const upsert = (name: string) => interaction('UpsertBucket', { entity: 'e', project: 'p', name, jobType: 'train' }, { data: { upsertBucket: { bucket: { name, id: `storage-${name}` } } } });
    const files = (run: string, file: string) => interaction('CreateRunFiles', { entity: 'e', project: 'p', run, files: [file] }, { data: { createRunFiles: { runID: `id-of-${run}`, files: [{ name: file, uploadUrl: `${BASE}/storage/run/e/p/${run}/${file}` }] } } });
    const player = new Player({ format: 'tracked-flows/cassette@1', meta: { recorder: 't', upstream: 'u' }, interactions: [upsert('r1'), upsert('r2'), files('r1', 'a.txt'), files('r2', 'b.txt')] });
    const ask = async (op: string, variables: Record<string, unknown>) => ((await (await player.handle(post(op, variables))).json()) as any);
    // The live siblings start in the other order: the second recorded run's twin first.
    expect((await ask('UpsertBucket', { entity: 'e', project: 'p', name: 'live-b', jobType: 'train' })).data.upsertBucket.bucket.name).toBe('live-b');
    expect((await ask('UpsertBucket', { entity: 'e', project: 'p', name: 'live-a', jobType: 'train' })).data.upsertBucket.bucket.name).toBe('live-a');
    const b = (await ask('CreateRunFiles', { entity: 'e', project: 'p', run: 'live-b', files: ['b.txt'] })).data.createRunFiles;
    expect(b).toEqual({ runID: 'id-of-r2', files: [{ name: 'b.txt', uploadUrl: `${BASE}/storage/run/e/p/live-b/b.txt` }] });
    const a = (await ask('CreateRunFiles', { entity: 'e', project: 'p', run: 'live-a', files: ['a.txt'] })).data.createRunFiles;
    expect(a).toEqual({ runID: 'id-of-r1', files: [{ name: 'a.txt', uploadUrl: `${BASE}/storage/run/e/p/live-a/a.txt` }] });
    expect(player.misses).toEqual([]);
    // A third sibling finds both recorded runs taken: a miss that names the nearest recorded run.
    await ask('UpsertBucket', { entity: 'e', project: 'p', name: 'live-c', jobType: 'train' });
    expect(player.misses.map((m) => m.message)).toEqual([
      'replay: no recorded interaction matches POST /graphql UpsertBucket (POST /graphql); nearest: #0 POST /graphql UpsertBucket of <run-1> (run: <run-1> is paired with live run live-a) | #2 POST /graphql CreateRunFiles of <run-1> | #3 POST /graphql CreateRunFiles of <run-2>',
    ]);
    // A sibling asking for what no recorded run asked names the run it is nearest to, and the field.
    const other = new Player({ format: 'tracked-flows/cassette@1', meta: { recorder: 't', upstream: 'u' }, interactions: [upsert('r1'), upsert('r2'), files('r1', 'a.txt'), files('r2', 'b.txt')] });
    await other.handle(post('UpsertBucket', { entity: 'e', project: 'p', name: 'x', jobType: 'train' }));
    await other.handle(post('CreateRunFiles', { entity: 'e', project: 'p', run: 'x', files: ['b.txt'] }));
    await other.handle(post('CreateRunFiles', { entity: 'e', project: 'p', run: 'x', files: ['c.txt'] }));
    expect(other.misses[0]!.message).toContain('nearest: #3 POST /graphql CreateRunFiles of <run-2> (files[0]: got "c.txt", recorded "b.txt")');
  });

  it('matches >= 20k interactions/s on a 20,000-interaction cassette', async () => {
    const N = 20_000;
    const interactions = Array.from({ length: N }, (_, i) => interaction(i % 2 ? 'CreateRunFiles' : 'UpsertBucket', { entity: 'e', project: `p${i % 500}`, files: [`f${i}.txt`] }, { data: { i } }));
    const player = new Player({ format: 'tracked-flows/cassette@1', meta: { recorder: 't', upstream: 'u' }, interactions });
    const keyer = new Keyer();
    const requests = interactions.map((x) => x.request).reverse(); // worst order for a linear scan
    const t0 = performance.now();
    let hits = 0;
    for (const r of requests) if (player.match(keyer.key(r).key) !== null) hits += 1;
    const seconds = (performance.now() - t0) / 1000;
    expect(hits).toBe(N);
    const rate = N / seconds;
    console.log(`replay matching: ${Math.round(rate)} interactions/s (key + lookup, ${N} interactions)`);
    expect(rate).toBeGreaterThan(20_000);
  });

  // The whole handle(): Request body read, key, lookup, Response built. Web Request/Response objects cost
  // more than the matching itself (15-50 us each on this machine), so the floor here only guards against a
  // linear scan creeping back in (that would be ~1000x slower on 20,000 interactions).
  it('answers through handle(Request) on a 20,000-interaction cassette without slowing with its size', async () => {
    const N = 20_000;
    const interactions = Array.from({ length: N }, (_, i) => interaction('CreateRunFiles', { entity: 'e', project: 'p', files: [`f${i}.txt`] }, { data: { i } }));
    const player = new Player({ format: 'tracked-flows/cassette@1', meta: { recorder: 't', upstream: 'u' }, interactions });
    const requests = interactions.map((x) => post('CreateRunFiles', x.request.body && 'json' in x.request.body ? (x.request.body.json as any).variables : {}));
    // The absolute rate is npm run bench's (replay >= 20k interactions/s); here only its shape: a matcher that scanned
    // the cassette would make the last thousand requests far slower than the first thousand.
    const K = 1_000;
    const slice = async (from: number): Promise<number> => {
      const t0 = performance.now();
      for (const r of requests.slice(from, from + K)) if ((await player.handle(r)).status === 200) ok += 1;
      return performance.now() - t0;
    };
    let ok = 0;
    const first = await slice(0);
    for (let i = K; i < N - K; i += K) await slice(i);
    const last = await slice(N - K);
    expect(ok).toBe(N);
    console.log(`replay handle(): first ${K} requests ${first.toFixed(0)} ms, last ${K} ${last.toFixed(0)} ms (${N} interactions)`);
    expect(last).toBeLessThan(first * 4);
  });
});
