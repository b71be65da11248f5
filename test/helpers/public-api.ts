// What wandb.Api() does over the wire, in TypeScript, for tests: each method sends the SDK's own document from
// the conformance corpus (test/fixtures/graphql/public-api/<version>/), fills the variables as the SDK's Python
// code does and parses the answer as it does (json.loads of config/summaryMetrics/history lines, `{"value": v}`
// unwrapped, paginators that send edges[-1].cursor back). The cited Python is in each document's header.

import { readFileSync } from 'node:fs';

const CORPUS = new URL('../fixtures/graphql/public-api/', import.meta.url);

export type Send = (request: Request) => Promise<Response>;

export function corpusDocument(version: string, name: string): string {
  return readFileSync(new URL(`${version}/${name}.graphql`, CORPUS), 'utf8');
}

/** Run attrs as the 0.18.7 Run.load leaves them. */
export interface ApiRun {
  entity: string;
  project: string;
  id: string;
  name: string | null;
  state: string;
  group: string | null;
  jobType: string | null;
  config: Record<string, unknown>;
  summary: Record<string, unknown>;
  systemMetrics: Record<string, unknown>;
  createdAt: string | null;
  heartbeatAt: string | null;
  historyKeys: { lastStep?: number } | null;
  attrs: Record<string, unknown>;
}

/** An artifact as Artifact._from_attrs (0.18.7) builds it. */
export interface ApiArtifact {
  id: string;
  entity: string;
  project: string;
  name: string;
  sourceName: string;
  type: string;
  version: string;
  aliases: string[];
  state: string;
  digest: string;
  fileCount: number;
  createdAt: string;
  manifest: { contents: Record<string, { digest: string; size: number; extra?: Record<string, unknown> }> };
}

const WANDB_INTERNAL_KEYS = new Set(['_wandb', 'wandb_version']);

export class PublicApi {
  /** GraphQL requests sent, by operation name (for "this call used these documents" checks). */
  readonly sent: string[] = [];

  constructor(
    private readonly send: Send,
    private readonly baseUrl: string,
    private readonly apiKey?: string,
    readonly version = '0.18.7',
  ) {}

  private headers(): Record<string, string> {
    return this.apiKey ? { authorization: `Basic ${Buffer.from(`api:${this.apiKey}`).toString('base64')}`, 'content-type': 'application/json' } : { 'content-type': 'application/json' };
  }

  async gql(doc: string, variables: Record<string, unknown> = {}): Promise<any> {
    const query = corpusDocument(this.version, doc);
    this.sent.push(doc);
    const res = await this.send(new Request(`${this.baseUrl}/graphql`, { method: 'POST', headers: this.headers(), body: JSON.stringify({ query, variables }) }));
    const body = (await res.json()) as { data?: any; errors?: { message: string }[] };
    if (res.status !== 200 || body.errors) throw new Error(`${doc}: HTTP ${res.status} ${JSON.stringify(body.errors ?? body)}`);
    return body.data;
  }

  async get(url: string): Promise<Uint8Array> {
    const res = await this.send(new Request(url, { headers: this.headers() }));
    if (res.status !== 200) throw new Error(`GET ${url}: HTTP ${res.status} ${await res.text()}`);
    return new Uint8Array(await res.arrayBuffer());
  }

  /** Api.default_entity. */
  async defaultEntity(): Promise<string | null> {
    const data = await this.gql('Viewer.default-entity');
    return data.viewer?.entity ?? null;
  }

  async viewer(): Promise<Record<string, unknown>> {
    return (await this.gql('Viewer')).viewer;
  }

  /** Api.runs(path, filters, order, per_page): every page, as the Paginator walks them. */
  async runs(entity: string, project: string, options: { filters?: unknown; order?: string; perPage?: number } = {}): Promise<{ runs: ApiRun[]; runCount: number; pages: number }> {
    const variables: Record<string, unknown> = { project, entity, order: options.order ?? '+created_at', filters: JSON.stringify(options.filters ?? {}) };
    const runs: ApiRun[] = [];
    let more = true;
    let cursor: string | null = null;
    let runCount = 0;
    let pages = 0;
    while (more) {
      const data = await this.gql('Runs', { ...variables, perPage: options.perPage ?? 50, cursor });
      if (!data.project) throw new Error(`Could not find project ${project}`);
      pages += 1;
      runCount = data.project.runCount;
      const edges = data.project.runs.edges as { node: Record<string, unknown>; cursor: string }[];
      for (const e of edges) runs.push(loadRun(entity, project, e.node));
      more = data.project.runs.pageInfo.hasNextPage;
      cursor = edges.length ? edges[edges.length - 1]!.cursor : null;
    }
    return { runs, runCount, pages };
  }

