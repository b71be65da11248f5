// Reading artifacts back (reference §5.4, §5.5): by id, by name (`name`, `name:alias`, `name:vN`), by
// collection membership, their files for download, and the usage edge (UseArtifact).

import { LATEST_ALIAS } from '../../../protocol/index.ts';
import { failure } from '../../errors.ts';
import { addUsage } from '../../indexes.ts';
import { own } from '../../own.ts';
import { runKey, type ArtifactRecord, type BackendState } from '../../state.ts';
import type { GraphQLContext, ResolverMap } from '../context.ts';
import { collectionOf, findArtifact } from './artifact-save.ts';
import { findRun, inputOf, projectSource, type ProjectSource } from './runs.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Source of an ArtifactSequence: a collection by its key parts (it may not be committed yet). */
export interface CollectionSource { entity: string; project: string; name: string }
/** Source of an ArtifactCollectionMembership and of an ArtifactAlias. */
export interface MembershipSource { art: ArtifactRecord }
export interface AliasSource { art: ArtifactRecord; alias: string }

/** `name`, `name:alias` or `name:vN` inside one project (a bare name means `latest`). */
export function resolveName(state: BackendState, entity: string, project: string, ref: string): ArtifactRecord | null {
  const colon = ref.lastIndexOf(':');
  const name = colon < 0 ? ref : ref.slice(0, colon);
  const alias = colon < 0 ? LATEST_ALIAS : ref.slice(colon + 1);
  return byAlias(state, entity, project, name, alias);
}

function byAlias(state: BackendState, entity: string, project: string, collection: string, alias: string): ArtifactRecord | null {
  const coll = own(state.collections, runKey(entity, project, collection));
  if (!coll) return null;
  const version = /^v(\d+)$/.exec(alias);
  const id = version ? coll.versions[Number(version[1])] : own(coll.aliases, alias);
  return (id && own(state.artifacts, id)) || null;
}

/** Source of an ArtifactType: the type's name inside one project (the Public API looks collections up under it). */
export interface ArtifactTypeSource { id: string; name: string; entity: string; project: string }

export const typeSource = (entity: string, project: string, name: string): ArtifactTypeSource => ({
  id: b64(`ArtifactType:v1:${entity}/${project}/${name}`), name, entity, project,
});

const sequenceOf = (art: ArtifactRecord): CollectionSource => ({ entity: art.entity, project: art.project, name: art.collection });

function aliasesOf(state: BackendState, art: ArtifactRecord): AliasSource[] {
  const coll = collectionOf(state, art);
  if (!coll) return [];
  const names = Object.keys(coll.aliases).filter((a) => coll.aliases[a] === art.id).sort();
  if (art.versionIndex !== null) names.push(`v${art.versionIndex}`);
  return names.map((alias) => ({ art, alias }));
}

type Page = { names?: string[] | null; after?: string | null; first?: number | null };

/** The artifact's files (from its uploaded manifest) in path order, as a FileConnection page. */
function filesOf(art: ArtifactRecord, args: Page, ctx: GraphQLContext) {
  const contents = art.manifest?.contents ?? {};
  let paths = Object.keys(contents).sort();
  if (args.names) paths = paths.filter((p) => args.names!.includes(p));
  const start = args.after ? Number(args.after) : 0;
  if (!Number.isInteger(start) || start < 0) throw failure('BAD_VARIABLES', 'list files of', art.collection, `cursor ${JSON.stringify(args.after)} is not one this server handed out`);
  const end = args.first === null || args.first === undefined ? paths.length : Math.min(paths.length, start + Math.max(0, args.first));
  const edges = paths.slice(start, end).map((path, i) => {
    const entry = contents[path]!;
    const url = ctx.storageUrl(`/storage/artifacts/${encodeURIComponent(art.id)}/${path.split('/').map(encodeURIComponent).join('/')}`);
    return {
      // The Public API's paginators send edges[-1].cursor back as `after`; artifact.files() reads `name: displayName`
      // and File.download() joins it to the root, so displayName is the path inside the artifact, not a basename.
      cursor: String(start + i + 1),
      node: {
        id: b64(`File:v1:${art.id}/${path}`), name: path, displayName: path, url, directUrl: url,
        uploadUrl: null, uploadHeaders: [], storagePath: null, sizeBytes: entry.size, mimetype: null,
        updatedAt: art.createdAt, digest: entry.digest, md5: entry.digest, artifact: art, uploadMultipartUrls: null,
      },
    };
  });
  return { totalCount: paths.length, pageInfo: { endCursor: end > start ? String(end) : args.after ?? null, hasNextPage: end < paths.length }, edges };
}

/**
 * UseArtifact is the input edge of lineage: run <- artifact. Repeated uses of one version by one run are one
 * edge (the SDK may re-send after a retry).
 */
