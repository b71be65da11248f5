// Reading artifacts back: type checks, name resolution, lookups, and the usage edge (reference §5.4, §5.5).

import { LATEST_ALIAS } from '../../protocol/index.ts';
import { failure } from '../errors.ts';
import { addUsage, projectExists } from '../indexes.ts';
import { runKey, type ArtifactRecord, type BackendState, type CollectionRecord } from '../state.ts';
import { collectionOf, findArtifact } from './artifact-save.ts';
import { Vars, type OpContext, type Resolver } from './context.ts';
import { findRun } from './run-ops.ts';
import { own } from '../own.ts';

/** `name`, `name:alias` or `name:vN` inside one project (a bare name means `latest`). */
export function resolveName(state: BackendState, entity: string, project: string, ref: string): ArtifactRecord | null {
  const colon = ref.lastIndexOf(':');
  const name = colon < 0 ? ref : ref.slice(0, colon);
  const alias = colon < 0 ? LATEST_ALIAS : ref.slice(colon + 1);
  const coll = state.collections[runKey(entity, project, name)];
  if (!coll) return null;
  const version = /^v(\d+)$/.exec(alias);
  const id = version ? coll.versions[Number(version[1])] : own(coll.aliases, alias);
  return (id && own(state.artifacts, id)) || null;
}


function projectNode(entity: string, project: string) {
  return { __typename: 'Project', id: Buffer.from(`Project:v1:${entity}/${project}`).toString('base64'), internalId: `${entity}/${project}`, name: project, entity: { __typename: 'Entity', name: entity } };
}

function aliasesOf(coll: CollectionRecord, art: ArtifactRecord) {
  const names = Object.keys(coll.aliases).filter((a) => coll.aliases[a] === art.id).sort();
  if (art.versionIndex !== null) names.push(`v${art.versionIndex}`);
  return names.map((alias) => ({
    __typename: 'ArtifactAlias',
    id: Buffer.from(`ArtifactAlias:v1:${art.id}:${alias}`).toString('base64'),
    alias,
    artifactCollection: { __typename: 'ArtifactSequence', name: coll.name, project: projectNode(coll.entity, coll.project) },
  }));
}

/** Every field the SDK's pydantic models and the legacy ArtifactFragment read (reference §5.4). */
export function artifactNode(ctx: OpContext, art: ArtifactRecord) {
  const coll = collectionOf(ctx.state, art);
  const entries = Object.values(art.manifest?.contents ?? {});
  const sequence = { __typename: 'ArtifactSequence', id: Buffer.from(`ArtifactSequence:v1:${runKey(art.entity, art.project, art.collection)}`).toString('base64'), name: art.collection, project: projectNode(art.entity, art.project) };
  return {
    __typename: 'Artifact',
    id: art.id,
    digest: art.digest,
    commitHash: art.digest.slice(0, 20),
    state: art.state,
    versionIndex: art.versionIndex,
    artifactType: { __typename: 'ArtifactType', name: art.type },
    artifactSequence: sequence,
    description: art.description,
    metadata: art.metadata,
    labels: null,
    ttlDurationSeconds: -1,
    ttlIsInherited: true,
    tags: [],
    historyStep: null,
    size: entries.reduce((n, e) => n + e.size, 0),
    fileCount: entries.length,
    createdAt: art.createdAt,
    updatedAt: art.createdAt,
    aliases: coll ? aliasesOf(coll, art) : [],
    currentManifest: { file: { directUrl: ctx.storageUrl(`/storage/manifest/${encodeURIComponent(art.id)}`) } },
  };
}

const artifactType: Resolver = (ctx) => {
  const v = new Vars(ctx.operation, ctx.variables);
  const entity = v.optStr('entityName') ?? v.optStr('entity') ?? ctx.defaultEntity;
  const project = v.optStr('projectName') ?? v.optStr('project') ?? 'uncategorized';
  const art = resolveName(ctx.state, entity, project, v.str('name'));
  if (!projectExists(ctx.state, entity, project)) return { project: null };
  return { project: { artifact: art ? { artifactType: { name: art.type } } : null } };
};

const artifactMembershipByName: Resolver = (ctx) => {
  const v = new Vars(ctx.operation, ctx.variables);
  const entity = v.str('entity');
  const project = v.str('project');
  if (!projectExists(ctx.state, entity, project)) return { project: null };
  const art = resolveName(ctx.state, entity, project, v.str('name'));
  const coll = art && collectionOf(ctx.state, art);
  if (!art || !coll) return { project: { artifactCollectionMembership: null } };
  return {
    project: {
      artifactCollectionMembership: {
        __typename: 'ArtifactCollectionMembership',
        id: Buffer.from(`ArtifactCollectionMembership:v1:${art.id}`).toString('base64'),
        versionIndex: art.versionIndex,
        aliases: aliasesOf(coll, art),
        artifactCollection: { __typename: 'ArtifactSequence', name: coll.name, project: projectNode(entity, project) },
        artifact: artifactNode(ctx, art),
      },
    },
  };
};

const artifactByName: Resolver = (ctx) => {
  const v = new Vars(ctx.operation, ctx.variables);
  const entity = v.optStr('entityName') ?? v.optStr('entity') ?? ctx.defaultEntity;
  const project = v.optStr('projectName') ?? v.optStr('project') ?? 'uncategorized';
  if (!projectExists(ctx.state, entity, project)) return { project: null };
  const art = resolveName(ctx.state, entity, project, v.str('name'));
  return { project: { artifact: art ? artifactNode(ctx, art) : null } };
};

const artifactById: Resolver = (ctx) => {
  const v = new Vars(ctx.operation, ctx.variables);
  const art = own(ctx.state.artifacts, v.str('id'));
  return { artifact: art ? artifactNode(ctx, art) : null };
};

/**
 * UseArtifact is the input edge of lineage: run <- artifact. Repeated uses of one version by one run are one
 * edge (the SDK may re-send after a retry).
 */
const useArtifact: Resolver = (ctx) => {
  const base = new Vars(ctx.operation, ctx.variables);
  const v = ctx.variables.input !== undefined ? base.nested('input') : base;
  const run = findRun(ctx.state, v.str('entityName'), v.str('projectName'), v.str('runName'), ctx.operation);
  const art = findArtifact(ctx.state, v.str('artifactID'), ctx.operation);
  if (art.state !== 'COMMITTED') throw failure('CONFLICT', 'use artifact', art.collection, 'the artifact is not committed yet');
  addUsage(ctx.state, run.key, art.id);
  return { useArtifact: { artifact: { id: art.id, digest: art.digest, description: art.description, state: art.state, createdAt: art.createdAt, metadata: art.metadata } } };
};

export const artifactLookupOps: Record<string, Resolver> = {
  ArtifactType: artifactType,
  ArtifactMembershipByName: artifactMembershipByName,
  ArtifactByName: artifactByName,
  ArtifactByID: artifactById,
  Artifact: artifactById,
  FetchArtifactManifest: artifactById,
  UseArtifact: useArtifact,
};