  /** api.run("e/p/id"). */
  async run(entity: string, project: string, name: string): Promise<ApiRun> {
    const data = await this.gql('Run', { entity, project, name });
    if (!data.project?.run) throw new Error(`Could not find run ${entity}/${project}/${name}`);
    return loadRun(entity, project, data.project.run);
  }

  /** run.history(pandas=False): RunFullHistory, each line json.loads. */
  async history(run: ApiRun, samples = 500): Promise<Record<string, unknown>[]> {
    const data = await this.gql('RunFullHistory', { entity: run.entity, project: run.project, name: run.id, samples });
    return (data.project.run.history as string[]).map((l) => JSON.parse(l));
  }

  /** run.history(keys=[...], pandas=False). */
  async sampledHistory(run: ApiRun, keys: string[], xAxis = '_step', samples = 500): Promise<Record<string, unknown>[]> {
    const data = await this.gql('RunSampledHistory', { entity: run.entity, project: run.project, name: run.id, specs: [JSON.stringify({ keys: [xAxis, ...keys], samples })] });
    return data.project.run.sampledHistory[0];
  }

  /** run.lastHistoryStep. */
  async lastHistoryStep(run: ApiRun): Promise<number> {
    const data = await this.gql('RunHistoryKeys', { entity: run.entity, project: run.project, name: run.id });
    const keys = data?.project?.run?.historyKeys;
    return keys && 'lastStep' in keys ? keys.lastStep : -1;
  }

  /** run.scan_history(keys, page_size): HistoryScan / SampledHistoryScan (0.18.7 public/history.py). */
  async scanHistory(run: ApiRun, options: { keys?: string[]; pageSize?: number } = {}): Promise<{ rows: Record<string, unknown>[]; pages: number }> {
    const pageSize = options.pageSize ?? 1000;
    const lastStep = await this.lastHistoryStep(run);
    const maxStep = lastStep + 1;
    const rows: Record<string, unknown>[] = [];
    let pages = 0;
    for (let offset = 0; offset < maxStep; offset += pageSize) {
      const max = Math.min(offset + pageSize, maxStep);
      pages += 1;
      if (options.keys) {
        const spec = JSON.stringify({ keys: options.keys, minStep: offset, maxStep: max, samples: pageSize });
        const data = await this.gql('SampledHistoryPage', { entity: run.entity, project: run.project, run: run.id, spec });
        rows.push(...data.project.run.sampledHistory[0]);
      } else {
        const data = await this.gql('HistoryPage', { entity: run.entity, project: run.project, run: run.id, minStep: offset, maxStep: max, pageSize });
        rows.push(...(data.project.run.history as string[]).map((l) => JSON.parse(l)));
      }
    }
    return { rows, pages };
  }

  /** run.files(): File attrs of every page. */
  async files(run: ApiRun, perPage = 50): Promise<{ files: Record<string, any>[]; fileCount: number }> {
    const files: Record<string, any>[] = [];
    let cursor: string | null = null;
    let fileCount = 0;
    for (let more = true; more; ) {
      const data = await this.gql('RunFiles', { project: run.project, entity: run.entity, name: run.id, fileNames: [], upload: false, fileLimit: perPage, fileCursor: cursor });
      const r = data.project.run;
      fileCount = r.fileCount;
      for (const e of r.files.edges) files.push(e.node);
      more = r.files.pageInfo.hasNextPage;
      cursor = r.files.edges.length ? r.files.edges[r.files.edges.length - 1].cursor : null;
    }
    return { files, fileCount };
  }

