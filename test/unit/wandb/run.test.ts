// Request shapes of a run (reference §1.3, §1.4, §2.2, §2.3, §3.1, §4) against a recording msw server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpResponse } from 'msw';
import { basicAuth, float, ManualClock, seededRandom, WandbClient, init } from '../../../src/wandb/index.ts';
import { API_KEY, BASE, fakeWandb } from './fake-wandb.ts';

const fake = fakeWandb();
beforeAll(() => fake.server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => fake.reset());
afterAll(() => fake.server.close());

const AUTH = 'Basic YXBpOmxvY2FsLWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWE=';

function client(clock = new ManualClock(1_700_000_000_000), extra: Record<string, string> = {}) {
  return new WandbClient({ settings: { baseUrl: BASE + '/', apiKey: API_KEY }, env: { WANDB_ENTITY: 'ent', WANDB_PROJECT: 'proj', ...extra }, clock, random: seededRandom(7) });
}

describe('init', () => {
  it('sends ServerFeaturesQuery then UpsertBucket with all 19 variables in declaration order', async () => {
    await client().init({ id: 'abc12345', group: 'Flow/1', jobType: 'start', config: { alpha: 0.5, name: 'x' }, tags: ['t'] });
    expect(fake.sequence()).toEqual(['ServerFeaturesQuery', 'UpsertBucket']);
    const features = fake.graphql('ServerFeaturesQuery')[0]!;
    expect(features.operationName).toBe('ServerFeaturesQuery');
    expect(features.query!.startsWith('\nquery ServerFeaturesQuery {')).toBe(true);
    const upsert = fake.graphql('UpsertBucket')[0]!;
    expect(upsert.operationName).toBe('UpsertBucket');
    expect(upsert.query!.startsWith('\nmutation UpsertBucket (')).toBe(true);
    expect(Object.keys(upsert.variables!)).toEqual([
      'id', 'name', 'project', 'entity', 'groupName', 'description', 'displayName', 'notes', 'commit', 'config',
      'host', 'debug', 'program', 'repo', 'jobType', 'state', 'sweep', 'tags', 'summaryMetrics',
    ]);
    const v = upsert.variables!;
    expect(v).toMatchObject({
      id: null, name: 'abc12345', project: 'proj', entity: 'ent', groupName: 'Flow/1', description: null, displayName: null,
      notes: null, commit: null, host: null, debug: null, program: null, repo: null, jobType: 'start', state: null,
      sweep: null, tags: ['t'], summaryMetrics: null,
    });
    // config is a JSON *string* of {"key": {"value": v}} with no desc, plus our fixed _wandb entry.
    expect(typeof v.config).toBe('string');
    expect(JSON.parse(v.config)).toEqual({ alpha: { value: 0.5 }, name: { value: 'x' }, _wandb: { value: { cli_version: '0.28.3.dev1' } } });
    expect(v.config).not.toContain('desc');
  });

  it('sends null for unset params and adopts the server\'s name, project and entity', async () => {
    fake.answer('UpsertBucket', (req) => ({
      upsertBucket: { inserted: true, bucket: { id: 'UnVuOjE=', name: 'srvname1', displayName: 'x', description: null, config: '{}', sweepName: null, historyLineCount: 0, project: { id: 'P', name: 'uncategorized', entity: { id: 'E', name: 'default-ent' } } } },
    }));
    const c = new WandbClient({ settings: { baseUrl: BASE, apiKey: API_KEY }, env: {}, clock: new ManualClock(), random: seededRandom(1) });
    const run = await c.init();
    const v = fake.graphql('UpsertBucket')[0]!.variables!;
    expect(v.name).toMatch(/^[a-z0-9]{8}$/);
    expect([v.project, v.entity, v.groupName, v.jobType, v.tags]).toEqual([null, null, null, null, null]);
    expect([run.id, run.entity, run.project]).toEqual(['srvname1', 'default-ent', 'uncategorized']);
    await run.log({ a: 1 });
    await run.finish();
    expect(fake.fileStreams()[0]!.path).toBe('/files/default-ent/uncategorized/srvname1/file_stream');
    expect(fake.graphql('CreateRunFiles')[0]!.variables).toEqual({ entity: 'default-ent', project: 'uncategorized', run: 'srvname1', files: ['wandb-summary.json', 'config.yaml'] });
  });

  it('draws the run id from the injected random source', async () => {
    const a = await new WandbClient({ settings: { baseUrl: BASE, apiKey: API_KEY }, env: {}, random: seededRandom(42), clock: new ManualClock() }).init();
    const b = await new WandbClient({ settings: { baseUrl: BASE, apiKey: API_KEY }, env: {}, random: seededRandom(42), clock: new ManualClock() }).init();
    expect(a.id).toBe(b.id);
    expect(a.id).toMatch(/^[a-z0-9]{8}$/);
  });

  it('sends wandb-core headers with Basic auth on GraphQL and file_stream, and none on PUTs', async () => {
    const run = await client().init({ id: 'abc12345' });
    await run.log({ a: 1 });
    await run.finish();
    expect(basicAuth(API_KEY)).toBe(AUTH);
    for (const r of [...fake.graphql('UpsertBucket'), ...fake.fileStreams(), ...fake.graphql('CreateRunFiles')]) {
      expect(r.headers.authorization).toBe(AUTH);
      expect(r.headers['user-agent']).toBe('wandb-core');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.url.startsWith(BASE + '/')).toBe(true);
      expect(r.url).not.toContain('//graphql');
    }
    const puts = fake.puts();
    expect(puts).toHaveLength(2);
    for (const p of puts) {
      expect(p.headers.authorization).toBeUndefined();
      // server-supplied "Key:Value" upload headers applied
      expect(p.headers['content-type']).toBe('application/octet-stream');
      expect(p.headers['x-upload-token']).toBe('t1');
    }
  });
});

