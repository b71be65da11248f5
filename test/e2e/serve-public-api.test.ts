// The contract of issue 18: for the library's scenarios run against a real `tracked-flows serve`, what wandb.Api()
// reads (0.18.7's documents, parsed as its Python code does) agrees with /_harness/log — runs, config, summary,
// history rows, artifacts, files and lineage — and serve answers real times and a Viewer for the key's owner.
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogModel } from '../../src/index.ts';
import { runScenario, toRunnable, type RunnableScenario } from '../../harness/runner/index.ts';
import { loadScenarioPaths } from '../../harness/scenario/index.ts';
import { PublicApi, asLogged, userKeys } from '../helpers/public-api.ts';
import { logHash } from '../../harness/report/live.ts';
import { startServe, type ServeProcess } from '../helpers/serve-process.ts';

const LIBRARY = new URL('../../scenarios', import.meta.url).pathname;
const KEY = `local-${'c'.repeat(40)}`;
const AUTH = { authorization: `Basic ${Buffer.from(`api:${KEY}`).toString('base64')}` };
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('base64');
// A representative subset keeps this file near ten seconds: history, config, failed runs, foreach lineage, several
// versions of one artifact, directories inside an artifact, many artifacts in one run. The whole library (about
// 45 s on 2 cores) runs with TRACKED_FLOWS_FULL_CONTRACT=1; it passes too.
const SUBSET = new Set([
  'docs-flow', 'decoration-step-overrides-flow', 'failures-raising-step', 'graphs-foreach', 'hazards-foreach-race-latest',
  'lineage-read-then-write', 'lineage-read-use', 'parameters-config', 'types-datasets', 'kwargs-others[start.others=true]', 'settings-env',
]);

let srv: ServeProcess;
let library: RunnableScenario[];

beforeAll(async () => {
  srv = await startServe(['--api-key', KEY]);
  library = loadScenarioPaths([LIBRARY]).scenarios.map(toRunnable);
  if (!process.env.TRACKED_FLOWS_FULL_CONTRACT) library = library.filter((s) => SUBSET.has(s.id));
}, 30_000);

afterAll(async () => {
  await srv.stop();
});

async function freshLog(): Promise<LogModel> {
  return JSON.parse(await (await fetch(`${srv.url}/_harness/log`, { headers: AUTH })).text());
}

/** Reads everything the log holds back through the Public API and lists every disagreement. */
async function disagreements(api: PublicApi, log: LogModel): Promise<string[]> {
  const problems: string[] = [];
  const same = (what: string, got: unknown, want: unknown) => {
    if (!isDeepStrictEqual(got, want)) problems.push(`${what}: API ${JSON.stringify(got)} vs log ${JSON.stringify(want)}`);
  };
  const projects = [...new Set(log.runs.map((r) => `${r.entity}/${r.project}`))];
  const refOf = new Map(log.runs.map((r) => [`${r.entity}/${r.project}/${r.id}`, r.ref]));
  for (const path of projects) {
    const [entity, project] = path.split('/') as [string, string];
    const { runs, runCount } = await api.runs(entity, project, { perPage: 7 });
    const want = log.runs.filter((r) => r.entity === entity && r.project === project);
    same(`${path} runs`, runs.map((r) => r.id), want.map((r) => r.id));
    same(`${path} runCount`, runCount, want.length);
    for (const run of runs) {
      const w = want.find((r) => r.id === run.id);
      if (!w) continue;
      same(`${run.id} fields`, [run.group, run.jobType, run.state], [w.group, w.job_type, w.state]);
      same(`${run.id} config`, run.config, w.config);
      same(`${run.id} summary`, userKeys(run.summary), w.summary);
      same(`${run.id} history`, (await api.history(run)).map(userKeys), w.history);
      same(`${run.id} scan_history`, (await api.scanHistory(run, { pageSize: 2 })).rows.map(userKeys), w.history);
      same(`${run.id} logged`, (await api.runArtifacts(run, 'logged')).map((a) => a.sourceName), w.logged_artifacts);
      same(`${run.id} used`, (await api.runArtifacts(run, 'used')).map((a) => a.sourceName), w.used_artifacts);
    }
  }
  for (const a of log.artifacts) {
    const home = log.runs.find((r) => r.ref === a.created_by);
    if (!home) continue;
    const art = await api.artifact(home.entity, home.project, `${a.name}:${a.version}`);
    same(`${a.name}:${a.version} type/aliases`, [art.type, [...art.aliases, art.version].sort()], [a.type, a.aliases]);
    same(`${a.name}:${a.version} files`, asLogged((await api.artifactFiles(art)).map((f) => ({ path: f.name, size: f.sizeBytes, md5: f.md5 })), a.files), a.files);
    same(`${a.name}:${a.version} manifest`, asLogged(Object.entries(art.manifest.contents).map(([path, e]) => ({ path, size: e.size, md5: e.digest, extra: e.extra ?? {} })), a.files), a.files);
    const bytes = await api.download(art);
    same(`${a.name}:${a.version} downloaded`, asLogged([...bytes].map(([path, b]) => ({ path, size: b.byteLength, md5: md5(b) })), a.files), a.files);
    const by = await api.loggedBy(art);
    same(`${a.name}:${a.version} logged_by`, by === null ? null : refOf.get(by), a.created_by);
    same(`${a.name}:${a.version} used_by`, (await api.usedBy(art)).map((p) => refOf.get(p)), a.used_by);
  }
  return problems;
}

