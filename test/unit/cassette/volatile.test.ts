// One test per entry of the table of what replay normalises (harness/cassette/volatile.ts, printed in docs/guides/record-replay.md):
// the wandb 0.18.7 capture is recorded into a cassette, a copy of it is changed in that one respect only, and
// the copy is played against the replay through HTTP-shaped requests (Player.handle) as the SDK would send it:
// nothing misses. A second group changes a logged fact instead, and the miss names it with both values.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MockBackend } from '../../../src/index.ts';
import { loadCapture, Player, playCapture, recordInProcess, VOLATILE_TABLE, type Cassette, type CaptureRecord, type PlayerOptions } from '../../../harness/cassette/index.ts';

const CAPTURE = new URL('../../fixtures/captures/wandb-0.18.7-sdk-session.jsonl', import.meta.url).pathname;
const BASE = 'http://replay.invalid';
const capture = loadCapture(CAPTURE);
const copy = (): CaptureRecord[] => structuredClone(capture);
const vars = (r: CaptureRecord) => (r.json as { variables: Record<string, any> }).variables;
const ops = (rs: CaptureRecord[], op: string) => rs.filter((r) => r.op === op);
const streams = (rs: CaptureRecord[]) => rs.filter((r) => r.kind === 'file_stream');
const md5 = (s: string) => createHash('md5').update(s).digest('base64');

async function cassetteOf(records: CaptureRecord[]): Promise<Cassette> {
  const rec = recordInProcess(new MockBackend());
  const played = await playCapture(records, rec.baseUrl, (r) => rec.fetch(r));
  expect(played.filter((p) => p.problem)).toEqual([]);
  return rec.cassette();
}
const recordedA = cassetteOf(capture);

/** Plays `records` against a replay of `cassette`; the answers to UpsertBucket are kept for inspection. */
async function replay(records: CaptureRecord[], cassette?: Cassette, options: PlayerOptions = {}) {
  const player = new Player(cassette ?? (await recordedA), options);
  const answers: any[] = [];
  const played = await playCapture(records, BASE, async (r) => {
    const isUpsert = r.method === 'POST' && (await r.clone().text()).includes('mutation UpsertBucket');
    const res = await player.handle(r);
    if (isUpsert) answers.push(await res.clone().json());
    return res;
  });
  return { player, problems: played.filter((p) => p.problem), answers };
}

async function expectReplayed(records: CaptureRecord[], cassette?: Cassette) {
  const r = await replay(records, cassette);
  expect(r.player.misses.map((m) => m.message)).toEqual([]);
  expect(r.problems).toEqual([]);
  return r;
}

/** The capture with data.txt holding other bytes, and every digest that follows from them (reference §5.3). */
function retrained(rs: CaptureRecord[], bytes = 'hello world, retrained\n'): CaptureRecord[] {
  const put = rs.find((r) => r.method === 'PUT' && r.path.endsWith('/data.txt'))!;
  const [old, now] = [put.md5_b64!, md5(bytes)];
  put.text = bytes;
  put.md5_b64 = now;
  for (const f of vars(ops(rs, 'CreateArtifactFiles')[0]!).artifactFiles) f.md5 = now;
  const manifest = rs.find((r) => r.method === 'PUT' && (r.json as any)?.contents)!;
  (manifest.json as any).contents['data.txt'].digest = now;
  vars(ops(rs, 'CreateArtifact')[0]!).digest = createHash('md5').update(`wandb-artifact-manifest-v1\ndata.txt:${now}\n`).digest('hex');
  expect(old).not.toBe(now);
  return rs;
}

const tested = new Set<string>();
const entry = (id: string, name: string, fn: () => Promise<void>) => {
  tested.add(id);
  expect(VOLATILE_TABLE.some((e) => e.id === id), `volatile table has "${id}"`).toBe(true);
  it(`${id}: ${name}`, fn);
};

