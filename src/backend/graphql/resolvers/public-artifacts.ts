// The Public API's artifacts (schema/public-api.graphql): what a run logged and used, who logged and used a
// version, a collection's versions and aliases, an artifact looked up under its type. Lineage comes from
// src/backend/facts.ts (lineageOf), the log model's own derivation.

import { lineageOf, type Lineage } from '../../facts.ts';
import { byCodePoint } from '../../json.ts';
import { own } from '../../own.ts';
import { compare, matches, parseFilter } from '../../query/filter.ts';
import { page } from '../../query/pages.ts';
import { BackendError } from '../../errors.ts';
import { runKey, type ArtifactRecord, type BackendState, type RunRecord } from '../../state.ts';
import type { GraphQLContext, ResolverMap } from '../context.ts';
import { resolveName, typeSource, type ArtifactTypeSource, type CollectionSource } from './artifact-read.ts';
import { runPage } from './public-runs.ts';
import type { ProjectSource } from './runs.ts';

type PageArgs = { after?: string | null; first?: number | null };

// Lineage is grouped once per request (a page of runs asks for it once per run); a request sees one state.
const lineageCache = new WeakMap<GraphQLContext, Lineage>();
function lineage(ctx: GraphQLContext): Lineage {
  let l = lineageCache.get(ctx);
  if (!l) lineageCache.set(ctx, (l = lineageOf(ctx.state)));
  return l;
}

const artifactPage = (arts: readonly ArtifactRecord[], args: PageArgs) => page(arts, (a) => a.id, 'Artifact', args);

/** The committed versions of a collection, oldest first. */
function versionsOf(state: BackendState, c: CollectionSource): ArtifactRecord[] {
  const coll = own(state.collections, runKey(c.entity, c.project, c.name));
  return (coll?.versions ?? []).map((id) => state.artifacts[id]!).filter((a) => a?.state === 'COMMITTED');
}

function collectionIn(state: BackendState, t: ArtifactTypeSource, name: string): CollectionSource | null {
  const coll = own(state.collections, runKey(t.entity, t.project, name));
  return coll && coll.type === t.name ? { entity: t.entity, project: t.project, name } : null;
}

/** Artifact fields a version filter can name (0.18.7 sends {"state": "COMMITTED"}). */
const artifactReader = (a: ArtifactRecord) => (path: string): unknown =>
  ({ state: a.state, versionIndex: a.versionIndex, digest: a.digest, createdAt: a.createdAt, created_at: a.createdAt, id: a.id })[path];

function orderVersions(arts: ArtifactRecord[], order: string | null | undefined): ArtifactRecord[] {
  if (!order) return arts.sort((a, b) => b.versionIndex! - a.versionIndex!);
  const descending = order.startsWith('-');
  const path = order.replace(/^[+-]/, '');
  const key = (a: ArtifactRecord) => ({ versionIndex: a.versionIndex, createdAt: a.createdAt, created_at: a.createdAt, updatedAt: a.createdAt })[path];
  if (!['versionIndex', 'createdAt', 'created_at', 'updatedAt'].includes(path)) {
    throw new BackendError('BAD_VARIABLES', `Failed to order artifact versions: "order" ${JSON.stringify(order)} names no field this server orders by (versionIndex, createdAt).`);
  }
  return arts.sort((a, b) => {
    const c = compare(key(a), key(b)) ?? 0;
    return (descending ? -c : c) || a.versionIndex! - b.versionIndex!;
  });
}

