// Each Public API call of issue 18, as wandb 0.18.7's wandb.Api() makes it: the SDK's own documents (the
// conformance corpus), variables filled and answers parsed as its Python code does (test/helpers/public-api.ts),
// over a real socket to the backend — and every answer checked field by field against /_harness/log.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockBackend, startHttpTransport, type LogModel } from '../../src/index.ts';
import { runScenario, toRunnable } from '../../harness/runner/index.ts';
import { loadScenarioPaths } from '../../harness/scenario/index.ts';
import { PublicApi, asLogged, userKeys, type ApiRun } from '../helpers/public-api.ts';

const SCENARIOS = new URL('../../scenarios/', import.meta.url).pathname;
const scenario = (path: string) => loadScenarioPaths([SCENARIOS + path]).scenarios.map(toRunnable);

let backend: MockBackend;
let close: () => Promise<void>;
let api: PublicApi;
let log: LogModel;
let runs: ApiRun[];

beforeAll(async () => {
  backend = new MockBackend();
  const t = await startHttpTransport(backend, { port: 0 });
  close = () => t.close();
  // The docs' "Flow" (start logs raw_df and model_file, transform reads raw_df), a foreach with history, and
  // a flow that writes two versions of one artifact.
  for (const s of [...scenario('docs/flow.yaml'), ...scenario('graphs/foreach.yaml'), ...scenario('lineage/read-then-write.yaml')]) await runScenario(s, { baseUrl: t.url });
  api = new PublicApi((r) => fetch(r), t.url);
  log = JSON.parse(await (await fetch(`${t.url}/_harness/log`)).text());
  const projects = [...new Set(log.runs.map((r) => `${r.entity}/${r.project}`))];
  expect(projects.length).toBeGreaterThanOrEqual(2);
  runs = [];
  for (const path of projects) runs.push(...(await api.runs(path.split('/')[0]!, path.split('/')[1]!)).runs);
}, 120_000);

afterAll(async () => {
  await close();
});

const logRun = (id: string) => log.runs.find((r) => r.id === id)!;
/** An artifact's entity/project: its creator's. */
const homeOf = (a: LogModel['artifacts'][number]) => log.runs.find((r) => r.ref === a.created_by)!;

