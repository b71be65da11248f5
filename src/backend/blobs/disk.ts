// Blob bytes in files: ROOT/objects/<md5 hex> for stored blobs, ROOT/staging/ for uploads in progress.
// An upload streams into a staging file (md5 computed as it goes: staging-writer.ts); commit() fsyncs it (when the store is
// durable), renames it into objects/ — atomic on one filesystem — and fsyncs the directory, so a blob is either
// whole under its name or not there at all. A crash leaves at worst a staging file, which sweep() removes.

import { randomBytes } from 'node:crypto';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobStoreError } from './errors.ts';
import { stagingWriter } from './staging-writer.ts';
import { md5Hex, READ_CHUNK_BYTES, type BlobRef, type BlobStore, type BlobWriter, type StagedBlob } from './store.ts';

export interface DiskBlobStoreOptions {
  /** fsync files and directories before a blob counts as stored (a data dir); off for a throwaway folder. */
  durable?: boolean;
  /** The store made this folder and removes it on close(). */
  owned?: boolean;
}

export class DiskBlobStore implements BlobStore {
  readonly kind = 'disk' as const;
  readonly objects: string;
  readonly staging: string;
  private readonly durable: boolean;
  private readonly owned: boolean;
  private seq = 0;

  /** A store in a fresh temporary folder that it owns (removed on close): `serve` without --data-dir. */
  static temporary(): DiskBlobStore {
    // The pid in the name tells whose folder it is (a SIGKILLed server cannot remove its own).
    return new DiskBlobStore(mkdtempSync(join(tmpdir(), `tracked-flows-blobs-${process.pid}-`)), { owned: true });
  }

  constructor(readonly root: string, options: DiskBlobStoreOptions = {}) {
    this.durable = options.durable ?? false;
    this.owned = options.owned ?? false;
    this.objects = join(root, 'objects');
    this.staging = join(root, 'staging');
    try {
      mkdirSync(this.objects, { recursive: true });
      mkdirSync(this.staging, { recursive: true });
    } catch (err) {
      throw new BlobStoreError(`cannot create "${root}" (${(err as Error).message})`, { cause: err });
    }
  }

  begin(): BlobWriter {
    const tmp = this.stagingPath();
    return stagingWriter(tmp, this.durable, (md5, size) => this.staged(tmp, md5, size));
  }

  putBytes(bytes: Uint8Array): BlobRef {
    const tmp = this.stagingPath();
    try {
      const fd = openSync(tmp, 'wx', 0o600);
      try {
        for (let at = 0; at < bytes.byteLength;) at += writeSync(fd, bytes, at, bytes.byteLength - at);
        if (this.durable) fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      rmSync(tmp, { force: true });
      throw new BlobStoreError(`cannot write a blob (${(err as Error).message})`, { cause: err });
    }
    const staged = this.staged(tmp, createHash('md5').update(bytes).digest('base64'), bytes.byteLength);
    staged.commit();
    return { md5: staged.md5, size: staged.size };
  }

  has(md5: string): boolean {
    return existsSync(this.objectPath(md5));
  }

  size(md5: string): number | undefined {
    try {
      return statSync(this.objectPath(md5)).size;
    } catch {
      return undefined;
    }
  }

  open(md5: string, start: number, end: number): ReadableStream<Uint8Array> {
    const path = this.objectPath(md5);
    let fh: FileHandle | null = null;
    let at = start;
    const release = async () => {
      const h = fh;
      fh = null;
      await h?.close().catch(() => {});
    };
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        try {
          fh ??= await open(path, 'r');
          if (at > end) {
            await release();
            return controller.close();
          }
          const want = Math.min(READ_CHUNK_BYTES, end + 1 - at);
          const buf = Buffer.allocUnsafe(want);
          const { bytesRead } = await fh.read(buf, 0, want, at);
          if (bytesRead === 0) throw new BlobStoreError(`blob ${md5} is shorter than its recorded size`);
          at += bytesRead;
          controller.enqueue(bytesRead === want ? buf : buf.subarray(0, bytesRead));
        } catch (err) {
          await release();
          controller.error(err);
        }
      },
      cancel: release,
    // A few chunks read ahead, so the disk works while the socket sends.
    }, { highWaterMark: 4 * READ_CHUNK_BYTES, size: (chunk) => chunk.byteLength });
  }

  remove(md5: string): void {
    rmSync(this.objectPath(md5), { force: true });
  }

  sweep(keep: ReadonlySet<string>, options: { staging?: boolean } = {}): string[] {
    const removed: string[] = [];
    const wanted = new Set([...keep].map(md5Hex));
    for (const name of options.staging === false ? [] : safeList(this.staging)) {
      rmSync(join(this.staging, name), { recursive: true, force: true });
      removed.push(`staging/${name}`);
    }
    for (const name of safeList(this.objects)) {
      if (wanted.has(name)) continue;
      rmSync(join(this.objects, name), { recursive: true, force: true });
      removed.push(`objects/${name}`);
    }
    if (removed.length > 0 && this.durable) syncDir(this.objects);
    return removed;
  }

  close(): void {
    if (this.owned) rmSync(this.root, { recursive: true, force: true });
  }

  private objectPath(md5: string): string {
    return join(this.objects, md5Hex(md5));
  }

  private stagingPath(): string {
    this.seq += 1;
    return join(this.staging, `${process.pid}-${this.seq}-${randomBytes(4).toString('hex')}`);
  }

  private staged(tmp: string, md5: string, size: number): StagedBlob {
    let state: 'staged' | 'committed' | 'discarded' = 'staged';
    return {
      md5,
      size,
      commit: () => {
        if (state !== 'staged') return;
        const target = this.objectPath(md5);
        try {
          // Same md5, same bytes: a blob already in place stays; the copy goes.
          if (existsSync(target)) rmSync(tmp, { force: true });
          else {
            renameSync(tmp, target);
            if (this.durable) syncDir(this.objects);
          }
        } catch (err) {
          throw new BlobStoreError(`cannot put blob ${md5} in place (${(err as Error).message})`, { cause: err });
        }
        state = 'committed';
      },
      discard: () => {
        if (state !== 'staged') return;
        state = 'discarded';
        rmSync(tmp, { force: true });
      },
    };
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
