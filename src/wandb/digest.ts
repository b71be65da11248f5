// Digests exactly as W&B computes them (reference §5.3). File digests stream from disk through a fixed-size
// buffer, so hashing a file of any size uses constant memory.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { MANIFEST_DIGEST_PREAMBLE } from '../protocol/index.ts';
import { WandbError } from './errors.ts';
import { compareUtf8 } from './json.ts';

const CHUNK = 1 << 20;

/** `base64(md5(bytes))`, standard alphabet with padding: an artifact entry's `digest`. */
export function md5Base64(bytes: Uint8Array | string): string {
  return createHash('md5').update(bytes).digest('base64');
}

export function md5Hex(bytes: Uint8Array | string): string {
  return createHash('md5').update(bytes).digest('hex');
}

export interface FileDigest { md5: string; size: number }

/** Base64 md5 and size of a file, read in 1 MiB chunks into one reused buffer. */
export async function md5FileBase64(path: string): Promise<FileDigest> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (cause) {
    throw new WandbError('WANDB_FILE', `Failed to hash "${path}": the file cannot be opened (${(cause as Error).message}). Check that it exists and is readable.`, { cause });
  }
  try {
    const hash = createHash('md5');
    // No bigger than the file (+1 to see the end in one read): a fresh 1 MiB per small file made a directory
    // of 10,000 files ~15x slower than reading them, all in allocating and collecting those buffers.
    const length = Math.min(CHUNK, (await handle.stat()).size + 1);
    const buffer = Buffer.allocUnsafe(length);
    let size = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, length, null);
      if (bytesRead === 0) break;
      hash.update(bytesRead === length ? buffer : buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
    return { md5: hash.digest('base64'), size };
  } catch (cause) {
    throw new WandbError('WANDB_FILE', `Failed to hash "${path}": reading failed (${(cause as Error).message}). Check the file.`, { cause });
  } finally {
    await handle.close();
  }
}

/** Hex of a base64 digest (`base64decode(d).hex()`). */
export function base64ToHex(digest: string): string {
  return Buffer.from(digest, 'base64').toString('hex');
}

/**
 * The artifact digest (`ArtifactManifestV1.digest`): md5 over the preamble then `path:digest\n` per entry,
 * paths in UTF-8 byte order (Python's str sort), not JS's UTF-16 order.
 */
export function manifestDigest(entries: Iterable<readonly [path: string, digest: string]>): string {
  const sorted = [...entries].sort((a, b) => compareUtf8(a[0], b[0]));
  const hash = createHash('md5').update(MANIFEST_DIGEST_PREAMBLE, 'utf8');
  for (const [path, digest] of sorted) hash.update(`${path}:${digest}\n`, 'utf8');
  return hash.digest('hex');
}
