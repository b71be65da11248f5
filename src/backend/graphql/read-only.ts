// Operations that only read state. Everything else that reaches the GraphQL endpoint may change state and is
// journaled when the server is durable — including operations added later and never listed here, so a new
// resolver errs on the side of being persisted, never on the side of being lost.

export const READ_ONLY_OPERATIONS: ReadonlySet<string> = new Set([
  'ServerFeaturesQuery',
  'Viewer',
  'GetDefaultEntity',
  'ProbeServerCapabilities',
  'ProbeServerSettings',
  'ProbeServerCreateArtifactInput',
  'ProbeServerArtifact',
  'ProbeServerCreateArtifactFileSpecInput',
  'ProbeServerUseArtifactInput',
  'RunStoppedStatus',
  'RunResumeStatus',
  'ArtifactType',
  'ArtifactMembershipByName',
  'ArtifactByName',
  'ArtifactByID',
  'Artifact',
  'FetchArtifactManifest',
]);
