// The backend's explicit state. Plain JSON-serialisable records (no Maps, no classes), so a snapshot of the
// state can be persisted, diffed and restored as it is. Keys join path segments with "/", which cannot occur
// inside an entity, project or run name.

import type { ArtifactManifest } from '../protocol/index.ts';

export interface RunRecord {
  key: string;
  /** Storage id handed out by UpsertBucket (`bucket.id`). */
  storageId: string;
  entity: string;
  project: string;
  name: string;
  displayName: string;
  group: string | null;
  jobType: string | null;
  tags: string[] | null;
  notes: string | null;
  /** The last config JSON string received (raw, as sent). */
  configJson: string | null;
  /** Stream files by name, lines by offset: a re-sent offset overwrites (retries are idempotent). */
  streams: Record<string, Record<string, string>>;
  /** Run files uploaded by PUT: name -> {md5, size}. */
  files: Record<string, { md5: string; size: number }>;
  /** Paths the client reported in file_stream `uploaded`. */
  uploaded: string[];
  exitCode: number | null;
  /** Creation order, for `ref`. */
  seq: number;
  /** When the run was created and last heard from (ISO 8601, the server's clock); absent in states from before they were kept. */
  createdAt?: string;
  heartbeatAt?: string;
}

export interface ArtifactRecord {
  id: string;
  entity: string;
  project: string;
  collection: string;
  type: string;
  digest: string;
  state: 'PENDING' | 'COMMITTED';
  versionIndex: number | null;
  /** Aliases requested on CreateArtifact (applied at commit). */
  requestedAliases: string[];
  metadata: string | null;
  description: string | null;
  /** Run key of the creating run, or null for artifacts logged outside a run. */
  createdBy: string | null;
  manifestId: string | null;
  /** base64 md5 the client announced for the manifest upload (CreateArtifactManifest #2). */
  manifestDigest: string | null;
  manifest: ArtifactManifest | null;
  /** Files announced by CreateArtifactFiles: name -> base64 md5. */
  announced: Record<string, string>;
  createdAt: string;
  seq: number;
}

export interface CollectionRecord {
  key: string;
  entity: string;
  project: string;
  name: string;
  type: string;
  /** Committed artifact ids, index = version. */
  versions: string[];
  /** alias -> artifact id. */
  aliases: Record<string, string>;
}

export interface UsageEdge { run: string; artifact: string }

/** A multipart upload in progress (multipart.ts): what was announced, and the parts received so far. */
export interface MultipartRecord {
  artifact: string;
  name: string;
  /** base64 md5 of the whole file, as CreateArtifactFiles announced it. */
  md5: string;
  /** partNumber -> hex md5 announced in `uploadPartsInput`. */
  parts: Record<string, string>;
  /** partNumber -> the part's blob, once a PUT of it was accepted. */
  received: Record<string, { md5: string; size: number }>;
}

export interface BackendState {
  counter: number;
  runs: Record<string, RunRecord>;
  artifacts: Record<string, ArtifactRecord>;
  collections: Record<string, CollectionRecord>;
  /** Manifest id -> artifact id; CreateArtifactManifest is idempotent per (artifact, name). */
  manifests: Record<string, { artifact: string; name: string }>;
  /** The blobs the state refers to: base64 md5 -> size. The bytes are in the blob store (blobs/), never here. */
  blobs: Record<string, { size: number }>;
  usage: UsageEdge[];
  /** Multipart uploads in progress, by upload id. Their parts are blobs in the store until completion. */
  multipart: Record<string, MultipartRecord>;
  /** Operations that were refused because nobody here understands them: name -> times seen. */
  unsupported: Record<string, number>;
}

export function createState(): BackendState {
  return { counter: 0, runs: {}, artifacts: {}, collections: {}, manifests: {}, blobs: {}, usage: [], multipart: {}, unsupported: {} };
}

export const runKey = (entity: string, project: string, name: string): string => `${entity}/${project}/${name}`;
