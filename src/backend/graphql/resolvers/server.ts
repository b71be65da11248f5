// The server, the viewer, entities and organizations (schema/core.graphql).

import type { GraphQLContext, ResolverMap } from '../context.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Source of a User: the one user of this server, named after the default entity. */
export interface UserSource { name: string }
/** Source of an Entity. */
export interface EntitySource { name: string }

const entity = (name: string): EntitySource => ({ name });

export const serverResolvers: ResolverMap = {
  Query: {
    viewer: (_s, _a, ctx: GraphQLContext): UserSource => ({ name: ctx.defaultEntity }),
    serverInfo: () => ({}),
    entity: (_s, args: { name?: string | null }, ctx: GraphQLContext) => entity(args.name ?? ctx.defaultEntity),
    organization: () => null,
  },
  ServerInfo: {
    features: () => [],
    // The Public API reads cliVersionInfo['max_cli_version'] (0.18.7 api.py version_supported) and raises
    // KeyError without it; every threshold the SDKs compare with is <= 0.12.21 (public/artifacts.py: the
    // artifactCollection edge from 0.12.11, File.storagePath from 0.12.21), so the paths taken are the current ones.
    cliVersionInfo: () => ({ max_cli_version: '0.18.7' }),
    latestLocalVersionInfo: () => ({ outOfDate: false, latestVersionString: '0.0.0', versionOnThisInstanceString: '0.0.0' }),
  },
  User: {
    id: () => 'VXNlcjox',
    username: (u: UserSource) => u.name,
    entity: (u: UserSource) => u.name,
    email: () => null,
    admin: () => false,
    flags: () => '{}',
    deletedAt: () => null,
    teams: () => ({ edges: [] }),
    apiKeys: () => ({ edges: [] }),
    organizations: () => [],
  },
  Entity: {
    id: (e: EntitySource) => b64(`Entity:v1:${e.name}`),
    entityType: () => 'USER',
    organization: () => null,
    user: () => null,
  },
};
