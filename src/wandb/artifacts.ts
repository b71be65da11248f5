// Artifact traffic of a run (reference §5.1, §5.4): the Python part (Viewer, ArtifactType, name lookups,
// UseArtifact) and the wandb-core save (CreateArtifact → manifest → files → PUTs → manifest → commit).
import { readFile } from 'node:fs/promises';
import {
  ARTIFACT_FILES_BATCH, DIGEST_ALGORITHM, LATEST_ALIAS, MANIFEST_FILE_NAME, STORAGE_LAYOUT,
} from '../protocol/index.ts';
import type {
  ArtifactFileSpec, ArtifactState, CommitArtifactResult, CreateArtifactFilesResult, CreateArtifactInput,
  CreateArtifactManifestResult, CreateArtifactManifestVariables, CreateArtifactResult, UploadPartInput, UseArtifactVariables,
} from '../protocol/index.ts';
import { checkArtifactFiles, checkArtifactName, parseArtifactPath } from './artifact-spec.ts';
import type { LogArtifactSpec } from './artifact-spec.ts';
import { randomId } from './clock.ts';
import type { RandomSource } from './clock.ts';
import { md5Base64, md5SmallFileBase64, md5FileBase64, manifestDigest } from './digest.ts';
import { pyRepr, WandbError } from './errors.ts';
import type { WandbHttp } from './http.ts';
import { encodeJson } from './json.ts';
import { manifestJson } from './manifest.ts';
import {
  ARTIFACT_MEMBERSHIP_BY_NAME, ARTIFACT_TYPE, COMMIT_ARTIFACT, CREATE_ARTIFACT, CREATE_ARTIFACT_FILES,
  CREATE_ARTIFACT_MANIFEST, SERVER_FEATURES_PY, useArtifactOperation,
} from './queries.ts';
import type { RunPath } from './filestream.ts';
import { DEFAULT_MULTIPART, planParts, uploadMultipart, type MultipartOptions } from './multipart.ts';

export interface ArtifactContext {
  http: WandbHttp;
  random: RandomSource;
  path(): RunPath;
  /** `run.step` at log time (the next history `_step`). */
  step(): number;
  /** Viewer, once per run, on the first artifact call (the lazily built `wandb.Api`). */
  ensureViewer(): Promise<void>;
  /** When files go in parts (default: wandb-core's 2 GiB threshold, 100 MiB parts). */
  multipart?: MultipartOptions;
}

export interface LoggedArtifact {
  /** Server id of the version (the existing one on a dedup hit); null when nothing was sent. */
  id: string | null;
  /** `COMMITTED` after a save or a dedup hit; `OFFLINE` / `DISABLED` when the run sends nothing. */
  state: 'COMMITTED' | 'OFFLINE' | 'DISABLED';
  /** True when CreateArtifact answered COMMITTED: nothing was uploaded. */
  deduplicated: boolean;
  /** The artifact (manifest) digest, 32 hex chars. */
  digest: string;
  /** Per entry: base64 md5, size, and the birth artifact id once known. */
  entries: { path: string; digest: string; size: number; birthArtifactID?: string }[];
}

export interface UsedArtifact {
  id: string | null;
  /** `collection:vN` as the server resolved it. */
  name: string;
  version: string | null;
  type: string | null;
  digest: string | null;
  aliases: string[];
  entity: string;
  project: string;
}

/** Files hashed at once: the size of libuv's default thread pool, twice. Memory: one buffer (<= 1 MiB) each. */
const HASH_CONCURRENCY = 8;

interface LocalEntry {
  path: string; digest: string; size: number; bytes?: Uint8Array | string; filePath?: string; birthArtifactID?: string; unknown?: string;
  /** Multipart parts, computed once before the first CreateArtifactFiles (null: one PUT). */
  parts?: UploadPartInput[] | null;
}