  /** run.logged_artifacts() / run.used_artifacts(). */
  async runArtifacts(run: ApiRun, mode: 'logged' | 'used', perPage = 100): Promise<ApiArtifact[]> {
    const [doc, key] = mode === 'logged' ? ['RunOutputArtifacts', 'outputArtifacts'] : ['RunInputArtifacts', 'inputArtifacts'];
    const out: ApiArtifact[] = [];
    let cursor: string | null = null;
    for (let more = true; more; ) {
      const data = await this.gql(doc, { entity: run.entity, project: run.project, runName: run.id, perPage, cursor });
      const conn = data.project.run[key];
      for (const e of conn.edges) {
        const seq = e.node.artifactSequence;
        out.push(await this.fromAttrs(seq.project.entityName, seq.project.name, `${seq.name}:v${e.node.versionIndex}`, e.node));
      }
      more = conn.pageInfo.hasNextPage;
      cursor = conn.edges.length ? conn.edges[conn.edges.length - 1].cursor : null;
    }
    return out;
  }

  /** api.artifact("e/p/name:alias"): ArtifactByName with enableTracking (the server lists the arg). */
  async artifact(entity: string, project: string, name: string): Promise<ApiArtifact> {
    const data = await this.gql('ArtifactByName', { entityName: entity, projectName: project, name, enableTracking: true });
    if (!data.project) throw new Error(`project '${project}' not found under entity '${entity}'`);
    if (!data.project.artifact) throw new Error(`artifact '${name}' not found in '${entity}/${project}'`);
    return this.fromAttrs(entity, project, name, data.project.artifact);
  }

  /** Artifact._from_attrs + _assign_attrs (0.18.7), manifest loaded from currentManifest.file.directUrl. */
  private async fromAttrs(entity: string, project: string, name: string, attrs: any): Promise<ApiArtifact> {
    const collection = name.split(':')[0];
    const aliases = (attrs.aliases as any[])
      .filter((a) => a.artifactCollection?.project?.entityName === entity && a.artifactCollection.project.name === project && a.artifactCollection.name === collection)
      .map((a) => a.alias as string);
    const versionAliases = aliases.filter((a) => /^v\d+$/.test(a));
    const manifest = JSON.parse(Buffer.from(await this.get(attrs.currentManifest.file.directUrl)).toString('utf8'));
    const sourceName = `${attrs.artifactSequence.name}:v${attrs.versionIndex}`;
    return {
      id: attrs.id, entity, project, name: name.includes(':') ? name : `${name}:${versionAliases[0] ?? `v${attrs.versionIndex}`}`, sourceName,
      type: attrs.artifactType.name, version: versionAliases[0] ?? `v${attrs.versionIndex}`, aliases: aliases.filter((a) => !/^v\d+$/.test(a)),
      state: attrs.state, digest: manifestDigestOf(attrs), fileCount: attrs.fileCount, createdAt: attrs.createdAt, manifest,
    };
  }

  /** artifact.files(): ArtifactFiles under the artifact's type, by source name. */
  async artifactFiles(art: ApiArtifact, perPage = 50): Promise<Record<string, any>[]> {
    const out: Record<string, any>[] = [];
    let cursor: string | null = null;
    for (let more = true; more; ) {
      const data = await this.gql('ArtifactFiles', {
        entityName: art.entity, projectName: art.project, artifactTypeName: art.type, artifactName: art.sourceName, fileNames: null, fileLimit: perPage, fileCursor: cursor,
      });
      const files = data.project.artifactType.artifact.files;
      out.push(...files.edges.map((e: any) => e.node));
      more = files.pageInfo.hasNextPage;
      cursor = files.edges.length ? files.edges[files.edges.length - 1].cursor : null;
    }
    return out;
  }

  /** artifact.download(): ArtifactFileURLs pages, then a GET of each directUrl. Path -> bytes. */
  async download(art: ApiArtifact, perPage = 5000): Promise<Map<string, Uint8Array>> {
    const out = new Map<string, Uint8Array>();
    let cursor: string | null = null;
    for (let more = true; more; ) {
      const data = await this.gql('ArtifactFileURLs', { id: art.id, cursor, perPage });
      const files = data.artifact.files;
      for (const e of files.edges) out.set(e.node.name, await this.get(e.node.directUrl));
      more = files.pageInfo.hasNextPage;
      cursor = files.pageInfo.endCursor;
    }
    return out;
  }

