// Every resolver module, attached to the schema by executor.ts (which refuses a type or field the SDL lacks).
//
// The source objects each type resolves from (what a resolver of that type receives as its first argument, and
// what a new field's resolver may read):
//   Query, Mutation        undefined (the root)
//   User, Entity           { name }                                  server.ts
//   Project                { entity, name }                          runs.ts (projectSource)
//   Run                    the RunRecord of BackendState             runs.ts
//   Artifact               the ArtifactRecord of BackendState        artifact-save.ts / artifact-read.ts
//   ArtifactSequence       { entity, project, name } (CollectionSource)
//   ArtifactCollectionMembership { art }, ArtifactAlias { art, alias }
//   File, ArtifactManifest, payloads, connections: plain objects holding every field
import type { ResolverMap } from '../context.ts';
import { artifactReadResolvers } from './artifact-read.ts';
import { artifactSaveResolvers } from './artifact-save.ts';
import { publicArtifactResolvers } from './public-artifacts.ts';
import { publicRunResolvers } from './public-runs.ts';
import { runResolvers } from './runs.ts';
import { scalarResolvers } from './scalars.ts';
import { serverResolvers } from './server.ts';

export const RESOLVER_MAPS: readonly ResolverMap[] = [
  scalarResolvers, serverResolvers, runResolvers, artifactSaveResolvers, artifactReadResolvers, publicRunResolvers, publicArtifactResolvers,
];
