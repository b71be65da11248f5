// Wire constants of W&B's HTTP protocol (reference/wandb-wire-protocol.md). Shared by the client and the
// mock backend; no logic lives here, so neither side can smuggle its behaviour into the other.

/** GraphQL endpoint, relative to `WANDB_BASE_URL` (§1.2). */
export const GRAPHQL_PATH = '/graphql';

/** `POST /files/{entity}/{project}/{run}/file_stream` (§1.2). */
export const FILE_STREAM_PATTERN = /^\/files\/([^/]+)\/([^/]+)\/([^/]+)\/file_stream$/;

/** Files the SDK streams through file_stream (§3.1). */
export const HISTORY_FILE = 'wandb-history.jsonl';
export const SUMMARY_FILE = 'wandb-summary.json';
export const EVENTS_FILE = 'wandb-events.jsonl';
export const OUTPUT_FILE = 'output.log';

/** Keys the SDK adds to history and summary lines; the log model drops them (DESIGN §3.6). */
export const SYSTEM_KEYS = ['_step', '_runtime', '_timestamp', '_wandb'] as const;

/** The operation name as W&B's own test spy extracts it from the query text (§1.4). */
export const OPERATION_NAME = /^(?:\s+|#[^\n]*(?:\n|$))*(mutation|query)\s+(\w+)\s*[({]/m;

/** Artifact manifests (§5.2, §5.3). */
export const MANIFEST_DIGEST_PREAMBLE = 'wandb-artifact-manifest-v1\n';
export const MANIFEST_FILE_NAME = 'wandb_manifest.json';
export const STORAGE_POLICY = 'wandb-storage-policy-v1';
export const STORAGE_LAYOUT = 'V2';
export const DIGEST_ALGORITHM = 'MANIFEST_MD5';
export const LATEST_ALIAS = 'latest';

/** CreateArtifactFiles is sent in batches of this many entries (§5.1 c). */
export const ARTIFACT_FILES_BATCH = 25;

/** Artifact states the server answers on CreateArtifact (§5.1 a). */
export type ArtifactState = 'PENDING' | 'COMMITTED' | 'DELETED';

/** The `User-Agent` wandb-core sends for run traffic (§1.3). */
export const CORE_USER_AGENT = 'wandb-core';

/** A key the SDK's format check accepts (§1.1): optional `prefix-`, then ≥40 `[\w-]` chars (or a JWT). */
export const API_KEY_FORMAT = /^(?:[\w]+-)?[\w-]{40,}$|^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * The key of a manifest entry's `extra` by which tracked-flows' own client (planning a flow.py) says that the
 * entry's bytes are a placeholder for a value the plan cannot know: the backend then logs the file's size and md5
 * as unknown instead of the placeholder's. No W&B SDK ever sends it.
 */
export const UNKNOWN_BYTES_EXTRA = 'tracked_flows_unknown_bytes';
