// Multipart uploads of big artifact files, as wandb-core does them (core/pkg/artifacts/multipart.go, saver.go
// uploadMultipart; wandb@b6e2950588): a file of at least the threshold (2 GiB) is announced in CreateArtifactFiles
// with `uploadPartsInput` (part number and hex md5 of each part), each part is PUT to its URL from
// `uploadMultipartUrls` with Content-MD5 and its ETag kept, then CompleteMultipartUploadArtifact (Complete) sends
// the ETags back. wandb-core leaves a failed upload to the server; we abort it (action Abort, this project's
// server) so no parts linger. Parts are read one at a time: memory holds one part, never the file.

import { open } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import type { UploadMultipartUrls, UploadPartInput } from '../protocol/index.ts';
import { WandbError } from './errors.ts';
import type { WandbHttp } from './http.ts';
import { COMPLETE_MULTIPART_UPLOAD_ARTIFACT } from './queries.ts';

export interface MultipartOptions {
  /** Files of at least this many bytes go in parts (wandb-core: S3MinMultiUploadSize, 2 GiB). */
  thresholdBytes: number;
  /** Part size (wandb-core: S3DefaultChunkSize, 100 MiB), larger when MAX_PARTS parts would not hold the file. */
  partBytes: number;
}

export const DEFAULT_MULTIPART: MultipartOptions = { thresholdBytes: 2 * 1024 ** 3, partBytes: 100 * 1024 ** 2 };
/** wandb-core's S3MaxParts. */
export const MAX_PARTS = 10_000;

/** A file's bytes, wherever they are: on disk or in memory. */
export interface PartSource { path: string; size: number; filePath?: string; bytes?: Uint8Array | string }

/** wandb-core's getChunkSize: the part size, or size / MAX_PARTS rounded up to 4 KiB when that is more. */
export function partSize(size: number, options: MultipartOptions): number {
  if (size < options.partBytes * MAX_PARTS) return options.partBytes;
  return Math.ceil(Math.ceil(size / MAX_PARTS) / 4096) * 4096;
}

/** Reads part `i` (0-based) of the source. */
async function readPart(source: PartSource, chunk: number, i: number): Promise<Uint8Array> {
  const start = i * chunk;
  const length = Math.min(chunk, source.size - start);
  if (source.filePath === undefined) {
    const bytes = typeof source.bytes === 'string' ? Buffer.from(source.bytes, 'utf8') : source.bytes!;
    return bytes.subarray(start, start + length);
  }
  const handle = await open(source.filePath, 'r');
  try {
    const buf = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle.read(buf, done, length - done, start + done);
      if (bytesRead === 0) throw new WandbError('WANDB_FILE', `Failed to read "${source.filePath}": it is shorter than the ${source.size} bytes hashed before. Do not change files while an artifact is logged.`);
      done += bytesRead;
    }
    return buf;
  } finally {
    await handle.close();
  }
}

/** The parts to announce, or null when the file goes as one PUT (below the threshold). */
export async function planParts(source: PartSource, options: MultipartOptions): Promise<UploadPartInput[] | null> {
  if (source.size < options.thresholdBytes) return null;
  const chunk = partSize(source.size, options);
  const parts: UploadPartInput[] = [];
  for (let i = 0; i * chunk < source.size; i++) {
    parts.push({ partNumber: i + 1, hexMD5: createHash('md5').update(await readPart(source, chunk, i)).digest('hex') });
  }
  return parts;
}

export interface MultipartTarget { artifactID: string; storagePath: string; urls: UploadMultipartUrls; uploadHeaders: readonly string[] }

/** PUTs every part (retried as any upload), then Complete; on failure aborts the upload and rethrows. */
export async function uploadMultipart(http: WandbHttp, source: PartSource, parts: readonly UploadPartInput[], target: MultipartTarget, options: MultipartOptions): Promise<void> {
  const { artifactID, storagePath, urls } = target;
  const chunk = partSize(source.size, options);
  const send = (action: 'Complete' | 'Abort', completedParts: UploadPartInput[]) =>
    http.graphql(COMPLETE_MULTIPART_UPLOAD_ARTIFACT, { completeMultipartAction: action, completedParts, artifactID, storagePath, uploadID: urls.uploadID });
  try {
    const completed: UploadPartInput[] = [];
    for (const part of parts) {
      const url = urls.uploadUrlParts.find((u) => u.partNumber === part.partNumber)?.uploadUrl;
      if (!url) throw new WandbError('WANDB_BAD_RESPONSE', `Failed to upload "${source.path}": uploadMultipartUrls has no URL for part ${part.partNumber}. The server must answer one URL per announced part.`, { operation: 'CreateArtifactFiles' });
      const bytes = await readPart(source, chunk, part.partNumber - 1);
      const contentMd5 = Buffer.from(part.hexMD5, 'hex').toString('base64');
      const etag = await http.upload(`${source.path} part ${part.partNumber}`, url, bytes, target.uploadHeaders, { 'Content-MD5': contentMd5 });
      if (!etag) throw new WandbError('WANDB_BAD_RESPONSE', `Failed to upload "${source.path}": part ${part.partNumber}'s answer has no ETag. The storage server must answer each part with its ETag.`, { operation: 'upload' });
      completed.push({ partNumber: part.partNumber, hexMD5: etag });
    }
    await send('Complete', completed);
  } catch (error) {
    // Best effort: the upload failed already; a failed abort must not hide why.
    await send('Abort', []).catch(() => undefined);
    throw error;
  }
}