const collectionFields = {
  description: () => null,
  createdAt: (c: CollectionSource, _a: unknown, ctx: GraphQLContext) => versionsOf(ctx.state, c)[0]?.createdAt ?? null,
  updatedAt: (c: CollectionSource, _a: unknown, ctx: GraphQLContext) => versionsOf(ctx.state, c).at(-1)?.createdAt ?? null,
  defaultArtifactType: (c: CollectionSource, _a: unknown, ctx: GraphQLContext): ArtifactTypeSource | null => {
    const coll = own(ctx.state.collections, runKey(c.entity, c.project, c.name));
    return coll ? typeSource(c.entity, c.project, coll.type) : null;
  },
  tags: () => ({ edges: [] }),
  aliases: (c: CollectionSource, args: PageArgs, ctx: GraphQLContext) => {
    const coll = own(ctx.state.collections, runKey(c.entity, c.project, c.name));
    const aliases = Object.keys(coll?.aliases ?? {}).sort().map((alias) => ({ art: ctx.state.artifacts[coll!.aliases[alias]!]!, alias }));
    const p = page(aliases, (a) => a.alias, 'ArtifactAlias', args);
    return { edges: p.edges, pageInfo: p.pageInfo };
  },
  artifacts: (c: CollectionSource, args: PageArgs & { filters?: string | null; order?: string | null }, ctx: GraphQLContext) => {
    const filter = parseFilter(args.filters);
    const arts = orderVersions(versionsOf(ctx.state, c).filter((a) => matches(filter, artifactReader(a))), args.order);
    const p = artifactPage(arts, args);
    return { ...p, edges: p.edges.map((e) => ({ ...e, version: `v${e.node.versionIndex}` })) };
  },
};

export const publicArtifactResolvers: ResolverMap = {
  Query: {
    artifactCollection: (_s, args: { id: string }, ctx: GraphQLContext): CollectionSource | null => {
      const key = Buffer.from(args.id, 'base64').toString('utf8').replace(/^ArtifactSequence:v1:/, '');
      const coll = own(ctx.state.collections, key);
      return coll ? { entity: coll.entity, project: coll.project, name: coll.name } : null;
    },
  },
  Project: {
    artifactCollections: (p: ProjectSource, args: PageArgs & { filters?: string | null }, ctx: GraphQLContext) => {
      const filter = parseFilter(args.filters);
      const colls = Object.values(ctx.state.collections)
        .filter((c) => c.entity === p.entity && c.project === p.name && matches(filter, (path) => ({ name: c.name, type: c.type })[path]))
        .sort((a, b) => byCodePoint(a.name, b.name))
        .map((c): CollectionSource => ({ entity: c.entity, project: c.project, name: c.name }));
      return page(colls, (c) => c.name, 'ArtifactCollection', args);
    },
  },
  Run: {
    outputArtifacts: (r: RunRecord, args: PageArgs, ctx: GraphQLContext) => artifactPage(lineage(ctx).logged.get(r.key) ?? [], args),
    inputArtifacts: (r: RunRecord, args: PageArgs, ctx: GraphQLContext) => artifactPage(lineage(ctx).used.get(r.key) ?? [], args),
  },
  Artifact: {
    usedBy: (a: ArtifactRecord, args: PageArgs, ctx: GraphQLContext) =>
      runPage((lineage(ctx).users.get(a.id) ?? []).map((key) => ctx.state.runs[key]!), args),
    createdBy: (a: ArtifactRecord, _args, ctx: GraphQLContext) => (a.createdBy ? ctx.state.runs[a.createdBy] : null) ?? { name: ctx.defaultEntity },
  },
  ArtifactCreator: {
    __resolveType: (value: unknown) => (value && typeof value === 'object' && 'storageId' in value ? 'Run' : 'User'),
  },
  ArtifactType: {
    artifactCollection: (t: ArtifactTypeSource, args: { name: string }, ctx: GraphQLContext) => collectionIn(ctx.state, t, args.name),
    artifactSequence: (t: ArtifactTypeSource, args: { name: string }, ctx: GraphQLContext) => collectionIn(ctx.state, t, args.name),
    artifact: (t: ArtifactTypeSource, args: { name: string }, ctx: GraphQLContext) => {
      const art = resolveName(ctx.state, t.entity, t.project, args.name);
      return art && art.type === t.name ? art : null;
    },
  },
  ArtifactSequence: collectionFields,
};
