// The newest release's Public API (wandb 0.28.2): its documents (pydantic-generated artifact queries, the lazy
// Runs listing, wandb-core's history reader) sent with the variables its code fills, each answer checked against
// /_harness/log. And every document of the public-api corpus (0.18.7 and 0.28.2) validates against the schema.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockBackend, startHttpTransport, type LogModel } from '../../src/index.ts';
import { runScenario, toRunnable } from '../../harness/runner/index.ts';
import { loadScenarioPaths } from '../../harness/scenario/index.ts';
import { PublicApi, asLogged, userKeys } from '../helpers/public-api.ts';

const SCENARIOS = new URL('../../scenarios/', import.meta.url).pathname;
const CORPUS = new URL('../fixtures/graphql/public-api/', import.meta.url);
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('base64');

let close: () => Promise<void>;
let api: PublicApi;
let log: LogModel;
const E = 'e';
const P = 'p';

beforeAll(async () => {
  const backend = new MockBackend();
  const t = await startHttpTransport(backend, { port: 0 });
  close = () => t.close();
  for (const file of ['docs/flow.yaml', 'lineage/read-then-write.yaml']) {
    for (const s of loadScenarioPaths([SCENARIOS + file]).scenarios.map(toRunnable)) await runScenario(s, { baseUrl: t.url });
  }
  api = new PublicApi((r) => fetch(r), t.url, undefined, '0.28.2');
  log = JSON.parse(await (await fetch(`${t.url}/_harness/log`)).text());
}, 120_000);

afterAll(async () => {
  await close();
});

const runsOf = (entity: string, project: string) => log.runs.filter((r) => r.entity === entity && r.project === project);
const home = (a: LogModel['artifacts'][number]) => log.runs.find((r) => r.ref === a.created_by)!;

