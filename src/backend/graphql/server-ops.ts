import type { Resolver } from './context.ts';
import { introspect } from './introspection.ts';

// No server features are advertised: the simplest, most deterministic traffic (reference §2.2), and no
// digest-algorithm feature, so newer SDKs keep MANIFEST_MD5 (§9).
const serverFeatures: Resolver = () => ({ serverInfo: { features: [] } });

const viewer: Resolver = (ctx) => ({
  viewer: {
    id: 'VXNlcjox',
    entity: ctx.defaultEntity,
    username: ctx.defaultEntity,
    email: null,
    flags: '{}',
    admin: false,
    teams: { edges: [] },
  },
  serverInfo: {
    cliVersionInfo: {},
    latestLocalVersionInfo: { outOfDate: false, latestVersionString: '0.0.0', versionOnThisInstanceString: '0.0.0' },
    features: [],
  },
});

const probe: Resolver = (ctx) => introspect(ctx.query);

export const serverOps: Record<string, Resolver> = {
  ServerFeaturesQuery: serverFeatures,
  Viewer: viewer,
  GetDefaultEntity: viewer,
  ProbeServerCapabilities: probe,
  ProbeServerSettings: probe,
  ProbeServerCreateArtifactInput: probe,
  ProbeServerArtifact: probe,
  ProbeServerCreateArtifactFileSpecInput: probe,
  ProbeServerUseArtifactInput: probe,
};