describe('wandb.Api() against the backend, checked against the log', () => {
  it('Api(): Viewer answers the entity runs default to, and ServerInfo the max_cli_version the API compares', async () => {
    expect(await api.defaultEntity()).toBe('tracked-flows');
    const viewer = await api.viewer();
    expect(viewer).toMatchObject({ entity: 'tracked-flows', username: 'tracked-flows', apiKeys: { edges: [] }, teams: { edges: [] } });
    const info = await api.gql('ServerInfo');
    expect(info.serverInfo.cliVersionInfo.max_cli_version).toBe('0.18.7');
  });

  it('api.runs("e/p", filters={"group": ...}): every run of the group, with config, summary and state as logged', async () => {
    const group = logRun(runs[0]!.id).group!;
    const { runs: listed, runCount } = await api.runs('e', 'p', { filters: { group } });
    const expected = log.runs.filter((r) => r.entity === 'e' && r.project === 'p' && r.group === group);
    expect(runCount).toBe(expected.length);
    expect(listed.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    for (const run of listed) {
      const want = logRun(run.id);
      expect({ group: run.group, jobType: run.jobType, state: run.state, config: run.config, summary: userKeys(run.summary) }).toEqual({
        group: want.group, jobType: want.job_type, state: want.state, config: want.config, summary: want.summary,
      });
    }
  });

  it('run.config, run.summary (the Run document), and times in the format W&B writes', async () => {
    for (const want of log.runs) {
      const run = await api.run(want.entity, want.project, want.id);
      expect(run.config).toEqual(want.config);
      expect(userKeys(run.summary)).toEqual(want.summary);
      expect(run.state).toBe(want.state);
      // The in-process backend's fixed clock: 1970; serve answers real times (serve-public-api.test.ts).
      expect(run.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      expect(run.heartbeatAt! >= run.createdAt!).toBe(true);
    }
  });

  it('run.history() and run.history(keys=[...]) give the history rows as logged', async () => {
    for (const want of log.runs) {
      const run = runs.find((r) => r.id === want.id)!;
      const rows = await api.history(run);
      expect(rows.map(userKeys)).toEqual(want.history);
      expect(rows.map((r) => r._step)).toEqual(want.history.map((_r, i) => i));
      const keys = [...new Set(want.history.flatMap((r) => Object.keys(r)))];
      if (keys.length === 0) continue;
      const sampled = await api.sampledHistory(run, [keys[0]!]);
      expect(sampled).toEqual(want.history.filter((r) => keys[0]! in r).map((r, i) => ({ _step: i, [keys[0]!]: r[keys[0]!] })));
    }
  });

  it('run.scan_history() walks HistoryPage pages up to lastStep; scan_history(keys) walks SampledHistoryPage', async () => {
    const withHistory = log.runs.filter((r) => r.history.length > 0);
    expect(withHistory.length).toBeGreaterThan(0);
    for (const want of withHistory) {
      const run = runs.find((r) => r.id === want.id)!;
      expect(await api.lastHistoryStep(run)).toBe(want.history.length - 1);
      const all = await api.scanHistory(run, { pageSize: 1 });
      expect(all.pages).toBe(want.history.length);
      expect(all.rows.map(userKeys)).toEqual(want.history);
      const key = Object.keys(want.history[0]!)[0]!;
      const some = await api.scanHistory(run, { keys: [key], pageSize: 1000 });
      expect(some.rows).toEqual(want.history.filter((r) => key in r).map((r) => ({ [key]: r[key] })));
    }
    const quiet = runs.find((r) => logRun(r.id).history.length === 0)!;
    expect((await api.scanHistory(quiet)).rows).toEqual([]);
  });

  it('run.files(): the run files the client uploaded, each downloadable, the summary file equal to the logged summary', async () => {
    const run = runs[0]!;
    const { files, fileCount } = await api.files(run, 1);
    expect(files.map((f) => f.name)).toEqual(['config.yaml', 'wandb-summary.json']);
    expect(fileCount).toBe(2);
    for (const f of files) {
      const bytes = await api.get(f.url);
      expect(bytes.byteLength).toBe(f.sizeBytes);
      expect(Buffer.from(md5(bytes)).toString('base64')).toBe(f.md5);
    }
    const summary = JSON.parse(Buffer.from(await api.get(files[1]!.directUrl)).toString('utf8'));
    expect(userKeys(summary)).toEqual(logRun(run.id).summary);
  });

  it('run.logged_artifacts() / run.used_artifacts(): the versions the log lists, with aliases, type and manifest', async () => {
    for (const want of log.runs) {
      const run = runs.find((r) => r.id === want.id)!;
      const logged = await api.runArtifacts(run, 'logged', 1);
      expect(logged.map((a) => a.sourceName)).toEqual(want.logged_artifacts);
      const used = await api.runArtifacts(run, 'used');
      expect(used.map((a) => a.sourceName)).toEqual(want.used_artifacts);
      for (const art of [...logged, ...used]) {
        const wantArt = log.artifacts.find((a) => `${a.name}:${a.version}` === art.sourceName)!;
        expect(art.type).toBe(wantArt.type);
        expect([...art.aliases, art.version].sort()).toEqual(wantArt.aliases);
        expect(asLogged(Object.entries(art.manifest.contents).map(([path, e]) => ({ path, size: e.size, md5: e.digest, extra: e.extra ?? {} })), wantArt.files)).toEqual(wantArt.files);
      }
    }
  });

  it('api.artifact("e/p/raw_df:latest").download(), .files(), .logged_by(), .used_by()', async () => {
    for (const want of log.artifacts.filter((a) => a.aliases.includes('latest'))) {
      const art = await api.artifact(homeOf(want).entity, homeOf(want).project, `${want.name}:latest`);
      expect({ version: art.version, type: art.type, aliases: art.aliases }).toEqual({ version: want.version, type: want.type, aliases: want.aliases.filter((a) => a !== want.version) });
      const files = await api.artifactFiles(art, 1);
      expect(asLogged(files.map((f) => ({ path: f.name, size: f.sizeBytes, md5: f.md5 })), want.files)).toEqual(want.files);
      const bytes = await api.download(art);
      expect([...bytes.keys()]).toEqual(want.files.map((f) => f.path));
      for (const f of files) expect(Buffer.from(md5(bytes.get(f.name)!)).toString('base64')).toBe(f.md5);
      const refOf = (path: string | null) => (path === null ? null : log.runs.find((r) => `${r.entity}/${r.project}/${r.id}` === path)!.ref);
      expect(refOf(await api.loggedBy(art))).toBe(want.created_by);
      expect((await api.usedBy(art)).map(refOf)).toEqual(want.used_by);
    }
  });

  it('api.artifact(...) by "name:vN" and a missing name answer as W&B does', async () => {
    const art = await api.artifact('e', 'p', 'raw_df:v0');
    expect(art.sourceName).toBe('raw_df:v0');
    await expect(api.artifact('e', 'p', 'nope:latest')).rejects.toThrow("artifact 'nope:latest' not found in 'e/p'");
    await expect(api.artifact('e', 'nope', 'raw_df:latest')).rejects.toThrow("project 'nope' not found under entity 'e'");
  });

  it('api.artifact_collection(type, name) (ArtifactCollection) and Artifact._from_id (ArtifactByID)', async () => {
    for (const name of [...new Set(log.artifacts.map((a) => a.name))]) {
      const versions = log.artifacts.filter((a) => a.name === name);
      const { entity, project } = homeOf(versions[0]!);
      const vars = { entityName: entity, projectName: project, artifactTypeName: versions[0]!.type, artifactCollectionName: name };
      const data = await api.gql('ArtifactCollection', vars);
      expect(data.project.artifactType.artifactSequence.__typename).toBe('ArtifactSequence');
      const coll = data.project.artifactType.artifactCollection;
      expect(coll.name).toBe(name);
      const named = versions.flatMap((v) => v.aliases.filter((a) => !/^v\d+$/.test(a)));
      expect(coll.aliases.edges.map((e: { node: { alias: string } }) => e.node.alias).sort()).toEqual([...new Set(named)].sort());
      const wrongType = await api.gql('ArtifactCollection', { ...vars, artifactTypeName: 'no-such-type' });
      expect(wrongType.project.artifactType).toBeNull();
      const latest = await api.artifact(entity, project, `${name}:${versions.at(-1)!.version}`);
      const byId = (await api.gql('ArtifactByID', { id: latest.id })).artifact;
      expect([`${byId.artifactSequence.name}:v${byId.versionIndex}`, byId.artifactType.name]).toEqual([`${name}:${versions.at(-1)!.version}`, versions[0]!.type]);
    }
    expect((await api.gql('ArtifactByID', { id: 'QXJ0aWZhY3Q6djE6OTk5OTk=' })).artifact).toBeNull();
  });

  it('api.artifact_versions(type, name) / collection.versions(): every committed version, newest first', async () => {
    for (const want of log.artifacts) {
      const { versions, totalCount } = await api.artifactVersions(homeOf(want).entity, homeOf(want).project, want.type, want.name, 1);
      const all = log.artifacts.filter((a) => a.name === want.name);
      expect(totalCount).toBe(all.length);
      expect(versions.map((v) => v.sourceName)).toEqual(all.map((a) => `${a.name}:${a.version}`).reverse());
    }
  });
});

function md5(bytes: Uint8Array): Uint8Array {
  return createHash('md5').update(bytes).digest();
}
