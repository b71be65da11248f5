// The storage routes of handle(), between the request and storage.ts / multipart.ts: which body an upload has
// (streamed into the blob store, buffered, or replayed from the journal by reference), and how stored bytes are
// answered (Content-Length, HEAD, Range: blobs/download.ts).

import type { JournalEntry } from './data-dir.ts';
import { md5Base64 } from './digest.ts';
import { failure } from './errors.ts';
import { bytesResponse } from './blobs/download.ts';
import type { BlobRef, BlobStore } from './blobs/store.ts';
import { partOf, uploadPart } from './multipart.ts';
import type { BackendState } from './state.ts';
import { download, isBlobUpload, upload, type UploadBody } from './storage.ts';

/**
 * A request with its body read: everything after this point is synchronous, so apply + journal is atomic. File
 * uploads arrive as `blob` instead: the bytes already streamed into the blob store (staged, or, on replay,
 * stored), and `place` makes them visible once the upload is accepted.
 */
export interface Incoming { method: string; url: URL; headers: Headers; body: Uint8Array; blob?: BlobRef & { place(): void } }

/** PUT, GET or HEAD under /storage/ (the signature already checked). */
export function routeStorage(state: BackendState, blobs: BlobStore, req: Incoming): Response {
  const { method, url } = req;
  const path = url.pathname;
  if (method === 'PUT') {
    const part = partOf(url);
    if (part) return new Response(null, { status: 200, headers: { etag: uploadPart(state, path, part, uploadBody(blobs, req)) } });
    upload(state, path, uploadBody(blobs, req));
    return new Response(null, { status: 200 });
  }
  if (method === 'GET' || method === 'HEAD') {
    const found = download(state, path);
    const range = req.headers.get('range');
    if ('bytes' in found) {
      const bytes = found.bytes;
      return bytesResponse(method, range, { size: bytes.byteLength, type: found.type, read: (start, end) => new Blob([Buffer.from(bytes.subarray(start, end + 1))]).stream() });
    }
    const { md5, size } = found.blob;
    return bytesResponse(method, range, { size, type: found.type, read: (start, end) => blobs.open(md5, start, end) });
  }
  throw failure('METHOD_NOT_ALLOWED', 'accept', `${method} ${path}`, 'storage URLs take PUT, GET and HEAD');
}

/** The PUT body as storage.ts takes it: a streamed blob as is; buffered bytes stored on acceptance (file bytes). */
function uploadBody(blobs: BlobStore, req: Incoming): UploadBody {
  if (req.blob) return req.blob;
  const bytes = req.body;
  const fileBytes = isBlobUpload(req.method, req.url.pathname);
  return { md5: md5Base64(bytes), size: bytes.byteLength, bytes, place: () => void (fileBytes && blobs.putBytes(bytes)) };
}

/** A journal entry as the request it was, file bytes by reference to the blob store. */
export function replayRequest(blobs: BlobStore, entry: JournalEntry): Incoming {
  const headers = new Headers(entry.encoding === null ? {} : { 'content-encoding': entry.encoding });
  const url = new URL(entry.path, 'http://replay.invalid');
  const ref = entry.blob;
  if (!ref) return { method: entry.method, url, headers, body: new Uint8Array(Buffer.from(entry.body, 'base64')) };
  const place = () => {
    if (!blobs.has(ref.md5)) throw failure('DATA_DIR', 'replay', `${entry.method} ${entry.path}`, `blob ${ref.md5} (${ref.size} bytes) is missing from the blob store`, 'Something removed files from the data dir.');
  };
  return { method: entry.method, url, headers, body: new Uint8Array(0), blob: { ...ref, place } };
}

/** Snapshots written before the blob store kept file bytes in the state as base64: move them into the store. */
export function adoptInlineBlobs(state: BackendState, blobs: BlobStore): void {
  for (const [md5, value] of Object.entries(state.blobs as Record<string, unknown>)) {
    if (typeof value !== 'string') continue;
    const ref = blobs.putBytes(Buffer.from(value, 'base64'));
    state.blobs[md5] = { size: ref.size };
  }
}