describe('what replay normalises (one test per table entry)', () => {
  entry('run-id', 'another run id everywhere; the answers carry it, so the SDK keeps its own', async () => {
    const rs = JSON.parse(JSON.stringify(copy()).split('c8ckosko').join('zz9new00')) as CaptureRecord[];
    const { answers, player } = await expectReplayed(rs);
    expect(answers.map((a) => a.data.upsertBucket.bucket.name)).toEqual(['zz9new00', 'zz9new00']);
    // The recorded upload URLs lead the live PUTs back to their recorded interactions.
    const res = await player.handle(new Request(`${BASE}/graphql`, { method: 'POST', body: JSON.stringify(ops(rs, 'CreateRunFiles')[0]!.json) }));
    expect(((await res.json()) as any).data.createRunFiles.files[0].uploadUrl).toBe(`${BASE}/storage/run/e/p/zz9new00/wandb-metadata.json`);
  });

  entry('storage-id', 'another storage id sent back on the second upsert', async () => {
    const base = copy();
    vars(ops(base, 'UpsertBucket')[1]!).id = 'UnVuOnYxOjE=';
    const live = copy();
    vars(ops(live, 'UpsertBucket')[1]!).id = 'UnVuOnYxOjc3';
    await expectReplayed(live, await cassetteOf(base));
  });

  entry('client-ids', 'other artifact client ids', async () => {
    const rs = copy();
    Object.assign(vars(ops(rs, 'CreateArtifact')[0]!), { clientID: 'q'.repeat(128), sequenceClientID: 'r'.repeat(128) });
    const { player } = await expectReplayed(rs);
    expect(player.identities.toLive(vars(ops(capture, 'CreateArtifact')[0]!).clientID)).toBe('q'.repeat(128));
  });

  entry('history-step', 'another historyStep', async () => {
    const rs = copy();
    vars(ops(rs, 'CreateArtifact')[0]!).historyStep = 7;
    await expectReplayed(rs);
  });

  entry('paths', 'another checkout folder in program and the metadata file', async () => {
    const rs = JSON.parse(JSON.stringify(copy()).split('/home/user/project/').join('/srv/ci/job-42/')) as CaptureRecord[];
    expect(vars(ops(rs, 'UpsertBucket')[0]!).program).toBe('/srv/ci/job-42/run_sdk/../sdk_test.py');
    await expectReplayed(rs);
  });

  entry('host', 'another host', async () => {
    const rs = copy();
    vars(ops(rs, 'UpsertBucket')[0]!).host = 'ci-runner-3';
    await expectReplayed(rs);
  });

  entry('git', 'another commit and repo URL', async () => {
    const base = copy();
    Object.assign(vars(ops(base, 'UpsertBucket')[0]!), { commit: 'a'.repeat(40), repo: 'https://github.com/o/r.git' });
    const live = copy();
    Object.assign(vars(ops(live, 'UpsertBucket')[0]!), { commit: 'b'.repeat(40), repo: 'git@github.com:o/r.git' });
    await expectReplayed(live, await cassetteOf(base));
  });

  entry('wandb-config', 'other python/cli versions and telemetry in config._wandb', async () => {
    const rs = JSON.parse(JSON.stringify(copy()).split('3.11.2').join('3.12.1').split('0.18.7').join('0.18.9').split('[2, 23, 62]').join('[2, 23]')) as CaptureRecord[];
    await expectReplayed(rs);
  });

  entry('timestamps', 'a day later, other runtimes', async () => {
    const rs = copy();
    for (const r of streams(rs)) {
      for (const f of Object.values((r.json as any).files ?? {}) as any[]) {
        f.content = f.content.map((l: string) => l.replace(/"_timestamp": [\d.]+/, '"_timestamp": 1795862099.5').replace(/"_runtime": [\d.]+/, '"_runtime": 3.25'));
      }
    }
    vars(ops(rs, 'UpsertBucket')[0]!).config = vars(ops(rs, 'UpsertBucket')[0]!).config.replace('1795775622', '1795862022');
    await expectReplayed(rs);
  });

  entry('offsets', 'other batching: rows sent separately from another offset, an extra heartbeat', async () => {
    const rs = copy();
    const first = streams(rs)[0]!;
    const files = (first.json as any).files;
    const history = { ...first, json: { files: { 'wandb-history.jsonl': { ...files['wandb-history.jsonl'], offset: 5 } }, dropped: 0 } };
    const summary = { ...first, json: { files: { 'wandb-summary.json': files['wandb-summary.json'] }, dropped: 0 } };
    const heartbeat = { ...first, json: {} };
    rs.splice(rs.indexOf(first), 1, history, heartbeat, summary);
    await expectReplayed(rs);
  });

  entry('run-file-batches', 'the three run files of the finish asked for in one CreateRunFiles', async () => {
    const rs = copy();
    const [, summary, requirements, config] = ops(rs, 'CreateRunFiles');
    vars(summary!).files = ['config.yaml', 'wandb-summary.json', 'requirements.txt'];
    rs.splice(rs.indexOf(requirements!), 1);
    rs.splice(rs.indexOf(config!), 1);
    const { player } = await expectReplayed(rs);
    const res = await player.handle(new Request(`${BASE}/graphql`, { method: 'POST', body: JSON.stringify(summary!.json) }));
    expect(((await res.json()) as any).data.createRunFiles.files).toEqual(['config.yaml', 'wandb-summary.json', 'requirements.txt'].map((f) => ({ name: f, uploadUrl: `${BASE}/storage/run/e/p/c8ckosko/${f}` })));
  });

  entry('system-metrics', 'other system metrics', async () => {
    const rs = copy();
    (streams(rs)[0]!.json as any).files['wandb-events.jsonl'].content = ['{"system.cpu": 55.5, "system.memory": 12.0, "_wandb": true, "_timestamp": 1, "_runtime": 2}'];
    await expectReplayed(rs);
  });

  entry('console', 'console output', async () => {
    const rs = copy();
    (streams(rs)[0]!.json as any).files['output.log'] = { offset: 0, content: ['2026-11-28T10:00:00.123456 training from /srv/ci/job-42'] };
    await expectReplayed(rs);
  });

  entry('run-files', 'other run file bodies: metadata, requirements, config.yaml, summary file', async () => {
    const rs = copy();
    const put = (name: string) => rs.find((r) => r.method === 'PUT' && r.path.endsWith(`/${name}`))!;
    Object.assign(put('wandb-metadata.json').json as object, { python: '3.12.1', cpu_count: 64, username: 'ci' });
    put('requirements.txt').text = 'numpy==2.0.0\n';
    put('config.yaml').text = 'wandb_version: 1\n';
    (put('wandb-summary.json').json as any)._runtime = 9.5;
    await expectReplayed(rs);
  });

  entry('set-order', 'aliases in another order', async () => {
    const base = copy();
    vars(ops(base, 'CreateArtifact')[0]!).aliases = [{ artifactCollectionName: 'x', alias: 'latest' }, { artifactCollectionName: 'x', alias: 'best' }];
    const live = copy();
    vars(ops(live, 'CreateArtifact')[0]!).aliases = [{ artifactCollectionName: 'x', alias: 'best' }, { artifactCollectionName: 'x', alias: 'latest' }];
    await expectReplayed(live, await cassetteOf(base));
  });

  entry('content', 'other artifact bytes: listed, not fatal; a miss with strictContent', async () => {
    const { player } = await expectReplayed(retrained(copy()));
    expect(player.contentDifferences.map((d) => d.label)).toEqual([
      'CreateArtifact x (dataset)', 'CreateArtifactFiles', expect.stringMatching(/^PUT \/storage\/artifacts\/.*\/data\.txt$/), 'CreateArtifactManifest wandb_manifest.json', expect.stringMatching(/^PUT \/storage\/manifest\//),
    ]);
    expect(player.contentDifferences[1]!.differences).toEqual([`artifactFiles["data.txt"].md5: got "${md5('hello world, retrained\n')}", recorded "${md5('hello world\n')}"`]);
    const strict = await replay(retrained(copy()), undefined, { strictContent: true });
    expect(strict.player.misses[0]!.message).toMatch(/^replay: no recorded interaction matches POST \/graphql CreateArtifact .*\(digest: got "[0-9a-f]{32}", recorded "5bf1bede20e96d678dab687d9ce4f009"\)/);
  });

  entry('query-text', 'the same operations printed differently', async () => {
    const rs = copy();
    for (const r of rs) if (r.op) (r.json as any).query = (r.json as any).query.replace(/\s+/g, ' ');
    await expectReplayed(rs);
  });

  entry('headers', 'another user agent and user', async () => {
    const player = new Player(await recordedA);
    const res = await player.handle(new Request(`${BASE}/graphql`, { method: 'POST', headers: { 'user-agent': 'W&B Internal Client 0.19.0', 'x-wandb-username': 'ci' }, body: JSON.stringify(capture[1]!.json) }));
    expect(res.status).toBe(200);
    expect(player.misses).toEqual([]);
  });

  entry('repeats', 'probes and Viewer sent more often', async () => {
    const rs = copy();
    rs.splice(1, 0, capture[0]!, capture[1]!, capture[1]!);
    await expectReplayed(rs);
  });

  it('every table entry has its test here, and its row in the record-and-replay guide', () => {
    expect(VOLATILE_TABLE.map((e) => e.id).filter((id) => !tested.has(id))).toEqual([]);
    const readme = readFileSync(new URL('../../../docs/guides/record-replay.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Replay a real session in CI'));
    for (const e of VOLATILE_TABLE) expect(section).toContain(`| ${e.what} | ${e.where} | ${e.how} | ${e.why} |`);
  });
});

describe('what replay still compares: a changed fact misses, naming the field and both values', () => {
  const firstMiss = async (rs: CaptureRecord[]) => {
    const { player } = await replay(rs);
    expect(player.misses.length).toBeGreaterThan(0);
    return player.misses[0]!.message;
  };

  it('a config value', async () => {
    const rs = copy();
    vars(ops(rs, 'UpsertBucket')[0]!).config = JSON.stringify({ ...JSON.parse(vars(ops(rs, 'UpsertBucket')[0]!).config), lr: { desc: null, value: 0.1 } });
    expect(await firstMiss(rs)).toMatch(/UpsertBucket .*config\.<json>\.lr\.value: got 0\.1, not recorded/);
  });

  it('the project', async () => {
    const rs = copy();
    vars(ops(rs, 'UpsertBucket')[0]!).project = 'q';
    expect(await firstMiss(rs)).toContain('project: got "q", recorded "p"');
  });

  it('a history value, and a history row the recording lacks', async () => {
    const rs = copy();
    const f = (streams(rs)[0]!.json as any).files['wandb-history.jsonl'];
    f.content = [f.content[0].replace('"a": 1', '"a": 1.5'), f.content[0].replace('"_step": 0', '"_step": 1')];
    expect(await firstMiss(rs)).toContain('wandb-history.jsonl[0].a: got 1.5, recorded 1');
    const extra = copy();
    const g = (streams(extra)[0]!.json as any).files['wandb-history.jsonl'];
    g.content = [g.content[0], g.content[0].replace('"_step": 0', '"_step": 1')];
    expect(await firstMiss(extra)).toMatch(/wandb-history\.jsonl\[1\]: got .*"_step":1.*, not recorded \(the recording has 1 row\(s\)\)/);
  });

  it('the final summary and the exit code', async () => {
    const rs = copy();
    const f = (streams(rs)[0]!.json as any).files['wandb-summary.json'];
    f.content = [f.content[0].replace('"b": 2', '"b": 3')];
    (streams(rs)[2]!.json as any).exitcode = 1;
    const miss = await firstMiss(rs);
    expect(miss).toContain('wandb-summary.json.b: got 3, recorded 2');
    expect(miss).toContain('exitcode: got 1, recorded 0');
  });

  it('the artifact type and a file name', async () => {
    const rs = copy();
    vars(ops(rs, 'CreateArtifact')[0]!).artifactTypeName = 'model';
    expect(await firstMiss(rs)).toContain('artifactTypeName: got "model", recorded "dataset"');
    const other = copy();
    vars(ops(other, 'CreateArtifactFiles')[0]!).artifactFiles[0].name = 'other.txt';
    expect(await firstMiss(other)).toMatch(/CreateArtifactFiles .*artifactFiles\[0\]\.name: got "other\.txt", recorded "data\.txt"/);
  });
});
