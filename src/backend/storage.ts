// Upload and download URLs handed out by GraphQL: run files, artifact files (content-addressed by md5) and
// manifests. Uploads carry no Authorization (reference §1.2); when the server checks an API key, the URLs are
// signed instead, like a presigned bucket URL.

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ArtifactManifest } from '../protocol/index.ts';
import type { BlobRef } from './blobs/store.ts';
import { failure } from './errors.ts';
import { parseLenientJson } from './json.ts';
import { checkRelativePath } from './paths.ts';
import { runKey, type BackendState } from './state.ts';
import { own } from './own.ts';

export function signPath(secret: string, path: string): string {
  return createHmac('sha256', secret).update(path).digest('hex').slice(0, 32);
}

export function checkSignature(secret: string, path: string, sig: string | null): boolean {
  const want = Buffer.from(signPath(secret, path));
  const got = Buffer.from(sig ?? '');
  return got.length === want.length && timingSafeEqual(got, want);
}

function segments(path: string): string[] {
  try {
    return path.split('/').slice(2).map(decodeURIComponent);
  } catch {
    throw failure('BAD_PATH', 'decode', path, 'the path is not valid percent-encoding');
  }
}

/**
 * An upload's body as the storage routes see it: its md5 and size, and how to make the bytes visible in the blob
 * store once the upload is accepted. A streamed body is already staged (place = commit); a buffered one (a
 * manifest, an old journal entry) carries its bytes.
 */
export interface UploadBody { md5: string; size: number; place(): void; bytes?: Uint8Array }

/** True for the PUTs whose bodies are file bytes for the blob store (streamed, not buffered, no body cap). */
export function isBlobUpload(method: string, path: string): boolean {
  return method === 'PUT' && (path.startsWith('/storage/run/') || path.startsWith('/storage/artifacts/'));
}

/** PUT /storage/... : returns nothing; throws a BackendError before touching state when anything is off. */
export function upload(state: BackendState, path: string, body: UploadBody): void {
  const [kind, ...rest] = segments(path);
  const { md5, size } = body;
  if (kind === 'run' && rest.length >= 4) {
    const [entity, project, name, ...file] = rest as [string, string, string, ...string[]];
    const fileName = checkRelativePath(file.join('/'), 'a run file name');
    const run = state.runs[runKey(entity, project, name)];
    if (!run) throw failure('UNKNOWN_RUN', 'upload', fileName, `there is no run ${entity}/${project}/${name}`);
    body.place();
    state.blobs[md5] = { size };
    run.files[fileName] = { md5, size };
    return;
  }
  if (kind === 'artifacts' && rest.length >= 2) {
    const [id, ...file] = rest as [string, ...string[]];
    const name = checkRelativePath(file.join('/'), 'an artifact file name');
    const art = own(state.artifacts, id);
    const announced = art && own(art.announced, name);
    if (!art || announced === undefined) throw failure('NOT_FOUND', 'upload', name, 'no CreateArtifactFiles announced this file', 'Ask for an upload URL first.');
    if (announced !== md5) throw failure('DIGEST_MISMATCH', 'upload', name, `the body's md5 is ${md5}, CreateArtifactFiles announced ${announced}`, 'The upload was truncated or altered; send it again.');
    body.place();
    state.blobs[md5] = { size };
    return;
  }
  if (kind === 'manifest' && rest.length === 1) {
    const art = own(state.artifacts, rest[0]!);
    if (!art) throw failure('NOT_FOUND', 'upload', 'manifest', `there is no artifact ${rest[0]}`);
    if (art.state === 'COMMITTED') throw failure('CONFLICT', 'upload', 'manifest', 'the artifact is already committed');
    if (art.manifestDigest && art.manifestDigest !== md5) {
      throw failure('DIGEST_MISMATCH', 'upload', 'manifest', `the body's md5 is ${md5}, CreateArtifactManifest announced ${art.manifestDigest}`);
    }
    if (!body.bytes) throw failure('BAD_REQUEST', 'upload', 'manifest', 'the manifest body was not read');
    art.manifest = parseManifest(body.bytes);
    return;
  }
  throw failure('NOT_FOUND', 'upload', path, 'this is not an upload URL handed out by this server');
}

function parseManifest(body: Uint8Array): ArtifactManifest {
  let m: unknown;
  try {
    m = parseLenientJson(Buffer.from(body).toString('utf8'));
  } catch {
    throw failure('BAD_JSON', 'read', 'manifest', 'the body is not JSON');
  }
  const man = m as Partial<ArtifactManifest> | null;
  if (!man || typeof man !== 'object' || man.version !== 1 || typeof man.contents !== 'object' || man.contents === null || Array.isArray(man.contents)) {
    throw failure('BAD_REQUEST', 'read', 'manifest', 'it must be {"version": 1, "storagePolicy", "contents": {...}}');
  }
  for (const [path, entry] of Object.entries(man.contents)) {
    checkRelativePath(path, 'a manifest entry');
    if (!entry || typeof entry.digest !== 'string' || !Number.isSafeInteger(entry.size) || entry.size < 0) {
      throw failure('BAD_REQUEST', 'read', 'manifest', `entry "${path}" needs a string digest and a non-negative integer size`);
    }
  }
  return man as ArtifactManifest;
}

export type Stored = { bytes: Uint8Array; type: string } | { blob: BlobRef; type: string };

/** GET/HEAD /storage/... : the manifest (from the state), or an artifact or run file (a blob), for SDK downloads. */
export function download(state: BackendState, path: string): Stored {
  const [kind, ...rest] = segments(path);
  if (kind === 'manifest' && rest.length === 1) {
    const art = own(state.artifacts, rest[0]!);
    if (art?.manifest) return { bytes: Buffer.from(JSON.stringify(art.manifest)), type: 'application/json' };
  }
  if (kind === 'artifacts' && rest.length >= 2) {
    const [id, ...file] = rest as [string, ...string[]];
    const contents = own(state.artifacts, id)?.manifest?.contents;
    const entry = contents && own(contents, file.join('/'));
    const blob = entry && typeof entry.digest === 'string' ? own(state.blobs, entry.digest) : undefined;
    if (entry && blob) return { blob: { md5: entry.digest, size: blob.size }, type: 'application/octet-stream' };
  }
  if (kind === 'run' && rest.length >= 4) {
    // A run file's download URL (the Public API's run.files(): File.url / directUrl).
    const [entity, project, name, ...file] = rest as [string, string, string, ...string[]];
    const stored = own(state.runs, runKey(entity, project, name))?.files;
    const ref = stored && own(stored, file.join('/'));
    if (ref && own(state.blobs, ref.md5)) return { blob: { md5: ref.md5, size: ref.size }, type: 'application/octet-stream' };
  }
  throw failure('NOT_FOUND', 'download', path, 'nothing is stored there');
}
