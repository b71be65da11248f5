// Shapes of the variables and replies of the operations wandb-core sends (§2–§5 of the reference).
// Types only: the client builds these, the backend parses them without trusting them.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown>;
  /** wandb-core sends the name; proxied Python queries send ""; legacy Python omits it (§1.4). */
  operationName?: string;
}

export interface GraphQLError { message: string; path?: string[]; extensions?: Record<string, unknown> }
export interface GraphQLResponse<T = unknown> { data?: T | null; errors?: GraphQLError[] }

/** All 19 variables of `UpsertBucket`, always present, null when unset (§2.3). */
export interface UpsertBucketVariables {
  id: string | null;
  name: string | null;
  project: string | null;
  entity: string | null;
  groupName: string | null;
  description: string | null;
  displayName: string | null;
  notes: string | null;
  commit: string | null;
  /** JSON string of `{"key": {"value": v}}` (no `desc` from wandb-core). */
  config: string | null;
  host: string | null;
  debug: boolean | null;
  program: string | null;
  repo: string | null;
  jobType: string | null;
  state: string | null;
  sweep: string | null;
  tags: string[] | null;
  summaryMetrics: string | null;
}

export interface UpsertBucketResult {
  upsertBucket: {
    bucket: {
      id: string; name: string; displayName: string | null; description: string | null; config: string;
      sweepName: string | null; historyLineCount: number;
      project: { id: string; name: string; entity: { id: string; name: string } };
    };
    inserted: boolean;
  };
}

/** One file's chunk in a file_stream POST (§3.1). */
export interface FileStreamChunk { offset: number; content: string[] }

export interface FileStreamBody {
  files?: Record<string, FileStreamChunk>;
  uploaded?: string[];
  preempting?: boolean;
  complete?: boolean;
  exitcode?: number;
  /** Legacy Python sender only. */
  dropped?: number;
  failed?: boolean;
}

export interface CreateRunFilesVariables { entity: string; project: string; run: string; files: string[] }
export interface CreateRunFilesResult {
  createRunFiles: { runID: string; uploadHeaders: string[]; files: { name: string; uploadUrl: string | null }[] };
}

export interface ArtifactAliasInput { alias: string; artifactCollectionName: string }

/** `CreateArtifactInput` as wandb-core sends it (§5.1 a). */
export interface CreateArtifactInput {
  aliases: ArtifactAliasInput[];
  artifactCollectionName: string;
  artifactCollectionNames: string[] | null;
  artifactTypeName: string;
  clientID: string;
  clientMutationId: string | null;
  description: string | null;
  digest: string;
  digestAlgorithm: string;
  distributedID: string | null;
  enableDigestDeduplication: boolean;
  entityName: string;
  historyStep: number | null;
  labels: string | null;
  metadata: string | null;
  projectName: string;
  runName: string | null;
  sequenceClientID: string;
  storageRegion: string | null;
  ttlDurationSeconds: number | null;
}

export interface CreateArtifactResult {
  createArtifact: { artifact: { id: string; state: string; artifactSequence: { latestArtifact: { id: string } | null } } };
}

export interface CreateArtifactManifestVariables {
  artifactID: string;
  baseArtifactID: string | null;
  name: string;
  digest: string;
  entityName: string;
  projectName: string;
  runName: string;
  manifestType: 'FULL' | 'INCREMENTAL' | 'PATCH';
  includeUpload: boolean;
}

export interface CreateArtifactManifestResult {
  createArtifactManifest: {
    artifactManifest: { id: string; file: { id: string; uploadUrl?: string | null; uploadHeaders?: string[] } };
  };
}

export interface ArtifactFileSpec {
  artifactID: string;
  artifactManifestID: string;
  md5: string;
  mimetype: string | null;
  name: string;
  /** Null for one PUT; the parts (numbered from 1, hex md5 each) for a multipart upload. */
  uploadPartsInput: UploadPartInput[] | null;
}

export interface UploadPartInput { partNumber: number; hexMD5: string }
export interface UploadMultipartUrls { uploadID: string; uploadUrlParts: { partNumber: number; uploadUrl: string }[] }

export interface CreateArtifactFilesVariables { artifactFiles: ArtifactFileSpec[]; storageLayout: 'V1' | 'V2' }
export interface CreateArtifactFilesResult {
  createArtifactFiles: {
    files: { edges: { node: { storagePath: string; uploadUrl: string | null; uploadHeaders: string[]; uploadMultipartUrls: UploadMultipartUrls | null; artifact: { id: string } } }[] };
  };
}

export interface CommitArtifactResult { commitArtifact: { artifact: { id: string; digest: string } } }

export interface ArtifactMembershipByNameVariables { entity: string; project: string; name: string; includeAliases?: boolean }

export interface UseArtifactVariables {
  entityName: string;
  projectName: string;
  runName: string;
  artifactID: string;
  usedAs: string | null;
  artifactEntityName?: string;
  artifactProjectName?: string;
}

/** One entry of an artifact manifest (§5.2). */
export interface ManifestEntry {
  digest: string;
  ref?: string;
  size: number;
  local_path?: string;
  birthArtifactID?: string;
  skip_cache?: boolean;
  extra?: Record<string, unknown>;
}

export interface ArtifactManifest {
  version: 1;
  storagePolicy: string;
  storagePolicyConfig: { storageLayout: string; storageRegion?: string };
  contents: Record<string, ManifestEntry>;
}