describe('wandb 0.28.2 documents against the log', () => {
  it('GetViewer / GetDefaultEntity: the default entity', async () => {
    expect((await api.gql('GetDefaultEntity')).viewer.entity).toBe('tracked-flows');
    expect((await api.gql('Viewer')).viewer).toMatchObject({ entity: 'tracked-flows', username: 'tracked-flows', deletedAt: null, apiKeys: { edges: [] } });
  });

  it('Runs (lazy, the default) then Run (full fragment): names, int projectId, config and summary as logged', async () => {
    const data = await api.gql('Runs', { project: P, entity: E, order: '+created_at', filters: '{}', perPage: 2, cursor: null });
    const want = runsOf(E, P);
    expect(data.project.runCount).toBe(want.length);
    expect(data.project.runs.edges.map((e: any) => e.node.name)).toEqual(want.slice(0, 2).map((r) => r.id));
    for (const e of data.project.runs.edges) expect(String(parseInt(e.node.projectId, 10))).toBe(String(e.node.projectId));
    expect(data.project.runs.pageInfo.hasNextPage).toBe(want.length > 2);
    const full = await api.gql('Runs.full', { project: P, entity: E, order: '+created_at', filters: '{}', perPage: 50 });
    for (const [i, e] of full.project.runs.edges.entries()) {
      expect(userKeys(JSON.parse(e.node.summaryMetrics))).toEqual(want[i]!.summary);
      expect([e.node.group, e.node.jobType, e.node.state]).toEqual([want[i]!.group, want[i]!.job_type, want[i]!.state]);
    }
    for (const w of want) {
      const run = (await api.gql('Run', { project: P, entity: E, name: w.id })).project.run;
      const config = Object.fromEntries(Object.entries(JSON.parse(run.config)).filter(([k]) => k !== '_wandb').map(([k, v]: [string, any]) => [k, v.value]));
      expect(config).toEqual(w.config);
      expect((await api.gql('Run.lightweight', { project: P, entity: E, name: w.id })).project.run.name).toBe(w.id);
    }
  });

  it("scan_history through wandb-core's reader: RunParquetHistory (all live), then HistoryPage / SampledHistoryPage", async () => {
    const withHistory = log.runs.filter((r) => r.history.length > 0);
    expect(withHistory.length).toBeGreaterThan(0);
    for (const w of withHistory) {
      const vars = { entity: w.entity, project: w.project };
      const parquet = (await api.gql('RunParquetHistory', { ...vars, runName: w.id, liveKeys: ['_step'] })).project.run.parquetHistory;
      expect(parquet.parquetUrls).toEqual([]);
      const steps = parquet.liveData.map((d: { _step: number }) => d._step);
      expect(steps).toEqual(w.history.map((_r, i) => i));
      const [min, max] = [Math.min(...steps), Math.max(...steps) + 1];
      const page = (await api.gql('HistoryPage', { ...vars, run: w.id, minStep: min, maxStep: max, pageSize: max - min })).project.run.history;
      expect(page.map((l: string) => userKeys(JSON.parse(l)))).toEqual(w.history);
      const key = Object.keys(w.history[0]!)[0]!;
      const spec = JSON.stringify({ keys: [key, '_step'], minStep: min, samples: max - min, maxStep: max - 1 });
      const sampled = (await api.gql('SampledHistoryPage', { ...vars, run: w.id, spec })).project.run.sampledHistory;
      expect(sampled[0].map((r: Record<string, unknown>) => r[key])).toEqual(w.history.filter((r) => key in r).map((r) => r[key]));
    }
  });

  it('RunFiles with pattern: the matching run files', async () => {
    const w = runsOf(E, P)[0]!;
    const data = await api.gql('RunFiles', { project: P, entity: E, name: w.id, fileNames: [], upload: false, pattern: '%.json', fileLimit: 50 });
    expect(data.project.run.files.edges.map((e: any) => e.node.name)).toEqual(['wandb-summary.json']);
  });

  it('RunOutputArtifacts / RunInputArtifacts (aliased `artifacts`): the versions the log lists', async () => {
    for (const w of log.runs) {
      for (const [doc, want] of [['RunOutputArtifacts', w.logged_artifacts], ['RunInputArtifacts', w.used_artifacts]] as const) {
        const data = await api.gql(doc, { entity: w.entity, project: w.project, run: w.id, perPage: 100 });
        expect(data.project.run.artifacts.edges.map((e: any) => `${e.node.artifactSequence.name}:v${e.node.versionIndex}`), `${doc} ${w.id}`).toEqual(want);
        expect(data.project.run.artifacts.totalCount).toBe(want.length);
      }
    }
  });

  it('api.artifact(): ArtifactMembershipByName, FetchArtifactManifest, GetArtifactMembershipFileUrls + downloads, ArtifactMembershipFiles', async () => {
    for (const a of log.artifacts) {
      const { entity, project } = home(a);
      const m = (await api.gql('ArtifactMembershipByName', { entity, project, name: `${a.name}:${a.version}` })).project.artifactCollectionMembership;
      // The API serves the digest of the bytes uploaded; the log says null where the plan does not predict them.
      expect([m.versionIndex, m.artifactCollection.name, m.artifact.artifactType.name, a.digest === null ? null : m.artifact.digest]).toEqual([Number(a.version.slice(1)), a.name, a.type, a.digest]);
      expect(m.artifact.digest).toMatch(/^[0-9a-f]{32}$/);
      expect(m.aliases.map((x: any) => x.alias).sort()).toEqual(a.aliases);
      const byId = (await api.gql('ArtifactByID', { id: m.artifact.id })).artifact;
      expect(byId.aliases.map((x: any) => x.alias).sort()).toEqual(a.aliases);
      const manifest = (await api.gql('FetchArtifactManifest', { id: m.artifact.id })).artifact.currentManifest;
      const contents = JSON.parse(Buffer.from(await api.get(manifest.file.directUrl)).toString('utf8')).contents;
      expect(asLogged(Object.entries(contents).map(([path, e]: [string, any]) => ({ path, size: e.size, md5: e.digest, extra: e.extra ?? {} })), a.files)).toEqual(a.files);
      const urls = (await api.gql('GetArtifactMembershipFileUrls', { entity, project, collection: a.name, alias: a.version, perPage: 5000 })).project.artifactCollection.artifactMembership.files;
      const got = [];
      for (const e of urls.edges) {
        const bytes = await api.get(e.node.directUrl);
        got.push({ path: e.node.name, size: bytes.byteLength, md5: md5(bytes) });
      }
      expect(asLogged(got, a.files)).toEqual(a.files);
      const files = (await api.gql('ArtifactMembershipFiles', { entity, project, collection: a.name, alias: a.version, perPage: 50 })).project.artifactCollection.artifactMembership.files;
      expect(asLogged(files.edges.map((e: any) => ({ path: e.node.name, size: e.node.sizeBytes, md5: e.node.md5 })), a.files)).toEqual(a.files);
      expect(files.totalCount).toBe(a.files.length);
    }
  });

  it('logged_by() / used_by(): ArtifactCreatedBy and ArtifactUsedBy name the runs the log names', async () => {
    const refOf = (name: string) => log.runs.find((r) => r.id === name)!.ref;
    for (const a of log.artifacts) {
      const { entity, project } = home(a);
      const id = (await api.gql('ArtifactMembershipByName', { entity, project, name: `${a.name}:${a.version}` })).project.artifactCollectionMembership.artifact.id;
      const creator = (await api.gql('ArtifactCreatedBy', { id })).artifact.createdBy;
      expect([creator.__typename, refOf(creator.name), creator.project.entity.name]).toEqual(['Run', a.created_by, entity]);
      const users = (await api.gql('ArtifactUsedBy', { id })).artifact.usedBy.edges.map((e: any) => refOf(e.node.name));
      expect(users).toEqual(a.used_by);
    }
  });

  it('api.artifacts(type, name) / collection: ProjectArtifacts, ProjectArtifactCollection, ArtifactCollectionAliases', async () => {
    for (const name of [...new Set(log.artifacts.map((a) => a.name))]) {
      const versions = log.artifacts.filter((a) => a.name === name);
      const { entity, project } = home(versions[0]!);
      const type = versions[0]!.type;
      const conn = (await api.gql('ProjectArtifacts', { entity, project, type, collection: name, filters: '{"state": "COMMITTED"}', perPage: 50 })).project.artifactType.artifactCollection.artifacts;
      expect(conn.edges.map((e: any) => e.version)).toEqual(versions.map((v) => v.version).reverse());
      expect(conn.totalCount).toBe(versions.length);
      const coll = (await api.gql('ProjectArtifactCollection', { entity, project, type, name })).project.artifactType.artifactCollection;
      expect([coll.__typename, coll.name, coll.type.name]).toEqual(['ArtifactSequence', name, type]);
      const aliases = (await api.gql('ArtifactCollectionAliases', { id: coll.id })).artifactCollection.aliases.edges.map((e: any) => e.node.alias);
      expect(aliases).toEqual([...new Set(versions.flatMap((v) => v.aliases.filter((x) => !/^v\d+$/.test(x))))].sort());
    }
  });
});

