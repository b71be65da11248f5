// Multipart uploads as the SDKs do them for big artifact files (issue 17, item 4). What they send, read from
// wandb@b6e2950588 (core/pkg/artifacts/multipart.go, saver.go; wandb/sdk/artifacts/storage_policies/_multipart.py,
// wandb_storage_policy.py):
//   - above 2 GiB a file goes in parts of 100 MiB (more when 10,000 parts — wandb-core — or
//     1,000 parts — Python — would not be enough); CreateArtifactFiles carries `uploadPartsInput: [{partNumber,
//     hexMD5}]` and the answer's `uploadMultipartUrls {uploadID, uploadUrlParts {partNumber, uploadUrl}}`;
//   - each part is one PUT (Content-MD5 = base64 of the part's md5) and the client keeps the answer's `ETag`;
//   - `CompleteMultipartUploadArtifact(completeMultipartAction: Complete, completedParts: [{partNumber, hexMD5:
//     <the ETag as received>}], artifactID, storagePath, uploadID)` finishes it.
// Here a part is a blob like any other (streamed, md5 checked against the announced hexMD5, committed, journaled
// by reference), the upload in progress is state (state.multipart), and completion streams the parts, in order,
// into one blob whose md5 must be the whole file's announced md5. Part URLs are the file's upload URL with
// `partNumber=N&uploadId=U`, as S3's presigned part URLs are.
//
// The GraphQL side: CreateArtifactFiles with uploadPartsInput (graphql/resolvers/artifact-save.ts) calls
// announceMultipart; CompleteMultipartUploadArtifact (graphql/resolvers/artifact-multipart.ts) completeMultipart
// or abortMultipart, after backend.ts handle() has run assembleMultipart (asynchronous, before the apply).

import { createHash } from 'node:crypto';
import { assemble } from './blobs/assemble.ts';
import type { BlobStore, StagedBlob } from './blobs/store.ts';
import { failure } from './errors.ts';
import { own } from './own.ts';
import type { ArtifactRecord, BackendState, MultipartRecord } from './state.ts';
import type { UploadBody } from './storage.ts';

export const MULTIPART_MAX_PARTS = 10_000;

const HEX_MD5 = /^[0-9a-f]{32}$/;

export interface PartSpec { partNumber: number; hexMD5: string }

/** The file's storage path, as the single-PUT URL has it. */
export function artifactFilePath(artifactId: string, name: string): string {
  return `/storage/artifacts/${encodeURIComponent(artifactId)}/${name.split('/').map(encodeURIComponent).join('/')}`;
}

/** `?partNumber=N&uploadId=U` of a part PUT, or null for a whole-file PUT. Throws on half of it. */
export function partOf(url: URL): { uploadId: string; partNumber: number } | null {
  const uploadId = url.searchParams.get('uploadId');
  const partNumber = url.searchParams.get('partNumber');
  if (uploadId === null && partNumber === null) return null;
  const n = Number(partNumber);
  if (uploadId === null || !Number.isSafeInteger(n) || n < 1) {
    throw failure('BAD_REQUEST', 'upload', url.pathname, 'a part upload needs both uploadId and a partNumber >= 1', 'Use the part URL the server handed out.');
  }
  return { uploadId, partNumber: n };
}

/** The query a journal entry keeps for a part PUT (never the signature). */
export function partQuery(url: URL): string {
  const part = url.searchParams.get('partNumber') !== null || url.searchParams.get('uploadId') !== null;
  return part ? `?partNumber=${encodeURIComponent(url.searchParams.get('partNumber') ?? '')}&uploadId=${encodeURIComponent(url.searchParams.get('uploadId') ?? '')}` : '';
}

/** uploadPartsInput / completedParts as sent (Int64 part numbers may arrive as strings). */
export function toPartSpecs(raw: unknown, what: string, subject: string): PartSpec[] {
  if (!Array.isArray(raw)) throw failure('BAD_VARIABLES', 'read', subject, `${what} must be a list`);
  return raw.map((p: { partNumber?: unknown; hexMD5?: unknown } | null) => ({ partNumber: Number(p?.partNumber), hexMD5: p?.hexMD5 as string }));
}