function useArtifact(_s: unknown, args: { input: unknown }, ctx: GraphQLContext) {
  const v = inputOf(args, ctx);
  const run = findRun(ctx.state, v.str('entityName'), v.str('projectName'), v.str('runName'), ctx.operation);
  const art = findArtifact(ctx.state, v.str('artifactID'), ctx.operation);
  if (art.state !== 'COMMITTED') throw failure('CONFLICT', 'use artifact', art.collection, 'the artifact is not committed yet');
  addUsage(ctx.state, run.key, art.id);
  return { artifact: art };
}

export const artifactReadResolvers: ResolverMap = {
  Query: {
    artifact: (_s, args: { id: string }, ctx: GraphQLContext) => own(ctx.state.artifacts, args.id) ?? null,
  },
  Mutation: { useArtifact },
  Project: {
    artifact: (p: ProjectSource, args: { name: string }, ctx: GraphQLContext) => resolveName(ctx.state, p.entity, p.name, args.name),
    artifactType: (p: ProjectSource, args: { name: string }, ctx: GraphQLContext) => {
      const found = Object.values(ctx.state.collections).some((c) => c.entity === p.entity && c.project === p.name && c.type === args.name);
      return found ? typeSource(p.entity, p.name, args.name) : null;
    },
    artifactCollection: (p: ProjectSource, args: { name: string }, ctx: GraphQLContext): CollectionSource | null =>
      own(ctx.state.collections, runKey(p.entity, p.name, args.name)) ? { entity: p.entity, project: p.name, name: args.name } : null,
    artifactCollectionMembership: (p: ProjectSource, args: { name: string }, ctx: GraphQLContext): MembershipSource | null => {
      const art = resolveName(ctx.state, p.entity, p.name, args.name);
      return art ? { art } : null;
    },
  },
  Artifact: {
    commitHash: (a: ArtifactRecord) => a.digest.slice(0, 20),
    artifactType: (a: ArtifactRecord) => typeSource(a.entity, a.project, a.type),
    artifactSequence: sequenceOf,
    labels: () => null,
    ttlDurationSeconds: () => -1,
    ttlIsInherited: () => true,
    tags: () => [],
    historyStep: () => null,
    size: (a: ArtifactRecord) => Object.values(a.manifest?.contents ?? {}).reduce((n, e) => n + e.size, 0),
    fileCount: (a: ArtifactRecord) => Object.keys(a.manifest?.contents ?? {}).length,
    updatedAt: (a: ArtifactRecord) => a.createdAt,
    aliases: (a: ArtifactRecord, _args, ctx: GraphQLContext) => aliasesOf(ctx.state, a),
    currentManifest: (a: ArtifactRecord, _args, ctx: GraphQLContext) => ({
      id: a.manifestId ?? b64(`ArtifactManifest:v1:${a.id}`),
      file: { id: b64(`File:v1:${a.manifestId}`), name: 'wandb_manifest.json', uploadHeaders: [], directUrl: ctx.storageUrl(`/storage/manifest/${encodeURIComponent(a.id)}`) },
    }),
    files: (a: ArtifactRecord, args: Page, ctx: GraphQLContext) => filesOf(a, args, ctx),
    filesByManifestEntries: (a: ArtifactRecord, args: { entries?: { name: string }[] | null }, ctx: GraphQLContext) =>
      filesOf(a, { names: args.entries ? args.entries.map((e) => e.name) : null }, ctx),
  },
  ArtifactCollection: {
    __resolveType: () => 'ArtifactSequence',
  },
  ArtifactSequence: {
    id: (c: CollectionSource) => b64(`ArtifactSequence:v1:${runKey(c.entity, c.project, c.name)}`),
    project: (c: CollectionSource) => projectSource(c.entity, c.project),
    latestArtifact: (c: CollectionSource, _args, ctx: GraphQLContext) => byAlias(ctx.state, c.entity, c.project, c.name, LATEST_ALIAS),
    artifactMembership: (c: CollectionSource, args: { aliasName: string }, ctx: GraphQLContext): MembershipSource | null => {
      const art = byAlias(ctx.state, c.entity, c.project, c.name, args.aliasName);
      return art ? { art } : null;
    },
  },
  ArtifactAlias: {
    id: (a: AliasSource) => b64(`ArtifactAlias:v1:${a.art.id}:${a.alias}`),
    artifactCollection: (a: AliasSource) => sequenceOf(a.art),
  },
  ArtifactCollectionMembership: {
    id: (m: MembershipSource) => b64(`ArtifactCollectionMembership:v1:${m.art.id}`),
    versionIndex: (m: MembershipSource) => m.art.versionIndex,
    aliases: (m: MembershipSource, _args, ctx: GraphQLContext) => aliasesOf(ctx.state, m.art),
    artifactCollection: (m: MembershipSource) => sequenceOf(m.art),
    artifact: (m: MembershipSource) => m.art,
    files: (m: MembershipSource, args: Page, ctx: GraphQLContext) => filesOf(m.art, args, ctx),
  },
};