describe('the public-api corpus', () => {
  const docs = ['0.18.7', '0.28.2'].flatMap((v) => readdirSync(new URL(`${v}/`, CORPUS)).map((f) => ({ file: `${v}/${f}`, text: readFileSync(new URL(`${v}/${f}`, CORPUS), 'utf8') })));

  it('every document names its source and commit, and validates against the schema', async () => {
    const backend = new MockBackend();
    const refused: string[] = [];
    for (const d of docs) {
      expect(d.text, d.file).toMatch(/^# source: \S+ @ [0-9a-f]{40}$/m);
      const res = await backend.handle(new Request('http://wandb.test/graphql', { method: 'POST', body: JSON.stringify({ query: d.text, variables: {} }) }));
      const body = (await res.json()) as { errors?: { extensions: { code: string } }[] };
      if ((body.errors ?? []).some((e) => ['GRAPHQL_VALIDATION_FAILED', 'UNSUPPORTED_OPERATION', 'GRAPHQL_PARSE_FAILED'].includes(e.extensions.code))) refused.push(d.file);
    }
    console.log(`public-api corpus: ${docs.length - refused.length} of ${docs.length} documents validate`);
    expect(refused).toEqual([]);
    expect(docs.length).toBeGreaterThanOrEqual(45);
  });
});