describe('history, summary and finish on file_stream', () => {
  it('buffers rows and sends them at flush with _step, _runtime, _timestamp and consecutive offsets', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const run = await client(clock).init({ id: 'abc12345' });
    clock.advance(1500);
    await run.log({ loss: 0.5 });
    clock.advance(1000);
    await run.log({ loss: 0.25, nested: { a: 1 }, bad: NaN, big: Infinity, neg: -Infinity });
    expect(fake.fileStreams()).toHaveLength(0); // deterministic policy: nothing before flush
    await run.flush();
    clock.advance(500);
    await run.log({ loss: float(1) });
    await run.finish(0);

    const bodies = fake.fileStreams().map((r) => r.json);
    expect(bodies).toHaveLength(3);
    const history = bodies[0].files['wandb-history.jsonl'];
    expect(history.offset).toBe(0);
    expect(history.content).toEqual([
      '{"loss":0.5,"_timestamp":1700000001.5,"_runtime":1.5,"_step":0}',
      '{"loss":0.25,"nested":{"a":1},"bad":NaN,"big":Infinity,"neg":-Infinity,"_timestamp":1700000002.5,"_runtime":2.5,"_step":1}',
    ]);
    expect(bodies[1].files['wandb-history.jsonl']).toEqual({ offset: 2, content: ['{"loss":1.0,"_timestamp":1700000003.0,"_runtime":3.0,"_step":2}'] });
    // summary: one line at offset 0, rewritten, last values of logged keys.
    expect(bodies[0].files['wandb-summary.json'].offset).toBe(0);
    expect(bodies[1].files['wandb-summary.json']).toEqual({ offset: 0, content: ['{"loss":1.0,"nested":{"a":1},"bad":NaN,"big":Infinity,"neg":-Infinity,"_step":2,"_runtime":3.0,"_timestamp":1700000003.0,"_wandb":{"runtime":3}}'] });
    // final request: complete + exitcode (0 present), after every other piece of data, no files.
    expect(bodies[2]).toEqual({ uploaded: ['wandb-summary.json', 'config.yaml'], complete: true, exitcode: 0 });
    expect(fake.sequence().at(-1)).toBe('file_stream');
    // no empty or false top-level keys
    for (const b of bodies.slice(0, 2)) expect(Object.keys(b)).toEqual(['files']);
  });

  it('merges run.summary updates into the summary line and uploads it as wandb-summary.json', async () => {
    const run = await client().init({ id: 'abc12345' });
    await run.log({ a: 1 });
    run.summary.set('b', 2);
    run.summary.update({ a: 3 });
    await run.finish(1);
    const bodies = fake.fileStreams().map((r) => r.json);
    const line = bodies[0].files['wandb-summary.json'].content[0];
    expect(line).toBe('{"a":3,"b":2,"_step":0,"_runtime":0.0,"_timestamp":1700000000.0,"_wandb":{"runtime":0}}');
    const summaryPut = fake.puts().find((p) => p.path === '/run/wandb-summary.json')!;
    expect(summaryPut.text).toBe(line);
    expect(bodies.at(-1)).toMatchObject({ complete: true, exitcode: 1 });
  });

  it('uploads config.yaml as YAML of {key: {value: v}} with wandb_version: 1', async () => {
    const run = await client().init({ id: 'abc12345', config: { alpha: 0.5, layers: [1, 2], name: 'net', flag: true, on: 'yes' } });
    await run.finish();
    const yaml = fake.puts().find((p) => p.path === '/run/config.yaml')!.text;
    expect(yaml).toBe([
      'wandb_version: 1', '',
      '_wandb:', '  value:', '    cli_version: 0.28.3.dev1',
      'alpha:', '  value: 0.5',
      'flag:', '  value: true',
      'layers:', '  value:', '  - 1', '  - 2',
      'name:', '  value: net',
      '"on":', '  value: "yes"', '',
    ].join('\n'));
  });

  it('skips a run file whose uploadUrl is null and does not report it', async () => {
    fake.answer('CreateRunFiles', (req) => ({ createRunFiles: { runID: 'r', uploadHeaders: [], files: [{ name: 'wandb-summary.json', uploadUrl: null }, { name: 'config.yaml', uploadUrl: 'http://storage.test/run/config.yaml' }] } }));
    const run = await client().init({ id: 'abc12345' });
    await run.finish();
    expect(fake.puts().map((p) => p.path)).toEqual(['/run/config.yaml']);
    expect(fake.fileStreams().at(-1)!.json.uploaded).toEqual(['config.yaml']);
  });

  it('sends a final UpsertBucket when the config changed after init', async () => {
    const run = await client().init({ id: 'abc12345', config: { a: 1 } });
    run.config.update({ b: 2 });
    await run.finish();
    const upserts = fake.graphql('UpsertBucket');
    expect(upserts).toHaveLength(2);
    expect(JSON.parse(upserts[1]!.variables!.config)).toEqual({ a: { value: 1 }, b: { value: 2 }, _wandb: { value: { cli_version: '0.28.3.dev1' } } });
    expect(upserts[1]!.variables!).toMatchObject({ name: 'abc12345', project: 'proj', entity: 'ent', jobType: null });
  });

  it('gzips file_stream bodies when the server advertises FILESTREAM_GZIP', async () => {
    fake.answer('ServerFeaturesQuery', () => ({ serverInfo: { features: [{ name: 'FILESTREAM_GZIP', isEnabled: true }] } }));
    const run = await client().init({ id: 'abc12345' });
    await run.log({ a: 1 });
    await run.finish();
    expect(fake.fileStreams()[0]!.headers['content-encoding']).toBe('gzip');
    expect(fake.fileStreams()[0]!.json.files['wandb-history.jsonl'].content).toHaveLength(1);
  });

  it('refuses calls on a finished run with the SDK\'s UsageError', async () => {
    const run = await client().init({ id: 'abc12345' });
    await run.finish();
    await expect(run.log({ a: 1 })).rejects.toMatchObject({ code: 'WANDB_RUN_FINISHED', python: { type: 'UsageError', message: expect.stringMatching(/^Run \(abc12345\) is finished\. The call to `log` will be ignored/) } });
  });

  it('one-shot init() works with explicit settings', async () => {
    const run = await init({ settings: { baseUrl: BASE, apiKey: API_KEY, entity: 'ent', project: 'proj' }, env: {}, id: 'abc12345', clock: new ManualClock() });
    expect(run.id).toBe('abc12345');
    await run.finish();
    expect(fake.sequence()).toEqual(['ServerFeaturesQuery', 'UpsertBucket', 'file_stream', 'CreateRunFiles', 'PUT /run/wandb-summary.json', 'PUT /run/config.yaml', 'file_stream']);
  });

  it('answers a GraphQL error on UpsertBucket by failing init', async () => {
    fake.answer('UpsertBucket', () => HttpResponse.json({ errors: [{ message: 'nope' }] }));
    await expect(client().init({ id: 'abc12345' })).rejects.toMatchObject({ code: 'WANDB_GRAPHQL', operation: 'UpsertBucket' });
  });
});
