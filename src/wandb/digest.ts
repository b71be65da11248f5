// Digests exactly as W&B computes them (reference §5.3). File digests stream from disk through a fixed-size
// buffer, so hashing a file of any size uses constant memory.
import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { MANIFEST_DIGEST_PREAMBLE } from '../protocol/index.ts';
import { WandbError } from './errors.ts';
import { compareUtf8 } from './json.ts';

const CHUNK = 1 << 20;

// crypto.hash (Node >= 20.12): a one-shot digest without a Hash object per call, which a directory of 100,000
// small files felt in allocation and GC. Older Node 20 releases keep createHash.
const oneShot = (crypto as { hash?: (algorithm: string, data: Uint8Array | string, encoding: 'base64' | 'hex') => string }).hash;

/** `base64(md5(bytes))`, standard alphabet with padding: an artifact entry's `digest`. */
export function md5Base64(bytes: Uint8Array | string): string {
  return oneShot ? oneShot('md5', bytes, 'base64') : createHash('md5').update(bytes).digest('base64');
}

export function md5Hex(bytes: Uint8Array | string): string {
  return oneShot ? oneShot('md5', bytes, 'hex') : createHash('md5').update(bytes).digest('hex');
}

export interface FileDigest { md5: string; size: number }

/**
 * Files up to this size are read whole and synchronously: each async read costs several thread-pool round
 * trips (open, stat, read, close), which made a directory of small files hash at ~10% of a plain read-and-md5
 * loop. A 64 KiB read blocks for microseconds; bigger files stream, in constant memory.
 */
const WHOLE_FILE_MAX = 64 * 1024;

/** Base64 md5 and size of a small file, at once; null for a big (or unreadable) one, which must stream. */
export function md5SmallFileBase64(path: string): FileDigest | null {
  return hashSmallFile(path);
}

/** Base64 md5 and size of a file: small ones read whole, others in 1 MiB chunks into one reused buffer. */
export async function md5FileBase64(path: string): Promise<FileDigest> {
  const small = md5SmallFileBase64(path);
  if (small !== null) return small;
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

/** One buffer for every small file: a file is hashed as soon as it is read, so the bytes never outlive the call. */
const SMALL = Buffer.allocUnsafe(WHOLE_FILE_MAX + 1);

/**
 * Base64 md5 and size of a small file in three system calls (open, one read, close): a read that returns less
 * than asked reached the end of a regular file. Null when the file is bigger (or unreadable): stream it.
 */
function hashSmallFile(path: string): FileDigest | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null; // the streaming path reports the error with its own message
  }
  try {
    const n = readSync(fd, SMALL, 0, SMALL.length, 0);
    return n > WHOLE_FILE_MAX ? null : { md5: md5Base64(SMALL.subarray(0, n)), size: n };
  } catch {
    return null;
  } finally {
    closeSync(fd);
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
  const list = [...entries];
  // UTF-16 order equals UTF-8 (code point) order unless a path holds a surrogate pair; then compare by code point.
  const astral = list.some(([path]) => /[\uD800-\uDFFF]/.test(path));
  const sorted = list.sort(astral ? (a, b) => compareUtf8(a[0], b[0]) : (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  // One update of the joined lines: the same bytes as one update per entry, without a native call each. A join,
  // not `+=`: flattening a rope of 100,000 pieces took twice as long in a process that had not warmed up.
  const lines = sorted.map(([path, digest]) => `${path}:${digest}\n`);
  return createHash('md5').update(MANIFEST_DIGEST_PREAMBLE + lines.join(''), 'utf8').digest('hex');
}