  /** artifact.logged_by(): "entity/project/run" or null. */
  async loggedBy(art: ApiArtifact): Promise<string | null> {
    const creator = (await this.gql('ArtifactCreatedBy', { id: art.id })).artifact?.createdBy ?? {};
    return creator.name == null ? null : `${creator.project.entityName}/${creator.project.name}/${creator.name}`;
  }

  /** artifact.used_by(): "entity/project/run" of each user. */
  async usedBy(art: ApiArtifact): Promise<string[]> {
    const data = await this.gql('ArtifactUsedBy', { id: art.id });
    return (data.artifact?.usedBy?.edges ?? []).map((e: any) => `${e.node.project.entityName}/${e.node.project.name}/${e.node.name}`);
  }

  /** api.artifact_versions(type, name) = api.artifacts(type, "e/p/name"). Each version's "name:vN" and aliases. */
  async artifactVersions(entity: string, project: string, type: string, collection: string, perPage = 50): Promise<{ versions: ApiArtifact[]; totalCount: number }> {
    const out: ApiArtifact[] = [];
    let cursor: string | null = null;
    let totalCount = 0;
    for (let more = true; more; ) {
      const data = await this.gql('Artifacts', { project, entity, order: null, type, collection, filters: JSON.stringify({ state: 'COMMITTED' }), perPage, cursor });
      const conn = data.project.artifactType.artifactCollection.artifacts;
      totalCount = conn.totalCount;
      for (const e of conn.edges) out.push(await this.fromAttrs(entity, project, `${collection}:${e.version}`, e.node));
      more = conn.pageInfo.hasNextPage;
      cursor = conn.edges.length ? conn.edges[conn.edges.length - 1].cursor : null;
    }
    return { versions: out, totalCount };
  }
}

/** The ArtifactFragment carries no digest in 0.18.7; the SDK's artifact.digest is the manifest's. Kept for the check. */
const manifestDigestOf = (attrs: any): string => attrs.digest ?? '';

/** 0.18.7 Run.load: summaryMetrics/systemMetrics json.loads, config's {"value": v} unwrapped, internal keys aside. */
export function loadRun(entity: string, project: string, attrs: Record<string, any>): ApiRun {
  const config: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(JSON.parse(attrs.config || '{}') as Record<string, unknown>)) {
    if (WANDB_INTERNAL_KEYS.has(k)) continue;
    config[k] = v && typeof v === 'object' && !Array.isArray(v) && 'value' in v ? (v as { value: unknown }).value : v;
  }
  return {
    entity, project, id: attrs.name, name: attrs.displayName, state: attrs.state, group: attrs.group, jobType: attrs.jobType, config,
    summary: attrs.summaryMetrics ? JSON.parse(attrs.summaryMetrics) : {}, systemMetrics: attrs.systemMetrics ? JSON.parse(attrs.systemMetrics) : {},
    createdAt: attrs.createdAt, heartbeatAt: attrs.heartbeatAt, historyKeys: attrs.historyKeys ?? null, attrs,
  };
}

const SYSTEM = new Set(['_step', '_runtime', '_timestamp', '_wandb']);

/** What the log model keeps of a summary or history row: the user's keys. */
export const userKeys = (row: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(row).filter(([k]) => !SYSTEM.has(k)));

/**
 * Files read through the Public API, in the log's form. Where the log says a file's bytes are not predicted (the
 * manifest entry's extra carries the reason, UNKNOWN_BYTES_EXTRA), the API still serves the placeholder's size and
 * md5: the file must be there, non-empty, with that reason, and its size and md5 are not compared.
 */
export function asLogged(
  files: readonly { path: string; size: number; md5: string; extra?: Record<string, unknown> }[],
  logged: readonly ({ path: string; size: number; md5: string } | { path: string; size: null; md5: null; unknown: string })[],
): unknown[] {
  return files.map((f) => {
    const want = logged.find((l) => l.path === f.path);
    if (!want || want.md5 !== null || !(f.size > 0)) return { path: f.path, size: f.size, md5: f.md5 };
    if (f.extra !== undefined && f.extra.tracked_flows_unknown_bytes !== want.unknown) return { path: f.path, size: f.size, md5: f.md5, extra: f.extra };
    return { path: f.path, size: null, md5: null, unknown: want.unknown };
  });
}
