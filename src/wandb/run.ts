// A W&B run over the wire (reference §2–§5): init → ServerFeaturesQuery + UpsertBucket; log/summary →
// file_stream (policy in filestream.ts); artifacts; finish → run files, `complete` + `exitcode`.
import { SUMMARY_FILE } from '../protocol/index.ts';
import type { CreateRunFilesResult, UpsertBucketResult, UpsertBucketVariables } from '../protocol/index.ts';
import { logArtifact, prepareArtifact, useArtifact, useArtifactById } from './artifacts.ts';
import type { ArtifactContext, LoggedArtifact, UsedArtifact } from './artifacts.ts';
import type { MultipartOptions } from './multipart.ts';
import type { LogArtifactSpec } from './artifact-spec.ts';
import { parseArtifactPath } from './artifact-spec.ts';
import { randomId } from './clock.ts';
import type { Clock, RandomSource } from './clock.ts';
import { WandbError } from './errors.ts';
import { FileStream } from './filestream.ts';
import type { RunPath } from './filestream.ts';
import type { WandbHttp } from './http.ts';
import { encodeJson, float } from './json.ts';
import { CREATE_RUN_FILES, SERVER_FEATURES, UPSERT_BUCKET, VIEWER } from './queries.ts';
import { RunConfig, RunSummary } from './run-data.ts';
import type { WandbMode, WandbSettings } from './settings.ts';
import { SDK_VERSION } from './version.ts';
import { configYaml } from './yaml.ts';

export const CONFIG_FILE = 'config.yaml';

/**
 * The `_wandb` config entry we send. The real SDK puts telemetry, Python version and environment records here
 * (all volatile, §7); we send only a fixed `cli_version`, so configs are deterministic.
 */
export const WANDB_CONFIG_ENTRY: Readonly<Record<string, unknown>> = Object.freeze({ cli_version: SDK_VERSION });

export interface InitOptions {
  /** The run id (`name` on the wire); otherwise 8 chars of [a-z0-9] from the random source. */
  id?: string;
  entity?: string;
  project?: string;
  group?: string;
  jobType?: string;
  /** Display name; the server makes one up when absent. */
  name?: string;
  notes?: string;
  tags?: string[];
  config?: Record<string, unknown>;
  host?: string;
  program?: string;
}

export interface Run {
  readonly id: string;
  /** Entity and project as the server named them (null for runs that send nothing and were given none). */
  readonly entity: string | null;
  readonly project: string | null;
  readonly mode: WandbMode;
  readonly config: RunConfig;
  readonly summary: RunSummary;
  /** The next history `_step` (= rows logged so far), as Python's `run.step`. */
  readonly step: number;
  readonly finished: boolean;
  /** What the SDK would only print: a dead file_stream, failed run-file uploads. */
  readonly warnings: readonly string[];
  log(row: Record<string, unknown>): Promise<void>;
  /** Send buffered history and summary now (one file_stream POST). */
  flush(): Promise<void>;
  logArtifact(spec: LogArtifactSpec): Promise<LoggedArtifact>;
  useArtifact(name: string): Promise<UsedArtifact>;
  /** Record a use of the version with this server id (no name lookup; `use_after_commit`). */
  useArtifactById(id: string): Promise<void>;
  finish(exitCode?: number): Promise<void>;
}

export interface RunDeps {
  http: WandbHttp;
  settings: WandbSettings;
  clock: Clock;
  random: RandomSource;
  /** Multipart threshold and part size for artifact files (artifacts.ts; default wandb-core's). */
  multipart?: MultipartOptions;
}