/** The announced parts by number; throws unless they are 1..n, each with a hex md5, at most MULTIPART_MAX_PARTS. */
export function checkParts(name: string, parts: readonly PartSpec[]): Record<string, string> {
  if (parts.length > MULTIPART_MAX_PARTS) throw failure('BAD_VARIABLES', 'create artifact files', name, `${parts.length} parts is more than ${MULTIPART_MAX_PARTS}`);
  const announced: Record<string, string> = {};
  parts.forEach((p, i) => {
    if (p?.partNumber !== i + 1) throw failure('BAD_VARIABLES', 'create artifact files', name, `uploadPartsInput[${i}] must have partNumber ${i + 1}`);
    if (typeof p.hexMD5 !== 'string' || !HEX_MD5.test(p.hexMD5)) throw failure('BAD_VARIABLES', 'create artifact files', name, `uploadPartsInput[${i}].hexMD5 must be 32 lowercase hex characters`);
    announced[String(p.partNumber)] = p.hexMD5;
  });
  return announced;
}

/**
 * CreateArtifactFiles with uploadPartsInput: records the upload and answers `uploadMultipartUrls`. The upload id
 * is derived from (artifact, file, md5), so a retried CreateArtifactFiles gets the same id and keeps the parts
 * already received.
 */
export function announceMultipart(state: BackendState, art: ArtifactRecord, name: string, md5: string, parts: readonly PartSpec[], storageUrl: (path: string) => string) {
  const announced = checkParts(name, parts);
  const uploadId = createHash('md5').update(`${art.id}\n${name}\n${md5}`).digest('hex');
  const existing = own(state.multipart, uploadId);
  if (!existing || JSON.stringify(existing.parts) !== JSON.stringify(announced)) {
    state.multipart[uploadId] = { artifact: art.id, name, md5, parts: announced, received: {} };
  }
  art.announced[name] = md5;
  const url = storageUrl(artifactFilePath(art.id, name));
  const sep = url.includes('?') ? '&' : '?';
  return {
    uploadID: uploadId,
    uploadUrlParts: parts.map((p) => ({ partNumber: p.partNumber, uploadUrl: `${url}${sep}partNumber=${p.partNumber}&uploadId=${uploadId}` })),
  };
}

/** A part PUT: checked against the announced hexMD5, then its blob placed and recorded. Returns the ETag. */
export function uploadPart(state: BackendState, path: string, part: { uploadId: string; partNumber: number }, body: UploadBody): string {
  const upload = findUpload(state, part.uploadId, path);
  if (artifactFilePath(upload.artifact, upload.name) !== path) {
    throw failure('BAD_REQUEST', 'upload part', path, `upload ${part.uploadId} is for "${upload.name}", not this path`, 'Use the part URL the server handed out.');
  }
  const want = own(upload.parts, String(part.partNumber));
  if (want === undefined) throw failure('NOT_FOUND', 'upload part', path, `upload ${part.uploadId} has no part ${part.partNumber} (it announced ${Object.keys(upload.parts).length})`);
  const got = hex(body.md5);
  if (got !== want) {
    throw failure('DIGEST_MISMATCH', 'upload part', `${upload.name} part ${part.partNumber}`, `the body's md5 is ${got}, uploadPartsInput announced ${want}`, 'The part was truncated or altered; send it again.');
  }
  body.place();
  upload.received[String(part.partNumber)] = { md5: body.md5, size: body.size };
  // S3's ETag for a part: its hex md5, quoted. The SDKs send it back as is in completedParts.
  return `"${got}"`;
}

/**
 * Step 1 of completion, before the synchronous apply: checks the completed parts against what was received and
 * streams them, in order, into one staged blob. Nothing is visible until completeMultipart() commits it.
 */
export async function assembleMultipart(store: BlobStore, state: BackendState, uploadId: string, completed: readonly PartSpec[]): Promise<StagedBlob> {
  const upload = findUpload(state, uploadId, 'complete');
  return assemble(store, checkCompleted(upload, uploadId, completed).map((n) => upload.received[n]!));
}

/** The checks of completion without the bytes: throws what is wrong (unknown upload, missing or wrong parts). */
export function checkCompletion(state: BackendState, uploadId: string, completed: readonly PartSpec[]): void {
  checkCompleted(findUpload(state, uploadId, 'complete'), uploadId, completed);
}

