// Saving an artifact: CreateArtifact -> CreateArtifactManifest -> CreateArtifactFiles -> PUTs -> manifest ->
// CommitArtifact (reference §5.1). Both dialects: wandb-core nests `input`, the legacy sender sends flat
// variables (and `type` instead of `manifestType`).

import { LATEST_ALIAS, MANIFEST_FILE_NAME } from '../../protocol/index.ts';
import { computeManifestDigest } from '../digest.ts';
import { failure } from '../errors.ts';
import { nextId } from '../ids.ts';
import { checkRelativePath } from '../paths.ts';
import { runKey, type ArtifactRecord, type BackendState, type CollectionRecord } from '../state.ts';
import { Vars, type OpContext, type Resolver } from './context.ts';
import { findRun } from './run-ops.ts';
import { own, RESERVED_KEY } from '../own.ts';

const ARTIFACT_NAME = /^[\w.-]+$/;
const HEX32 = /^[0-9a-f]{32}$/;
const B64_MD5 = /^[A-Za-z0-9+/]{22}==$/;

export function findArtifact(state: BackendState, id: string, op: string): ArtifactRecord {
  const art = own(state.artifacts, id);
  if (!art) throw failure('UNKNOWN_ARTIFACT', 'run', op, `there is no artifact with id ${JSON.stringify(id)}`);
  return art;
}

export function collectionOf(state: BackendState, art: ArtifactRecord): CollectionRecord | undefined {
  return state.collections[runKey(art.entity, art.project, art.collection)];
}

function inputOf(ctx: OpContext): Vars {
  const v = new Vars(ctx.operation, ctx.variables);
  return ctx.variables.input !== undefined ? v.nested('input') : v;
}

const createArtifact: Resolver = (ctx) => {
  const v = inputOf(ctx);
  const type = v.str('artifactTypeName');
  const names = v.optStrList('artifactCollectionNames');
  const collection = v.optStr('artifactCollectionName') ?? names?.[0] ?? v.str('artifactCollectionName');
  if (!ARTIFACT_NAME.test(collection) || collection.length > 128) {
    throw failure('BAD_VARIABLES', 'create artifact', collection, 'artifact names may only hold letters, digits, "-", "_" and "." (at most 128)');
  }
  const entity = v.str('entityName');
  const project = v.str('projectName');
  const runName = v.optStr('runName');
  const digest = v.str('digest');
  if (!HEX32.test(digest)) throw failure('BAD_VARIABLES', 'create artifact', collection, 'digest must be 32 lowercase hex characters');
  const aliases = (v.raw.aliases === null || v.raw.aliases === undefined ? [] : v.list('aliases')).map((a) => {
    const alias = (a as { alias?: unknown } | null)?.alias;
    if (typeof alias !== 'string' || alias === '') throw failure('BAD_VARIABLES', 'create artifact', collection, 'each alias must be {alias, artifactCollectionName}');
    if (alias === RESERVED_KEY) throw failure('BAD_VARIABLES', 'create artifact', collection, `"${RESERVED_KEY}" is not a usable alias`);
    return alias;
  });
  const description = v.optStr('description');
  const metadata = v.optStr('metadata');
  if (metadata !== null) {
    try {
      JSON.parse(metadata);
    } catch {
      throw failure('BAD_VARIABLES', 'create artifact', collection, 'metadata must be a JSON-encoded string');
    }
  }
  const createdBy = runName === null ? null : findRun(ctx.state, entity, project, runName, ctx.operation).key;
  const key = runKey(entity, project, collection);
  const existing = ctx.state.collections[key];
  if (existing && existing.type !== type) {
    throw failure('CONFLICT', 'create artifact', collection, `it already exists with type "${existing.type}", not "${type}"`, 'Use another name or the same type.');
  }
  const latestId = existing?.aliases[LATEST_ALIAS] ?? null;
  const sequence = {
    id: Buffer.from(`ArtifactSequence:v1:${key}`).toString('base64'),
    latestArtifact: latestId ? { id: latestId, versionIndex: ctx.state.artifacts[latestId]!.versionIndex } : null,
  };
  // Deduplication (reference §5.1 a, §5.5): the server already holds a committed version with this digest, so
  // it answers that version as COMMITTED; no new version, no new output edge, the aliases move onto it.
  const twin = existing?.versions.map((id) => ctx.state.artifacts[id]!).find((a) => a.digest === digest);
  if (twin && existing) {
    for (const alias of new Set([...aliases, LATEST_ALIAS])) existing.aliases[alias] = twin.id;
    return { createArtifact: { artifact: { id: twin.id, state: 'COMMITTED', artifactSequence: sequence } } };
  }
  // Every variable was read above: reading one after nextId() once left a 400 with the id counter moved.
  const id = nextId(ctx.state, 'Artifact');
  ctx.state.artifacts[id] = {
    id, entity, project, collection, type, digest, state: 'PENDING', versionIndex: null, requestedAliases: aliases,
    metadata, description, createdBy, manifestId: null, manifestDigest: null, manifest: null,
    announced: {}, createdAt: ctx.now(), seq: ctx.state.counter, // creation order: nextId just advanced the counter
  };
  return { createArtifact: { artifact: { id, state: 'PENDING', artifactSequence: sequence } } };
};