describe('wandb.Api() against serve agrees with /_harness/log', () => {
  it('for the library scenarios (each with a fresh backend)', async () => {
    expect(library.length).toBeGreaterThanOrEqual(SUBSET.size);
    let runs = 0;
    let artifacts = 0;
    for (const s of library) {
      await fetch(`${srv.url}/_harness/reset`, { method: 'POST', headers: AUTH });
      await runScenario(s, { baseUrl: srv.url, apiKey: KEY });
      const log = await freshLog();
      const api = new PublicApi((r) => fetch(r), srv.url, KEY);
      expect({ scenario: s.id, problems: await disagreements(api, log) }).toEqual({ scenario: s.id, problems: [] });
      runs += log.runs.length;
      artifacts += log.artifacts.length;
    }
    // The check covered real content, not empty logs.
    expect(runs).toBeGreaterThan(30);
    expect(artifacts).toBeGreaterThan(25);
  }, 120_000);
});

describe('serve keeps a server clock and a viewer', () => {
  it('answers real createdAt / heartbeatAt for runs and artifacts (not the in-process fixed clock)', async () => {
    await fetch(`${srv.url}/_harness/reset`, { method: 'POST', headers: AUTH });
    const before = new Date(Date.now() - 1000).toISOString().slice(0, 19);
    await runScenario(library.find((s) => s.id === 'docs-flow')!, { baseUrl: srv.url, apiKey: KEY });
    const after = new Date(Date.now() + 1000).toISOString().slice(0, 19);
    const api = new PublicApi((r) => fetch(r), srv.url, KEY);
    const { runs } = await api.runs('e', 'p');
    expect(runs.length).toBe(3);
    for (const run of runs) {
      expect(run.createdAt! >= before && run.createdAt! <= after).toBe(true);
      expect(run.heartbeatAt! >= run.createdAt! && run.heartbeatAt! <= after).toBe(true);
    }
    const art = await api.artifact('e', 'p', 'raw_df:latest');
    expect(art.createdAt.slice(0, 19) >= before && art.createdAt.slice(0, 19) <= after).toBe(true);
  });

  it('GET / draws the page from the schema and carries the hash of /_harness/log its poller compares (no reload loop)', async () => {
    const page = await (await fetch(`${srv.url}/`, { headers: AUTH })).text();
    const logText = await (await fetch(`${srv.url}/_harness/log`, { headers: AUTH })).text();
    expect(page).toContain(`data-log-hash="${logHash(logText)}"`);
    for (const r of (JSON.parse(logText) as LogModel).runs) expect(page).toContain(`data-run="${r.ref}"`);
  });

  it('Viewer answers for the key owner, with the entity a run without one is created in', async () => {
    const api = new PublicApi((r) => fetch(r), srv.url, KEY);
    const entity = await api.defaultEntity();
    expect(entity).toBe('tracked-flows');
    const upsert = 'mutation UpsertBucket($name: String) { upsertBucket(input: {name: $name}) { bucket { name project { name entity { name } } } } }';
    const res = await fetch(`${srv.url}/graphql`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body: JSON.stringify({ query: upsert, variables: { name: 'no-entity' } }) });
    expect((await res.json()).data.upsertBucket.bucket.project.entity.name).toBe(entity);
    expect((await api.run(entity!, 'uncategorized', 'no-entity')).entity).toBe(entity);
  });
});