/**
 * Step 2, inside the synchronous apply: the whole file's md5 must be the announced one; then the blob is placed,
 * referenced, and the upload forgotten. Returns the md5s of parts nothing refers to any more (for store.remove,
 * after the change is journaled). On replay, `whole` is the stored blob (place checks it is there).
 */
export function completeMultipart(state: BackendState, uploadId: string, completed: readonly PartSpec[], whole: StagedBlob | UploadBody): { md5: string; unusedParts: string[] } {
  const upload = findUpload(state, uploadId, 'complete');
  checkCompleted(upload, uploadId, completed);
  if (whole.md5 !== upload.md5) {
    throw failure('DIGEST_MISMATCH', 'complete multipart upload', upload.name, `the parts put together have md5 ${whole.md5}, CreateArtifactFiles announced ${upload.md5}`, 'Upload the file again.');
  }
  if ('commit' in whole) whole.commit();
  else whole.place();
  state.blobs[whole.md5] = { size: whole.size };
  return { md5: whole.md5, unusedParts: forget(state, uploadId) };
}

/** On journal replay: the assembled file as stored when the completion was first handled (place checks it is). */
export function storedWhole(state: BackendState, store: BlobStore, uploadId: string): UploadBody | undefined {
  const upload = own(state.multipart, uploadId);
  if (!upload) return undefined;
  const size = Object.values(upload.received).reduce((sum, p) => sum + p.size, 0);
  const place = () => {
    if (!store.has(upload.md5)) throw failure('DATA_DIR', 'replay', upload.name, `the assembled blob ${upload.md5} (${size} bytes) is missing from the blob store`, 'Something removed files from the data dir.');
  };
  return { md5: upload.md5, size, place };
}

/** completeMultipartAction: Abort — the upload and its parts go. Returns the part md5s nothing refers to any more. */
export function abortMultipart(state: BackendState, uploadId: string): string[] {
  findUpload(state, uploadId, 'abort');
  return forget(state, uploadId);
}

function forget(state: BackendState, uploadId: string): string[] {
  const parts = Object.values(state.multipart[uploadId]!.received).map((p) => p.md5);
  delete state.multipart[uploadId];
  const stillUsed = new Set([...Object.keys(state.blobs), ...Object.values(state.multipart).flatMap((u) => Object.values(u.received).map((p) => p.md5))]);
  return [...new Set(parts)].filter((md5) => !stillUsed.has(md5));
}

function findUpload(state: BackendState, uploadId: string, subject: string): MultipartRecord {
  const upload = own(state.multipart, uploadId);
  if (!upload) throw failure('NOT_FOUND', 'upload part', subject, `there is no multipart upload ${JSON.stringify(uploadId)} (never announced, completed or aborted)`);
  return upload;
}

/** Part numbers in order; each completed part must be announced, received, and carry the ETag it was given. */
function checkCompleted(upload: MultipartRecord, uploadId: string, completed: readonly PartSpec[]): string[] {
  const numbers = Object.keys(upload.parts).sort((a, b) => Number(a) - Number(b));
  if (completed.length !== numbers.length) {
    throw failure('BAD_REQUEST', 'complete multipart upload', upload.name, `${completed.length} completed parts for an upload of ${numbers.length}`);
  }
  for (const [i, n] of numbers.entries()) {
    const done = completed.find((c) => c?.partNumber === Number(n));
    const received = own(upload.received, n);
    if (!received) throw failure('BAD_REQUEST', 'complete multipart upload', upload.name, `part ${n} of upload ${uploadId} was never uploaded`);
    const etag = typeof done?.hexMD5 === 'string' ? done.hexMD5.replace(/^"|"$/g, '') : null;
    if (etag !== hex(received.md5)) {
      throw failure('BAD_REQUEST', 'complete multipart upload', upload.name, `completedParts[${i}] (part ${n}) has ETag ${JSON.stringify(done?.hexMD5 ?? null)}, the part's is "${hex(received.md5)}"`);
    }
  }
  return numbers;
}

const hex = (b64: string) => Buffer.from(b64, 'base64').toString('hex');