/** Hash every entry (files on disk in streaming) and compute the artifact digest, with no traffic. */
export async function prepareArtifact(spec: LogArtifactSpec): Promise<{ entries: LocalEntry[]; digest: string }> {
  checkArtifactName(spec.name);
  checkArtifactFiles(spec.name, spec.files);
  const entries: LocalEntry[] = new Array(spec.files.length);
  // In-memory entries and small files first, synchronously (no await per entry); big or unreadable files are
  // left for the streaming workers below, which also report errors in their own words.
  const pending: number[] = [];
  spec.files.forEach((file, k) => {
    if (file.filePath === undefined) {
      const bytes = file.bytes!;
      const size = typeof bytes === 'string' ? Buffer.byteLength(bytes, 'utf8') : bytes.byteLength;
      entries[k] = { path: file.path, digest: md5Base64(bytes), size, bytes, ...(file.unknown !== undefined ? { unknown: file.unknown } : {}) };
      return;
    }
    const small = md5SmallFileBase64(file.filePath);
    if (small) entries[k] = { path: file.path, digest: small.md5, size: small.size, filePath: file.filePath };
    else pending.push(k);
  });
  const hashOne = async (k: number) => {
    const file = spec.files[k]!;
    if (file.filePath !== undefined) {
      const { md5, size } = await md5FileBase64(file.filePath);
      entries[k] = { path: file.path, digest: md5, size, filePath: file.filePath };
    } else {
      const bytes = file.bytes!;
      const size = typeof bytes === 'string' ? Buffer.byteLength(bytes, 'utf8') : bytes.byteLength;
      entries[k] = { path: file.path, digest: md5Base64(bytes), size, bytes };
    }
  };
  // Files on disk a few at a time: each costs several thread-pool round trips (open, stat, read, close), and
  // one at a time left the process idle half the time on a directory of small files. Entries keep input order;
  // the error thrown is the first in input order, as it was sequentially.
  let next = 0;
  let firstFailure: { k: number; error: unknown } | null = null;
  const worker = async () => {
    while (next < pending.length) {
      const k = pending[next++]!;
      try {
        await hashOne(k);
      } catch (error) {
        if (firstFailure === null || k < firstFailure.k) firstFailure = { k, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(HASH_CONCURRENCY, pending.length) }, worker));
  if (firstFailure !== null) throw (firstFailure as { error: unknown }).error;
  return { entries, digest: manifestDigest(entries.map((e) => [e.path, e.digest] as const)) };
}

export async function logArtifact(ctx: ArtifactContext, spec: LogArtifactSpec): Promise<LoggedArtifact> {
  const { entries, digest } = await prepareArtifact(spec);
  const { http } = ctx;
  const run = ctx.path();

  // Python part: the type check against what the server already has under this name.
  await ctx.ensureViewer();
  const typeReply = await http.graphql<{ project: { artifact: { artifactType: { name: string } | null } | null } | null }>(
    ARTIFACT_TYPE, { entity: run.entity, project: run.project, name: `${spec.name}:${LATEST_ALIAS}` },
  );
  const expected = typeReply.project?.artifact?.artifactType?.name;
  if (expected !== undefined && expected !== spec.type) {
    // Verbatim from wandb's tests (tests/system_tests/test_artifacts: "already exists with type").
    const message = `Artifact ${spec.name} already exists with type '${expected}'; cannot create another with type '${spec.type}'`;
    throw new WandbError('WANDB_ARTIFACT_TYPE_MISMATCH', `Failed to log artifact "${spec.name}": it already exists with type "${expected}", not "${spec.type}". Use another name or the existing type.`, { python: { type: 'ValueError', message } });
  }

  // wandb-core part.
  const aliases = [LATEST_ALIAS, ...(spec.aliases ?? []).filter((a) => a !== LATEST_ALIAS)].filter((a, i, all) => all.indexOf(a) === i);
  const step = ctx.step();
  const input: CreateArtifactInput & { tags?: { tagName: string }[] } = {
    aliases: aliases.map((alias) => ({ alias, artifactCollectionName: spec.name })),
    artifactCollectionName: spec.name,
    artifactCollectionNames: null,
    artifactTypeName: spec.type,
    clientID: randomId(ctx.random, 128),
    clientMutationId: null,
    description: spec.description ? spec.description : null,
    digest,
    digestAlgorithm: DIGEST_ALGORITHM,
    distributedID: null,
    enableDigestDeduplication: true,
    entityName: run.entity,
    historyStep: step === 0 ? null : step,
    labels: null,
    metadata: spec.metadata && Object.keys(spec.metadata).length > 0 ? encodeJson(spec.metadata, { style: 'python' }) : null,
    projectName: run.project,
    runName: run.runId,
    sequenceClientID: randomId(ctx.random, 128),
    storageRegion: null,
    ...(spec.tags && spec.tags.length > 0 ? { tags: spec.tags.map((tagName) => ({ tagName })) } : {}),
    ttlDurationSeconds: null,
  };
  const created = (await http.graphql<CreateArtifactResult>(CREATE_ARTIFACT, { input })).createArtifact.artifact;
  const state = created.state as ArtifactState;
  const view = (withBirth: boolean) => entries.map((e) => ({
    path: e.path, digest: e.digest, size: e.size, ...(withBirth && e.birthArtifactID ? { birthArtifactID: e.birthArtifactID } : {}), ...(e.unknown !== undefined ? { unknown: e.unknown } : {}),
  }));
  if (state === 'COMMITTED') {
    return { id: created.id, state: 'COMMITTED', deduplicated: true, digest, entries: view(false) };
  }
  if (state !== 'PENDING' && state !== 'DELETED') {
    throw new WandbError('WANDB_BAD_RESPONSE', `Failed to log artifact "${spec.name}": CreateArtifact answered state "${created.state}". Expected PENDING, COMMITTED or DELETED from the server.`, { operation: 'CreateArtifact' });
  }
  const artifactID = created.id;
  const manifestVars = (digestValue: string, includeUpload: boolean): CreateArtifactManifestVariables => ({
    artifactID,
    baseArtifactID: created.artifactSequence.latestArtifact?.id ?? null,
    name: MANIFEST_FILE_NAME,
    digest: digestValue,
    entityName: run.entity,
    projectName: run.project,
    runName: run.runId,
    manifestType: 'FULL',
    includeUpload,
  });
  const reserved = await http.graphql<CreateArtifactManifestResult>(CREATE_ARTIFACT_MANIFEST, { ...manifestVars('', false) });
  const manifestID = reserved.createArtifactManifest.artifactManifest.id;

  await uploadEntries(http, spec.name, entries, artifactID, manifestID, ctx.multipart ?? DEFAULT_MULTIPART);

  const manifest = manifestJson(view(true));
  const manifestBytes = Buffer.from(manifest, 'utf8');
  const final = await http.graphql<CreateArtifactManifestResult>(CREATE_ARTIFACT_MANIFEST, { ...manifestVars(md5Base64(manifestBytes), true) });
  const file = final.createArtifactManifest.artifactManifest.file;
  if (file.uploadUrl) await http.upload(MANIFEST_FILE_NAME, file.uploadUrl, manifestBytes, file.uploadHeaders ?? []);

  const committed = await http.graphql<CommitArtifactResult>(COMMIT_ARTIFACT, { artifactID });
  return { id: committed.commitArtifact.artifact.id ?? artifactID, state: 'COMMITTED', deduplicated: false, digest, entries: view(true) };
}

/**
 * CreateArtifactFiles in batches of 25, then PUT each file the server does not have yet. Failed uploads are
 * re-requested, as wandb-core does, while at least half of the remaining ones succeed in a pass.
 */
async function uploadEntries(http: WandbHttp, name: string, entries: LocalEntry[], artifactID: string, artifactManifestID: string, multipart: MultipartOptions): Promise<void> {
  for (const entry of entries) entry.parts ??= await planParts(entry, multipart);
  let remaining = entries;
  for (;;) {
    const failed: { entry: LocalEntry; error: unknown }[] = [];
    for (let start = 0; start < remaining.length; start += ARTIFACT_FILES_BATCH) {
      const batch = remaining.slice(start, start + ARTIFACT_FILES_BATCH);
      const artifactFiles: ArtifactFileSpec[] = batch.map((e) => ({ artifactID, artifactManifestID, md5: e.digest, mimetype: null, name: e.path, uploadPartsInput: e.parts ?? null }));
      const reply = await http.graphql<CreateArtifactFilesResult>(CREATE_ARTIFACT_FILES, { artifactFiles, storageLayout: STORAGE_LAYOUT });
      const edges = reply.createArtifactFiles.files.edges;
      if (edges.length !== batch.length) {
        throw new WandbError('WANDB_BAD_RESPONSE', `Failed to log artifact "${name}": CreateArtifactFiles answered ${edges.length} files for ${batch.length} requested. The server must answer one edge per file, in request order.`, { operation: 'CreateArtifactFiles' });
      }
      for (const [i, edge] of edges.entries()) {
        const entry = batch[i]!;
        entry.birthArtifactID = edge.node.artifact.id;
        if (edge.node.uploadUrl === null) continue;
        try {
          const urls = edge.node.uploadMultipartUrls;
          if (entry.parts && urls) {
            await uploadMultipart(http, entry, entry.parts, { artifactID, storagePath: edge.node.storagePath, urls, uploadHeaders: edge.node.uploadHeaders ?? [] }, multipart);
            continue;
          }
          const bytes = entry.filePath !== undefined ? await readFile(entry.filePath) : entry.bytes!;
          await http.upload(entry.path, edge.node.uploadUrl, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes, edge.node.uploadHeaders ?? []);
        } catch (error) {
          failed.push({ entry, error });
        }
      }
    }
    if (failed.length === 0) return;
    const succeeded = remaining.length - failed.length;
    if (succeeded * 2 < remaining.length) {
      const first = failed[0]!;
      throw new WandbError('WANDB_HTTP', `Failed to log artifact "${name}": ${failed.length} of ${remaining.length} file uploads failed (first: "${first.entry.path}"). Check the storage server.`, { cause: first.error, operation: 'upload' });
    }
    remaining = failed.map((f) => f.entry);
  }
}

interface MembershipReply {
  project: {
    artifactCollectionMembership: {
      id: string; versionIndex: number | null;
      aliases: { alias: string }[];
      artifactCollection: { name: string; project: { name: string; entity: { name: string } } | null } | null;
      artifact: { id: string; versionIndex: number; digest: string; artifactType: { name: string }; artifactSequence: { name: string } } | null;
    } | null;
  } | null;
}

export async function useArtifact(ctx: ArtifactContext, spec: string): Promise<UsedArtifact> {
  const parsed = parseArtifactPath(spec);
  const run = ctx.path();
  const entity = parsed.entity ?? run.entity;
  const project = parsed.project ?? run.project;
  const name = `${parsed.name}:${parsed.alias}`;
  const { http } = ctx;

  await ctx.ensureViewer();
  const reply = await http.graphql<MembershipReply>(ARTIFACT_MEMBERSHIP_BY_NAME, { entity, project, name });
  if (!reply.project) {
    const message = `project ${pyRepr(project)} not found under entity ${pyRepr(entity)}`;
    throw new WandbError('WANDB_ARTIFACT_NOT_FOUND', `Failed to use artifact "${spec}": ${message}. Check the entity and project.`, { python: { type: 'ValueError', message } });
  }
  const membership = reply.project.artifactCollectionMembership;
  if (!membership) {
    const message = `artifact membership ${pyRepr(name)} not found in ${pyRepr(`${entity}/${project}`)}`;
    throw new WandbError('WANDB_ARTIFACT_NOT_FOUND', `Failed to use artifact "${spec}": ${message}. Log the artifact first or fix the name and alias.`, { python: { type: 'ValueError', message } });
  }
  const artifact = membership.artifact;
  if (!artifact) {
    const message = `Artifact ${pyRepr(`${entity}/${project}/${name}`)} not found in response`;
    throw new WandbError('WANDB_BAD_RESPONSE', `Failed to use artifact "${spec}": ${message}. The server's membership has no artifact.`, { python: { type: 'ValueError', message } });
  }

  // InternalApi._server_supports: a GraphQL error here means "no features" (old servers), not a failure.
  let features: Set<string>;
  try {
    const reply = await http.graphql<{ serverInfo: { features: { name: string; isEnabled: boolean }[] } | null }>(SERVER_FEATURES_PY, {});
    features = new Set((reply.serverInfo?.features ?? []).filter((f) => f.isEnabled).map((f) => f.name));
  } catch (error) {
    if (!(error instanceof WandbError) || error.code !== 'WANDB_GRAPHQL') throw error;
    features = new Set();
  }
  const withEntity = features.has('USE_ARTIFACT_WITH_ENTITY_AND_PROJECT_INFORMATION');
  const collection = membership.artifactCollection;
  const artifactEntity = collection?.project?.entity.name ?? entity;
  const artifactProject = collection?.project?.name ?? project;
  const variables: UseArtifactVariables = {
    entityName: run.entity, projectName: run.project, runName: run.runId, artifactID: artifact.id, usedAs: null,
    ...(withEntity ? { artifactEntityName: artifactEntity, artifactProjectName: artifactProject } : {}),
  };
  await http.graphql(useArtifactOperation(withEntity), { ...variables });

  const versionIndex = membership.versionIndex ?? artifact.versionIndex;
  return {
    id: artifact.id,
    name: `${collection?.name ?? parsed.name}:v${versionIndex}`,
    version: `v${versionIndex}`,
    type: artifact.artifactType.name,
    digest: artifact.digest,
    aliases: membership.aliases.map((a) => a.alias),
    entity: artifactEntity,
    project: artifactProject,
  };
}

/**
 * `UseArtifact` for a version known by id — the SDK's `use_after_commit` path (reference §5.1 i): no name
 * lookup, just the usage edge. The integration's `pinned` lineage uses it to name the exact version a value
 * came from instead of whatever `:latest` points at when the consumer ends.
 */
export async function useArtifactById(ctx: ArtifactContext, artifactId: string): Promise<void> {
  const run = ctx.path();
  const variables: UseArtifactVariables = { entityName: run.entity, projectName: run.project, runName: run.runId, artifactID: artifactId, usedAs: null };
  await ctx.http.graphql(useArtifactOperation(false), { ...variables });
}
