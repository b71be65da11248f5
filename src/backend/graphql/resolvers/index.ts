// Every resolver module, attached to the schema by executor.ts (which refuses a type or field the SDL lacks).
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