const createArtifactManifest: Resolver = (ctx) => {
  const v = inputOf(ctx);
  const art = findArtifact(ctx.state, v.str('artifactID'), ctx.operation);
  const name = v.optStr('name') ?? MANIFEST_FILE_NAME;
  checkRelativePath(name, 'a manifest name');
  const digest = v.optStr('digest') ?? '';
  if (digest !== '' && !B64_MD5.test(digest)) throw failure('BAD_VARIABLES', 'create manifest', name, 'digest must be a base64 md5 or ""');
  const includeUpload = v.optBool('includeUpload') ?? true;
  if (art.state === 'COMMITTED' && art.manifest) {
    throw failure('CONFLICT', 'create manifest', name, `artifact ${art.collection}:v${art.versionIndex} is already committed`);
  }
  // The SDK creates the same (artifact, name) twice: once to reserve it, once for the upload URL. Same id both times.
  if (!art.manifestId) {
    art.manifestId = nextId(ctx.state, 'ArtifactManifest');
    ctx.state.manifests[art.manifestId] = { artifact: art.id, name };
  }
  if (digest !== '') art.manifestDigest = digest;
  const file: Record<string, unknown> = { id: Buffer.from(`File:v1:${art.manifestId}`).toString('base64'), name, displayName: name };
  if (includeUpload) {
    file.uploadUrl = ctx.storageUrl(`/storage/manifest/${encodeURIComponent(art.id)}`);
    file.uploadHeaders = [];
  }
  return { createArtifactManifest: { artifactManifest: { id: art.manifestId, file } } };
};

const createArtifactFiles: Resolver = (ctx) => {
  const v = inputOf(ctx);
  const specs = v.list('artifactFiles').map((raw, i) => {
    if (raw === null || typeof raw !== 'object') throw failure('BAD_VARIABLES', 'create artifact files', `#${i}`, 'each entry must be an object');
    const s = new Vars(ctx.operation, raw as Record<string, unknown>);
    const art = findArtifact(ctx.state, s.str('artifactID'), ctx.operation);
    if (art.state !== 'PENDING') throw failure('CONFLICT', 'create artifact files', art.collection, 'the artifact is already committed');
    const name = checkRelativePath(s.raw.name, 'an artifact file name');
    const md5 = s.str('md5');
    if (!B64_MD5.test(md5)) throw failure('BAD_VARIABLES', 'create artifact files', name, 'md5 must be a base64 md5');
    const parts = s.raw.uploadPartsInput;
    if (Array.isArray(parts) && parts.length > 0) throw failure('BAD_VARIABLES', 'create artifact files', name, 'multipart uploads are not supported by this server');
    return { art, name, md5 };
  });
  const edges = specs.map(({ art, name, md5 }) => {
    art.announced[name] = md5;
    const have = own(ctx.state.blobs, md5) !== undefined;
    const path = `/storage/artifacts/${encodeURIComponent(art.id)}/${name.split('/').map(encodeURIComponent).join('/')}`;
    return {
      node: {
        id: Buffer.from(`File:v1:${art.id}/${name}`).toString('base64'),
        name,
        displayName: name,
        storagePath: `wandb_artifacts/${Buffer.from(md5, 'base64').toString('hex')}`,
        // uploadUrl null = "the server already has this content" (reference §5.1 c).
        uploadUrl: have ? null : ctx.storageUrl(path),
        uploadHeaders: [],
        uploadMultipartUrls: null,
        artifact: { id: art.id },
      },
    };
  });
  return { createArtifactFiles: { files: { edges } } };
};

const commitArtifact: Resolver = (ctx) => {
  const v = inputOf(ctx);
  const art = findArtifact(ctx.state, v.str('artifactID'), ctx.operation);
  if (art.state === 'COMMITTED') return { commitArtifact: { artifact: { id: art.id, digest: art.digest } } };
  const label = art.collection;
  if (!art.manifest) throw failure('BAD_REQUEST', 'commit artifact', label, 'its manifest was never uploaded', 'PUT the manifest before CommitArtifact.');
  const computed = computeManifestDigest(art.manifest.contents);
  if (computed !== art.digest) {
    throw failure('DIGEST_MISMATCH', 'commit artifact', label, `the manifest's digest is ${computed}, CreateArtifact announced ${art.digest}`);
  }
  for (const [path, entry] of Object.entries(art.manifest.contents)) {
    if (entry.ref === undefined && own(ctx.state.blobs, entry.digest) === undefined) {
      throw failure('BAD_REQUEST', 'commit artifact', label, `file "${path}" (md5 ${entry.digest}) was never uploaded`);
    }
  }
  const key = runKey(art.entity, art.project, art.collection);
  const coll = (ctx.state.collections[key] ??= {
    key, entity: art.entity, project: art.project, name: art.collection, type: art.type, versions: [], aliases: {},
  });
  if (coll.type !== art.type) throw failure('CONFLICT', 'commit artifact', label, `it exists with type "${coll.type}"`);
  art.state = 'COMMITTED';
  art.versionIndex = coll.versions.length;
  coll.versions.push(art.id);
  // `latest` moves to every new version (the SDK always asks for it; a client that forgets still gets it).
  for (const alias of new Set([...art.requestedAliases, LATEST_ALIAS])) coll.aliases[alias] = art.id;
  return { commitArtifact: { artifact: { id: art.id, digest: art.digest } } };
};

export const artifactSaveOps: Record<string, Resolver> = {
  CreateArtifact: createArtifact,
  CreateArtifactManifest: createArtifactManifest,
  CreateArtifactFiles: createArtifactFiles,
  CommitArtifact: commitArtifact,
};

