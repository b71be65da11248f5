// Saving an artifact: CreateArtifact -> CreateArtifactManifest -> CreateArtifactFiles -> PUTs -> manifest ->
// CommitArtifact (reference §5.1). Every dialect sends these through the `input` argument; the answer's shape
// comes from the document's selection over the records returned here.

import { LATEST_ALIAS, MANIFEST_FILE_NAME } from '../../../protocol/index.ts';
import { computeManifestDigest } from '../../digest.ts';
import { BackendError, failure } from '../../errors.ts';
import { nextId } from '../../ids.ts';
import { own, RESERVED_KEY } from '../../own.ts';
import { checkRelativePath } from '../../paths.ts';
import { runKey, type ArtifactRecord, type BackendState, type CollectionRecord } from '../../state.ts';
import { Vars, type GraphQLContext, type ResolverMap } from '../context.ts';
import { findRun, inputOf } from './runs.ts';

const ARTIFACT_NAME = /^[\w.-]+$/;
const HEX32 = /^[0-9a-f]{32}$/;
const B64_MD5 = /^[A-Za-z0-9+/]{22}==$/;
const b64 = (s: string) => Buffer.from(s).toString('base64');

export function findArtifact(state: BackendState, id: string, op: string): ArtifactRecord {
  const art = own(state.artifacts, id);
  if (!art) throw failure('UNKNOWN_ARTIFACT', 'run', op, `there is no artifact with id ${JSON.stringify(id)}`);
  return art;
}

export function collectionOf(state: BackendState, art: ArtifactRecord): CollectionRecord | undefined {
  return state.collections[runKey(art.entity, art.project, art.collection)];
}

function createArtifact(_s: unknown, args: { input: unknown }, ctx: GraphQLContext) {
  const v = inputOf(args, ctx);
  const type = v.str('artifactTypeName');
  const names = v.optStrList('artifactCollectionNames');
  const collection = v.optStr('artifactCollectionName') || names?.[0] || v.str('artifactCollectionName');
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
  // Deduplication (reference §5.1 a, §5.5): the server already holds a committed version with this digest, so
  // it answers that version as COMMITTED; no new version, no new output edge, the aliases move onto it.
  const twin = existing?.versions.map((id) => ctx.state.artifacts[id]!).find((a) => a.digest === digest);
  if (twin && existing) {
    for (const alias of new Set([...aliases, LATEST_ALIAS])) existing.aliases[alias] = twin.id;
    return { artifact: twin };
  }
  // Every variable was read above: reading one after nextId() once left a 400 with the id counter moved.
  const id = nextId(ctx.state, 'Artifact');
  const art: ArtifactRecord = {
    id, entity, project, collection, type, digest, state: 'PENDING', versionIndex: null, requestedAliases: aliases,
    metadata, description, createdBy, manifestId: null, manifestDigest: null, manifest: null,
    announced: {}, createdAt: ctx.now(), seq: ctx.state.counter, // creation order: nextId just advanced the counter
  };
  ctx.state.artifacts[id] = art;
  return { artifact: art };
}

function createArtifactManifest(_s: unknown, args: { input: unknown }, ctx: GraphQLContext) {
  const v = inputOf(args, ctx);
  const art = findArtifact(ctx.state, v.str('artifactID'), ctx.operation);
  const name = v.optStr('name') ?? MANIFEST_FILE_NAME;
  checkRelativePath(name, 'a manifest name');
  const digest = v.optStr('digest') ?? '';
  if (digest !== '' && !B64_MD5.test(digest)) throw failure('BAD_VARIABLES', 'create manifest', name, 'digest must be a base64 md5 or ""');
  if (art.state === 'COMMITTED' && art.manifest) {
    throw failure('CONFLICT', 'create manifest', name, `artifact ${art.collection}:v${art.versionIndex} is already committed`);
  }
  // The SDK creates the same (artifact, name) twice: once to reserve it, once for the upload URL. Same id both times.
  if (!art.manifestId) {
    art.manifestId = nextId(ctx.state, 'ArtifactManifest');
    ctx.state.manifests[art.manifestId] = { artifact: art.id, name };
  }
  if (digest !== '') art.manifestDigest = digest;
  const file = {
    id: b64(`File:v1:${art.manifestId}`), name, displayName: name,
    uploadUrl: ctx.storageUrl(`/storage/manifest/${encodeURIComponent(art.id)}`), uploadHeaders: [],
  };
  return { artifactManifest: { id: art.manifestId, file } };
}

function createArtifactFiles(_s: unknown, args: { input: unknown }, ctx: GraphQLContext) {
  const v = inputOf(args, ctx);
  const specs = v.list('artifactFiles').map((raw, i) => {
    if (raw === null || typeof raw !== 'object') throw failure('BAD_VARIABLES', 'create artifact files', `#${i}`, 'each entry must be an object');
    const s = new Vars(ctx.operation, raw as Record<string, unknown>);
    const art = findArtifact(ctx.state, s.str('artifactID'), ctx.operation);
    if (art.state !== 'PENDING') throw failure('CONFLICT', 'create artifact files', art.collection, 'the artifact is already committed');
    const name = checkRelativePath(s.raw.name, 'an artifact file name');
    const md5 = s.str('md5');
    if (!B64_MD5.test(md5)) throw failure('BAD_VARIABLES', 'create artifact files', name, 'md5 must be a base64 md5');
    const parts = s.raw.uploadPartsInput;
    if (Array.isArray(parts) && parts.length > 0) {
      // Advertised so that 0.18.x can send `[]` (schema/artifacts.graphql); the parts themselves are not implemented.
      ctx.unsupported('CreateArtifactFileSpecInput.uploadPartsInput');
      throw new BackendError('UNSUPPORTED_OPERATION', `Failed to create artifact file "${name}": multipart uploads (CreateArtifactFileSpecInput.uploadPartsInput) are not implemented by the tracked-flows mock backend. It is listed under "unsupported" in the log; keep files under 2 GiB.`);
    }
    return { art, name, md5 };
  });
  const edges = specs.map(({ art, name, md5 }) => {
    art.announced[name] = md5;
    const have = own(ctx.state.blobs, md5) !== undefined;
    const path = `/storage/artifacts/${encodeURIComponent(art.id)}/${name.split('/').map(encodeURIComponent).join('/')}`;
    return {
      node: {
        id: b64(`File:v1:${art.id}/${name}`),
        name,
        displayName: name,
        storagePath: `wandb_artifacts/${Buffer.from(md5, 'base64').toString('hex')}`,
        // uploadUrl null = "the server already has this content" (reference §5.1 c).
        uploadUrl: have ? null : ctx.storageUrl(path),
        uploadHeaders: [],
        uploadMultipartUrls: null,
        md5,
        artifact: art,
      },
    };
  });
  return { files: { edges, pageInfo: { endCursor: null, hasNextPage: false }, totalCount: edges.length } };
}

function commitArtifact(_s: unknown, args: { input: unknown }, ctx: GraphQLContext) {
  const v = inputOf(args, ctx);
  const art = findArtifact(ctx.state, v.str('artifactID'), ctx.operation);
  if (art.state === 'COMMITTED') return { artifact: art };
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
  return { artifact: art };
}

export const artifactSaveResolvers: ResolverMap = {
  Mutation: { createArtifact, createArtifactManifest, createArtifactFiles, commitArtifact },
};