function checkRunId(id: string): string {
  if (id === '' || /[/\\#?%:]/.test(id)) {
    throw new WandbError('WANDB_CONFIG', `Failed to start run "${id}": a run id must be non-empty and cannot contain the special characters /\\#?%:. Choose another id.`);
  }
  return id;
}

abstract class BaseRun {
  readonly config: RunConfig;
  readonly summary = new RunSummary();
  protected readonly warningList: string[] = [];
  protected historyStep = 0;
  protected done = false;

  constructor(config: Record<string, unknown> | undefined) {
    this.config = new RunConfig(config);
  }

  abstract get id(): string;

  get step(): number { return this.historyStep; }
  get finished(): boolean { return this.done; }
  get warnings(): readonly string[] { return this.warningList; }

  protected checkActive(call: string): void {
    if (!this.done) return;
    // Python: UsageError from wandb_run.py's _raise_if_finished.
    const message = `Run (${this.id}) is finished. The call to \`${call}\` will be ignored. Please make sure that you are using an active run.`;
    throw new WandbError('WANDB_RUN_FINISHED', `Failed to ${call} on run "${this.id}": the run is finished. Call it before finish().`, { python: { type: 'UsageError', message } });
  }
}

/** `disabled` (nothing at all) and `offline` (no HTTP; artifacts are hashed, `use_artifact` fails as in Python). */
export class LocalRun extends BaseRun implements Run {
  readonly id: string;
  readonly entity: string | null;
  readonly project: string | null;

  constructor(readonly mode: 'offline' | 'disabled', deps: Pick<RunDeps, 'settings' | 'random'>, options: InitOptions) {
    super(options.config);
    this.id = checkRunId(options.id ?? randomId(deps.random, 8));
    this.entity = options.entity ?? deps.settings.entity ?? null;
    this.project = options.project ?? deps.settings.project ?? null;
  }

  async log(row: Record<string, unknown>): Promise<void> {
    this.checkActive('log');
    this.summary.update(row);
    this.historyStep++;
  }

  async flush(): Promise<void> {}

  async logArtifact(spec: LogArtifactSpec): Promise<LoggedArtifact> {
    this.checkActive('log_artifact');
    if (this.mode === 'disabled') return { id: null, state: 'DISABLED', deduplicated: false, digest: '', entries: [] };
    const { entries, digest } = await prepareArtifact(spec);
    return { id: null, state: 'OFFLINE', deduplicated: false, digest, entries: entries.map((e) => ({ path: e.path, digest: e.digest, size: e.size })) };
  }

  async useArtifact(name: string): Promise<UsedArtifact> {
    this.checkActive('use_artifact');
    if (this.mode === 'offline') {
      const message = 'Cannot use artifact when in offline mode.';
      throw new WandbError('WANDB_OFFLINE', `Failed to use artifact "${name}": ${message} Run online, or do not read tracked artifacts offline.`, { python: { type: 'TypeError', message } });
    }
    const parsed = parseArtifactPath(name);
    return {
      id: null, name: `${parsed.name}:${parsed.alias}`, version: null, type: null, digest: null, aliases: [],
      entity: parsed.entity ?? this.entity ?? '', project: parsed.project ?? this.project ?? '',
    };
  }

  async useArtifactById(id: string): Promise<void> {
    await this.useArtifact(id);
  }

  async finish(): Promise<void> { this.done = true; }
}

export class OnlineRun extends BaseRun implements Run {
  readonly mode = 'online' as const;
  private path: RunPath;
  private storageId: string | null = null;
  private historyStart: number | undefined;
  private features = new Set<string>();
  private viewerChecked: Promise<void> | undefined;
  private startMs = 0;
  private lastLog: { runtime: number; timestamp: number } | undefined;
  private upsertedConfigRevision = 0;
  private stream!: FileStream;

  private constructor(private readonly deps: RunDeps, private readonly options: InitOptions) {
    super(options.config);
    const runId = checkRunId(options.id ?? randomId(deps.random, 8));
    this.path = { entity: options.entity ?? deps.settings.entity ?? '', project: options.project ?? deps.settings.project ?? '', runId };
  }

  /** The run id as the server named it (adopted from UpsertBucket's `bucket.name`). */
  get id(): string { return this.path.runId; }
  /** The server's storage id of the run (`bucket.id`). */
  get storageID(): string | null { return this.storageId; }
  get entity(): string { return this.path.entity; }
  get project(): string { return this.path.project; }

  /** `wandb.init`: fails if the first UpsertBucket fails (§2.3). */
  static async start(deps: RunDeps, options: InitOptions): Promise<OnlineRun> {
    const run = new OnlineRun(deps, options);
    await run.begin();
    return run;
  }

  private async begin(): Promise<void> {
    const { http, clock } = this.deps;
    this.startMs = clock.now();
    try {
      const reply = await http.graphql<{ serverInfo: { features: { name: string; isEnabled: boolean }[] } | null }>(SERVER_FEATURES, {});
      this.features = new Set((reply.serverInfo?.features ?? []).filter((f) => f.isEnabled).map((f) => f.name));
    } catch (error) {
      // §2.2: if the query fails, every feature is treated as disabled.
      if (!(error instanceof WandbError)) throw error;
    }
    const o = this.options;
    const variables: UpsertBucketVariables = {
      id: null,
      name: this.path.runId,
      project: this.path.project || null,
      entity: this.path.entity || null,
      groupName: o.group ?? null,
      description: null,
      displayName: o.name ?? null,
      notes: o.notes ?? null,
      commit: null,
      config: this.configJson(),
      host: o.host ?? null,
      debug: null,
      program: o.program ?? null,
      repo: null,
      jobType: o.jobType ?? null,
      state: null,
      sweep: null,
      tags: o.tags ?? null,
      summaryMetrics: null,
    };
    await this.upsert(variables);
    // A new run's history starts at line 0; a positive historyLineCount (an existing run) continues after it.
    this.stream = new FileStream(http, () => this.path, () => this.features.has('FILESTREAM_GZIP'), (m) => this.warningList.push(m), this.historyStart ?? 0);
  }

  private async upsert(variables: UpsertBucketVariables): Promise<void> {
    const revision = this.config.revision;
    const reply = await this.deps.http.graphql<UpsertBucketResult>(UPSERT_BUCKET, { ...variables });
    const bucket = reply.upsertBucket?.bucket;
    if (!bucket?.name || !bucket.project?.name || !bucket.project.entity?.name) {
      throw new WandbError('WANDB_BAD_RESPONSE', `Failed to start run "${this.path.runId}": UpsertBucket's answer lacks bucket.name, project.name or project.entity.name. Check the server's reply.`, { operation: 'UpsertBucket' });
    }
    // §2.3: the name, project and entity the server answers are the run path of every later request.
    this.path = { entity: bucket.project.entity.name, project: bucket.project.name, runId: bucket.name };
    this.storageId = bucket.id ?? this.storageId;
    if (this.historyStart === undefined && bucket.historyLineCount > 0) this.historyStart = bucket.historyLineCount;
    this.upsertedConfigRevision = revision;
  }

  private configJson(): string {
    // Go marshals the config map with sorted keys, compactly.
    return encodeJson(this.config.wrapped({ ...WANDB_CONFIG_ENTRY }), { style: 'go', sortKeys: true });
  }

  private runtimeSeconds(): number { return (this.deps.clock.now() - this.startMs) / 1000; }

  async log(row: Record<string, unknown>): Promise<void> {
    this.checkActive('log');
    const now = this.deps.clock.now();
    const runtime = (now - this.startMs) / 1000;
    const timestamp = now / 1000;
    const line: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) if (k !== '_step' && k !== '_runtime' && k !== '_timestamp') line[k] = v;
    this.summary.update(line);
    line._timestamp = float(timestamp);
    line._runtime = float(runtime);
    line._step = this.historyStep;
    const text = encodeJson(line);
    this.historyStep++;
    this.lastLog = { runtime, timestamp };
    this.stream.setSummary(this.summaryLine());
    await this.stream.pushHistory(text);
  }

  /** The full summary: user keys, then `_step`, `_runtime`, `_timestamp` of the last row, `_wandb.runtime`. */
  private summaryLine(): string {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.summary.toJSON())) if (!k.startsWith('_')) out[k] = v;
    if (this.lastLog) {
      out._step = this.historyStep - 1;
      out._runtime = float(this.lastLog.runtime);
      out._timestamp = float(this.lastLog.timestamp);
    }
    out._wandb = { runtime: Math.floor(this.runtimeSeconds()) };
    return encodeJson(out);
  }

  async flush(): Promise<void> {
    this.stream.setSummary(this.summaryLine());
    await this.stream.flush();
  }

  private artifactContext(): ArtifactContext {
    return {
      http: this.deps.http,
      random: this.deps.random,
      path: () => this.path,
      step: () => this.historyStep,
      ensureViewer: () => (this.viewerChecked ??= this.checkViewer()),
      ...(this.deps.multipart ? { multipart: this.deps.multipart } : {}),
    };
  }

  private async checkViewer(): Promise<void> {
    const reply = await this.deps.http.graphql<{ viewer: { entity: string | null } | null }>(VIEWER, {});
    if (!reply.viewer?.entity) {
      this.viewerChecked = undefined;
      throw new WandbError('WANDB_AUTH', 'Failed to verify "api_key": the Viewer answer has no entity (the SDK reports "Invalid credentials"). Check WANDB_API_KEY and the server.', { operation: 'Viewer' });
    }
  }

  async logArtifact(spec: LogArtifactSpec): Promise<LoggedArtifact> {
    this.checkActive('log_artifact');
    return logArtifact(this.artifactContext(), spec);
  }

  async useArtifact(name: string): Promise<UsedArtifact> {
    this.checkActive('use_artifact');
    return useArtifact(this.artifactContext(), name);
  }

  async useArtifactById(id: string): Promise<void> {
    this.checkActive('use_artifact');
    await useArtifactById(this.artifactContext(), id);
  }

  /**
   * Finish order: remaining history + summary; the final UpsertBucket if the config changed after init;
   * CreateRunFiles for `wandb-summary.json` and `config.yaml` and their PUTs; last, `complete` + `exitcode`
   * with the uploaded files. Upload and file_stream failures become warnings, as the SDK only logs them.
   */
  async finish(exitCode = 0): Promise<void> {
    if (this.done) return;
    this.done = true;
    const summary = this.summaryLine();
    this.stream.setSummary(summary);
    await this.stream.flush();
    if (this.config.revision !== this.upsertedConfigRevision) {
      try {
        await this.upsert({
          id: null, name: this.path.runId, project: this.path.project, entity: this.path.entity, groupName: null,
          description: null, displayName: null, notes: null, commit: null, config: this.configJson(), host: null,
          debug: null, program: null, repo: null, jobType: null, state: null, sweep: null, tags: null, summaryMetrics: null,
        });
      } catch (error) {
        if (!(error instanceof WandbError)) throw error;
        this.warningList.push(error.message);
      }
    }
    const uploaded = await this.uploadRunFiles({
      [SUMMARY_FILE]: summary,
      [CONFIG_FILE]: configYaml(this.config.wrapped({ ...WANDB_CONFIG_ENTRY })),
    });
    await this.stream.finish(uploaded, exitCode);
  }

  private async uploadRunFiles(files: Record<string, string>): Promise<string[]> {
    const { http } = this.deps;
    const names = Object.keys(files);
    let reply: CreateRunFilesResult;
    try {
      reply = await http.graphql<CreateRunFilesResult>(CREATE_RUN_FILES, { entity: this.path.entity, project: this.path.project, run: this.path.runId, files: names });
    } catch (error) {
      if (!(error instanceof WandbError)) throw error;
      this.warningList.push(error.message);
      return [];
    }
    const { uploadHeaders, files: urls } = reply.createRunFiles;
    const uploaded: string[] = [];
    for (const name of names) {
      const target = urls.find((f) => f.name === name);
      if (!target) {
        this.warningList.push(`Failed to upload "${name}": CreateRunFiles did not answer this file. The server must list every requested file.`);
        continue;
      }
      if (target.uploadUrl === null) continue; // §4.1: null means skip
      try {
        await http.upload(name, target.uploadUrl, Buffer.from(files[name]!, 'utf8'), uploadHeaders ?? []);
        uploaded.push(name);
      } catch (error) {
        if (!(error instanceof WandbError)) throw error;
        this.warningList.push(error.message);
      }
    }
    return uploaded;
  }
}
